//! Work that one instance of a deployment does for all of them (embedding questions) takes a
//! lock first. On PostgreSQL it is a session-level advisory lock on a connection of its own, so
//! it goes when the instance does, however it ends; SQLite has one process, so the lock is
//! always granted.

use diesel::sql_types::{BigInt, Bool};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

use super::connection::DatabaseUrl;
use crate::error::AppError;

/// Advisory lock keys (any stable numbers no other application on the database uses).
pub const EMBEDDER: i64 = 0x6661_7174_0001;
/// Embedding questions with the model for live suggestions, when it is another.
pub const LIVE_EMBEDDER: i64 = 0x6661_7174_0003;
/// Placing questions in topics and regrouping them.
pub const TOPICS: i64 = 0x6661_7174_0002;

/// Held while alive; dropping it (or losing the connection) releases the lock.
pub struct ExclusiveLock {
    _connection: Option<PgConnection>,
}

#[derive(QueryableByName)]
struct Granted {
    #[diesel(sql_type = Bool)]
    granted: bool,
}

/// `None` when another instance holds the lock.
pub fn try_lock(url: &DatabaseUrl, key: i64) -> Result<Option<ExclusiveLock>, AppError> {
    let DatabaseUrl::Postgres(url) = url else {
        return Ok(Some(ExclusiveLock { _connection: None }));
    };
    let mut connection = PgConnection::establish(url)
        .map_err(|error| AppError::internal("connecting for an advisory lock", error))?;
    let granted: Granted = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS granted")
        .bind::<BigInt, _>(key)
        .get_result(&mut connection)
        .map_err(|error| AppError::internal("asking for an advisory lock", error))?;
    Ok(granted.granted.then_some(ExclusiveLock {
        _connection: Some(connection),
    }))
}
