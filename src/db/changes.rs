use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::changes;
use crate::error::{AppError, QueryContext};

/// Notes, in the same transaction as the change itself, that search must look at this question
/// again (the durable feed the search indexer tails).
pub fn record(
    conn: &mut DbConnection,
    question_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::insert_into(changes::table)
        .values((
            changes::question_id.eq(question_id),
            changes::changed_at.eq(at),
        ))
        .execute(conn)
        .context("recording a change for search")?;
    Ok(())
}

/// Changes after `seq`, oldest first: (seq, question id).
pub fn after(conn: &mut DbConnection, seq: i64, limit: i64) -> Result<Vec<(i64, i64)>, AppError> {
    changes::table
        .filter(changes::seq.gt(seq))
        .order(changes::seq.asc())
        .limit(limit)
        .select((changes::seq, changes::question_id))
        .load(conn)
        .context("reading changes for search")
}

/// Those of these sequence numbers that exist now (a transaction that took them has committed).
pub fn with_seqs(conn: &mut DbConnection, seqs: &[i64]) -> Result<Vec<(i64, i64)>, AppError> {
    changes::table
        .filter(changes::seq.eq_any(seqs))
        .select((changes::seq, changes::question_id))
        .load(conn)
        .context("rereading changes for search")
}

/// What a tail wants next (see `change_tail::Tail::wanted`): changes after `seq`, and those of
/// the missing `gaps` that exist now.
pub fn since(
    conn: &mut DbConnection,
    seq: i64,
    gaps: &[i64],
    limit: i64,
) -> Result<Vec<(i64, i64)>, AppError> {
    let mut changes = after(conn, seq, limit)?;
    if !gaps.is_empty() {
        changes.extend(with_seqs(conn, gaps)?);
    }
    Ok(changes)
}

/// The newest change's sequence number (0 when there is none).
pub fn latest_seq(conn: &mut DbConnection) -> Result<i64, AppError> {
    changes::table
        .select(diesel::dsl::max(changes::seq))
        .get_result::<Option<i64>>(conn)
        .context("reading the newest change")
        .map(Option::unwrap_or_default)
}

/// Notes a change for every answered question of an event (its title or visibility changed,
/// which their FAQ entries show).
pub fn record_for_event(
    conn: &mut DbConnection,
    event_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    use super::schema::questions;
    let answered: Vec<i64> = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::status.eq(crate::domain::QuestionStatus::Answered.as_str()))
        .select(questions::id)
        .load(conn)
        .context("finding an event's answered questions")?;
    for question_id in answered {
        record(conn, question_id, at)?;
    }
    Ok(())
}
