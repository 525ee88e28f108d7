use chrono::NaiveDateTime;

use super::automated_votes::{self, BurstRule};
use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::{self, questions::VoteTarget, Db, DbConnection};
use crate::domain::{QuestionStatus, TokenHash};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteAction {
    Upvote,
    Withdraw,
}

/// Who votes, from where, and when.
pub struct Ballot {
    pub voter: TokenHash,
    /// The network the vote came from (see `web::client_ip::network_of`), for spotting bursts.
    pub network: String,
    pub cast_at: NaiveDateTime,
}

impl Ballot {
    /// A ballot cast now, from a network of the voter's own (so never part of a burst): for
    /// callers without a request, such as benchmarks.
    pub fn own_network(voter: TokenHash) -> Self {
        Self {
            network: format!("voter {}", voter.as_str()),
            voter,
            cast_at: super::now(),
        }
    }
}

/// The vote state of a question for one voter, after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteState {
    pub question_id: i64,
    pub vote_count: i32,
    pub voted: bool,
}

/// The question a vote on `question_id` counts for: merges flatten chains, so it is one step
/// away at most.
fn canonical_of(conn: &mut DbConnection, question_id: i64) -> Result<(i64, VoteTarget), AppError> {
    let target = db::questions::vote_target(conn, question_id)?
        .ok_or(AppError::NotFound { what: "question" })?;
    match target.merged_into {
        Some(into) => Ok((
            into,
            db::questions::vote_target(conn, into)?
                .ok_or(AppError::NotFound { what: "question" })?,
        )),
        None => Ok((question_id, target)),
    }
}

/// Finds the question the vote counts for and takes its lock, which merges take too. A merge
/// can commit while the lock is awaited (on PostgreSQL; SQLite runs every write in turn): the
/// locked row then says it was merged, and the group is looked up again, so a vote is never
/// counted for a question merged away meanwhile.
fn lock_canonical(
    conn: &mut DbConnection,
    question_id: i64,
) -> Result<(i64, VoteTarget, i32), AppError> {
    for _ in 0..3 {
        let (canonical_id, canonical) = canonical_of(conn, question_id)?;
        let locked = db::questions::lock_vote_count(conn, canonical_id)?;
        if locked.merged_into.is_none() {
            return Ok((canonical_id, canonical, locked.count));
        }
    }
    Err(AppError::conflict(
        "busy",
        "This question is being merged right now; vote again in a moment.",
    ))
}

/// Upvotes or withdraws. A vote is a fact about (question, voter); the count of a question is the
/// number of distinct voters over it and everything merged into it, so a voter counts once per
/// group, and voting on a merged question counts for its canonical one. Idempotent: upvoting twice
/// or withdrawing a vote that is not there changes nothing. A new vote that makes a burst from its
/// network flags the burst (see [`automated_votes`]).
pub async fn vote(
    db: &Db,
    bus: &Bus,
    question_id: i64,
    ballot: Ballot,
    action: VoteAction,
    burst_rule: BurstRule,
) -> Result<VoteState, AppError> {
    let (state, event_id, changed) = db
        .write(move |conn| {
            let (canonical_id, canonical, count) = lock_canonical(conn, question_id)?;
            // Drafts do not exist for the public, nor do rejected questions.
            if !canonical.event_status.is_public() {
                return Err(AppError::NotFound { what: "question" });
            }
            match canonical.status {
                status if status.is_listed() => {}
                QuestionStatus::Pending => {
                    return Err(AppError::conflict(
                        "not_votable",
                        "This question is awaiting moderation; votes open once it is approved.",
                    ))
                }
                _ => return Err(AppError::NotFound { what: "question" }),
            }
            if !canonical.event_status.accepts_questions() {
                return Err(AppError::conflict(
                    "voting_closed",
                    format!(
                        "Voting has ended: “{}” is {}.",
                        canonical.event_title, canonical.event_status
                    ),
                ));
            }

            let voter_hash = ballot.voter.as_str();
            let (origin, at) = (ballot.network.as_str(), ballot.cast_at);
            let had_voted = db::votes::voted_in_group(conn, canonical_id, voter_hash)?;
            let delta = match (action, had_voted) {
                (VoteAction::Upvote, false) => {
                    db::votes::insert(conn, question_id, voter_hash, Some(origin), at)?;
                    automated_votes::judge(conn, canonical_id, origin, at, burst_rule)?;
                    1
                }
                // Counted already through another question of the group: the vote is still kept on
                // the question it was cast on, so that an unmerge gives it back.
                (VoteAction::Upvote, true) => {
                    if !db::votes::exists(conn, question_id, voter_hash)? {
                        db::votes::insert(conn, question_id, voter_hash, Some(origin), at)?;
                    }
                    0
                }
                (VoteAction::Withdraw, true) => {
                    // A discounted vote was not in the count: taking it back changes nothing.
                    let counted = db::votes::counted_in_group(conn, canonical_id, voter_hash)?;
                    db::votes::delete_in_group(conn, canonical_id, voter_hash)?;
                    if counted {
                        -1
                    } else {
                        0
                    }
                }
                _ => 0,
            };
            if delta != 0 {
                db::questions::add_to_vote_count(conn, canonical_id, delta)?;
            }
            let state = VoteState {
                question_id: canonical_id,
                vote_count: count + delta,
                voted: action == VoteAction::Upvote,
            };
            Ok((state, canonical.event_id, delta != 0))
        })
        .await?;
    if changed {
        bus.publish(Notice::question(
            event_id,
            state.question_id,
            NoticeKind::Voted,
        ));
    }
    Ok(state)
}
