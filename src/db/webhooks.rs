//! Webhooks and their queue of deliveries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{events, webhook_deliveries, webhooks};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub format: String,
    pub kinds: String,
    pub event_id: Option<i64>,
    pub secret: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = webhooks)]
pub struct NewWebhook<'a> {
    pub url: &'a str,
    pub format: &'a str,
    pub kinds: &'a str,
    pub event_id: Option<i64>,
    pub secret: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewWebhook<'_>) -> Result<i64, AppError> {
    diesel::insert_into(webhooks::table)
        .values(new)
        .returning(webhooks::id)
        .get_result(conn)
        .context("adding a webhook")
}

/// Every webhook with the slug of its event, if it has one; newest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<(WebhookRow, Option<String>)>, AppError> {
    webhooks::table
        .left_join(events::table)
        .order(webhooks::id.desc())
        .select((WebhookRow::as_select(), events::slug.nullable()))
        .load(conn)
        .context("listing webhooks")
}

/// Removes a webhook and its deliveries; whether there was one.
pub fn delete(conn: &mut DbConnection, id: i64) -> Result<bool, AppError> {
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
        .execute(conn)
        .context("removing a webhook's deliveries")?;
    let removed = diesel::delete(webhooks::table.find(id))
        .execute(conn)
        .context("removing a webhook")?;
    Ok(removed > 0)
}

/// The webhooks that hear of what happens in `event_id`: site-wide ones and the event's own.
/// (Which kinds each takes is the caller's to check: they are few.)
pub fn for_event(conn: &mut DbConnection, event_id: i64) -> Result<Vec<WebhookRow>, AppError> {
    webhooks::table
        .filter(
            webhooks::event_id
                .is_null()
                .or(webhooks::event_id.eq(event_id)),
        )
        .select(WebhookRow::as_select())
        .load(conn)
        .context("finding webhooks")
}

/// The webhooks of the whole site (no event of their own).
pub fn site_wide(conn: &mut DbConnection) -> Result<Vec<WebhookRow>, AppError> {
    webhooks::table
        .filter(webhooks::event_id.is_null())
        .select(WebhookRow::as_select())
        .load(conn)
        .context("finding site-wide webhooks")
}

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

#[derive(Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct NewDelivery<'a> {
    pub webhook_id: i64,
    pub kind: &'a str,
    pub body: &'a str,
    pub state: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn enqueue(conn: &mut DbConnection, deliveries: &[NewDelivery<'_>]) -> Result<(), AppError> {
    if deliveries.is_empty() {
        return Ok(());
    }
    on_backend!(conn, |conn| diesel::insert_into(webhook_deliveries::table)
        .values(deliveries)
        .execute(conn))
    .context("queueing webhook deliveries")?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: i64,
    pub kind: String,
    pub body: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// Takes up to `limit` deliveries that are due, with their webhooks, and puts them off until
/// `lease_until`, so that no other instance takes them while this one tries. On PostgreSQL rows
/// another instance is taking are skipped, not waited for.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<(DeliveryRow, WebhookRow)>, AppError> {
    let due = webhook_deliveries::table
        .filter(webhook_deliveries::state.eq(PENDING))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .order(webhook_deliveries::next_attempt_at.asc())
        .limit(limit)
        .select(webhook_deliveries::id);
    let ids: Vec<i64> = match conn {
        DbConnection::Sqlite(conn) => due.load(conn),
        DbConnection::Postgres(conn) => due.for_update().skip_locked().load(conn),
    }
    .context("finding due webhook deliveries")?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
        .set(webhook_deliveries::next_attempt_at.eq(lease_until))
        .execute(conn)
        .context("claiming webhook deliveries")?;
    webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhook_deliveries::id.eq_any(&ids))
        .order(webhook_deliveries::id.asc())
        .select((DeliveryRow::as_select(), WebhookRow::as_select()))
        .load(conn)
        .context("reading claimed webhook deliveries")
}

/// What one attempt came to.
pub struct Attempted<'a> {
    pub id: i64,
    pub state: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub status: Option<i32>,
    pub error: Option<&'a str>,
    pub delivered_at: Option<NaiveDateTime>,
}

pub fn record_attempt(conn: &mut DbConnection, attempt: &Attempted<'_>) -> Result<(), AppError> {
    diesel::update(webhook_deliveries::table.find(attempt.id))
        .set((
            webhook_deliveries::state.eq(attempt.state),
            webhook_deliveries::attempts.eq(attempt.attempts),
            webhook_deliveries::next_attempt_at.eq(attempt.next_attempt_at),
            webhook_deliveries::last_status.eq(attempt.status),
            webhook_deliveries::last_error.eq(attempt.error),
            webhook_deliveries::delivered_at.eq(attempt.delivered_at),
        ))
        .execute(conn)
        .context("recording a webhook delivery")?;
    Ok(())
}

/// The latest deliveries, newest first: the log on the admin page.
pub fn recent(conn: &mut DbConnection, limit: i64) -> Result<Vec<DeliveryRow>, AppError> {
    webhook_deliveries::table
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)
        .context("reading webhook deliveries")
}

/// Deletes deliveries that were delivered before `before`; returns how many.
pub fn prune_delivered(conn: &mut DbConnection, before: NaiveDateTime) -> Result<usize, AppError> {
    diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::state.eq(DELIVERED))
            .filter(webhook_deliveries::delivered_at.lt(before)),
    )
    .execute(conn)
    .context("deleting delivered webhook rows past their keeping time")
}

/// When the next pending delivery is due, if any is.
pub fn next_due(conn: &mut DbConnection) -> Result<Option<NaiveDateTime>, AppError> {
    webhook_deliveries::table
        .filter(webhook_deliveries::state.eq(PENDING))
        .select(diesel::dsl::min(webhook_deliveries::next_attempt_at))
        .get_result(conn)
        .context("finding the next webhook delivery")
}
