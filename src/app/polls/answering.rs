//! Participants answer polls: once per voter identity (answering again replaces the answer until
//! the poll closes), anonymously, with the same per-network burst flag as votes. Open-text answers
//! wait for a moderator when the event pre-moderates, and once shown are up-voted like questions.

use chrono::NaiveDateTime;

use crate::app::asking::automated_votes::{BurstRule, BURST_SPAN};
use crate::app::asking::ballot::Ballot;
use crate::app::polls::drafting::{find_in, record};
use crate::app::polls::results::{HELD, HIDDEN, SHOWN};
use crate::app::polls::{announce_answers, Poll};
use crate::bus::Bus;
use crate::db::{self, poll_answers::NewAnswer, Db, DbConnection};
use crate::domain::{DraftAnswer, EventStatus, PollAnswer, PollKind, PollState};
use crate::error::AppError;

/// An answer as sent (through the API, a form, or a backup): the field its poll's kind reads.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AnswerInput {
    pub choices: Option<Vec<i64>>,
    pub other: Option<String>,
    pub rating: Option<i64>,
    pub words: Option<Vec<String>>,
    pub text: Option<String>,
    pub ranking: Option<Vec<i64>>,
}

impl AnswerInput {
    pub(crate) fn as_draft(&self) -> DraftAnswer<'_> {
        DraftAnswer {
            choices: self.choices.as_deref(),
            other: self.other.as_deref(),
            rating: self.rating,
            words: self.words.as_deref(),
            text: self.text.as_deref(),
            ranking: self.ranking.as_deref(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Answered {
    pub poll: Poll,
    pub answer: PollAnswer,
    /// Waiting for a moderator before anyone sees it.
    pub held: bool,
    /// It replaced an earlier answer by the same voter.
    pub replaced: bool,
}

/// Records the voter's answer to an open poll, replacing an earlier one.
pub async fn answer(
    db: &Db,
    bus: &Bus,
    poll_id: i64,
    ballot: Ballot,
    input: AnswerInput,
    rule: BurstRule,
) -> Result<Answered, AppError> {
    let answered = db
        .write(move |conn| {
            let (poll, premoderated) = open_poll(conn, poll_id)?;
            let answer = PollAnswer::parse(&poll.definition, &input.as_draft())?;
            let status = if poll.kind() == PollKind::Text && premoderated {
                HELD
            } else {
                SHOWN
            };
            let stored = answer.to_stored();
            let voter = ballot.voter.as_str();
            let replaced = match db::poll_answers::of_voter(conn, poll_id, voter)? {
                Some((id, earlier)) => {
                    if earlier != stored {
                        db::poll_answers::replace(conn, id, &stored, status, ballot.cast_at)?;
                        if poll.kind() == PollKind::Text {
                            // Up-votes were for the earlier words.
                            db::poll_answers::clear_upvotes(conn, id)?;
                        }
                    }
                    true
                }
                None => {
                    db::poll_answers::insert(
                        conn,
                        &NewAnswer {
                            poll_id,
                            voter_hash: voter,
                            answer: &stored,
                            status,
                            origin: Some(&ballot.network),
                            created_at: ballot.cast_at,
                            updated_at: ballot.cast_at,
                        },
                    )?;
                    judge_burst(conn, poll_id, &ballot.network, ballot.cast_at, rule)?;
                    false
                }
            };
            Ok(Answered {
                poll,
                answer,
                held: status == HELD,
                replaced,
            })
        })
        .await?;
    announce_answers(bus, &answered.poll);
    Ok(answered)
}

/// The poll when it takes answers, and whether its event pre-moderates: a draft, or a poll of an
/// event the public cannot see, is not found; a closed poll says so.
fn open_poll(conn: &mut DbConnection, poll_id: i64) -> Result<(Poll, bool), AppError> {
    let poll = find_in(conn, poll_id)?;
    let event = db::events::find_by_id(conn, poll.event_id)?
        .filter(|event| event.status != EventStatus::Draft)
        .ok_or(AppError::NotFound { what: "poll" })?;
    match poll.state {
        PollState::Draft => Err(AppError::NotFound { what: "poll" }),
        PollState::Closed => Err(AppError::conflict(
            "poll_closed",
            "This poll has closed: answers are no longer taken.",
        )),
        PollState::Open => Ok((poll, event.premoderation)),
    }
}

/// Flags the poll's recent answers from one network when they make a burst, as votes are.
fn judge_burst(
    conn: &mut DbConnection,
    poll_id: i64,
    network: &str,
    at: NaiveDateTime,
    rule: BurstRule,
) -> Result<(), AppError> {
    let since = at - BURST_SPAN;
    let recent = db::poll_answers::recent_from(conn, poll_id, network, since)?;
    if recent >= i64::from(rule.votes_per_minute) {
        db::poll_answers::flag_automated(conn, poll_id, network, since)?;
    }
    Ok(())
}

/// Up-votes a shown open-text answer of an open poll; a second up-vote changes nothing.
/// Returns the answer's count.
pub async fn upvote_text(
    db: &Db,
    bus: &Bus,
    poll_id: i64,
    answer_id: i64,
    ballot: Ballot,
) -> Result<i32, AppError> {
    let (poll, votes) = db
        .write(move |conn| {
            let (poll, _) = open_poll(conn, poll_id)?;
            let row = db::poll_answers::find(conn, poll_id, answer_id)?
                .filter(|row| row.status == SHOWN)
                .ok_or(AppError::NotFound { what: "answer" })?;
            let new =
                db::poll_answers::upvote(conn, row.id, ballot.voter.as_str(), ballot.cast_at)?;
            Ok((poll, row.votes + i32::from(new)))
        })
        .await?;
    announce_answers(bus, &poll);
    Ok(votes)
}

/// Shows a held open-text answer, or hides one; in the audit log.
pub async fn moderate_text(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    poll_id: i64,
    answer_id: i64,
    show: bool,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let poll = db
        .write(move |conn| {
            let poll = find_in(conn, poll_id)?;
            let status = if show { SHOWN } else { HIDDEN };
            if !db::poll_answers::set_status(conn, poll_id, answer_id, status)? {
                return Err(AppError::NotFound { what: "answer" });
            }
            let action = if show {
                "poll.show_answer"
            } else {
                "poll.hide_answer"
            };
            let detail = format!("answer {answer_id}");
            record(conn, actor, action, poll.event_id, poll_id, &detail, at)?;
            Ok(poll)
        })
        .await?;
    announce_answers(bus, &poll);
    Ok(())
}

/// Sets a poll's automated answers aside (or counts them again); how many changed.
pub async fn discount_automated(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    poll_id: i64,
    discounted: bool,
    at: NaiveDateTime,
) -> Result<usize, AppError> {
    let (poll, changed) = db
        .write(move |conn| {
            let poll = find_in(conn, poll_id)?;
            let changed = db::poll_answers::set_discounted(conn, poll_id, discounted)?;
            if changed > 0 {
                let action = if discounted {
                    "poll.discount_automated"
                } else {
                    "poll.count_automated"
                };
                let detail = format!("{changed} answers");
                record(conn, actor, action, poll.event_id, poll_id, &detail, at)?;
            }
            Ok((poll, changed))
        })
        .await?;
    if changed > 0 {
        announce_answers(bus, &poll);
    }
    Ok(changed)
}
