use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{questions, votes};
use crate::error::{AppError, QueryContext};

/// Records a vote with the network it came from, when known (see [`forget_origins_before`]).
pub fn insert(
    conn: &mut DbConnection,
    question_id: i64,
    voter_hash: &str,
    origin: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let vote = super::vote_batch::NewVote {
        question_id,
        voter_hash,
        created_at: now,
        origin,
    };
    on_backend!(conn, |conn| diesel::insert_into(votes::table)
        .values(&vote)
        .execute(conn))
    .context("recording a vote")?;
    Ok(())
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

/// Discounts (or counts again) the group's automated votes; returns how many changed.
pub fn set_discounted(
    conn: &mut DbConnection,
    canonical_id: i64,
    discounted: bool,
) -> Result<usize, AppError> {
    diesel::update(
        votes::table
            .filter(votes::automated.eq(true))
            .filter(votes::discounted.eq(!discounted))
            .filter(votes::question_id.eq_any(group_of(canonical_id))),
    )
    .set(votes::discounted.eq(discounted))
    .execute(conn)
    .context("discounting automated votes")
}

/// The automated votes of an event's questions, as (question, merged into, discounted).
pub fn automated_in_event(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<Vec<(i64, Option<i64>, bool)>, AppError> {
    votes::table
        .inner_join(questions::table)
        .filter(votes::automated.eq(true))
        .filter(questions::event_id.eq(event_id))
        .select((questions::id, questions::merged_into, votes::discounted))
        .load(conn)
        .context("finding automated votes")
}

/// Erases the network of votes older than `before`: it is kept only while bursts are judged.
pub fn forget_origins_before(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> Result<usize, AppError> {
    diesel::update(
        votes::table
            .filter(votes::origin.is_not_null())
            .filter(votes::created_at.lt(before)),
    )
    .set(votes::origin.eq(None::<String>))
    .execute(conn)
    .context("forgetting where votes came from")
}
