//! Votes that look automated: a burst of votes on one question from one network within a minute.
//! A crowd behind one NAT votes over minutes and on many questions; a script votes on one, as fast
//! as it can get voter identities. Flagged votes still count until a moderator discounts them, and
//! a discount can be undone; both are in the audit log.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};

use super::now;
use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::{self, modlog::NewEntry, questions::Question, Db, DbConnection};
use crate::error::AppError;

/// How far back a burst is looked for.
pub const BURST_SPAN: Duration = Duration::minutes(1);

pub const DISCOUNT: &str = "question.discount_automated";
pub const COUNT_AGAIN: &str = "question.count_automated";

/// When votes look automated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstRule {
    /// Votes on one question from one network within [`BURST_SPAN`] at which they are flagged.
    pub votes_per_minute: u32,
}

impl Default for BurstRule {
    fn default() -> Self {
        Self {
            votes_per_minute: 30,
        }
    }
}

/// Flags the group's recent votes from `origin` when they make a burst; called after each newly
/// counted vote, in its transaction.
pub(super) fn judge(
    conn: &mut DbConnection,
    canonical_id: i64,
    origin: &str,
    at: NaiveDateTime,
    rule: BurstRule,
) -> Result<(), AppError> {
    let since = at - BURST_SPAN;
    let recent = db::votes::count_from_origin_since(conn, canonical_id, origin, since)?;
    if recent >= i64::from(rule.votes_per_minute) {
        db::votes::mark_automated(conn, canonical_id, origin, since)?;
    }
    Ok(())
}

/// A question's votes that look automated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AutomatedVotes {
    /// Flagged and still counted.
    pub counted: i64,
    /// Flagged and discounted by a moderator.
    pub discounted: i64,
}

/// The automated votes of an event, by canonical question.
pub fn in_event(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<HashMap<i64, AutomatedVotes>, AppError> {
    let mut by_question: HashMap<i64, AutomatedVotes> = HashMap::new();
    for (question_id, merged_into, discounted) in db::votes::automated_in_event(conn, event_id)? {
        let entry = by_question
            .entry(merged_into.unwrap_or(question_id))
            .or_default();
        if discounted {
            entry.discounted += 1;
        } else {
            entry.counted += 1;
        }
    }
    Ok(by_question)
}

/// Stops counting the question's automated votes.
pub async fn discount(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
) -> Result<Question, AppError> {
    change_discount(db, bus, actor, question_id, true).await
}

/// Undoes [`discount`]: the question's automated votes count again.
pub async fn count_again(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
) -> Result<Question, AppError> {
    change_discount(db, bus, actor, question_id, false).await
}

async fn change_discount(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    discounted: bool,
) -> Result<Question, AppError> {
    let question = db
        .write(move |conn| {
            let asked = db::questions::find(conn, question_id)?
                .ok_or(AppError::NotFound { what: "question" })?;
            let canonical_id = asked.merged_into.unwrap_or(asked.id);
            // Votes take this lock too: none slips in between the change and the recount.
            let before = db::questions::lock_vote_count(conn, canonical_id)?.count;
            let changed = db::votes::set_discounted(conn, canonical_id, discounted)?;
            if changed == 0 {
                let message = if discounted {
                    format!("Question #{canonical_id} has no counted votes that look automated.")
                } else {
                    format!("Question #{canonical_id} has no discounted votes to count again.")
                };
                return Err(AppError::conflict("no_automated_votes", message));
            }
            let after = db::merges::recount(conn, canonical_id)?;
            db::modlog::record(
                conn,
                &NewEntry {
                    moderator_id: Some(actor),
                    action: if discounted { DISCOUNT } else { COUNT_AGAIN },
                    event_id: Some(asked.event_id),
                    question_id: Some(canonical_id),
                    reason: None,
                    before_value: Some(&before.to_string()),
                    after_value: Some(&after.to_string()),
                    created_at: now(),
                },
            )?;
            db::questions::find(conn, canonical_id)?.ok_or(AppError::NotFound { what: "question" })
        })
        .await?;
    bus.publish(Notice::question(
        question.event_id,
        question.id,
        NoticeKind::Voted,
    ));
    Ok(question)
}
