//! Moderators who asked for the insights digest: each gives one address and how often (weekly
//! or monthly), changes or stops it on the insights page or through the API, and stops it from
//! any digest's link without signing in.

use crate::app::now;
use crate::db::digests::{self as stored, DigestSubscriptionRow};
use crate::db::Db;
use crate::domain::{DigestPeriod, EmailAddress, Invalid, Token};
use crate::error::AppError;

/// A moderator's request as they see it.
#[derive(Debug, Clone)]
pub struct DigestRequest {
    pub email: String,
    pub period: DigestPeriod,
}

/// What a moderator typed: an address and a period, each checked.
pub fn parse_request(email: &str, period: &str) -> Result<(EmailAddress, DigestPeriod), Invalid> {
    let email =
        EmailAddress::parse(email).map_err(|invalid| Invalid::new("email", invalid.message))?;
    Ok((email, period.parse()?))
}

pub async fn of_moderator(db: &Db, moderator_id: i64) -> Result<Option<DigestRequest>, AppError> {
    let row = db
        .read(move |conn| stored::of_moderator(conn, moderator_id))
        .await?;
    Ok(row.and_then(request_of))
}

fn request_of(row: DigestSubscriptionRow) -> Option<DigestRequest> {
    Some(DigestRequest {
        period: row.period.parse().ok()?,
        email: row.email,
    })
}

/// Sets the moderator's address and period (replacing any before).
pub async fn subscribe(
    db: &Db,
    moderator_id: i64,
    email: EmailAddress,
    period: DigestPeriod,
) -> Result<DigestRequest, AppError> {
    let token =
        Token::generate().map_err(|error| AppError::internal("making a digest link", error))?;
    let row = DigestSubscriptionRow {
        moderator_id,
        email: email.as_str().to_owned(),
        period: period.as_str().to_owned(),
        token: token.as_str().to_owned(),
        created_at: now(),
    };
    db.write(move |conn| stored::subscribe(conn, &row)).await?;
    Ok(DigestRequest {
        email: email.as_str().to_owned(),
        period,
    })
}

pub async fn unsubscribe(db: &Db, moderator_id: i64) -> Result<(), AppError> {
    db.write(move |conn| stored::unsubscribe_moderator(conn, moderator_id))
        .await
}

/// What a digest's link stops, if it still stops anything.
pub async fn by_link(db: &Db, token: String) -> Result<Option<DigestRequest>, AppError> {
    let row = db.read(move |conn| stored::by_token(conn, &token)).await?;
    Ok(row.and_then(request_of))
}

/// Stops the digest behind a link; whether there was one.
pub async fn unsubscribe_by_link(db: &Db, token: String) -> Result<bool, AppError> {
    db.write(move |conn| {
        let Some(row) = stored::by_token(conn, &token)? else {
            return Ok(false);
        };
        stored::unsubscribe_moderator(conn, row.moderator_id)?;
        Ok(true)
    })
    .await
}
