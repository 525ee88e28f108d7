//! Addresses that asked for mail, and the queue of mail to them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{mail_outbox, mail_subscriptions, votes};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_subscriptions)]
pub struct SubscriptionRow {
    pub id: i64,
    pub email: String,
    pub event_id: i64,
    pub question_id: Option<i64>,
    pub voter_hash: Option<String>,
    pub token: String,
    pub confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = mail_subscriptions)]
pub struct NewSubscription<'a> {
    pub email: &'a str,
    pub event_id: i64,
    pub question_id: Option<i64>,
    pub voter_hash: Option<&'a str>,
    pub token: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn subscribe(conn: &mut DbConnection, new: &NewSubscription<'_>) -> Result<i64, AppError> {
    diesel::insert_into(mail_subscriptions::table)
        .values(new)
        .returning(mail_subscriptions::id)
        .get_result(conn)
        .context("keeping an address for mail")
}

/// How many subscriptions of `email` await confirmation: a cap on the confirmation mail anyone
/// can send to someone else's address.
pub fn unconfirmed_count(conn: &mut DbConnection, email: &str) -> Result<i64, AppError> {
    mail_subscriptions::table
        .filter(mail_subscriptions::email.eq(email))
        .filter(mail_subscriptions::confirmed_at.is_null())
        .count()
        .get_result(conn)
        .context("counting unconfirmed addresses")
}

pub fn find_by_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<SubscriptionRow>, AppError> {
    mail_subscriptions::table
        .filter(mail_subscriptions::token.eq(token))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
        .context("finding a mail subscription")
}

/// A voter's subscription in an event, if they have one.
pub fn of_voter(
    conn: &mut DbConnection,
    event_id: i64,
    voter_hash: &str,
) -> Result<Option<SubscriptionRow>, AppError> {
    mail_subscriptions::table
        .filter(mail_subscriptions::event_id.eq(event_id))
        .filter(mail_subscriptions::voter_hash.eq(voter_hash))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
        .context("finding a voter's mail subscription")
}

/// Whether anyone in `event_id` asked for mail: most events, and every event of a site that
/// sends none, have nobody to tell.
pub fn any_in_event(conn: &mut DbConnection, event_id: i64) -> Result<bool, AppError> {
    diesel::select(diesel::dsl::exists(
        mail_subscriptions::table.filter(mail_subscriptions::event_id.eq(event_id)),
    ))
    .get_result(conn)
    .context("looking for an event's mail subscriptions")
}

/// Whether the asker of `question_id` asked for mail (confirmed or not).
pub fn has_asker(conn: &mut DbConnection, question_id: i64) -> Result<bool, AppError> {
    diesel::select(diesel::dsl::exists(
        mail_subscriptions::table.filter(mail_subscriptions::question_id.eq(question_id)),
    ))
    .get_result(conn)
    .context("looking for a question's mail subscription")
}

pub fn confirm(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(mail_subscriptions::table.find(id))
        .set(mail_subscriptions::confirmed_at.eq(at))
        .execute(conn)
        .context("confirming an address")?;
    Ok(())
}

/// Forgets one subscription and the mail still waiting for it.
pub fn forget(conn: &mut DbConnection, id: i64) -> Result<(), AppError> {
    diesel::delete(mail_outbox::table.filter(mail_outbox::subscription_id.eq(id)))
        .execute(conn)
        .context("dropping mail for an unsubscribed address")?;
    diesel::delete(mail_subscriptions::table.find(id))
        .execute(conn)
        .context("forgetting an address")?;
    Ok(())
}

/// Forgets every address left unconfirmed since before `cutoff`.
pub fn forget_unconfirmed_before(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::delete(
        mail_subscriptions::table
            .filter(mail_subscriptions::confirmed_at.is_null())
            .filter(mail_subscriptions::created_at.lt(cutoff)),
    )
    .execute(conn)
    .context("forgetting unconfirmed addresses")?;
    Ok(())
}

/// Forgets the askers' addresses of these questions (mail already queued still goes).
pub fn forget_for_questions(conn: &mut DbConnection, question_ids: &[i64]) -> Result<(), AppError> {
    diesel::delete(
        mail_subscriptions::table.filter(mail_subscriptions::question_id.eq_any(question_ids)),
    )
    .execute(conn)
    .context("forgetting the addresses of answered questions")?;
    Ok(())
}

/// Forgets every address kept for an event (mail already queued still goes).
pub fn forget_for_event(conn: &mut DbConnection, event_id: i64) -> Result<(), AppError> {
    diesel::delete(mail_subscriptions::table.filter(mail_subscriptions::event_id.eq(event_id)))
        .execute(conn)
        .context("forgetting the addresses of an archived event")?;
    Ok(())
}

/// The confirmed askers' subscriptions of these questions.
pub fn confirmed_askers(
    conn: &mut DbConnection,
    question_ids: &[i64],
) -> Result<Vec<SubscriptionRow>, AppError> {
    mail_subscriptions::table
        .filter(mail_subscriptions::question_id.eq_any(question_ids))
        .filter(mail_subscriptions::confirmed_at.is_not_null())
        .order(mail_subscriptions::id.asc())
        .select(SubscriptionRow::as_select())
        .load(conn)
        .context("finding the askers to tell")
}

/// The confirmed voters' subscriptions in `event_id` whose voter voted for any of these
/// questions.
pub fn confirmed_voters(
    conn: &mut DbConnection,
    event_id: i64,
    question_ids: &[i64],
) -> Result<Vec<SubscriptionRow>, AppError> {
    let voted = votes::table
        .filter(votes::question_id.eq_any(question_ids))
        .select(votes::voter_hash);
    mail_subscriptions::table
        .filter(mail_subscriptions::event_id.eq(event_id))
        .filter(mail_subscriptions::question_id.is_null())
        .filter(mail_subscriptions::confirmed_at.is_not_null())
        .filter(mail_subscriptions::voter_hash.eq_any(voted.nullable()))
        .order(mail_subscriptions::id.asc())
        .select(SubscriptionRow::as_select())
        .load(conn)
        .context("finding the voters to tell")
}

#[derive(Insertable)]
#[diesel(table_name = mail_outbox)]
pub struct NewLetter<'a> {
    pub subscription_id: Option<i64>,
    pub recipient: &'a str,
    pub kind: &'a str,
    pub body: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn enqueue(conn: &mut DbConnection, letters: &[NewLetter<'_>]) -> Result<(), AppError> {
    if letters.is_empty() {
        return Ok(());
    }
    on_backend!(conn, |conn| diesel::insert_into(mail_outbox::table)
        .values(letters)
        .execute(conn))
    .context("queueing mail")?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct LetterRow {
    pub id: i64,
    pub subscription_id: Option<i64>,
    pub recipient: String,
    pub kind: String,
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Takes up to `limit` letters that are due and puts them off until `lease_until`, so that no
/// other instance sends them meanwhile; on PostgreSQL rows another instance is taking are
/// skipped, not waited for.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<LetterRow>, AppError> {
    let due = mail_outbox::table
        .filter(mail_outbox::next_attempt_at.le(now))
        .order(mail_outbox::next_attempt_at.asc())
        .limit(limit)
        .select(mail_outbox::id);
    let ids: Vec<i64> = match conn {
        DbConnection::Sqlite(conn) => due.load(conn),
        DbConnection::Postgres(conn) => due.for_update().skip_locked().load(conn),
    }
    .context("finding due mail")?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
        .set(mail_outbox::next_attempt_at.eq(lease_until))
        .execute(conn)
        .context("claiming mail")?;
    mail_outbox::table
        .filter(mail_outbox::id.eq_any(&ids))
        .order(mail_outbox::id.asc())
        .select(LetterRow::as_select())
        .load(conn)
        .context("reading claimed mail")
}

/// Drops letters that were sent or given up.
pub fn remove(conn: &mut DbConnection, ids: &[i64]) -> Result<(), AppError> {
    diesel::delete(mail_outbox::table.filter(mail_outbox::id.eq_any(ids)))
        .execute(conn)
        .context("dropping sent mail")?;
    Ok(())
}

/// Puts a letter that failed off until `next_attempt_at`.
pub fn retry_later(
    conn: &mut DbConnection,
    id: i64,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    error: &str,
) -> Result<(), AppError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::attempts.eq(attempts),
            mail_outbox::next_attempt_at.eq(next_attempt_at),
            mail_outbox::last_error.eq(error),
        ))
        .execute(conn)
        .context("recording a failed mail")?;
    Ok(())
}

/// When the next letter is due, if any waits.
pub fn next_due(conn: &mut DbConnection) -> Result<Option<NaiveDateTime>, AppError> {
    mail_outbox::table
        .select(diesel::dsl::min(mail_outbox::next_attempt_at))
        .get_result(conn)
        .context("finding the next mail")
}

/// Letters in the queue, and how many of them failed before and wait to be tried again.
pub fn waiting(conn: &mut DbConnection) -> Result<(i64, i64), AppError> {
    let all = mail_outbox::table
        .count()
        .get_result(conn)
        .context("counting waiting mail")?;
    let retrying = mail_outbox::table
        .filter(mail_outbox::attempts.gt(0))
        .count()
        .get_result(conn)
        .context("counting mail to try again")?;
    Ok((all, retrying))
}
