//! Moderators' sessions, kept on the server: signing out ends one for good (a copy of its cookie
//! opens nothing afterwards), idle sessions and old ones expire, and a moderator sees theirs and
//! can end any of them. The cookie carries the session's secret; the database only its hash.

use chrono::{Duration, NaiveDateTime};

use crate::db::sessions::{NewSession, Session};
use crate::db::{self, Db};
use crate::domain::Token;
use crate::error::AppError;

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Unused this long, a session ends.
    pub idle: Duration,
    /// However used, a session ends this long after sign-in.
    pub lifetime: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::hours(12),
            lifetime: Duration::days(30),
        }
    }
}

/// Last-seen times are written at most this often per session, not on every request.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Where a session was started from, for the account page.
pub struct Device {
    pub user_agent: String,
    pub address: String,
}

const USER_AGENT_CHARS: usize = 200;

/// Starts a session for the moderator; returns the secret for the cookie.
pub async fn start(
    db: &Db,
    moderator_id: i64,
    device: Device,
    now: NaiveDateTime,
) -> Result<Token, AppError> {
    let token =
        Token::generate().map_err(|error| AppError::internal("starting a session", error))?;
    let hash = token.hash();
    let user_agent: String = device
        .user_agent
        .chars()
        .filter(|c| !c.is_control())
        .take(USER_AGENT_CHARS)
        .collect();
    db.write(move |conn| {
        db::sessions::insert(
            conn,
            &NewSession {
                moderator_id,
                token_hash: hash.as_str(),
                user_agent: &user_agent,
                address: &device.address,
                created_at: now,
                last_seen_at: now,
            },
        )
    })
    .await?;
    Ok(token)
}

/// The live session this secret opens, if any; an expired one is ended on the way.
pub async fn check(
    db: &Db,
    secret: &str,
    policy: SessionPolicy,
    now: NaiveDateTime,
) -> Result<Option<Session>, AppError> {
    let Some(token) = Token::parse(secret) else {
        return Ok(None);
    };
    let hash = token.hash();
    let lookup = hash.clone();
    let Some(session) = db
        .read(move |conn| db::sessions::find(conn, lookup.as_str()))
        .await?
    else {
        return Ok(None);
    };
    let expired =
        now - session.last_seen_at > policy.idle || now - session.created_at > policy.lifetime;
    if expired {
        db.write(move |conn| db::sessions::end_by_hash(conn, hash.as_str()))
            .await?;
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        let id = session.id;
        db.write(move |conn| db::sessions::touch(conn, id, now))
            .await?;
    }
    Ok(Some(session))
}

pub async fn end(db: &Db, secret: &str) -> Result<(), AppError> {
    let Some(token) = Token::parse(secret) else {
        return Ok(());
    };
    let hash = token.hash();
    db.write(move |conn| db::sessions::end_by_hash(conn, hash.as_str()))
        .await
}

pub async fn list(db: &Db, moderator_id: i64) -> Result<Vec<Session>, AppError> {
    db.read(move |conn| db::sessions::of_moderator(conn, moderator_id))
        .await
}

/// Ends one of the moderator's own sessions.
pub async fn end_one(db: &Db, moderator_id: i64, id: i64) -> Result<(), AppError> {
    let ended = db
        .write(move |conn| db::sessions::end(conn, moderator_id, id))
        .await?;
    if ended {
        Ok(())
    } else {
        Err(AppError::NotFound { what: "session" })
    }
}

/// Ends every session of a moderator (signing out everywhere, a password change, disabling).
pub async fn end_all(db: &Db, moderator_id: i64) -> Result<usize, AppError> {
    db.write(move |conn| db::sessions::end_all(conn, moderator_id))
        .await
}

/// Forgets sessions that expired without being used again.
pub async fn end_expired(
    db: &Db,
    policy: SessionPolicy,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    db.write(move |conn| db::sessions::end_expired(conn, now - policy.idle, now - policy.lifetime))
        .await
}
