//! When each question was on screen: an interval per time it went up, closed when it came down.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::screen_times;
use crate::error::{AppError, QueryContext};

/// `question_id` went on screen at `at`; whatever of its event was up came down then.
pub fn shown(
    conn: &mut DbConnection,
    event_id: i64,
    question_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    hidden(conn, event_id, at)?;
    diesel::insert_into(screen_times::table)
        .values((
            screen_times::event_id.eq(event_id),
            screen_times::question_id.eq(question_id),
            screen_times::shown_at.eq(at),
        ))
        .execute(conn)
        .context("recording a question going on screen")?;
    Ok(())
}

/// Whatever of the event was on screen came down at `at`.
pub fn hidden(conn: &mut DbConnection, event_id: i64, at: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(
        screen_times::table
            .filter(screen_times::event_id.eq(event_id))
            .filter(screen_times::hidden_at.is_null()),
    )
    .set(screen_times::hidden_at.eq(at))
    .execute(conn)
    .context("recording the screen cleared")?;
    Ok(())
}

/// These questions came down at `at` (merged away while on screen).
pub fn questions_hidden(
    conn: &mut DbConnection,
    question_ids: &[i64],
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(
        screen_times::table
            .filter(screen_times::question_id.eq_any(question_ids))
            .filter(screen_times::hidden_at.is_null()),
    )
    .set(screen_times::hidden_at.eq(at))
    .execute(conn)
    .context("recording questions taken off screen")?;
    Ok(())
}

/// When each question of the event first went on screen.
pub fn first_shown(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<HashMap<i64, NaiveDateTime>, AppError> {
    let rows: Vec<(i64, NaiveDateTime)> = screen_times::table
        .filter(screen_times::event_id.eq(event_id))
        .order(screen_times::shown_at.asc())
        .select((screen_times::question_id, screen_times::shown_at))
        .load(conn)
        .context("reading when questions were on screen")?;
    let mut first = HashMap::new();
    for (question_id, shown_at) in rows {
        first.entry(question_id).or_insert(shown_at);
    }
    Ok(first)
}

/// One time a question was on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenTime {
    pub question_id: i64,
    pub shown_at: NaiveDateTime,
    pub hidden_at: Option<NaiveDateTime>,
}

/// Every time a question of the event was on screen, in order.
pub fn of_event(conn: &mut DbConnection, event_id: i64) -> Result<Vec<ScreenTime>, AppError> {
    let rows: Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)> = screen_times::table
        .filter(screen_times::event_id.eq(event_id))
        .order((screen_times::shown_at.asc(), screen_times::id.asc()))
        .select((
            screen_times::question_id,
            screen_times::shown_at,
            screen_times::hidden_at,
        ))
        .load(conn)
        .context("reading when questions were on screen")?;
    Ok(rows
        .into_iter()
        .map(|(question_id, shown_at, hidden_at)| ScreenTime {
            question_id,
            shown_at,
            hidden_at,
        })
        .collect())
}

/// Writes back times read by [`of_event`] (a restored event).
pub fn restore(
    conn: &mut DbConnection,
    event_id: i64,
    times: &[ScreenTime],
) -> Result<(), AppError> {
    for time in times {
        diesel::insert_into(screen_times::table)
            .values((
                screen_times::event_id.eq(event_id),
                screen_times::question_id.eq(time.question_id),
                screen_times::shown_at.eq(time.shown_at),
                screen_times::hidden_at.eq(time.hidden_at),
            ))
            .execute(conn)
            .context("restoring when a question was on screen")?;
    }
    Ok(())
}
