use chrono::NaiveDateTime;

use super::now;
use crate::db::{self, events::Event, Db};
use crate::domain::{EventSlug, EventStatus, EventTitle};
use crate::error::AppError;

pub struct NewEventInput {
    pub slug: EventSlug,
    pub title: EventTitle,
    pub description: String,
    pub starts_at: Option<NaiveDateTime>,
    pub premoderation: bool,
    /// Where the recording is (or will be): answers link into it.
    pub recording_url: Option<url::Url>,
}

pub const DESCRIPTION_MAX_CHARS: usize = 5_000;

/// A recording link must be an http(s) URL.
pub fn parse_recording_url(raw: &str) -> Result<url::Url, crate::domain::Invalid> {
    url::Url::parse(raw.trim())
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
        .ok_or_else(|| {
            crate::domain::Invalid::new(
                "recording_url",
                "The recording link must be an http(s) address, like https://youtube.com/watch?v=….",
            )
        })
}

/// Creates an event, open for questions (from the command line).
pub async fn create_event(db: &Db, input: NewEventInput) -> Result<Event, AppError> {
    create_event_by(db, None, input).await
}

/// Creates an event, open for questions, logged as done by `actor` (`None`: the command line).
pub async fn create_event_by(
    db: &Db,
    actor: Option<i64>,
    input: NewEventInput,
) -> Result<Event, AppError> {
    if input.description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(crate::domain::Invalid::new(
            "description",
            format!("Descriptions can be at most {DESCRIPTION_MAX_CHARS} characters."),
        )
        .into());
    }
    db.write(move |conn| {
        let slug = input.slug.as_str();
        if db::events::slug_taken(conn, slug)? {
            return Err(AppError::conflict(
                "slug_taken",
                format!("An event with the slug `{slug}` exists already."),
            ));
        }
        let at = now();
        let id = db::events::insert(
            conn,
            &db::events::NewEvent {
                slug,
                title: input.title.as_str(),
                description: input.description.trim(),
                starts_at: input.starts_at,
                status: EventStatus::Open.as_str(),
                premoderation: input.premoderation,
                recording_url: input.recording_url.as_ref().map(url::Url::as_str),
                created_at: at,
                updated_at: at,
            },
        )?;
        db::modlog::record(
            conn,
            &db::modlog::NewEntry {
                moderator_id: actor,
                action: "event.create",
                event_id: Some(id),
                after_value: Some(input.title.as_str()),
                created_at: at,
                ..db::modlog::NewEntry::default()
            },
        )?;
        db::events::find_by_id(conn, id)?.ok_or(AppError::NotFound { what: "event" })
    })
    .await
}

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

pub async fn set_status(db: &Db, slug: EventSlug, status: EventStatus) -> Result<(), AppError> {
    let changed = db
        .write(move |conn| db::events::set_status(conn, slug.as_str(), status, now()))
        .await?;
    if changed == 0 {
        return Err(AppError::NotFound { what: "event" });
    }
    Ok(())
}

/// An event as the public may see it: drafts do not exist for them.
pub async fn find_public_event(db: &Db, slug: &str) -> Result<Event, AppError> {
    let slug = EventSlug::parse(slug).map_err(|_| AppError::NotFound { what: "event" })?;
    db.read(move |conn| db::events::find_by_slug(conn, slug.as_str()))
        .await?
        .filter(|event| event.status.is_public())
        .ok_or(AppError::NotFound { what: "event" })
}

/// An event's editable settings, validated.
pub struct EventSettings {
    pub title: EventTitle,
    pub description: String,
    pub starts_at: Option<NaiveDateTime>,
    pub premoderation: bool,
    pub recording_url: Option<url::Url>,
}

/// Changes an event's settings; the audit log keeps the old title.
pub async fn update_event(
    db: &Db,
    actor: i64,
    slug: &str,
    settings: EventSettings,
) -> Result<Event, AppError> {
    if settings.description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(crate::domain::Invalid::new(
            "description",
            format!("Descriptions can be at most {DESCRIPTION_MAX_CHARS} characters."),
        )
        .into());
    }
    let slug = slug.to_owned();
    db.write(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let at = now();
        db::events::update(
            conn,
            event.id,
            &db::events::EventUpdate {
                title: settings.title.as_str(),
                description: settings.description.trim(),
                starts_at: settings.starts_at,
                premoderation: settings.premoderation,
                recording_url: settings.recording_url.as_ref().map(url::Url::as_str),
                updated_at: at,
            },
        )?;
        db::modlog::record(
            conn,
            &db::modlog::NewEntry {
                moderator_id: Some(actor),
                action: "event.edit",
                event_id: Some(event.id),
                before_value: Some(&event.title),
                after_value: Some(settings.title.as_str()),
                created_at: at,
                ..db::modlog::NewEntry::default()
            },
        )?;
        db::events::find_by_id(conn, event.id)?.ok_or(AppError::NotFound { what: "event" })
    })
    .await
}

/// Moves an event through its life, as a moderator (logged).
pub async fn move_event(
    db: &Db,
    actor: i64,
    slug: &str,
    status: EventStatus,
) -> Result<Event, AppError> {
    let slug = slug.to_owned();
    db.write(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let at = now();
        db::events::set_status(conn, &slug, status, at)?;
        db::modlog::record(
            conn,
            &db::modlog::NewEntry {
                moderator_id: Some(actor),
                action: "event.status",
                event_id: Some(event.id),
                before_value: Some(event.status.as_str()),
                after_value: Some(status.as_str()),
                created_at: at,
                ..db::modlog::NewEntry::default()
            },
        )?;
        db::events::find_by_id(conn, event.id)?.ok_or(AppError::NotFound { what: "event" })
    })
    .await
}

/// The moderator's view of one event, drafts included.
pub async fn find_event(db: &Db, slug: &str) -> Result<Event, AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| db::events::find_by_slug(conn, &slug))
        .await?
        .ok_or(AppError::NotFound { what: "event" })
}
