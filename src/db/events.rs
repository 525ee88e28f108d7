use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{events, questions};
use crate::domain::{EventStatus, QuestionStatus};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub starts_at: Option<NaiveDateTime>,
    pub status: EventStatus,
    pub premoderation: bool,
    pub recording_url: Option<String>,
    pub created_at: NaiveDateTime,
    /// When the recording started, on the same clock as everything else (UTC): what turns times
    /// of the call into moments of the recording.
    pub recording_started_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = events)]
struct EventRow {
    id: i64,
    slug: String,
    title: String,
    description: String,
    starts_at: Option<NaiveDateTime>,
    status: String,
    premoderation: bool,
    recording_url: Option<String>,
    created_at: NaiveDateTime,
    recording_started_at: Option<NaiveDateTime>,
}

impl TryFrom<EventRow> for Event {
    type Error = AppError;

    fn try_from(row: EventRow) -> Result<Self, AppError> {
        let status = row
            .status
            .parse()
            .map_err(|error| AppError::internal("reading an event's status", error))?;
        Ok(Event {
            id: row.id,
            slug: row.slug,
            title: row.title,
            description: row.description,
            starts_at: row.starts_at,
            status,
            premoderation: row.premoderation,
            recording_url: row.recording_url,
            created_at: row.created_at,
            recording_started_at: row.recording_started_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: Option<NaiveDateTime>,
    pub status: &'a str,
    pub premoderation: bool,
    pub recording_url: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewEvent<'_>) -> Result<i64, AppError> {
    diesel::insert_into(events::table)
        .values(new)
        .returning(events::id)
        .get_result(conn)
        .context("inserting an event")
}

pub fn slug_taken(conn: &mut DbConnection, slug: &str) -> Result<bool, AppError> {
    diesel::select(diesel::dsl::exists(
        events::table.filter(events::slug.eq(slug)),
    ))
    .get_result(conn)
    .context("checking an event slug")
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Event>, AppError> {
    // No event has a slug that does not parse; and text from an address (a NUL byte, say) must
    // not reach PostgreSQL, which refuses it with an error rather than finding nothing.
    if crate::domain::EventSlug::parse(slug).is_err() {
        return Ok(None);
    }
    events::table
        .filter(events::slug.eq(slug))
        .select(EventRow::as_select())
        .get_result(conn)
        .optional()
        .context("finding an event")?
        .map(Event::try_from)
        .transpose()
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> Result<Option<Event>, AppError> {
    events::table
        .find(id)
        .select(EventRow::as_select())
        .get_result(conn)
        .optional()
        .context("finding an event by id")?
        .map(Event::try_from)
        .transpose()
}

/// Every event with one of `statuses`, soonest start first (unscheduled last).
/// The slugs of events picked by id.
pub fn slugs_by_id(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    let rows: Vec<(i64, String)> = events::table
        .filter(events::id.eq_any(ids))
        .select((events::id, events::slug))
        .load(conn)
        .context("reading events' slugs")?;
    Ok(rows.into_iter().collect())
}

pub fn list_with_status(
    conn: &mut DbConnection,
    statuses: &[EventStatus],
) -> Result<Vec<Event>, AppError> {
    let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
    events::table
        .filter(events::status.eq_any(names))
        .order((events::starts_at.is_null(), events::starts_at, events::id))
        .select(EventRow::as_select())
        .load(conn)
        .context("listing events")?
        .into_iter()
        .map(Event::try_from)
        .collect()
}

pub fn set_status(
    conn: &mut DbConnection,
    slug: &str,
    status: EventStatus,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    diesel::update(events::table.filter(events::slug.eq(slug)))
        .set((
            events::status.eq(status.as_str()),
            events::updated_at.eq(now),
        ))
        .execute(conn)
        .context("changing an event's status")
}

/// How many questions each event shows the public, by event id.
pub fn listed_question_counts(
    conn: &mut DbConnection,
    event_ids: &[i64],
) -> Result<Vec<(i64, i64)>, AppError> {
    let listed: Vec<&str> = QuestionStatus::LISTED.iter().map(|s| s.as_str()).collect();
    questions::table
        .filter(questions::event_id.eq_any(event_ids))
        .filter(questions::status.eq_any(listed))
        .group_by(questions::event_id)
        .select((questions::event_id, diesel::dsl::count_star()))
        .load(conn)
        .context("counting questions per event")
}

/// What organisers may change of an event (not its slug: links to it are out there).
#[derive(AsChangeset)]
#[diesel(table_name = events)]
#[diesel(treat_none_as_null = true)]
pub struct EventUpdate<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: Option<NaiveDateTime>,
    pub premoderation: bool,
    pub recording_url: Option<&'a str>,
    pub updated_at: NaiveDateTime,
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &EventUpdate<'_>) -> Result<(), AppError> {
    diesel::update(events::table.find(id))
        .set(changes)
        .execute(conn)
        .context("editing an event")?;
    Ok(())
}

/// Replaces the hash of the event's presenter link (the old link stops working).
pub fn set_presenter_token_hash(
    conn: &mut DbConnection,
    event_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(events::table.find(event_id))
        .set((
            events::presenter_token_hash.eq(hash),
            events::updated_at.eq(now),
        ))
        .execute(conn)
        .context("replacing an event's presenter link")?;
    Ok(())
}

pub fn has_presenter_token(conn: &mut DbConnection, event_id: i64) -> Result<bool, AppError> {
    events::table
        .find(event_id)
        .select(events::presenter_token_hash.is_not_null())
        .first(conn)
        .optional()
        .context("looking up an event's presenter link")
        .map(|found| found.unwrap_or(false))
}

pub fn find_by_presenter_hash(
    conn: &mut DbConnection,
    hash: &str,
) -> Result<Option<Event>, AppError> {
    events::table
        .filter(events::presenter_token_hash.eq(hash))
        .select(EventRow::as_select())
        .first(conn)
        .optional()
        .context("looking up a presenter link")?
        .map(Event::try_from)
        .transpose()
}

pub fn set_recording_started_at(
    conn: &mut DbConnection,
    id: i64,
    started_at: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(events::table.find(id))
        .set((
            events::recording_started_at.eq(started_at),
            events::updated_at.eq(at),
        ))
        .execute(conn)
        .context("setting when the recording started")?;
    Ok(())
}
