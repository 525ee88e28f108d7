//! Stored sentence vectors: one per question and model, replaced (with a new id) whenever the
//! vector or the question it counts for changes, so that readers can follow new rows by id.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{embeddings, questions};
use crate::error::{AppError, QueryContext};

/// A question's text as the embedder sees it.
#[derive(Debug, Clone)]
pub struct QuestionText {
    pub id: i64,
    pub body: String,
    pub merged_into: Option<i64>,
}

impl QuestionText {
    /// The question its vector counts for.
    pub fn owner(&self) -> i64 {
        self.merged_into.unwrap_or(self.id)
    }
}

/// What the embedder compares to decide whether a question needs work.
#[derive(Debug, Clone)]
pub struct StoredKey {
    pub question_id: i64,
    pub owner_id: i64,
    pub text_hash: String,
}

/// A row, for readers that keep vectors in memory.
#[derive(Debug, Clone)]
pub struct StoredVector {
    pub id: i64,
    pub question_id: i64,
    pub owner_id: i64,
    pub vector: Vec<u8>,
}

/// Questions by id, from `after` on, for a pass over all of them.
pub fn texts_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<QuestionText>, AppError> {
    questions::table
        .filter(questions::id.gt(after))
        .order(questions::id.asc())
        .limit(limit)
        .select((questions::id, questions::body, questions::merged_into))
        .load::<(i64, String, Option<i64>)>(conn)
        .context("reading questions to embed")
        .map(into_texts)
}

/// These questions, and those merged into them (their vectors count for them).
pub fn texts_of_and_merged_into(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<Vec<QuestionText>, AppError> {
    questions::table
        .filter(
            questions::id
                .eq_any(ids)
                .or(questions::merged_into.eq_any(ids)),
        )
        .select((questions::id, questions::body, questions::merged_into))
        .load::<(i64, String, Option<i64>)>(conn)
        .context("reading changed questions to embed")
        .map(into_texts)
}

fn into_texts(rows: Vec<(i64, String, Option<i64>)>) -> Vec<QuestionText> {
    rows.into_iter()
        .map(|(id, body, merged_into)| QuestionText {
            id,
            body,
            merged_into,
        })
        .collect()
}

/// The stored keys of these questions for `model`.
pub fn keys_of(
    conn: &mut DbConnection,
    model: &str,
    question_ids: &[i64],
) -> Result<Vec<StoredKey>, AppError> {
    embeddings::table
        .filter(embeddings::model.eq(model))
        .filter(embeddings::question_id.eq_any(question_ids))
        .select((
            embeddings::question_id,
            embeddings::owner_id,
            embeddings::text_hash,
        ))
        .load::<(i64, i64, String)>(conn)
        .context("reading stored vectors' keys")
        .map(|rows| {
            rows.into_iter()
                .map(|(question_id, owner_id, text_hash)| StoredKey {
                    question_id,
                    owner_id,
                    text_hash,
                })
                .collect()
        })
}

/// The stored vector of one question for `model`.
pub fn vector_of(
    conn: &mut DbConnection,
    model: &str,
    question_id: i64,
) -> Result<Option<Vec<u8>>, AppError> {
    embeddings::table
        .filter(embeddings::model.eq(model))
        .filter(embeddings::question_id.eq(question_id))
        .select(embeddings::vector)
        .first(conn)
        .optional()
        .context("reading a stored vector")
}

/// Stores (or replaces) a question's vector for `model`.
pub fn replace(
    conn: &mut DbConnection,
    model: &str,
    key: &StoredKey,
    vector: &[u8],
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::delete(
        embeddings::table
            .filter(embeddings::question_id.eq(key.question_id))
            .filter(embeddings::model.eq(model)),
    )
    .execute(conn)
    .context("replacing a stored vector")?;
    diesel::insert_into(embeddings::table)
        .values((
            embeddings::question_id.eq(key.question_id),
            embeddings::owner_id.eq(key.owner_id),
            embeddings::model.eq(model),
            embeddings::text_hash.eq(&key.text_hash),
            embeddings::vector.eq(vector),
            embeddings::created_at.eq(at),
        ))
        .execute(conn)
        .context("storing a vector")?;
    Ok(())
}

/// Rows of `model` written after row `after`, oldest first.
pub fn written_after(
    conn: &mut DbConnection,
    model: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredVector>, AppError> {
    embeddings::table
        .filter(embeddings::model.eq(model))
        .filter(embeddings::id.gt(after))
        .order(embeddings::id.asc())
        .limit(limit)
        .select((
            embeddings::id,
            embeddings::question_id,
            embeddings::owner_id,
            embeddings::vector,
        ))
        .load::<(i64, i64, i64, Vec<u8>)>(conn)
        .context("reading stored vectors")
        .map(|rows| {
            rows.into_iter()
                .map(|(id, question_id, owner_id, vector)| StoredVector {
                    id,
                    question_id,
                    owner_id,
                    vector,
                })
                .collect()
        })
}

/// Vectors of models other than those in use go once every model in use has caught up.
pub fn delete_other_models(conn: &mut DbConnection, in_use: &[String]) -> Result<usize, AppError> {
    diesel::delete(embeddings::table.filter(embeddings::model.ne_all(in_use)))
        .execute(conn)
        .context("removing vectors of a previous model")
}

/// Questions in all, each of which gets a vector of every model in use.
pub fn question_count(conn: &mut DbConnection) -> Result<i64, AppError> {
    questions::table
        .count()
        .get_result(conn)
        .context("counting questions")
}

/// How many questions have a vector of each model stored.
pub fn count_by_model(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, AppError> {
    embeddings::table
        .group_by(embeddings::model)
        .select((embeddings::model, diesel::dsl::count_star()))
        .load(conn)
        .context("counting stored vectors by model")
}

/// How many questions have a vector of `model`.
pub fn count(conn: &mut DbConnection, model: &str) -> Result<i64, AppError> {
    embeddings::table
        .filter(embeddings::model.eq(model))
        .count()
        .get_result(conn)
        .context("counting stored vectors")
}
