//! What is in each topic: questions (a moderator's placement pinned) and searches that found
//! nothing; and what has yet to be placed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{
    answers, events, labels, question_labels, questions, search_misses, topic_questions,
    topic_searches, votes,
};
use crate::domain::QuestionStatus;
use crate::error::{AppError, QueryContext};

/// Statuses whose questions count in topics: rejected (spam among them) and those still
/// awaiting a moderator do not.
pub fn counted_statuses() -> [&'static str; 3] {
    [
        QuestionStatus::Approved.as_str(),
        QuestionStatus::Answered.as_str(),
        QuestionStatus::Merged.as_str(),
    ]
}

/// (question, topic, pinned) for every placed question.
pub fn placed_questions(conn: &mut DbConnection) -> Result<Vec<(i64, i64, bool)>, AppError> {
    topic_questions::table
        .select((
            topic_questions::question_id,
            topic_questions::topic_id,
            topic_questions::pinned,
        ))
        .load(conn)
        .context("reading which topic each question is in")
}

/// (search, topic) for every placed search.
pub fn placed_searches(conn: &mut DbConnection) -> Result<Vec<(i64, i64)>, AppError> {
    topic_searches::table
        .select((topic_searches::miss_id, topic_searches::topic_id))
        .load(conn)
        .context("reading which topic each search is in")
}

/// Counted questions in no topic yet, oldest first, as (id, body).
pub fn unplaced_questions(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, AppError> {
    questions::table
        .left_join(topic_questions::table)
        .filter(topic_questions::question_id.is_null())
        .filter(questions::status.eq_any(counted_statuses()))
        .order(questions::id)
        .select((questions::id, questions::body))
        .load(conn)
        .context("finding questions in no topic")
}

/// Searches in no topic yet, as (id, query).
pub fn unplaced_searches(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, AppError> {
    search_misses::table
        .left_join(topic_searches::table)
        .filter(topic_searches::miss_id.is_null())
        .order(search_misses::id)
        .select((search_misses::id, search_misses::query))
        .load(conn)
        .context("finding searches in no topic")
}

/// Every counted question with its text (what a full regrouping compares), as (id, body).
pub fn counted_questions(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, AppError> {
    questions::table
        .filter(questions::status.eq_any(counted_statuses()))
        .order(questions::id)
        .select((questions::id, questions::body))
        .load(conn)
        .context("reading the questions topics are made of")
}

pub fn all_searches(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, AppError> {
    search_misses::table
        .order(search_misses::id)
        .select((search_misses::id, search_misses::query))
        .load(conn)
        .context("reading searches that found nothing")
}

pub fn place_question(
    conn: &mut DbConnection,
    question_id: i64,
    topic_id: i64,
    pinned: bool,
) -> Result<(), AppError> {
    diesel::delete(topic_questions::table.find(question_id))
        .execute(conn)
        .context("moving a question between topics")?;
    diesel::insert_into(topic_questions::table)
        .values((
            topic_questions::question_id.eq(question_id),
            topic_questions::topic_id.eq(topic_id),
            topic_questions::pinned.eq(pinned),
        ))
        .execute(conn)
        .context("placing a question in a topic")?;
    Ok(())
}

pub fn place_search(conn: &mut DbConnection, miss_id: i64, topic_id: i64) -> Result<(), AppError> {
    diesel::delete(topic_searches::table.find(miss_id))
        .execute(conn)
        .context("moving a search between topics")?;
    diesel::insert_into(topic_searches::table)
        .values((
            topic_searches::miss_id.eq(miss_id),
            topic_searches::topic_id.eq(topic_id),
        ))
        .execute(conn)
        .context("placing a search in a topic")?;
    Ok(())
}

/// Places many questions at once (a regrouping's), as (question, topic, pinned).
pub fn insert_questions(
    conn: &mut DbConnection,
    rows: &[(i64, i64, bool)],
) -> Result<(), AppError> {
    for chunk in rows.chunks(1_000) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(question, topic, pinned)| {
                (
                    topic_questions::question_id.eq(*question),
                    topic_questions::topic_id.eq(*topic),
                    topic_questions::pinned.eq(*pinned),
                )
            })
            .collect();
        let insert = diesel::insert_into(topic_questions::table).values(values);
        match conn {
            DbConnection::Sqlite(conn) => insert.execute(conn),
            DbConnection::Postgres(conn) => insert.execute(conn),
        }
        .context("placing questions in topics")?;
    }
    Ok(())
}

/// Places many searches at once, as (search, topic).
pub fn insert_searches(conn: &mut DbConnection, rows: &[(i64, i64)]) -> Result<(), AppError> {
    for chunk in rows.chunks(1_000) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(miss, topic)| {
                (
                    topic_searches::miss_id.eq(*miss),
                    topic_searches::topic_id.eq(*topic),
                )
            })
            .collect();
        let insert = diesel::insert_into(topic_searches::table).values(values);
        match conn {
            DbConnection::Sqlite(conn) => insert.execute(conn),
            DbConnection::Postgres(conn) => insert.execute(conn),
        }
        .context("placing searches in topics")?;
    }
    Ok(())
}

/// Forgets every placement a grouping made (a moderator's pinned ones stay), before a full
/// regrouping writes its own.
pub fn forget_unpinned(conn: &mut DbConnection) -> Result<(), AppError> {
    diesel::delete(topic_questions::table.filter(topic_questions::pinned.eq(false)))
        .execute(conn)
        .context("forgetting the last grouping's placements")?;
    diesel::delete(topic_searches::table)
        .execute(conn)
        .context("forgetting the last grouping's searches")?;
    super::topic_poll_answers::forget_all(conn)
}

/// Moves everything in `from` into `into`, pinned there.
pub fn move_all(conn: &mut DbConnection, from: i64, into: i64) -> Result<(), AppError> {
    diesel::update(topic_questions::table.filter(topic_questions::topic_id.eq(from)))
        .set((
            topic_questions::topic_id.eq(into),
            topic_questions::pinned.eq(true),
        ))
        .execute(conn)
        .context("moving a topic's questions")?;
    diesel::update(topic_searches::table.filter(topic_searches::topic_id.eq(from)))
        .set(topic_searches::topic_id.eq(into))
        .execute(conn)
        .context("moving a topic's searches")?;
    super::topic_poll_answers::move_all(conn, from, into)
}

/// What the insights read of each placed, counted question.
#[derive(Debug, Clone, Queryable)]
pub struct PlacedQuestion {
    pub topic_id: i64,
    pub question_id: i64,
    pub body: String,
    pub status: String,
    pub merged_into: Option<i64>,
    pub votes: i32,
    pub event_id: i64,
    pub asked_at: NaiveDateTime,
}

pub fn placed_question_rows(conn: &mut DbConnection) -> Result<Vec<PlacedQuestion>, AppError> {
    question_rows(conn, None)
}

/// One topic's counted questions, most voted first.
pub fn question_rows_of(
    conn: &mut DbConnection,
    topic_id: i64,
) -> Result<Vec<PlacedQuestion>, AppError> {
    let mut rows = question_rows(conn, Some(topic_id))?;
    rows.sort_by_key(|row| (std::cmp::Reverse(row.votes), row.question_id));
    Ok(rows)
}

fn question_rows(
    conn: &mut DbConnection,
    topic_id: Option<i64>,
) -> Result<Vec<PlacedQuestion>, AppError> {
    let mut query = topic_questions::table
        .inner_join(questions::table)
        .filter(questions::status.eq_any(counted_statuses()))
        .select((
            topic_questions::topic_id,
            questions::id,
            questions::body,
            questions::status,
            questions::merged_into,
            questions::vote_count,
            questions::event_id,
            questions::created_at,
        ))
        .into_boxed();
    if let Some(topic_id) = topic_id {
        query = query.filter(topic_questions::topic_id.eq(topic_id));
    }
    query.load(conn).context("reading the questions of topics")
}

/// (topic, search, query, count, last seen) for every placed search.
pub type PlacedSearch = (i64, i64, String, i32, NaiveDateTime);

pub fn placed_search_rows(conn: &mut DbConnection) -> Result<Vec<PlacedSearch>, AppError> {
    topic_searches::table
        .inner_join(search_misses::table)
        .select((
            topic_searches::topic_id,
            search_misses::id,
            search_misses::query,
            search_misses::count,
            search_misses::last_seen,
        ))
        .load(conn)
        .context("reading the searches of topics")
}

/// An answer to a question in some topic: (question, published, moment in the recording, when).
pub type TopicAnswer = (i64, bool, Option<i32>, NaiveDateTime);

pub fn answers_of_placed(conn: &mut DbConnection) -> Result<Vec<TopicAnswer>, AppError> {
    answers::table
        .inner_join(
            topic_questions::table.on(topic_questions::question_id.eq(answers::question_id)),
        )
        .select((
            answers::question_id,
            answers::published,
            answers::recording_offset_secs,
            answers::answered_at,
        ))
        .load(conn)
        .context("reading the answers of topics' questions")
}

/// Every event with when it was (its start, or when it was made), oldest first, as
/// (id, slug, title, when).
pub fn events_in_order(
    conn: &mut DbConnection,
) -> Result<Vec<(i64, String, String, NaiveDateTime)>, AppError> {
    let rows: Vec<(i64, String, String, Option<NaiveDateTime>, NaiveDateTime)> = events::table
        .select((
            events::id,
            events::slug,
            events::title,
            events::starts_at,
            events::created_at,
        ))
        .load(conn)
        .context("reading events in order")?;
    let mut ordered: Vec<_> = rows
        .into_iter()
        .map(|(id, slug, title, starts, created)| (id, slug, title, starts.unwrap_or(created)))
        .collect();
    ordered.sort_by_key(|(id, _, _, when)| (*when, *id));
    Ok(ordered)
}

/// Votes flagged as automated and not (yet) discounted, which a question's count still holds but
/// topics leave out, as the question each counts for (the canonical one of a merge).
pub fn automated_votes_of_placed(conn: &mut DbConnection) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64, Option<i64>)> = votes::table
        .inner_join(questions::table)
        .inner_join(topic_questions::table.on(topic_questions::question_id.eq(votes::question_id)))
        .filter(votes::automated.eq(true))
        .filter(votes::discounted.eq(false))
        .select((questions::id, questions::merged_into))
        .load(conn)
        .context("reading automated votes on topics' questions")?;
    Ok(rows
        .into_iter()
        .map(|(question, merged_into)| merged_into.unwrap_or(question))
        .collect())
}

/// The placed questions carrying a label of this name (labels belong to events; a name is the
/// same label across them).
pub fn labelled(conn: &mut DbConnection, name: &str) -> Result<Vec<i64>, AppError> {
    question_labels::table
        .inner_join(labels::table)
        .inner_join(
            topic_questions::table
                .on(topic_questions::question_id.eq(question_labels::question_id)),
        )
        .filter(labels::name.eq(name))
        .select(question_labels::question_id)
        .load(conn)
        .context("finding labelled questions of topics")
}
