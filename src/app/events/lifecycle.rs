use crate::bus::{Bus, Notice, NoticeKind};
use chrono::NaiveDateTime;

use crate::app::now;
use crate::db::{self, events::Event, Db};
use crate::domain::{EventSlug, EventStatus, EventTitle, LabelName};
use crate::error::AppError;

pub struct NewEventInput {
    pub slug: EventSlug,
    pub title: EventTitle,
    pub description: String,
    pub starts_at: Option<NaiveDateTime>,
    pub premoderation: bool,
    /// Where the recording is (or will be): answers link into it.
    pub recording_url: Option<url::Url>,
    pub labels: Vec<LabelName>,
    /// Usually open; a draft is prepared out of the public's sight.
    pub status: EventStatus,
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

/// Creates an event (from the command line).
pub async fn create_event(db: &Db, input: NewEventInput) -> Result<Event, AppError> {
    create_event_by(db, None, input).await
}

/// Creates an event, logged as done by `actor` (`None`: the command line).
pub async fn create_event_by(
    db: &Db,
    actor: Option<i64>,
    input: NewEventInput,
) -> Result<Event, AppError> {
    check_description(&input.description)?;
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
                status: input.status.as_str(),
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
        for label in &input.labels {
            db::labels::find_or_create(conn, id, label.as_str())?;
        }
        db::events::find_by_id(conn, id)?.ok_or(AppError::NotFound { what: "event" })
    })
    .await
}

pub async fn set_status(
    db: &Db,
    bus: &Bus,
    slug: EventSlug,
    status: EventStatus,
) -> Result<(), AppError> {
    db.write(move |conn| {
        let event = db::events::find_by_slug(conn, slug.as_str())?
            .ok_or(AppError::NotFound { what: "event" })?;
        let at = now();
        db::events::set_status(conn, slug.as_str(), status, at)?;
        if status == EventStatus::Archived {
            crate::app::outreach::mail_letters::forget_event(conn, event.id)?;
        }
        let taken_off = clear_screen_when_over(conn, event.id, status, at)?;
        if status.is_public() != event.status.is_public() {
            db::changes::record_for_event(conn, event.id, at)?;
        }
        Ok((event.id, taken_off))
    })
    .await
    .map(|(event_id, taken_off)| announce_taken_off(bus, event_id, &taken_off))
}

/// An event that is over has nothing on screen: whatever was there comes down when it closes.
/// Returns the questions taken off.
fn clear_screen_when_over(
    conn: &mut db::DbConnection,
    event_id: i64,
    status: EventStatus,
    at: NaiveDateTime,
) -> Result<Vec<i64>, AppError> {
    if !status.is_over() {
        return Ok(Vec::new());
    }
    let taken_off = db::curation::clear_screen(conn, event_id)?;
    if !taken_off.is_empty() {
        db::screen_times::hidden(conn, event_id, at)?;
        for question_id in &taken_off {
            db::changes::record(conn, *question_id, at)?;
        }
    }
    Ok(taken_off)
}

fn announce_taken_off(bus: &Bus, event_id: i64, taken_off: &[i64]) {
    bus.publish_all(
        taken_off
            .iter()
            .map(|id| Notice::question(event_id, *id, NoticeKind::Changed)),
    );
}

/// Changes to an event, validated; `None` leaves a setting as it is. The form sends every
/// setting; the API only what it changes.
#[derive(Default)]
pub struct EventChanges {
    pub title: Option<EventTitle>,
    pub description: Option<String>,
    pub starts_at: Option<Option<NaiveDateTime>>,
    pub premoderation: Option<bool>,
    pub recording_url: Option<Option<url::Url>>,
    /// The event's whole set of labels: missing ones are added, absent ones taken off questions.
    pub labels: Option<Vec<LabelName>>,
    pub status: Option<EventStatus>,
}

fn check_description(description: &str) -> Result<(), AppError> {
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(crate::domain::Invalid::new(
            "description",
            format!("Descriptions can be at most {DESCRIPTION_MAX_CHARS} characters."),
        )
        .into());
    }
    Ok(())
}

/// Changes an event's settings, labels and status in one transaction; the audit log keeps what
/// each was before.
pub async fn update_event(
    db: &Db,
    bus: &Bus,
    actor: i64,
    slug: &str,
    changes: EventChanges,
) -> Result<Event, AppError> {
    if let Some(description) = &changes.description {
        check_description(description)?;
    }
    let slug = slug.to_owned();
    db.write(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let at = now();
        let log = |conn: &mut db::DbConnection, action, before: &str, after: &str| {
            db::modlog::record(
                conn,
                &db::modlog::NewEntry {
                    moderator_id: Some(actor),
                    action,
                    event_id: Some(event.id),
                    before_value: Some(before),
                    after_value: Some(after),
                    created_at: at,
                    ..db::modlog::NewEntry::default()
                },
            )
        };
        let title = changes
            .title
            .as_ref()
            .map_or(event.title.as_str(), EventTitle::as_str);
        let recording_url = match &changes.recording_url {
            Some(url) => url.as_ref().map(url::Url::as_str),
            None => event.recording_url.as_deref(),
        };
        let update = db::events::EventUpdate {
            title,
            description: changes
                .description
                .as_deref()
                .map_or(event.description.as_str(), str::trim),
            starts_at: changes.starts_at.unwrap_or(event.starts_at),
            premoderation: changes.premoderation.unwrap_or(event.premoderation),
            recording_url,
            updated_at: at,
        };
        let (before, after) = settings_changed(&event, &update);
        if !before.is_empty() {
            db::events::update(conn, event.id, &update)?;
            log(conn, "event.edit", &before, &after)?;
        }
        if let Some(labels) = &changes.labels {
            let (before, after) = replace_labels(conn, event.id, labels)?;
            if before != after {
                log(conn, "event.labels", &before, &after)?;
            }
        }
        let moved = changes.status.filter(|status| *status != event.status);
        if let Some(status) = moved {
            db::events::set_status(conn, &slug, status, at)?;
            if status == EventStatus::Archived {
                crate::app::outreach::mail_letters::forget_event(conn, event.id)?;
            }
            log(conn, "event.status", event.status.as_str(), status.as_str())?;
        }
        let taken_off = match moved {
            Some(status) => clear_screen_when_over(conn, event.id, status, at)?,
            None => Vec::new(),
        };
        // FAQ entries show the event's title and exist only while it is public.
        let retitled = changes
            .title
            .as_ref()
            .is_some_and(|title| title.as_str() != event.title);
        let visibility_changed =
            moved.is_some_and(|status| status.is_public() != event.status.is_public());
        if retitled || visibility_changed {
            db::changes::record_for_event(conn, event.id, at)?;
        }
        let event =
            db::events::find_by_id(conn, event.id)?.ok_or(AppError::NotFound { what: "event" })?;
        Ok((event, taken_off))
    })
    .await
    .map(|(event, taken_off)| {
        announce_taken_off(bus, event.id, &taken_off);
        bus.publish(Notice::event(event.id));
        event
    })
}

/// The settings an update changes, as the audit log says them: what each was, and what it
/// becomes ("pre-moderation off" → "pre-moderation on"). Both empty when nothing changes.
fn settings_changed(event: &Event, update: &db::events::EventUpdate<'_>) -> (String, String) {
    let on_off = |on: bool| if on { "on" } else { "off" };
    let start = |at: Option<NaiveDateTime>| {
        at.map_or_else(
            || "no start time".to_owned(),
            |at| format!("starts {}", at.format("%Y-%m-%d %H:%M UTC")),
        )
    };
    let recording = |url: Option<&str>| {
        url.map_or_else(
            || "no recording".to_owned(),
            |url| format!("recording {url}"),
        )
    };
    let mut pairs = vec![
        (
            format!("title “{}”", event.title),
            format!("title “{}”", update.title),
        ),
        (start(event.starts_at), start(update.starts_at)),
        (
            format!("pre-moderation {}", on_off(event.premoderation)),
            format!("pre-moderation {}", on_off(update.premoderation)),
        ),
        (
            recording(event.recording_url.as_deref()),
            recording(update.recording_url),
        ),
    ];
    if event.description != update.description {
        pairs.push(("the description".to_owned(), "a new description".to_owned()));
    }
    let (before, after): (Vec<String>, Vec<String>) = pairs
        .into_iter()
        .filter(|(was, becomes)| was != becomes)
        .unzip();
    (before.join(", "), after.join(", "))
}

/// Makes `labels` the event's set of labels; returns the sets before and after, comma-separated.
fn replace_labels(
    conn: &mut db::DbConnection,
    event_id: i64,
    labels: &[LabelName],
) -> Result<(String, String), AppError> {
    let existing = db::labels::of_event(conn, event_id)?;
    let removed: Vec<i64> = existing
        .iter()
        .filter(|(_, name)| !labels.iter().any(|label| label.as_str() == name))
        .map(|(id, _)| *id)
        .collect();
    if !removed.is_empty() {
        db::labels::delete(conn, &removed)?;
    }
    for label in labels {
        db::labels::find_or_create(conn, event_id, label.as_str())?;
    }
    let before: Vec<&str> = existing.iter().map(|(_, name)| name.as_str()).collect();
    let mut after: Vec<&str> = labels.iter().map(LabelName::as_str).collect();
    after.sort_unstable();
    Ok((before.join(", "), after.join(", ")))
}

/// Moves an event through its life, as a moderator (logged).
pub async fn move_event(
    db: &Db,
    bus: &Bus,
    actor: i64,
    slug: &str,
    status: EventStatus,
) -> Result<Event, AppError> {
    update_event(
        db,
        bus,
        actor,
        slug,
        EventChanges {
            status: Some(status),
            ..EventChanges::default()
        },
    )
    .await
}
