//! Polls: their definitions and where each is in its life (draft, open, closed, revealed).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::polls;
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = polls)]
pub struct PollRow {
    pub id: i64,
    pub event_id: i64,
    pub kind: String,
    pub prompt: String,
    /// A JSON array of strings.
    pub options: String,
    pub multiple: bool,
    pub other: bool,
    pub scale: i32,
    /// A JSON array of two strings.
    pub scale_labels: Option<String>,
    pub results: String,
    /// A JSON array of strings.
    pub banned_words: String,
    pub state: String,
    pub revealed: bool,
    pub created_at: NaiveDateTime,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = polls)]
pub struct NewPoll<'a> {
    pub event_id: i64,
    pub kind: &'a str,
    pub prompt: &'a str,
    pub options: &'a str,
    pub multiple: bool,
    pub other: bool,
    pub scale: i32,
    pub scale_labels: Option<&'a str>,
    pub results: &'a str,
    pub banned_words: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewPoll<'_>) -> Result<i64, AppError> {
    diesel::insert_into(polls::table)
        .values(new)
        .returning(polls::id)
        .get_result(conn)
        .context("adding a poll")
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<PollRow>, AppError> {
    polls::table
        .find(id)
        .select(PollRow::as_select())
        .get_result(conn)
        .optional()
        .context("reading a poll")
}

/// An event's polls in the order they were drafted.
pub fn of_event(conn: &mut DbConnection, event_id: i64) -> Result<Vec<PollRow>, AppError> {
    polls::table
        .filter(polls::event_id.eq(event_id))
        .order(polls::id.asc())
        .select(PollRow::as_select())
        .load(conn)
        .context("reading an event's polls")
}

/// Moves a poll to `state`, stamping when it opened or closed.
pub fn set_state(
    conn: &mut DbConnection,
    id: i64,
    state: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let target = polls::table.find(id);
    match state {
        "open" => diesel::update(target)
            .set((
                polls::state.eq(state),
                polls::opened_at.eq(Some(at)),
                polls::closed_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn),
        "closed" => diesel::update(target)
            .set((polls::state.eq(state), polls::closed_at.eq(Some(at))))
            .execute(conn),
        _ => diesel::update(target)
            .set(polls::state.eq(state))
            .execute(conn),
    }
    .context("opening or closing a poll")?;
    Ok(())
}

pub fn set_revealed(conn: &mut DbConnection, id: i64, revealed: bool) -> Result<(), AppError> {
    diesel::update(polls::table.find(id))
        .set(polls::revealed.eq(revealed))
        .execute(conn)
        .context("revealing a poll's results")?;
    Ok(())
}

pub fn set_banned_words(conn: &mut DbConnection, id: i64, json: &str) -> Result<(), AppError> {
    diesel::update(polls::table.find(id))
        .set(polls::banned_words.eq(json))
        .execute(conn)
        .context("changing a word cloud's banned words")?;
    Ok(())
}

/// Removes a poll and its answers; whether there was one.
pub fn delete(conn: &mut DbConnection, id: i64) -> Result<bool, AppError> {
    super::poll_answers::delete_of_poll(conn, id)?;
    let removed = diesel::delete(polls::table.find(id))
        .execute(conn)
        .context("removing a poll")?;
    Ok(removed > 0)
}

/// Where a restored poll was in its life.
pub struct RestoredState<'a> {
    pub state: &'a str,
    pub revealed: bool,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

/// Adds a poll from a backup, where it was in its life; its id.
pub fn restore(
    conn: &mut DbConnection,
    new: &NewPoll<'_>,
    restored: &RestoredState<'_>,
) -> Result<i64, AppError> {
    diesel::insert_into(polls::table)
        .values((
            new,
            polls::state.eq(restored.state),
            polls::revealed.eq(restored.revealed),
            polls::opened_at.eq(restored.opened_at),
            polls::closed_at.eq(restored.closed_at),
        ))
        .returning(polls::id)
        .get_result(conn)
        .context("restoring a poll")
}
