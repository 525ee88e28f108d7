use super::now;
use crate::db::{self, Db};
use crate::domain::{QuestionStatus, TokenHash};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteAction {
    Upvote,
    Withdraw,
}

/// The vote state of a question for one voter, after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteState {
    pub question_id: i64,
    pub vote_count: i32,
    pub voted: bool,
}

/// Upvotes or withdraws. A vote is a fact about (question, voter); the count of a question is the
/// number of distinct voters over it and everything merged into it, so a voter counts once per
/// group, and voting on a merged question counts for its canonical one. Idempotent: upvoting twice
/// or withdrawing a vote that is not there changes nothing.
pub async fn vote(
    db: &Db,
    question_id: i64,
    voter: TokenHash,
    action: VoteAction,
) -> Result<VoteState, AppError> {
    db.write(move |conn| {
        let target = db::questions::vote_target(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        // Merges flatten chains, so the canonical question is one step away at most.
        let (canonical_id, canonical) = match target.merged_into {
            Some(into) => (
                into,
                db::questions::vote_target(conn, into)?
                    .ok_or(AppError::NotFound { what: "question" })?,
            ),
            None => (question_id, target),
        };
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

        let count = db::questions::lock_vote_count(conn, canonical_id)?;
        let voter_hash = voter.as_str();
        let had_voted = db::votes::voted_in_group(conn, canonical_id, voter_hash)?;
        let delta = match (action, had_voted) {
            (VoteAction::Upvote, false) => {
                db::votes::insert(conn, question_id, voter_hash, now())?;
                1
            }
            (VoteAction::Withdraw, true) => {
                db::votes::delete_in_group(conn, canonical_id, voter_hash)?;
                -1
            }
            _ => 0,
        };
        if delta != 0 {
            db::questions::add_to_vote_count(conn, canonical_id, delta)?;
        }
        Ok(VoteState {
            question_id: canonical_id,
            vote_count: count + delta,
            voted: action == VoteAction::Upvote,
        })
    })
    .await
}
