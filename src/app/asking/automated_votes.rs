//! Votes that look automated: a burst of votes on one question from one network within a minute.
//! A crowd behind one NAT votes over minutes and on many questions; a script votes on one, as fast
//! as it can get voter identities. Flagged votes still count until a moderator discounts them, and
//! a discount can be undone; both are in the audit log.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Duration, NaiveDateTime};

use crate::app::asking::vote_groups::Groups;
use crate::app::now;
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

/// A vote that counted for the first time: what bursts are judged by.
pub(crate) struct FreshVote<'a> {
    pub canonical_id: i64,
    pub origin: &'a str,
    pub at: NaiveDateTime,
}

/// Flags the recent votes of a group from one network when they make a burst; called once per
/// batch of votes, in its transaction, with the votes that counted for the first time. The
/// window ends at the batch's latest vote (a batch spans milliseconds).
pub(crate) fn judge(
    conn: &mut DbConnection,
    groups: &Groups,
    fresh: &[FreshVote<'_>],
    rule: BurstRule,
) -> Result<(), AppError> {
    let Some(latest) = fresh.iter().map(|vote| vote.at).max() else {
        return Ok(());
    };
    let since = latest - BURST_SPAN;
    let pairs: BTreeSet<(i64, &str)> = fresh
        .iter()
        .map(|vote| (vote.canonical_id, vote.origin))
        .collect();
    // Every question of each group, with each network that counted a vote for the group.
    let asked: Vec<(i64, &str)> = pairs
        .iter()
        .flat_map(|&(canonical, origin)| {
            groups
                .members(canonical)
                .map(move |question| (question, origin))
        })
        .collect();
    let mut recent: HashMap<(i64, String), i64> = HashMap::new();
    for (question, origin, votes) in db::vote_batch::recent_by_origin(conn, &asked, since)? {
        if let Some(canonical) = groups.canonical_of(question) {
            *recent.entry((canonical, origin)).or_default() += votes;
        }
    }
    let mut flagged: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for &(canonical, origin) in &pairs {
        let votes = recent
            .get(&(canonical, origin.to_owned()))
            .copied()
            .unwrap_or(0);
        if votes >= i64::from(rule.votes_per_minute) {
            flagged
                .entry(origin)
                .or_default()
                .extend(groups.members(canonical));
        }
    }
    for (origin, question_ids) in flagged {
        db::vote_batch::mark_automated(conn, &question_ids, origin, since)?;
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
            let locked = db::vote_batch::lock_counts(conn, &[canonical_id])?;
            let before = match locked.get(&canonical_id) {
                Some(locked) if locked.merged_into.is_none() => locked.count,
                Some(_) => {
                    return Err(AppError::conflict(
                        "busy",
                        "This question was merged just now; reload and try again.",
                    ))
                }
                None => return Err(AppError::NotFound { what: "question" }),
            };
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
