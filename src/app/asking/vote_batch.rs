//! Counting a batch of votes in one transaction. The rules are those of one vote at a time, in
//! the order the votes came; what they read and write is read and written for the whole batch at
//! once (see `db::vote_batch`), so a vote costs a fraction of a statement.

use std::collections::{BTreeSet, HashMap};

use crate::app::asking::automated_votes::{self, BurstRule, FreshVote};
use crate::app::asking::ballot::{Ballot, VoteAction, VoteState};
use crate::app::asking::vote_groups::Groups;
use crate::db::vote_batch::{self, LockedCount, NewVote, VoteTarget};
use crate::db::{self, DbConnection};
use crate::domain::QuestionStatus;
use crate::error::AppError;

/// One vote waiting to be counted.
pub struct VoteRequest {
    pub question_id: i64,
    pub ballot: Ballot,
    pub action: VoteAction,
    pub burst_rule: BurstRule,
}

/// What a counted vote did.
#[derive(Debug, Clone, Copy)]
pub struct Counted {
    pub state: VoteState,
    pub event_id: i64,
    /// Whether the count changed (live pages are told).
    pub changed: bool,
}

/// A voter's votes on one group as the batch goes: those stored before it, and what it adds.
#[derive(Default)]
struct VoterInGroup {
    /// (question, discounted) of the votes stored before the batch, unless withdrawn in it.
    stored: Vec<(i64, bool)>,
    /// Whether the stored votes are to be deleted.
    withdrawn: bool,
    /// Questions the batch adds a vote on.
    added: Vec<i64>,
}

impl VoterInGroup {
    fn has_voted(&self) -> bool {
        !self.stored.is_empty() || !self.added.is_empty()
    }

    fn has_voted_on(&self, question_id: i64) -> bool {
        self.stored
            .iter()
            .any(|&(question, _)| question == question_id)
            || self.added.contains(&question_id)
    }

    /// A discounted vote is not in the count; a vote the batch adds is.
    fn is_counted(&self) -> bool {
        !self.added.is_empty() || self.stored.iter().any(|&(_, discounted)| !discounted)
    }
}

/// Counts `requests` in order, in the caller's transaction: each gets its own outcome, an `Err`
/// for a vote refused (unknown question, voting closed, …). An `Err` overall means nothing was
/// counted.
pub fn count_all(
    conn: &mut DbConnection,
    requests: &[VoteRequest],
) -> Result<Vec<Result<Counted, AppError>>, AppError> {
    let (targets, locked) = lock_canonicals(conn, requests)?;
    // A question locked as canonical may have been merged while the lock was awaited: it is a
    // member of the group it went to now, not a group of its own.
    let canonical_ids: Vec<i64> = locked
        .iter()
        .filter(|(_, locked)| locked.merged_into.is_none())
        .map(|(&id, _)| id)
        .collect();
    let groups = Groups::of(conn, &canonical_ids)?;

    let checked: Vec<Result<(i64, &VoteTarget), AppError>> = requests
        .iter()
        .map(|request| check(&targets, &locked, request.question_id))
        .collect();
    let voters: Vec<&str> = requests
        .iter()
        .zip(&checked)
        .filter(|(_, checked)| checked.is_ok())
        .map(|(request, _)| request.ballot.voter.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let earlier = if voters.is_empty() {
        Vec::new()
    } else {
        vote_batch::votes_of(conn, &voters)?
    };
    let mut voters_in_groups: HashMap<(&str, i64), VoterInGroup> = HashMap::new();
    for vote in &earlier {
        // Votes on other questions are no business of this batch.
        let Some(canonical_id) = groups.canonical_of(vote.question_id) else {
            continue;
        };
        voters_in_groups
            .entry((vote.voter_hash.as_str(), canonical_id))
            .or_default()
            .stored
            .push((vote.question_id, vote.discounted));
    }

    let mut deltas: HashMap<i64, i32> = HashMap::new();
    let mut fresh = Vec::new();
    let mut outcomes = Vec::with_capacity(requests.len());
    for (request, checked) in requests.iter().zip(checked) {
        let (canonical_id, target) = match checked {
            Ok(checked) => checked,
            Err(refused) => {
                outcomes.push(Err(refused));
                continue;
            }
        };
        let voter = request.ballot.voter.as_str();
        let group = voters_in_groups.entry((voter, canonical_id)).or_default();
        let delta = match (request.action, group.has_voted()) {
            (VoteAction::Upvote, false) => {
                group.added.push(request.question_id);
                fresh.push(FreshVote {
                    canonical_id,
                    origin: request.ballot.network.as_str(),
                    at: request.ballot.cast_at,
                });
                1
            }
            // Counted already through another question of the group: the vote is still kept on
            // the question it was cast on, so that an unmerge gives it back.
            (VoteAction::Upvote, true) => {
                if !group.has_voted_on(request.question_id) {
                    group.added.push(request.question_id);
                }
                0
            }
            (VoteAction::Withdraw, true) => {
                let counted = group.is_counted();
                group.withdrawn |= !group.stored.is_empty();
                group.stored.clear();
                group.added.clear();
                -i32::from(counted)
            }
            (VoteAction::Withdraw, false) => 0,
        };
        let running = deltas.entry(canonical_id).or_default();
        *running += delta;
        let count = locked.get(&canonical_id).map_or(0, |locked| locked.count) + *running;
        outcomes.push(Ok(Counted {
            state: VoteState {
                question_id: canonical_id,
                vote_count: count,
                voted: request.action == VoteAction::Upvote,
            },
            event_id: target.event_id,
            changed: delta != 0,
        }));
    }

    store(conn, requests, &voters_in_groups)?;
    if let Some(rule) = requests.first().map(|request| request.burst_rule) {
        automated_votes::judge(conn, &groups, &fresh, rule)?;
    }
    let deltas: Vec<(i64, i32)> = deltas.into_iter().filter(|&(_, by)| by != 0).collect();
    vote_batch::add_to_counts(conn, &deltas)?;
    Ok(outcomes)
}

type Targets = HashMap<i64, VoteTarget>;
type Locked = HashMap<i64, LockedCount>;

/// Steps from a question to the one its votes count for: merges flatten chains, so one at
/// rest, and one more for each merge that commits while the batch waits for a lock.
const MERGE_STEPS: usize = 4;

/// Looks up the batch's questions and locks the counts of the questions their votes count for.
/// A merge can commit while a lock is awaited (on PostgreSQL; SQLite runs every write in turn):
/// the locked row then says where it went, and that question is looked up and locked in turn,
/// so a vote is never counted for a question merged away meanwhile.
fn lock_canonicals(
    conn: &mut DbConnection,
    requests: &[VoteRequest],
) -> Result<(Targets, Locked), AppError> {
    let mut targets = Targets::new();
    let mut locked = Locked::new();
    for _ in 0..2 * MERGE_STEPS {
        let canonicals: BTreeSet<i64> = requests
            .iter()
            .filter_map(|request| canonical_of(&targets, &locked, request.question_id))
            .collect();
        let unknown: Vec<i64> = requests
            .iter()
            .map(|request| request.question_id)
            .chain(canonicals.iter().copied())
            .filter(|id| !targets.contains_key(id))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !unknown.is_empty() {
            let found = vote_batch::targets(conn, &unknown)?;
            if !found.is_empty() {
                targets.extend(found);
                continue;
            }
        }
        let unlocked: Vec<i64> = canonicals
            .into_iter()
            .filter(|id| targets.contains_key(id) && !locked.contains_key(id))
            .collect();
        if unlocked.is_empty() {
            break;
        }
        locked.extend(vote_batch::lock_counts(conn, &unlocked)?);
    }
    Ok((targets, locked))
}

/// The question a vote on `question_id` counts for, as far as is known: where it was merged, and
/// where that went while its lock was awaited.
fn canonical_of(targets: &Targets, locked: &Locked, question_id: i64) -> Option<i64> {
    let mut canonical = targets
        .get(&question_id)
        .map(|target| target.merged_into.unwrap_or(question_id))?;
    for _ in 0..MERGE_STEPS {
        match locked.get(&canonical).and_then(|locked| locked.merged_into) {
            Some(into) => canonical = into,
            None => break,
        }
    }
    Some(canonical)
}

/// Whether a vote on `question_id` may be counted, and for which question.
fn check<'t>(
    targets: &'t Targets,
    locked: &Locked,
    question_id: i64,
) -> Result<(i64, &'t VoteTarget), AppError> {
    let not_found = || AppError::NotFound { what: "question" };
    let canonical_id = canonical_of(targets, locked, question_id).ok_or_else(not_found)?;
    let canonical = targets.get(&canonical_id).ok_or_else(not_found)?;
    let settled = locked
        .get(&canonical_id)
        .is_some_and(|locked| locked.merged_into.is_none());
    if !settled {
        return Err(AppError::conflict(
            "busy",
            "This question is being merged right now; vote again in a moment.",
        ));
    }
    // Drafts do not exist for the public, nor do rejected questions.
    if !canonical.event_status.is_public() {
        return Err(not_found());
    }
    match canonical.status {
        status if status.is_listed() => {}
        QuestionStatus::Pending => {
            return Err(AppError::conflict(
                "not_votable",
                "This question is awaiting moderation; votes open once it is approved.",
            ))
        }
        _ => return Err(not_found()),
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
    Ok((canonical_id, canonical))
}

/// Writes what the batch changed: withdrawn votes go first, so a vote withdrawn and cast again
/// in one batch is stored once.
fn store(
    conn: &mut DbConnection,
    requests: &[VoteRequest],
    groups: &HashMap<(&str, i64), VoterInGroup>,
) -> Result<(), AppError> {
    for (&(voter, canonical_id), group) in groups {
        if group.withdrawn {
            db::votes::delete_in_group(conn, canonical_id, voter)?;
        }
    }
    // Each new vote keeps the network and time of the request that cast it.
    let cast: HashMap<(&str, i64), &Ballot> = requests
        .iter()
        .map(|request| {
            (
                (request.ballot.voter.as_str(), request.question_id),
                &request.ballot,
            )
        })
        .collect();
    let new_votes: Vec<NewVote<'_>> = groups
        .iter()
        .flat_map(|(&(voter, _), group)| group.added.iter().map(move |&question| (voter, question)))
        .filter_map(|(voter, question_id)| {
            cast.get(&(voter, question_id)).map(|ballot| NewVote {
                question_id,
                voter_hash: voter,
                created_at: ballot.cast_at,
                origin: Some(ballot.network.as_str()),
            })
        })
        .collect();
    vote_batch::insert_all(conn, &new_votes)
}
