//! Whole rows of an event's questions and everything hanging off them, read for an export and
//! written back by an import, ids and hashes included, so a restored event is the same event.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{answers, moderator_votes, question_edits, questions, votes};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = questions)]
pub struct QuestionRow {
    pub id: i64,
    pub event_id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub status: String,
    pub reject_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub priority: i32,
    pub on_screen: bool,
    pub vote_count: i32,
    pub follow_token_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = answers)]
pub struct AnswerRow {
    pub question_id: i64,
    pub body_md: String,
    pub body_html: String,
    pub recording_offset_secs: Option<i32>,
    pub published: bool,
    pub answered_by: Option<i64>,
    pub answered_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub reviewed_at: Option<NaiveDateTime>,
    pub transcript_excerpt: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = votes)]
pub struct VoteRow {
    pub question_id: i64,
    pub voter_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = question_edits)]
pub struct EditRow {
    pub question_id: i64,
    pub moderator_id: Option<i64>,
    pub previous_body: String,
    pub edited_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = moderator_votes)]
pub struct ModeratorVoteRow {
    pub question_id: i64,
    pub moderator_id: i64,
    pub created_at: NaiveDateTime,
}

/// Everything of one event's questions.
pub struct EventRows {
    pub questions: Vec<QuestionRow>,
    pub answers: Vec<AnswerRow>,
    pub votes: Vec<VoteRow>,
    pub edits: Vec<EditRow>,
    pub moderator_votes: Vec<ModeratorVoteRow>,
}

pub fn read_event(conn: &mut DbConnection, event_id: i64) -> Result<EventRows, AppError> {
    let questions = questions::table
        .filter(questions::event_id.eq(event_id))
        .order(questions::id.asc())
        .select(QuestionRow::as_select())
        .load(conn)
        .context("reading questions for an export")?;
    let answers = answers::table
        .inner_join(questions::table)
        .filter(questions::event_id.eq(event_id))
        .order(answers::question_id.asc())
        .select(AnswerRow::as_select())
        .load(conn)
        .context("reading answers for an export")?;
    let votes = votes::table
        .inner_join(questions::table)
        .filter(questions::event_id.eq(event_id))
        .order((votes::question_id.asc(), votes::id.asc()))
        .select(VoteRow::as_select())
        .load(conn)
        .context("reading votes for an export")?;
    let edits = question_edits::table
        .inner_join(questions::table)
        .filter(questions::event_id.eq(event_id))
        .order((question_edits::question_id.asc(), question_edits::id.asc()))
        .select(EditRow::as_select())
        .load(conn)
        .context("reading edits for an export")?;
    let moderator_votes = moderator_votes::table
        .inner_join(questions::table)
        .filter(questions::event_id.eq(event_id))
        .order((
            moderator_votes::question_id.asc(),
            moderator_votes::id.asc(),
        ))
        .select(ModeratorVoteRow::as_select())
        .load(conn)
        .context("reading moderator votes for an export")?;
    Ok(EventRows {
        questions,
        answers,
        votes,
        edits,
        moderator_votes,
    })
}

/// How many of these question ids are taken already.
pub fn taken_question_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<i64, AppError> {
    let mut taken = 0;
    for chunk in ids.chunks(1_000) {
        taken += questions::table
            .filter(questions::id.eq_any(chunk))
            .count()
            .get_result::<i64>(conn)
            .context("checking question ids are free")?;
    }
    Ok(taken)
}

/// Writes an event's rows back, one row at a time (the multi-backend connection has no batch
/// insert; a restore is rare and runs in one transaction). Questions go in without their merge
/// links first (a question may be merged into one with a higher id), then the links.
pub fn write_event(conn: &mut DbConnection, rows: &EventRows) -> Result<(), AppError> {
    for row in &rows.questions {
        let unlinked = QuestionRow {
            merged_into: None,
            ..row.clone()
        };
        diesel::insert_into(questions::table)
            .values(&unlinked)
            .execute(conn)
            .context("restoring questions")?;
    }
    for row in rows
        .questions
        .iter()
        .filter(|row| row.merged_into.is_some())
    {
        diesel::update(questions::table.find(row.id))
            .set(questions::merged_into.eq(row.merged_into))
            .execute(conn)
            .context("restoring merges")?;
    }
    for row in &rows.answers {
        insert_answer(conn, row)?;
    }
    for row in &rows.votes {
        diesel::insert_into(votes::table)
            .values(row)
            .execute(conn)
            .context("restoring votes")?;
    }
    for row in &rows.edits {
        diesel::insert_into(question_edits::table)
            .values(row)
            .execute(conn)
            .context("restoring question edits")?;
    }
    for row in &rows.moderator_votes {
        diesel::insert_into(moderator_votes::table)
            .values(row)
            .execute(conn)
            .context("restoring moderator votes")?;
    }
    advance_question_ids(conn)
}

/// Adds an answer with every column given (a restore, an imported FAQ).
pub fn insert_answer(conn: &mut DbConnection, row: &AnswerRow) -> Result<(), AppError> {
    diesel::insert_into(answers::table)
        .values(row)
        .execute(conn)
        .context("adding an answer")?;
    Ok(())
}

/// PostgreSQL hands out ids from a sequence that explicit ids do not move; SQLite's
/// AUTOINCREMENT follows the largest id by itself.
fn advance_question_ids(conn: &mut DbConnection) -> Result<(), AppError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query(
            "SELECT setval(pg_get_serial_sequence('questions', 'id'), \
             GREATEST((SELECT MAX(id) FROM questions), 1))",
        )
        .execute(pg)
        .context("moving the question id sequence past restored ids")?;
    }
    Ok(())
}
