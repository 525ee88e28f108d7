//! Moderators' requests for the insights digest, and each period's digest once made.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{digest_subscriptions, digests, mail_outbox, moderators};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = digest_subscriptions)]
pub struct DigestSubscriptionRow {
    pub moderator_id: i64,
    pub email: String,
    pub period: String,
    pub token: String,
    pub created_at: NaiveDateTime,
}

/// Replaces the moderator's request (address and period) with `row`.
pub fn subscribe(conn: &mut DbConnection, row: &DigestSubscriptionRow) -> Result<(), AppError> {
    unsubscribe_moderator(conn, row.moderator_id)?;
    diesel::insert_into(digest_subscriptions::table)
        .values(row)
        .execute(conn)
        .context("keeping a digest address")?;
    Ok(())
}

pub fn of_moderator(
    conn: &mut DbConnection,
    moderator_id: i64,
) -> Result<Option<DigestSubscriptionRow>, AppError> {
    digest_subscriptions::table
        .find(moderator_id)
        .select(DigestSubscriptionRow::as_select())
        .first(conn)
        .optional()
        .context("finding a moderator's digest address")
}

pub fn by_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<DigestSubscriptionRow>, AppError> {
    digest_subscriptions::table
        .filter(digest_subscriptions::token.eq(token))
        .select(DigestSubscriptionRow::as_select())
        .first(conn)
        .optional()
        .context("finding a digest address by its link")
}

/// Forgets the moderator's request and the digests still waiting to be mailed for it.
pub fn unsubscribe_moderator(conn: &mut DbConnection, moderator_id: i64) -> Result<(), AppError> {
    if let Some(row) = of_moderator(conn, moderator_id)? {
        diesel::delete(
            mail_outbox::table
                .filter(mail_outbox::kind.eq(DIGEST_LETTER))
                .filter(mail_outbox::recipient.eq(&row.email)),
        )
        .execute(conn)
        .context("dropping digests waiting for a forgotten address")?;
    }
    diesel::delete(digest_subscriptions::table.find(moderator_id))
        .execute(conn)
        .context("forgetting a digest address")?;
    Ok(())
}

/// The kind of a digest in the mail queue.
pub const DIGEST_LETTER: &str = "digest";

/// Who asked for the digest of `period`, among moderators who may still sign in.
pub fn readers_of(
    conn: &mut DbConnection,
    period: &str,
) -> Result<Vec<DigestSubscriptionRow>, AppError> {
    digest_subscriptions::table
        .inner_join(moderators::table)
        .filter(digest_subscriptions::period.eq(period))
        .filter(moderators::disabled.eq(false))
        .order(digest_subscriptions::moderator_id)
        .select(DigestSubscriptionRow::as_select())
        .load(conn)
        .context("finding who reads the digest")
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = digests)]
pub struct DigestRow {
    pub id: i64,
    pub period: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub body: String,
    pub sent: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = digests)]
pub struct NewDigest<'a> {
    pub period: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub body: &'a str,
    pub sent: bool,
    pub created_at: NaiveDateTime,
}

pub fn made(
    conn: &mut DbConnection,
    period: &str,
    starts_at: NaiveDateTime,
) -> Result<bool, AppError> {
    diesel::select(diesel::dsl::exists(
        digests::table
            .filter(digests::period.eq(period))
            .filter(digests::starts_at.eq(starts_at)),
    ))
    .get_result(conn)
    .context("looking for a period's digest")
}

/// Records the period's digest unless an instance did already; whether this one did.
pub fn record(conn: &mut DbConnection, digest: &NewDigest<'_>) -> Result<bool, AppError> {
    let inserted = on_backend!(conn, |conn| diesel::insert_into(digests::table)
        .values(digest)
        .on_conflict_do_nothing()
        .execute(conn))
    .context("recording a digest")?;
    Ok(inserted == 1)
}

/// The latest digests, newest first.
pub fn recent(conn: &mut DbConnection, limit: i64) -> Result<Vec<DigestRow>, AppError> {
    digests::table
        .order((digests::starts_at.desc(), digests::id.desc()))
        .limit(limit)
        .select(DigestRow::as_select())
        .load(conn)
        .context("reading recent digests")
}
