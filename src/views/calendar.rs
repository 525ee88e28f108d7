//! An event as an iCalendar file (RFC 5545), for "Add to calendar".

use chrono::Duration;
use icalendar::{Calendar, Component, EventLike};

use crate::db::events::Event;

/// Hangouts are rarely announced with an end; an hour is what calendars show by default.
const ASSUMED_LENGTH: Duration = Duration::hours(1);

/// `None` when the event has no start time to put in a calendar.
pub fn event_calendar(event: &Event, page_url: &str, host: &str) -> Option<String> {
    let starts_at = event.starts_at?.and_utc();
    let mut description = event.description.clone();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str("Ask and upvote questions: ");
    description.push_str(page_url);
    let entry = icalendar::Event::new()
        .uid(&format!("event-{}@{host}", event.id))
        .summary(&event.title)
        .description(&description)
        .starts(starts_at)
        .ends(starts_at + ASSUMED_LENGTH)
        .url(page_url)
        .done();
    Some(
        Calendar::new()
            .name(&event.title)
            .push(entry)
            .done()
            .to_string(),
    )
}
