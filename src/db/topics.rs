//! Topics across events and the groupings that made them: each topic's distinctive words, a
//! moderator's name for it, whether it is hidden or merged away; each grouping's basis and how
//! it went (a regrouping is followed by its row).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{topic_groupings, topic_poll_answers, topic_questions, topic_searches, topics};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = topics)]
pub struct TopicRow {
    pub id: i64,
    pub words: String,
    pub custom_label: Option<String>,
    pub hidden: bool,
    pub merged_into: Option<i64>,
    pub docs_wanted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = topic_groupings)]
pub struct GroupingRow {
    pub id: i64,
    pub basis: String,
    pub state: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub topic_count: i32,
    pub failure: Option<String>,
}

pub fn all(conn: &mut DbConnection) -> Result<Vec<TopicRow>, AppError> {
    topics::table
        .order(topics::id)
        .select(TopicRow::as_select())
        .load(conn)
        .context("reading topics")
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<TopicRow>, AppError> {
    topics::table
        .find(id)
        .select(TopicRow::as_select())
        .first(conn)
        .optional()
        .context("finding a topic")
}

pub fn insert(conn: &mut DbConnection, at: NaiveDateTime) -> Result<i64, AppError> {
    diesel::insert_into(topics::table)
        .values((topics::created_at.eq(at), topics::updated_at.eq(at)))
        .returning(topics::id)
        .get_result(conn)
        .context("starting a topic")
}

pub fn set_words(conn: &mut DbConnection, id: i64, words: &str) -> Result<(), AppError> {
    diesel::update(topics::table.find(id))
        .set(topics::words.eq(words))
        .execute(conn)
        .context("labelling a topic")?;
    Ok(())
}

/// Every live topic's centroid (those merged away have none), as (id, sum, size).
pub fn centroids(conn: &mut DbConnection) -> Result<Vec<(i64, Vec<u8>, i32)>, AppError> {
    let rows: Vec<(i64, Option<Vec<u8>>, i32)> = topics::table
        .filter(topics::merged_into.is_null())
        .order(topics::id)
        .select((topics::id, topics::centroid_sum, topics::centroid_size))
        .load(conn)
        .context("reading topics' centroids")?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, sum, size)| sum.map(|sum| (id, sum, size)))
        .collect())
}

/// One live topic's centroid, as (sum, size).
pub fn centroid(conn: &mut DbConnection, id: i64) -> Result<Option<(Vec<u8>, i32)>, AppError> {
    let row: Option<(Option<Vec<u8>>, i32)> = topics::table
        .find(id)
        .filter(topics::merged_into.is_null())
        .select((topics::centroid_sum, topics::centroid_size))
        .first(conn)
        .optional()
        .context("reading a topic's centroid")?;
    Ok(row.and_then(|(sum, size)| sum.map(|sum| (sum, size))))
}

pub fn set_centroid(
    conn: &mut DbConnection,
    id: i64,
    sum: Option<&[u8]>,
    size: i32,
) -> Result<(), AppError> {
    diesel::update(topics::table.find(id))
        .set((topics::centroid_sum.eq(sum), topics::centroid_size.eq(size)))
        .execute(conn)
        .context("keeping a topic's centroid")?;
    Ok(())
}

pub fn rename(
    conn: &mut DbConnection,
    id: i64,
    label: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(topics::table.find(id))
        .set((topics::custom_label.eq(label), topics::updated_at.eq(at)))
        .execute(conn)
        .context("renaming a topic")?;
    Ok(())
}

pub fn set_hidden(
    conn: &mut DbConnection,
    id: i64,
    hidden: bool,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(topics::table.find(id))
        .set((topics::hidden.eq(hidden), topics::updated_at.eq(at)))
        .execute(conn)
        .context("hiding or showing a topic")?;
    Ok(())
}

/// Lists the topic in the docs report as something to write documentation for, or takes it off.
pub fn set_docs_wanted(
    conn: &mut DbConnection,
    id: i64,
    wanted: Option<NaiveDateTime>,
) -> Result<(), AppError> {
    diesel::update(topics::table.find(id))
        .set(topics::docs_wanted_at.eq(wanted))
        .execute(conn)
        .context("listing a topic for documentation")?;
    Ok(())
}

/// Topics listed for documentation, longest waiting first, as (id, name or words).
pub fn wanted_for_docs(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, AppError> {
    let rows: Vec<(i64, Option<String>, String)> = topics::table
        .filter(topics::docs_wanted_at.is_not_null())
        .filter(topics::merged_into.is_null())
        .order((topics::docs_wanted_at, topics::id))
        .select((topics::id, topics::custom_label, topics::words))
        .load(conn)
        .context("reading topics listed for documentation")?;
    Ok(rows
        .into_iter()
        .map(|(id, label, words)| (id, label.unwrap_or(words)))
        .collect())
}

/// Marks `from` as merged into `into` (its questions and searches move separately).
pub fn mark_merged(
    conn: &mut DbConnection,
    from: i64,
    into: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(topics::table.find(from))
        .set((
            topics::merged_into.eq(into),
            topics::centroid_sum.eq(None::<Vec<u8>>),
            topics::centroid_size.eq(0),
            topics::updated_at.eq(at),
        ))
        .execute(conn)
        .context("merging a topic")?;
    Ok(())
}

/// Forgets topics left without questions, searches or poll answers, unless a moderator named or hid them, or
/// merged them away (their ids keep answering with where they went).
pub fn delete_empty(conn: &mut DbConnection) -> Result<usize, AppError> {
    let with_questions = topic_questions::table.select(topic_questions::topic_id);
    let with_searches = topic_searches::table.select(topic_searches::topic_id);
    let with_answers = topic_poll_answers::table.select(topic_poll_answers::topic_id);
    diesel::delete(
        topics::table
            .filter(topics::id.ne_all(with_questions))
            .filter(topics::id.ne_all(with_searches))
            .filter(topics::id.ne_all(with_answers))
            .filter(topics::custom_label.is_null())
            .filter(topics::hidden.eq(false))
            .filter(topics::merged_into.is_null()),
    )
    .execute(conn)
    .context("forgetting empty topics")
}

pub fn start_grouping(
    conn: &mut DbConnection,
    basis: &str,
    requested_by: Option<i64>,
    at: NaiveDateTime,
) -> Result<i64, AppError> {
    diesel::insert_into(topic_groupings::table)
        .values((
            topic_groupings::basis.eq(basis),
            topic_groupings::requested_by.eq(requested_by),
            topic_groupings::started_at.eq(at),
        ))
        .returning(topic_groupings::id)
        .get_result(conn)
        .context("starting a grouping of topics")
}

pub fn finish_grouping(
    conn: &mut DbConnection,
    id: i64,
    topic_count: i32,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(topic_groupings::table.find(id))
        .set((
            topic_groupings::state.eq("done"),
            topic_groupings::topic_count.eq(topic_count),
            topic_groupings::finished_at.eq(at),
        ))
        .execute(conn)
        .context("finishing a grouping of topics")?;
    Ok(())
}

pub fn fail_grouping(
    conn: &mut DbConnection,
    id: i64,
    failure: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(topic_groupings::table.find(id))
        .set((
            topic_groupings::state.eq("failed"),
            topic_groupings::failure.eq(failure),
            topic_groupings::finished_at.eq(at),
        ))
        .execute(conn)
        .context("noting a failed grouping of topics")?;
    Ok(())
}

pub fn grouping(conn: &mut DbConnection, id: i64) -> Result<Option<GroupingRow>, AppError> {
    topic_groupings::table
        .find(id)
        .select(GroupingRow::as_select())
        .first(conn)
        .optional()
        .context("finding a grouping of topics")
}

/// The last grouping that finished: what new questions are compared by.
pub fn last_done(conn: &mut DbConnection) -> Result<Option<GroupingRow>, AppError> {
    topic_groupings::table
        .filter(topic_groupings::state.eq("done"))
        .order(topic_groupings::id.desc())
        .select(GroupingRow::as_select())
        .first(conn)
        .optional()
        .context("finding the last grouping of topics")
}

/// The last grouping started, whatever became of it.
pub fn last_started(conn: &mut DbConnection) -> Result<Option<GroupingRow>, AppError> {
    topic_groupings::table
        .order(topic_groupings::id.desc())
        .select(GroupingRow::as_select())
        .first(conn)
        .optional()
        .context("finding the last grouping of topics")
}

/// Groupings left running by an instance that stopped midway are failed, so a new one can start.
pub fn fail_abandoned(conn: &mut DbConnection, at: NaiveDateTime) -> Result<usize, AppError> {
    diesel::update(topic_groupings::table.filter(topic_groupings::state.eq("running")))
        .set((
            topic_groupings::state.eq("failed"),
            topic_groupings::failure.eq("stopped before it finished"),
            topic_groupings::finished_at.eq(at),
        ))
        .execute(conn)
        .context("closing groupings of topics left running")
}
