//! The moderators' side of the questions table: every status, counts per status.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::questions as q;
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

pub fn set_body(
    conn: &mut DbConnection,
    id: i64,
    body: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(q::table.find(id))
        .set((q::body.eq(body), q::updated_at.eq(at)))
        .execute(conn)
        .context("editing a question")?;
    Ok(())
}

/// Keeps the text a moderator replaced, for moderators to see.
pub fn record_edit(
    conn: &mut DbConnection,
    question_id: i64,
    moderator_id: i64,
    previous_body: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    use super::schema::question_edits as e;
    diesel::insert_into(e::table)
        .values((
            e::question_id.eq(question_id),
            e::moderator_id.eq(moderator_id),
            e::previous_body.eq(previous_body),
            e::edited_at.eq(at),
        ))
        .execute(conn)
        .context("keeping the original text")?;
    Ok(())
}

/// Earlier texts of the questions, newest first, by question id.
pub fn edits_of(
    conn: &mut DbConnection,
    question_ids: &[i64],
) -> Result<Vec<(i64, String, NaiveDateTime)>, AppError> {
    use super::schema::question_edits as e;
    e::table
        .filter(e::question_id.eq_any(question_ids))
        .order(e::id.desc())
        .select((e::question_id, e::previous_body, e::edited_at))
        .load(conn)
        .context("reading earlier texts")
}

/// Puts one question on screen: whatever else of its event was there comes off.
/// Puts `id` on screen; returns the questions that were on screen before (now off).
pub fn put_on_screen(
    conn: &mut DbConnection,
    event_id: i64,
    id: i64,
) -> Result<Vec<i64>, AppError> {
    let taken_off = clear_screen(conn, event_id)?;
    diesel::update(q::table.find(id))
        .set(q::on_screen.eq(true))
        .execute(conn)
        .context("putting a question on screen")?;
    Ok(taken_off.into_iter().filter(|was| *was != id).collect())
}

/// Takes every question of the event off screen; returns which were on it.
pub fn clear_screen(conn: &mut DbConnection, event_id: i64) -> Result<Vec<i64>, AppError> {
    let on_screen = q::table
        .filter(q::event_id.eq(event_id))
        .filter(q::on_screen.eq(true));
    let ids: Vec<i64> = on_screen
        .select(q::id)
        .load(conn)
        .context("finding what is on screen")?;
    diesel::update(on_screen)
        .set(q::on_screen.eq(false))
        .execute(conn)
        .context("clearing the screen")?;
    Ok(ids)
}
