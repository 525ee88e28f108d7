//! The queries of a batch of votes: each reads or writes what all of the batch's votes need at
//! once, so a batch costs a handful of statements however many votes it holds (on PostgreSQL a
//! statement is a round trip; on SQLite every statement is work for the one writer).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Text, Timestamp};

use super::connection::DbConnection;
use super::schema::{events, questions, votes};
use crate::domain::{EventStatus, QuestionStatus};
use crate::error::{AppError, QueryContext};

/// What a vote needs to know of a question: where it was merged, whether it is listed, and
/// whether its event still takes votes.
#[derive(Debug, Clone)]
pub struct VoteTarget {
    pub event_id: i64,
    pub status: QuestionStatus,
    pub merged_into: Option<i64>,
    pub event_status: EventStatus,
    pub event_title: String,
}

/// The questions among `ids` that exist, by id.
pub fn targets(conn: &mut DbConnection, ids: &[i64]) -> Result<HashMap<i64, VoteTarget>, AppError> {
    let rows: Vec<(i64, i64, String, Option<i64>, String, String)> = questions::table
        .inner_join(events::table)
        .filter(questions::id.eq_any(ids))
        .select((
            questions::id,
            questions::event_id,
            questions::status,
            questions::merged_into,
            events::status,
            events::title,
        ))
        .load(conn)
        .context("looking up the questions to vote on")?;
    rows.into_iter()
        .map(
            |(id, event_id, status, merged_into, event_status, event_title)| {
                let target = VoteTarget {
                    event_id,
                    status: status.parse().map_err(|error| {
                        AppError::internal("reading a question's status", error)
                    })?,
                    merged_into,
                    event_status: event_status
                        .parse()
                        .map_err(|error| AppError::internal("reading an event's status", error))?,
                    event_title,
                };
                Ok((id, target))
            },
        )
        .collect()
}

/// A question's count as read under its lock, and whether it has been merged away meanwhile.
#[derive(Debug, Clone, Copy)]
pub struct LockedCount {
    pub count: i32,
    pub merged_into: Option<i64>,
}

/// Reads the counts of these canonical questions so that concurrent votes on a group are counted
/// one after the other: on PostgreSQL the rows stay locked until the transaction ends, taken in
/// id order so that two batches never wait for each other in a circle; SQLite needs no lock, all
/// its writes go through one writer.
pub fn lock_counts(
    conn: &mut DbConnection,
    canonical_ids: &[i64],
) -> Result<HashMap<i64, LockedCount>, AppError> {
    let query = questions::table
        .filter(questions::id.eq_any(canonical_ids))
        .order(questions::id.asc())
        .select((questions::id, questions::vote_count, questions::merged_into));
    let rows: Vec<(i64, i32, Option<i64>)> = match conn {
        DbConnection::Sqlite(conn) => query.load(conn),
        DbConnection::Postgres(conn) => query.for_update().load(conn),
    }
    .context("locking vote counts")?;
    Ok(rows
        .into_iter()
        .map(|(id, count, merged_into)| (id, LockedCount { count, merged_into }))
        .collect())
}

/// A vote one of the batch's voters already has on one of its groups.
#[derive(Debug, Clone)]
pub struct EarlierVote {
    pub voter_hash: String,
    pub question_id: i64,
    pub discounted: bool,
}

/// Every vote these voters have. A voter has few, and they sit together in the unique index
/// (it starts with the voter); filtering by question too would make the database look up every
/// (voter, question) pair of the batch.
pub fn votes_of(
    conn: &mut DbConnection,
    voter_hashes: &[&str],
) -> Result<Vec<EarlierVote>, AppError> {
    let rows: Vec<(String, i64, bool)> = votes::table
        .filter(votes::voter_hash.eq_any(voter_hashes))
        .select((votes::voter_hash, votes::question_id, votes::discounted))
        .load(conn)
        .context("finding the voters' earlier votes")?;
    Ok(rows
        .into_iter()
        .map(|(voter_hash, question_id, discounted)| EarlierVote {
            voter_hash,
            question_id,
            discounted,
        })
        .collect())
}

#[derive(Insertable)]
#[diesel(table_name = votes)]
pub struct NewVote<'a> {
    pub question_id: i64,
    pub voter_hash: &'a str,
    pub created_at: NaiveDateTime,
    /// The network it came from, kept while bursts are judged.
    pub origin: Option<&'a str>,
}

/// Records the batch's new votes in one statement.
pub fn insert_all(conn: &mut DbConnection, new_votes: &[NewVote<'_>]) -> Result<(), AppError> {
    if new_votes.is_empty() {
        return Ok(());
    }
    on_backend!(conn, |conn| diesel::insert_into(votes::table)
        .values(new_votes)
        .execute(conn))
    .context("recording votes")?;
    Ok(())
}

/// The questions merged into these canonical ones, as (question, canonical).
pub fn merged_members(
    conn: &mut DbConnection,
    canonical_ids: &[i64],
) -> Result<Vec<(i64, i64)>, AppError> {
    let rows: Vec<(i64, Option<i64>)> = questions::table
        .filter(questions::merged_into.eq_any(canonical_ids))
        .select((questions::id, questions::merged_into))
        .load(conn)
        .context("finding merged questions")?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, into)| into.map(|into| (id, into)))
        .collect())
}

#[derive(QueryableByName)]
struct RecentVotes {
    #[diesel(sql_type = BigInt)]
    question_id: i64,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = BigInt)]
    votes: i64,
}

/// How many votes each (question, network) pair had since `since`, as (question, network,
/// votes); pairs without votes are left out. Only the pairs asked for are looked at: a batch's
/// questions and networks crossed would be thousands of index lookups.
pub fn recent_by_origin(
    conn: &mut DbConnection,
    pairs: &[(i64, &str)],
    since: NaiveDateTime,
) -> Result<Vec<(i64, String, i64)>, AppError> {
    match conn {
        DbConnection::Postgres(conn) => {
            let (question_ids, origins): (Vec<i64>, Vec<&str>) = pairs.iter().copied().unzip();
            let rows: Vec<RecentVotes> = diesel::sql_query(
                "SELECT p.question_id, p.origin, count(*) AS votes \
                 FROM unnest($1, $2) AS p(question_id, origin) \
                 JOIN votes v ON v.origin = p.origin AND v.question_id = p.question_id \
                 AND v.created_at >= $3 \
                 GROUP BY p.question_id, p.origin",
            )
            .bind::<Array<BigInt>, _>(question_ids)
            .bind::<Array<Text>, _>(origins)
            .bind::<Timestamp, _>(since)
            .load(conn)
            .context("counting networks' recent votes")?;
            Ok(rows
                .into_iter()
                .map(|row| (row.question_id, row.origin, row.votes))
                .collect())
        }
        // One prepared statement, run per pair: cheap for the writer's own connection.
        DbConnection::Sqlite(conn) => {
            let mut found = Vec::new();
            for &(question_id, origin) in pairs {
                let votes: i64 = votes::table
                    .filter(votes::origin.eq(origin))
                    .filter(votes::question_id.eq(question_id))
                    .filter(votes::created_at.ge(since))
                    .count()
                    .get_result(conn)
                    .context("counting a network's recent votes")?;
                if votes > 0 {
                    found.push((question_id, origin.to_owned(), votes));
                }
            }
            Ok(found)
        }
    }
}

/// Marks the votes on these questions from `origin` since `since` as automated.
pub fn mark_automated(
    conn: &mut DbConnection,
    question_ids: &[i64],
    origin: &str,
    since: NaiveDateTime,
) -> Result<usize, AppError> {
    diesel::update(
        votes::table
            .filter(votes::origin.eq(origin))
            .filter(votes::question_id.eq_any(question_ids))
            .filter(votes::created_at.ge(since))
            .filter(votes::automated.eq(false)),
    )
    .set(votes::automated.eq(true))
    .execute(conn)
    .context("marking automated votes")
}

/// Adds each delta to its question's count.
pub fn add_to_counts(conn: &mut DbConnection, deltas: &[(i64, i32)]) -> Result<(), AppError> {
    match conn {
        // One statement for the lot: on PostgreSQL each statement is a round trip.
        DbConnection::Postgres(conn) => {
            let (ids, by): (Vec<i64>, Vec<i32>) = deltas.iter().copied().unzip();
            diesel::sql_query(
                "UPDATE questions SET vote_count = questions.vote_count + d.delta \
                 FROM unnest($1, $2) AS d(id, delta) WHERE questions.id = d.id",
            )
            .bind::<Array<BigInt>, _>(ids)
            .bind::<Array<Integer>, _>(by)
            .execute(conn)
            .context("updating vote counts")?;
        }
        // The writer's own statements are cheap, and this one is prepared once.
        DbConnection::Sqlite(conn) => {
            for &(id, delta) in deltas {
                diesel::update(questions::table.find(id))
                    .set(questions::vote_count.eq(questions::vote_count + delta))
                    .execute(conn)
                    .context("updating a vote count")?;
            }
        }
    }
    Ok(())
}
