//! Finding events: the public list and the moderators' one, with question counts, the one that
//! takes questions next, the upcoming ones for calendars, and an event by its slug.

use chrono::NaiveDateTime;

use crate::db::{self, events::Event, Db};
use crate::domain::{EventSlug, EventStatus};
use crate::error::AppError;

pub struct EventSummary {
    pub event: Event,
    pub question_count: i64,
}

/// What the home page and `GET /api/v1/events` list: events on air, open and upcoming, then the
/// most recent closed ones.
pub async fn list_public_events(db: &Db) -> Result<Vec<EventSummary>, AppError> {
    const RECENT_CLOSED: usize = 10;
    db.read(|conn| {
        let mut events =
            db::events::list_with_status(conn, &[EventStatus::Live, EventStatus::Open])?;
        events.sort_by_key(|event| event.status != EventStatus::Live);
        let mut closed = db::events::list_with_status(conn, &[EventStatus::Closed])?;
        closed.reverse();
        closed.truncate(RECENT_CLOSED);
        events.extend(closed);
        with_counts(conn, events)
    })
    .await
}

/// The event taking questions now, or the next one that will: where a search that found nothing
/// can become a question. One on air first; then the open one starting soonest; then one open
/// without a date; last, an open one whose date has passed (the most recent).
pub async fn next_taking_questions(db: &Db, now: NaiveDateTime) -> Result<Option<Event>, AppError> {
    let events = db
        .read(|conn| db::events::list_with_status(conn, &[EventStatus::Live, EventStatus::Open]))
        .await?;
    Ok(events
        .into_iter()
        .min_by_key(|event| taking_next_rank(event, now)))
}

/// Lower ranks take questions sooner (see [`next_taking_questions`]).
fn taking_next_rank(event: &Event, now: NaiveDateTime) -> (u8, i64) {
    let seconds_from_now = |at: NaiveDateTime| (at - now).num_seconds();
    match (event.status, event.starts_at) {
        (EventStatus::Live, _) => (0, event.id),
        (_, Some(at)) if at >= now => (1, seconds_from_now(at)),
        (_, None) => (2, event.id),
        (_, Some(at)) => (3, -seconds_from_now(at)),
    }
}

/// Every event, for organisers.
pub async fn list_all_events(db: &Db) -> Result<Vec<EventSummary>, AppError> {
    db.read(|conn| {
        let events = db::events::list_with_status(conn, &EventStatus::ALL)?;
        with_counts(conn, events)
    })
    .await
}

fn with_counts(
    conn: &mut db::DbConnection,
    events: Vec<Event>,
) -> Result<Vec<EventSummary>, AppError> {
    let ids: Vec<i64> = events.iter().map(|event| event.id).collect();
    let counts: std::collections::HashMap<i64, i64> =
        db::events::listed_question_counts(conn, &ids)?
            .into_iter()
            .collect();
    Ok(events
        .into_iter()
        .map(|event| EventSummary {
            question_count: counts.get(&event.id).copied().unwrap_or(0),
            event,
        })
        .collect())
}

/// An event as the public may see it: drafts do not exist for them.
pub async fn find_public_event(db: &Db, slug: &str) -> Result<Event, AppError> {
    let slug = EventSlug::parse(slug).map_err(|_| AppError::NotFound { what: "event" })?;
    db.read(move |conn| db::events::find_by_slug(conn, slug.as_str()))
        .await?
        .filter(|event| event.status.is_public())
        .ok_or(AppError::NotFound { what: "event" })
}

/// The names of an event's labels, by name.
pub async fn event_labels(db: &Db, event_id: i64) -> Result<Vec<String>, AppError> {
    let labels = db
        .read(move |conn| db::labels::of_event(conn, event_id))
        .await?;
    Ok(labels.into_iter().map(|(_, name)| name).collect())
}

/// The moderator's view of one event, drafts included.
pub async fn find_event(db: &Db, slug: &str) -> Result<Event, AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| db::events::find_by_slug(conn, &slug))
        .await?
        .ok_or(AppError::NotFound { what: "event" })
}

/// The slug of the event a question belongs to.
pub async fn slug_of_question(db: &Db, question_id: i64) -> Result<String, AppError> {
    db.read(move |conn| {
        let question = db::questions::find(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        let event = db::events::find_by_id(conn, question.event_id)?
            .ok_or(AppError::NotFound { what: "event" })?;
        Ok(event.slug)
    })
    .await
}

/// Public events still to come (or on air, or started within the last day) with a start time,
/// soonest first: what a subscribed calendar lists.
pub async fn upcoming(db: &Db, now: NaiveDateTime) -> Result<Vec<Event>, AppError> {
    let since = now - chrono::Duration::days(1);
    let mut events = db
        .read(|conn| {
            db::events::list_with_status(
                conn,
                &[EventStatus::Open, EventStatus::Live, EventStatus::Closed],
            )
        })
        .await?;
    events.retain(|event| event.starts_at.is_some_and(|starts_at| starts_at >= since));
    Ok(events)
}
