//! The moderators' side of the questions table: every status, counts per status.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::questions as q;
use super::DbConnection;
use crate::domain::QuestionStatus;
use crate::error::{AppError, QueryContext};

pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    status: QuestionStatus,
    reject_reason: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(q::table.find(id))
        .set((
            q::status.eq(status.as_str()),
            q::reject_reason.eq(reject_reason),
            q::updated_at.eq(at),
        ))
        .execute(conn)
        .context("changing a question's status")?;
    Ok(())
}

/// How many questions of the event have each status.
pub fn status_counts(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<Vec<(QuestionStatus, i64)>, AppError> {
    let rows: Vec<(String, i64)> = q::table
        .filter(q::event_id.eq(event_id))
        .group_by(q::status)
        .select((q::status, diesel::dsl::count_star()))
        .load(conn)
        .context("counting questions by status")?;
    rows.into_iter()
        .map(|(status, count)| {
            status
                .parse()
                .map(|status| (status, count))
                .map_err(|error| AppError::internal("reading a question's status", error))
        })
        .collect()
}
