//! Open-text answers to polls in topics: only answers shown to everyone (not held or hidden, not
//! set aside as automated) count, as the questions a community asks in another form.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{poll_answers, polls, topic_poll_answers};
use crate::domain::{PollAnswer, PollKind};
use crate::error::{AppError, QueryContext};

/// (answer, its text) from the stored rows, leaving out any that is not open text.
fn texts(rows: Vec<(i64, String)>) -> Vec<(i64, String)> {
    rows.into_iter()
        .filter_map(|(id, stored)| match PollAnswer::from_stored(&stored)? {
            PollAnswer::Text(text) => Some((id, text)),
            _ => None,
        })
        .collect()
}

/// Every counted open-text answer, as (answer, text).
pub fn counted(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, AppError> {
    let rows = poll_answers::table
        .inner_join(polls::table)
        .filter(polls::kind.eq(PollKind::Text.as_str()))
        .filter(poll_answers::status.eq("shown"))
        .filter(poll_answers::discounted.eq(false))
        .order(poll_answers::id)
        .select((poll_answers::id, poll_answers::answer))
        .load(conn)
        .context("reading open-text answers for topics")?;
    Ok(texts(rows))
}

/// Counted open-text answers in no topic yet, as (answer, text).
pub fn unplaced(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, AppError> {
    let rows = poll_answers::table
        .inner_join(polls::table)
        .left_join(topic_poll_answers::table)
        .filter(topic_poll_answers::answer_id.is_null())
        .filter(polls::kind.eq(PollKind::Text.as_str()))
        .filter(poll_answers::status.eq("shown"))
        .filter(poll_answers::discounted.eq(false))
        .order(poll_answers::id)
        .select((poll_answers::id, poll_answers::answer))
        .load(conn)
        .context("finding open-text answers in no topic")?;
    Ok(texts(rows))
}

/// (answer, topic) for every placed answer.
pub fn placed(conn: &mut DbConnection) -> Result<Vec<(i64, i64)>, AppError> {
    topic_poll_answers::table
        .select((topic_poll_answers::answer_id, topic_poll_answers::topic_id))
        .load(conn)
        .context("reading which topic each poll answer is in")
}

pub fn place(conn: &mut DbConnection, answer_id: i64, topic_id: i64) -> Result<(), AppError> {
    diesel::delete(topic_poll_answers::table.find(answer_id))
        .execute(conn)
        .context("moving a poll answer between topics")?;
    diesel::insert_into(topic_poll_answers::table)
        .values((
            topic_poll_answers::answer_id.eq(answer_id),
            topic_poll_answers::topic_id.eq(topic_id),
        ))
        .execute(conn)
        .context("placing a poll answer in a topic")?;
    Ok(())
}

pub fn forget_all(conn: &mut DbConnection) -> Result<(), AppError> {
    diesel::delete(topic_poll_answers::table)
        .execute(conn)
        .context("forgetting the last grouping's poll answers")?;
    Ok(())
}

pub fn move_all(conn: &mut DbConnection, from: i64, into: i64) -> Result<(), AppError> {
    diesel::update(topic_poll_answers::table.filter(topic_poll_answers::topic_id.eq(from)))
        .set(topic_poll_answers::topic_id.eq(into))
        .execute(conn)
        .context("moving a topic's poll answers")?;
    Ok(())
}

/// A counted answer in a topic: its topic, id, text, when it was given and its poll's event.
pub struct PlacedPollAnswer {
    pub topic_id: i64,
    pub answer_id: i64,
    pub text: String,
    pub answered_at: NaiveDateTime,
    pub event_id: i64,
}

pub fn placed_rows(conn: &mut DbConnection) -> Result<Vec<PlacedPollAnswer>, AppError> {
    let rows: Vec<(i64, i64, String, NaiveDateTime, i64)> = topic_poll_answers::table
        .inner_join(poll_answers::table.inner_join(polls::table))
        .filter(poll_answers::status.eq("shown"))
        .filter(poll_answers::discounted.eq(false))
        .select((
            topic_poll_answers::topic_id,
            poll_answers::id,
            poll_answers::answer,
            poll_answers::created_at,
            polls::event_id,
        ))
        .load(conn)
        .context("reading the poll answers of topics")?;
    Ok(rows
        .into_iter()
        .filter_map(|(topic_id, answer_id, stored, answered_at, event_id)| {
            match PollAnswer::from_stored(&stored)? {
                PollAnswer::Text(text) => Some(PlacedPollAnswer {
                    topic_id,
                    answer_id,
                    text,
                    answered_at,
                    event_id,
                }),
                _ => None,
            }
        })
        .collect())
}
