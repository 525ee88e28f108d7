//! Work that one instance of a deployment does for all of them (embedding questions) takes a
//! lock first. On PostgreSQL it is a session-level advisory lock on a connection of its own, so
//! it goes when the instance does, however it ends; SQLite has one process, so the lock is
//! always granted.

use diesel::sql_types::{BigInt, Bool};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

use super::connection::DatabaseUrl;
use crate::error::AppError;

/// Placing questions in topics and regrouping them. (Advisory lock keys are any stable numbers
/// no other application on the database uses.)
pub const TOPICS: i64 = 0x6661_7174_0002;

/// Embedding questions with one model: one instance per model, whichever use it serves there,
/// so that instances switching models one after another never embed the same model twice.
pub fn embedder_of(model_tag: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(model_tag.as_bytes());
    let low = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    (0x6661_7174_i64 << 32) | i64::from(low)
}

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
