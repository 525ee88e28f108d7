//! Events as iCalendar files (RFC 5545): one event for "Add to calendar", the upcoming ones for a
//! community to subscribe to.

use chrono::Duration;
use icalendar::{Calendar, Component, EventLike};

use crate::db::events::Event;

/// Hangouts are rarely announced with an end; an hour is what calendars show by default.
pub const ASSUMED_LENGTH: Duration = Duration::hours(1);

/// How often a subscribed calendar should look for new hangouts.
const REFRESH_INTERVAL: Duration = Duration::hours(6);

/// Where an event's page is, for its calendar entry: `{public_base}/e/{slug}`.
pub struct CalendarSite<'a> {
    pub public_base: &'a str,
    /// The site's host name, which makes each entry's UID unique across sites.
    pub host: &'a str,
}

impl CalendarSite<'_> {
    fn page_url(&self, event: &Event) -> String {
        format!("{}/e/{}", self.public_base, event.slug)
    }

    /// The calendar entry of an event; `None` without a start time to put in a calendar.
    fn entry(&self, event: &Event) -> Option<icalendar::Event> {
        let starts_at = event.starts_at?.and_utc();
        let page_url = self.page_url(event);
        let mut description = event.description.clone();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str("Ask and upvote questions: ");
        description.push_str(&page_url);
        Some(
            icalendar::Event::new()
                .uid(&format!("event-{}@{}", event.id, self.host))
                .summary(&event.title)
                .description(&description)
                .starts(starts_at)
                .ends(starts_at + ASSUMED_LENGTH)
                .url(&page_url)
                .done(),
        )
    }
}

/// One event's calendar; `None` when the event has no start time.
pub fn event_calendar(event: &Event, site: &CalendarSite<'_>) -> Option<String> {
    let entry = site.entry(event)?;
    Some(
        Calendar::new()
            .name(&event.title)
            .push(entry)
            .done()
            .to_string(),
    )
}

/// The calendar of these events (those without a start time are left out), to subscribe to.
pub fn events_calendar(events: &[Event], site: &CalendarSite<'_>) -> String {
    let mut calendar = Calendar::new();
    calendar
        .name("Upcoming hangouts")
        .description(&format!("Events at {}", site.public_base))
        .ttl(&REFRESH_INTERVAL);
    for entry in events.iter().filter_map(|event| site.entry(event)) {
        calendar.push(entry);
    }
    calendar.done().to_string()
}
