use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{questions, votes};
use super::DbConnection;
use crate::error::{AppError, QueryContext};

#[derive(Insertable)]
#[diesel(table_name = votes)]
struct NewVote<'a> {
    question_id: i64,
    voter_hash: &'a str,
    created_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConnection,
    question_id: i64,
    voter_hash: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let vote = NewVote {
        question_id,
        voter_hash,
        created_at: now,
    };
    on_backend!(conn, |conn| diesel::insert_into(votes::table)
        .values(&vote)
        .execute(conn))
    .context("recording a vote")?;
    Ok(())
}

/// Whether the voter has a vote on the canonical question or anything merged into it.
pub fn voted_in_group(
    conn: &mut DbConnection,
    canonical_id: i64,
    voter_hash: &str,
) -> Result<bool, AppError> {
    // Walks this voter's few votes (the unique index starts with the voter) rather than the
    // group's many: this runs on every vote.
    let earlier = diesel::select(diesel::dsl::exists(
        votes::table
            .inner_join(questions::table)
            .filter(votes::voter_hash.eq(voter_hash))
            .filter(
                questions::id
                    .eq(canonical_id)
                    .or(questions::merged_into.eq(canonical_id)),
            ),
    ));
    on_backend!(conn, |conn| earlier.get_result(conn)).context("checking for an earlier vote")
}

/// Removes the voter's votes on the group; returns how many there were.
pub fn delete_in_group(
    conn: &mut DbConnection,
    canonical_id: i64,
    voter_hash: &str,
) -> Result<usize, AppError> {
    diesel::delete(
        votes::table
            .filter(votes::question_id.eq_any(group_of(canonical_id)))
            .filter(votes::voter_hash.eq(voter_hash)),
    )
    .execute(conn)
    .context("withdrawing a vote")
}

/// The ids of a canonical question and of every question merged into it.
#[diesel::dsl::auto_type]
fn group_of(canonical_id: i64) -> _ {
    questions::table
        .filter(
            questions::id
                .eq(canonical_id)
                .or(questions::merged_into.eq(canonical_id)),
        )
        .select(questions::id)
}

/// Of the questions of an event, the canonical ids this voter has voted for (directly or through
/// a question merged into it).
pub fn voted_in_event(
    conn: &mut DbConnection,
    event_id: i64,
    voter_hash: &str,
) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64, Option<i64>)> = votes::table
        .inner_join(questions::table)
        .filter(questions::event_id.eq(event_id))
        .filter(votes::voter_hash.eq(voter_hash))
        .select((questions::id, questions::merged_into))
        .load(conn)
        .context("finding a voter's votes")?;
    Ok(rows
        .into_iter()
        .map(|(id, merged_into)| merged_into.unwrap_or(id))
        .collect())
}

/// Whether the voter has a vote on exactly this question.
pub fn exists(
    conn: &mut DbConnection,
    question_id: i64,
    voter_hash: &str,
) -> Result<bool, AppError> {
    diesel::select(diesel::dsl::exists(
        votes::table
            .filter(votes::voter_hash.eq(voter_hash))
            .filter(votes::question_id.eq(question_id)),
    ))
    .get_result(conn)
    .context("checking for a vote")
}
