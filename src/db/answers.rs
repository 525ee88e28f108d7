use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::answers;
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = answers)]
pub struct Answer {
    pub question_id: i64,
    pub body_md: String,
    pub body_html: String,
    pub recording_offset_secs: Option<i32>,
    pub published: bool,
    pub answered_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct AnswerWrite<'a> {
    pub question_id: i64,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub recording_offset_secs: Option<i32>,
    pub published: bool,
    pub answered_by: i64,
    pub at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, question_id: i64) -> Result<Option<Answer>, AppError> {
    answers::table
        .filter(answers::question_id.eq(question_id))
        .select(Answer::as_select())
        .get_result(conn)
        .optional()
        .context("finding an answer")
}

/// Writes the answer of a question, replacing the one it had.
pub fn upsert(conn: &mut DbConnection, answer: &AnswerWrite<'_>) -> Result<(), AppError> {
    let updated =
        diesel::update(answers::table.filter(answers::question_id.eq(answer.question_id)))
            .set((
                answers::body_md.eq(answer.body_md),
                answers::body_html.eq(answer.body_html),
                answers::recording_offset_secs.eq(answer.recording_offset_secs),
                answers::published.eq(answer.published),
                answers::answered_by.eq(answer.answered_by),
                answers::updated_at.eq(answer.at),
            ))
            .execute(conn)
            .context("updating an answer")?;
    if updated == 0 {
        diesel::insert_into(answers::table)
            .values((
                answers::question_id.eq(answer.question_id),
                answers::body_md.eq(answer.body_md),
                answers::body_html.eq(answer.body_html),
                answers::recording_offset_secs.eq(answer.recording_offset_secs),
                answers::published.eq(answer.published),
                answers::answered_by.eq(answer.answered_by),
                answers::answered_at.eq(answer.at),
                answers::updated_at.eq(answer.at),
            ))
            .execute(conn)
            .context("adding an answer")?;
    }
    Ok(())
}

pub fn delete(conn: &mut DbConnection, question_id: i64) -> Result<usize, AppError> {
    diesel::delete(answers::table.filter(answers::question_id.eq(question_id)))
        .execute(conn)
        .context("removing an answer")
}

/// The answers of several questions (an event's list, a dashboard tab).
pub fn of_questions(
    conn: &mut DbConnection,
    question_ids: &[i64],
) -> Result<Vec<Answer>, AppError> {
    answers::table
        .filter(answers::question_id.eq_any(question_ids))
        .select(Answer::as_select())
        .load(conn)
        .context("finding answers")
}

/// The answered questions of an event that have a moment in the recording: (seconds, question).
pub fn moments_in_event(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<Vec<(i32, String)>, AppError> {
    use super::schema::questions;
    let rows: Vec<(Option<i32>, String)> = answers::table
        .inner_join(questions::table)
        .filter(questions::event_id.eq(event_id))
        .filter(questions::status.eq(crate::domain::QuestionStatus::Answered.as_str()))
        .filter(answers::recording_offset_secs.is_not_null())
        .select((answers::recording_offset_secs, questions::body))
        .load(conn)
        .context("finding the recording's moments")?;
    Ok(rows
        .into_iter()
        .filter_map(|(secs, question)| Some((secs?, question)))
        .collect())
}

/// Keeps what was said in the recording beside an answer accepted from it.
pub fn set_excerpt(
    conn: &mut DbConnection,
    question_id: i64,
    excerpt: Option<&str>,
) -> Result<(), AppError> {
    diesel::update(answers::table.filter(answers::question_id.eq(question_id)))
        .set(answers::transcript_excerpt.eq(excerpt))
        .execute(conn)
        .context("keeping the recording's excerpt")?;
    Ok(())
}
