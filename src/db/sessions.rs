//! Moderators' signed-in sessions. The cookie holds the session's secret; only its hash is here.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::moderator_sessions;
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = moderator_sessions)]
pub struct Session {
    pub id: i64,
    pub moderator_id: i64,
    pub user_agent: String,
    pub address: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = moderator_sessions)]
pub struct NewSession<'a> {
    pub moderator_id: i64,
    pub token_hash: &'a str,
    pub user_agent: &'a str,
    pub address: &'a str,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewSession<'_>) -> Result<i64, AppError> {
    diesel::insert_into(moderator_sessions::table)
        .values(new)
        .returning(moderator_sessions::id)
        .get_result(conn)
        .context("starting a session")
}

pub fn find(conn: &mut DbConnection, token_hash: &str) -> Result<Option<Session>, AppError> {
    moderator_sessions::table
        .filter(moderator_sessions::token_hash.eq(token_hash))
        .select(Session::as_select())
        .get_result(conn)
        .optional()
        .context("checking a session")
}

pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(moderator_sessions::table.find(id))
        .set(moderator_sessions::last_seen_at.eq(at))
        .execute(conn)
        .context("recording a session's use")?;
    Ok(())
}

pub fn of_moderator(conn: &mut DbConnection, moderator_id: i64) -> Result<Vec<Session>, AppError> {
    moderator_sessions::table
        .filter(moderator_sessions::moderator_id.eq(moderator_id))
        .order(moderator_sessions::last_seen_at.desc())
        .select(Session::as_select())
        .load(conn)
        .context("listing sessions")
}

/// Ends one session; returns whether it was there (and the moderator's).
pub fn end(conn: &mut DbConnection, moderator_id: i64, id: i64) -> Result<bool, AppError> {
    let ended = diesel::delete(
        moderator_sessions::table
            .find(id)
            .filter(moderator_sessions::moderator_id.eq(moderator_id)),
    )
    .execute(conn)
    .context("ending a session")?;
    Ok(ended > 0)
}

pub fn end_by_hash(conn: &mut DbConnection, token_hash: &str) -> Result<(), AppError> {
    diesel::delete(moderator_sessions::table.filter(moderator_sessions::token_hash.eq(token_hash)))
        .execute(conn)
        .context("ending a session")?;
    Ok(())
}

/// Ends every session of the moderator; returns how many there were.
pub fn end_all(conn: &mut DbConnection, moderator_id: i64) -> Result<usize, AppError> {
    diesel::delete(
        moderator_sessions::table.filter(moderator_sessions::moderator_id.eq(moderator_id)),
    )
    .execute(conn)
    .context("ending sessions")
}

/// Ends every session of the moderator with this username.
pub fn end_all_of(conn: &mut DbConnection, username: &str) -> Result<usize, AppError> {
    use super::schema::moderators;
    diesel::delete(
        moderator_sessions::table.filter(
            moderator_sessions::moderator_id.eq_any(
                moderators::table
                    .filter(moderators::username.eq(username))
                    .select(moderators::id),
            ),
        ),
    )
    .execute(conn)
    .context("ending sessions")
}

/// Forgets sessions that can no longer be used: idle since `idle_before` or started before
/// `started_before`.
pub fn end_expired(
    conn: &mut DbConnection,
    idle_before: NaiveDateTime,
    started_before: NaiveDateTime,
) -> Result<usize, AppError> {
    diesel::delete(
        moderator_sessions::table.filter(
            moderator_sessions::last_seen_at
                .lt(idle_before)
                .or(moderator_sessions::created_at.lt(started_before)),
        ),
    )
    .execute(conn)
    .context("forgetting expired sessions")
}
