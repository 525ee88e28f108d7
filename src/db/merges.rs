//! The rows a merge touches: merge links, the group's distinct voters, answers moving between
//! questions. Votes themselves never move.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{answers, questions, votes};
use crate::domain::QuestionStatus;
use crate::error::{AppError, QueryContext};

/// Points questions at another canonical question (or at none), with a status.
pub fn link(
    conn: &mut DbConnection,
    ids: &[i64],
    into: Option<i64>,
    status: QuestionStatus,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(questions::table.filter(questions::id.eq_any(ids)))
        .set((
            questions::merged_into.eq(into),
            questions::status.eq(status.as_str()),
            questions::on_screen.eq(false),
            questions::updated_at.eq(at),
        ))
        .execute(conn)
        .context("linking merged questions")?;
    // A question merged away while on screen came down then.
    super::screen_times::questions_hidden(conn, ids, at)?;
    Ok(())
}

/// Re-points the questions merged into `from` at `to`, keeping their status.
pub fn repoint(
    conn: &mut DbConnection,
    ids: &[i64],
    to: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(questions::table.filter(questions::id.eq_any(ids)))
        .set((questions::merged_into.eq(to), questions::updated_at.eq(at)))
        .execute(conn)
        .context("flattening a merge chain")?;
    Ok(())
}

/// Sets a canonical question's count to the number of distinct voters over its group, leaving out
/// votes a moderator discounted as automated.
pub fn recount(conn: &mut DbConnection, canonical: i64) -> Result<i32, AppError> {
    let group = questions::table
        .filter(
            questions::id
                .eq(canonical)
                .or(questions::merged_into.eq(canonical)),
        )
        .select(questions::id);
    let voters: i64 = votes::table
        .filter(votes::question_id.eq_any(group))
        .filter(votes::discounted.eq(false))
        .select(diesel::dsl::count(votes::voter_hash).aggregate_distinct())
        .get_result(conn)
        .context("counting a group's voters")?;
    let count = i32::try_from(voters).unwrap_or(i32::MAX);
    diesel::update(questions::table.find(canonical))
        .set(questions::vote_count.eq(count))
        .execute(conn)
        .context("storing a group's count")?;
    Ok(count)
}

/// Gives `from`'s answer to `to`.
pub fn move_answer(conn: &mut DbConnection, from: i64, to: i64) -> Result<(), AppError> {
    diesel::update(answers::table.filter(answers::question_id.eq(from)))
        .set(answers::question_id.eq(to))
        .execute(conn)
        .context("moving an answer")?;
    Ok(())
}

pub fn has_answer(conn: &mut DbConnection, question_id: i64) -> Result<bool, AppError> {
    diesel::select(diesel::dsl::exists(
        answers::table.filter(answers::question_id.eq(question_id)),
    ))
    .get_result(conn)
    .context("checking for an answer")
}
