//! Participants' answers to polls, one per voter identity and poll, and the up-votes of shown
//! open-text answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{poll_answer_votes, poll_answers};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = poll_answers)]
pub struct AnswerRow {
    pub id: i64,
    pub poll_id: i64,
    pub answer: String,
    pub status: String,
    pub automated: bool,
    pub discounted: bool,
    pub votes: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = poll_answers)]
pub struct NewAnswer<'a> {
    pub poll_id: i64,
    pub voter_hash: &'a str,
    pub answer: &'a str,
    pub status: &'a str,
    pub origin: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The voter's answer to the poll, if any, as (id, stored answer).
pub fn of_voter(
    conn: &mut DbConnection,
    poll_id: i64,
    voter_hash: &str,
) -> Result<Option<(i64, String)>, AppError> {
    poll_answers::table
        .filter(poll_answers::poll_id.eq(poll_id))
        .filter(poll_answers::voter_hash.eq(voter_hash))
        .select((poll_answers::id, poll_answers::answer))
        .get_result(conn)
        .optional()
        .context("finding a participant's answer")
}

/// The voter's answers to these polls as (poll, stored answer).
pub fn of_voter_in(
    conn: &mut DbConnection,
    poll_ids: &[i64],
    voter_hash: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    poll_answers::table
        .filter(poll_answers::poll_id.eq_any(poll_ids))
        .filter(poll_answers::voter_hash.eq(voter_hash))
        .select((poll_answers::poll_id, poll_answers::answer))
        .load(conn)
        .context("finding a participant's answers")
}

pub fn insert(conn: &mut DbConnection, new: &NewAnswer<'_>) -> Result<i64, AppError> {
    diesel::insert_into(poll_answers::table)
        .values(new)
        .returning(poll_answers::id)
        .get_result(conn)
        .context("recording an answer to a poll")
}

/// Replaces an answer's content (and whether it waits for a moderator).
pub fn replace(
    conn: &mut DbConnection,
    id: i64,
    answer: &str,
    status: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(poll_answers::table.find(id))
        .set((
            poll_answers::answer.eq(answer),
            poll_answers::status.eq(status),
            poll_answers::updated_at.eq(at),
        ))
        .execute(conn)
        .context("changing an answer to a poll")?;
    Ok(())
}

/// Every answer to the poll, oldest first.
pub fn of_poll(conn: &mut DbConnection, poll_id: i64) -> Result<Vec<AnswerRow>, AppError> {
    poll_answers::table
        .filter(poll_answers::poll_id.eq(poll_id))
        .order(poll_answers::id.asc())
        .select(AnswerRow::as_select())
        .load(conn)
        .context("reading a poll's answers")
}

/// Answers to the poll from one network since `since`: what a burst is judged by.
pub fn recent_from(
    conn: &mut DbConnection,
    poll_id: i64,
    origin: &str,
    since: NaiveDateTime,
) -> Result<i64, AppError> {
    poll_answers::table
        .filter(poll_answers::poll_id.eq(poll_id))
        .filter(poll_answers::origin.eq(origin))
        .filter(poll_answers::created_at.ge(since))
        .count()
        .get_result(conn)
        .context("counting a network's recent answers")
}

/// Flags the poll's answers from one network since `since` as automated; how many were new.
pub fn flag_automated(
    conn: &mut DbConnection,
    poll_id: i64,
    origin: &str,
    since: NaiveDateTime,
) -> Result<usize, AppError> {
    diesel::update(
        poll_answers::table
            .filter(poll_answers::poll_id.eq(poll_id))
            .filter(poll_answers::origin.eq(origin))
            .filter(poll_answers::created_at.ge(since))
            .filter(poll_answers::automated.eq(false)),
    )
    .set(poll_answers::automated.eq(true))
    .execute(conn)
    .context("flagging automated answers")
}

/// Discounts (or counts again) the poll's automated answers; how many changed.
pub fn set_discounted(
    conn: &mut DbConnection,
    poll_id: i64,
    discounted: bool,
) -> Result<usize, AppError> {
    diesel::update(
        poll_answers::table
            .filter(poll_answers::poll_id.eq(poll_id))
            .filter(poll_answers::automated.eq(true))
            .filter(poll_answers::discounted.eq(!discounted)),
    )
    .set(poll_answers::discounted.eq(discounted))
    .execute(conn)
    .context("discounting automated answers")
}

/// Shows, holds or hides one open-text answer of the poll; whether there was one.
pub fn set_status(
    conn: &mut DbConnection,
    poll_id: i64,
    answer_id: i64,
    status: &str,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        poll_answers::table
            .filter(poll_answers::id.eq(answer_id))
            .filter(poll_answers::poll_id.eq(poll_id)),
    )
    .set(poll_answers::status.eq(status))
    .execute(conn)
    .context("moderating an answer to a poll")?;
    Ok(changed > 0)
}

/// Erases the network of answers older than `before`: it is kept only while bursts are judged.
pub fn forget_origins_before(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> Result<usize, AppError> {
    diesel::update(
        poll_answers::table
            .filter(poll_answers::origin.is_not_null())
            .filter(poll_answers::created_at.lt(before)),
    )
    .set(poll_answers::origin.eq(None::<String>))
    .execute(conn)
    .context("forgetting where answers came from")
}

pub fn delete_of_poll(conn: &mut DbConnection, poll_id: i64) -> Result<(), AppError> {
    let answers = poll_answers::table
        .filter(poll_answers::poll_id.eq(poll_id))
        .select(poll_answers::id);
    diesel::delete(poll_answer_votes::table.filter(poll_answer_votes::answer_id.eq_any(answers)))
        .execute(conn)
        .context("removing up-votes of a poll's answers")?;
    diesel::delete(poll_answers::table.filter(poll_answers::poll_id.eq(poll_id)))
        .execute(conn)
        .context("removing a poll's answers")?;
    Ok(())
}

/// Up-votes a shown open-text answer once per voter; whether the vote is new. The answer's count
/// is recounted from the votes, so a repeated vote never counts twice.
pub fn upvote(
    conn: &mut DbConnection,
    answer_id: i64,
    voter_hash: &str,
    at: NaiveDateTime,
) -> Result<bool, AppError> {
    let already: i64 = poll_answer_votes::table
        .filter(poll_answer_votes::answer_id.eq(answer_id))
        .filter(poll_answer_votes::voter_hash.eq(voter_hash))
        .count()
        .get_result(conn)
        .context("finding an up-vote")?;
    if already > 0 {
        return Ok(false);
    }
    diesel::insert_into(poll_answer_votes::table)
        .values((
            poll_answer_votes::answer_id.eq(answer_id),
            poll_answer_votes::voter_hash.eq(voter_hash),
            poll_answer_votes::created_at.eq(at),
        ))
        .execute(conn)
        .context("up-voting an answer")?;
    let votes: i64 = poll_answer_votes::table
        .filter(poll_answer_votes::answer_id.eq(answer_id))
        .count()
        .get_result(conn)
        .context("recounting an answer's up-votes")?;
    diesel::update(poll_answers::table.find(answer_id))
        .set(poll_answers::votes.eq(i32::try_from(votes).unwrap_or(i32::MAX)))
        .execute(conn)
        .context("recounting an answer's up-votes")?;
    Ok(true)
}

/// Which of these answers the voter has up-voted.
pub fn upvoted_by(
    conn: &mut DbConnection,
    answer_ids: &[i64],
    voter_hash: &str,
) -> Result<Vec<i64>, AppError> {
    poll_answer_votes::table
        .filter(poll_answer_votes::answer_id.eq_any(answer_ids))
        .filter(poll_answer_votes::voter_hash.eq(voter_hash))
        .select(poll_answer_votes::answer_id)
        .load(conn)
        .context("finding a participant's up-votes")
}

/// Takes back every up-vote of an answer (its words changed).
pub fn clear_upvotes(conn: &mut DbConnection, answer_id: i64) -> Result<(), AppError> {
    diesel::delete(poll_answer_votes::table.filter(poll_answer_votes::answer_id.eq(answer_id)))
        .execute(conn)
        .context("taking back an answer's up-votes")?;
    diesel::update(poll_answers::table.find(answer_id))
        .set(poll_answers::votes.eq(0))
        .execute(conn)
        .context("taking back an answer's up-votes")?;
    Ok(())
}

/// One answer of the poll.
pub fn find(
    conn: &mut DbConnection,
    poll_id: i64,
    answer_id: i64,
) -> Result<Option<AnswerRow>, AppError> {
    poll_answers::table
        .filter(poll_answers::id.eq(answer_id))
        .filter(poll_answers::poll_id.eq(poll_id))
        .select(AnswerRow::as_select())
        .get_result(conn)
        .optional()
        .context("reading an answer to a poll")
}

/// An answer with everything a backup keeps.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = poll_answers)]
pub struct FullAnswerRow {
    pub id: i64,
    pub voter_hash: String,
    pub answer: String,
    pub status: String,
    pub automated: bool,
    pub discounted: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Every answer to the poll as a backup keeps it, with the voters who up-voted each.
pub fn for_backup(
    conn: &mut DbConnection,
    poll_id: i64,
) -> Result<Vec<(FullAnswerRow, Vec<String>)>, AppError> {
    let answers: Vec<FullAnswerRow> = poll_answers::table
        .filter(poll_answers::poll_id.eq(poll_id))
        .order(poll_answers::id.asc())
        .select(FullAnswerRow::as_select())
        .load(conn)
        .context("reading a poll's answers for a backup")?;
    let ids: Vec<i64> = answers.iter().map(|answer| answer.id).collect();
    let mut upvoters: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for chunk in ids.chunks(1_000) {
        let votes: Vec<(i64, String)> = poll_answer_votes::table
            .filter(poll_answer_votes::answer_id.eq_any(chunk))
            .order(poll_answer_votes::id.asc())
            .select((poll_answer_votes::answer_id, poll_answer_votes::voter_hash))
            .load(conn)
            .context("reading up-votes for a backup")?;
        for (answer_id, voter) in votes {
            upvoters.entry(answer_id).or_default().push(voter);
        }
    }
    Ok(answers
        .into_iter()
        .map(|answer| {
            let voters = upvoters.remove(&answer.id).unwrap_or_default();
            (answer, voters)
        })
        .collect())
}

/// An answer brought back from a backup, with its flags and up-votes.
pub struct RestoredAnswer<'a> {
    pub poll_id: i64,
    pub voter_hash: &'a str,
    pub answer: &'a str,
    pub status: &'a str,
    pub automated: bool,
    pub discounted: bool,
    pub upvoters: &'a [String],
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn restore(conn: &mut DbConnection, restored: &RestoredAnswer<'_>) -> Result<(), AppError> {
    let id: i64 = diesel::insert_into(poll_answers::table)
        .values((
            poll_answers::poll_id.eq(restored.poll_id),
            poll_answers::voter_hash.eq(restored.voter_hash),
            poll_answers::answer.eq(restored.answer),
            poll_answers::status.eq(restored.status),
            poll_answers::automated.eq(restored.automated),
            poll_answers::discounted.eq(restored.discounted),
            poll_answers::votes.eq(i32::try_from(restored.upvoters.len()).unwrap_or(i32::MAX)),
            poll_answers::created_at.eq(restored.created_at),
            poll_answers::updated_at.eq(restored.updated_at),
        ))
        .returning(poll_answers::id)
        .get_result(conn)
        .context("restoring an answer to a poll")?;
    for voter in restored.upvoters {
        diesel::insert_into(poll_answer_votes::table)
            .values((
                poll_answer_votes::answer_id.eq(id),
                poll_answer_votes::voter_hash.eq(voter),
                poll_answer_votes::created_at.eq(restored.updated_at),
            ))
            .execute(conn)
            .context("restoring an up-vote")?;
    }
    Ok(())
}
