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
        let question = db::questions::find(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        let canonical = match question.merged_into {
            Some(target) => {
                db::questions::find(conn, target)?.ok_or(AppError::NotFound { what: "question" })?
            }
            None => question,
        };
        if !canonical.status.is_listed() {
            return Err(match canonical.status {
                QuestionStatus::Pending => AppError::conflict(
                    "not_votable",
                    "This question is awaiting moderation; votes open once it is approved.",
                ),
                _ => AppError::NotFound { what: "question" },
            });
        }
        let event = db::events::find_by_id(conn, canonical.event_id)?
            .ok_or(AppError::NotFound { what: "event" })?;
        if !event.status.accepts_questions() {
            return Err(AppError::conflict(
                "voting_closed",
                format!("Voting has ended: “{}” is {}.", event.title, event.status),
            ));
        }

        db::questions::lock_for_counting(conn, canonical.id)?;
        let voter_hash = voter.as_str();
        let had_voted = db::votes::voted_in_group(conn, canonical.id, voter_hash)?;
        let vote_count = match (action, had_voted) {
            (VoteAction::Upvote, false) => {
                db::votes::insert(conn, question_id, voter_hash, now())?;
                db::questions::add_to_vote_count(conn, canonical.id, 1)?
            }
            (VoteAction::Withdraw, true) => {
                db::votes::delete_in_group(conn, canonical.id, voter_hash)?;
                db::questions::add_to_vote_count(conn, canonical.id, -1)?
            }
            _ => db::questions::vote_count(conn, canonical.id)?,
        };
        Ok(VoteState {
            question_id: canonical.id,
            vote_count,
            voted: action == VoteAction::Upvote,
        })
    })
    .await
}
