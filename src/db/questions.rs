use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::questions;
use crate::domain::QuestionStatus;
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone)]
pub struct Question {
    pub id: i64,
    pub event_id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub status: QuestionStatus,
    pub reject_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub vote_count: i32,
    /// The question being discussed right now (one per event).
    pub on_screen: bool,
    pub created_at: NaiveDateTime,
}

impl Question {
    /// Votes on a merged question count for the question it was merged into.
    pub fn canonical_id(&self) -> i64 {
        self.merged_into.unwrap_or(self.id)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = questions)]
struct QuestionRow {
    id: i64,
    event_id: i64,
    body: String,
    author_name: Option<String>,
    status: String,
    reject_reason: Option<String>,
    merged_into: Option<i64>,
    vote_count: i32,
    on_screen: bool,
    created_at: NaiveDateTime,
}

impl TryFrom<QuestionRow> for Question {
    type Error = AppError;

    fn try_from(row: QuestionRow) -> Result<Self, AppError> {
        let status = row
            .status
            .parse()
            .map_err(|error| AppError::internal("reading a question's status", error))?;
        Ok(Question {
            id: row.id,
            event_id: row.event_id,
            body: row.body,
            author_name: row.author_name,
            status,
            reject_reason: row.reject_reason,
            merged_into: row.merged_into,
            vote_count: row.vote_count,
            on_screen: row.on_screen,
            created_at: row.created_at,
        })
    }
}

fn convert(rows: Vec<QuestionRow>) -> Result<Vec<Question>, AppError> {
    rows.into_iter().map(Question::try_from).collect()
}

#[derive(Insertable)]
#[diesel(table_name = questions)]
pub struct NewQuestion<'a> {
    pub event_id: i64,
    pub body: &'a str,
    pub author_name: Option<&'a str>,
    pub status: &'a str,
    pub follow_token_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewQuestion<'_>) -> Result<i64, AppError> {
    diesel::insert_into(questions::table)
        .values(new)
        .returning(questions::id)
        .get_result(conn)
        .context("inserting a question")
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<Question>, AppError> {
    questions::table
        .find(id)
        .select(QuestionRow::as_select())
        .get_result(conn)
        .optional()
        .context("finding a question")?
        .map(Question::try_from)
        .transpose()
}

pub fn find_by_follow_hash(
    conn: &mut DbConnection,
    follow_token_hash: &str,
) -> Result<Option<Question>, AppError> {
    questions::table
        .filter(questions::follow_token_hash.eq(follow_token_hash))
        .select(QuestionRow::as_select())
        .get_result(conn)
        .optional()
        .context("finding a question by its follow link")?
        .map(Question::try_from)
        .transpose()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Most votes first; among equals, the oldest first.
    Top,
    /// Newest first.
    New,
}

/// The questions the public sees in an event's list.
pub fn listed_in_event(
    conn: &mut DbConnection,
    event_id: i64,
    order: Order,
) -> Result<Vec<Question>, AppError> {
    let listed: Vec<&str> = QuestionStatus::LISTED.iter().map(|s| s.as_str()).collect();
    let query = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::status.eq_any(listed))
        .select(QuestionRow::as_select());
    let rows = match order {
        Order::Top => query
            .order((
                questions::vote_count.desc(),
                questions::created_at.asc(),
                questions::id.asc(),
            ))
            .load(conn),
        Order::New => query
            .order((questions::created_at.desc(), questions::id.desc()))
            .load(conn),
    }
    .context("listing an event's questions")?;
    convert(rows)
}

/// The event's questions with one status, for moderators: most votes first, then oldest.
pub fn in_event_with_status(
    conn: &mut DbConnection,
    event_id: i64,
    status: QuestionStatus,
) -> Result<Vec<Question>, AppError> {
    let rows = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::status.eq(status.as_str()))
        .order((
            questions::vote_count.desc(),
            questions::created_at.asc(),
            questions::id.asc(),
        ))
        .select(QuestionRow::as_select())
        .load(conn)
        .context("listing questions for moderators")?;
    convert(rows)
}

/// The most voted questions of every event with one of `statuses`, for the team's reports.
pub fn most_voted(
    conn: &mut DbConnection,
    statuses: &[QuestionStatus],
    limit: i64,
) -> Result<Vec<Question>, AppError> {
    let statuses: Vec<&str> = statuses.iter().map(|status| status.as_str()).collect();
    let rows = questions::table
        .filter(questions::status.eq_any(statuses))
        .order((questions::vote_count.desc(), questions::id.asc()))
        .limit(limit)
        .select(QuestionRow::as_select())
        .load(conn)
        .context("listing the most voted questions")?;
    convert(rows)
}

/// Questions of an event picked by id (an asker's own, from their cookie).
pub fn in_event_by_ids(
    conn: &mut DbConnection,
    event_id: i64,
    ids: &[i64],
) -> Result<Vec<Question>, AppError> {
    let rows = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::id.eq_any(ids))
        .order(questions::id.asc())
        .select(QuestionRow::as_select())
        .load(conn)
        .context("finding an asker's questions")?;
    convert(rows)
}

/// Changes a count locked with [`super::vote_batch::lock_counts`] in the same transaction.
pub fn add_to_vote_count(
    conn: &mut DbConnection,
    canonical_id: i64,
    delta: i32,
) -> Result<(), AppError> {
    diesel::update(questions::table.find(canonical_id))
        .set(questions::vote_count.eq(questions::vote_count + delta))
        .execute(conn)
        .context("updating a vote count")?;
    Ok(())
}

pub fn vote_count(conn: &mut DbConnection, id: i64) -> Result<i32, AppError> {
    let query = questions::table.find(id).select(questions::vote_count);
    on_backend!(conn, |conn| query.get_result(conn)).context("reading a vote count")
}

/// The ids of questions merged into any of these, oldest first.
pub fn merged_into_any(
    conn: &mut DbConnection,
    canonical_ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    questions::table
        .filter(questions::merged_into.eq_any(canonical_ids))
        .order(questions::id.asc())
        .select(questions::id)
        .load(conn)
        .context("finding merged questions")
}

/// Moves questions, with their votes, into another event; none of them is on screen there.
pub fn move_to_event(
    conn: &mut DbConnection,
    ids: &[i64],
    event_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(questions::table.filter(questions::id.eq_any(ids)))
        .set((
            questions::event_id.eq(event_id),
            questions::on_screen.eq(false),
            questions::updated_at.eq(at),
        ))
        .execute(conn)
        .context("moving questions to another event")?;
    Ok(())
}

/// The questions merged into any of these, oldest first.
pub fn merged_into_ids(
    conn: &mut DbConnection,
    canonical_ids: &[i64],
) -> Result<Vec<Question>, AppError> {
    let rows = questions::table
        .filter(questions::merged_into.eq_any(canonical_ids))
        .order(questions::id.asc())
        .select(QuestionRow::as_select())
        .load(conn)
        .context("finding merged questions")?;
    convert(rows)
}

/// These questions, in no particular order.
pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<Question>, AppError> {
    let rows = questions::table
        .filter(questions::id.eq_any(ids))
        .select(QuestionRow::as_select())
        .load(conn)
        .context("reading questions")?;
    convert(rows)
}

/// Which of these texts the event has already (with this status, when one is given).
pub fn bodies_in_event(
    conn: &mut DbConnection,
    event_id: i64,
    bodies: &[&str],
    status: Option<QuestionStatus>,
) -> Result<Vec<String>, AppError> {
    let mut query = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::body.eq_any(bodies))
        .select(questions::body)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(questions::status.eq(status.as_str()));
    }
    query
        .load(conn)
        .context("finding questions the event has already")
}

/// The event's questions a question can be merged into (pending, approved or answered), as
/// (id, text), most voted first.
pub fn merge_targets(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::status.eq_any([
            QuestionStatus::Pending.as_str(),
            QuestionStatus::Approved.as_str(),
            QuestionStatus::Answered.as_str(),
        ]))
        .order((questions::vote_count.desc(), questions::id.asc()))
        .select((questions::id, questions::body))
        .load(conn)
        .context("listing questions to merge into")
}

/// What the stream shows: the question on screen, if any, and the next `next` approved
/// questions by votes.
pub fn for_presenter(
    conn: &mut DbConnection,
    event_id: i64,
    next: i64,
) -> Result<(Option<Question>, Vec<Question>), AppError> {
    let on_screen = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::on_screen.eq(true))
        .select(QuestionRow::as_select())
        .first(conn)
        .optional()
        .context("finding the question on screen")?
        .map(Question::try_from)
        .transpose()?;
    let rows = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::status.eq(QuestionStatus::Approved.as_str()))
        .filter(questions::on_screen.eq(false))
        .order((
            questions::vote_count.desc(),
            questions::created_at.asc(),
            questions::id.asc(),
        ))
        .limit(next)
        .select(QuestionRow::as_select())
        .load(conn)
        .context("listing the next questions for the stream")?;
    Ok((on_screen, convert(rows)?))
}
