use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::moderator_votes as mv;
use crate::error::{AppError, QueryContext};

pub fn has_voted(
    conn: &mut DbConnection,
    question_id: i64,
    moderator_id: i64,
) -> Result<bool, AppError> {
    diesel::select(diesel::dsl::exists(
        mv::table
            .filter(mv::question_id.eq(question_id))
            .filter(mv::moderator_id.eq(moderator_id)),
    ))
    .get_result(conn)
    .context("checking a moderator vote")
}

pub fn insert(
    conn: &mut DbConnection,
    question_id: i64,
    moderator_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::insert_into(mv::table)
        .values((
            mv::question_id.eq(question_id),
            mv::moderator_id.eq(moderator_id),
            mv::created_at.eq(at),
        ))
        .execute(conn)
        .context("recording a moderator vote")?;
    Ok(())
}

pub fn delete(
    conn: &mut DbConnection,
    question_id: i64,
    moderator_id: i64,
) -> Result<usize, AppError> {
    diesel::delete(
        mv::table
            .filter(mv::question_id.eq(question_id))
            .filter(mv::moderator_id.eq(moderator_id)),
    )
    .execute(conn)
    .context("withdrawing a moderator vote")
}

/// Who voted for which of these questions, as (question id, moderator id).
pub fn voters_of(
    conn: &mut DbConnection,
    question_ids: &[i64],
) -> Result<Vec<(i64, i64)>, AppError> {
    mv::table
        .filter(mv::question_id.eq_any(question_ids))
        .select((mv::question_id, mv::moderator_id))
        .load(conn)
        .context("counting moderator votes")
}
