//! What moderators do to questions during a session: approve, reject with a reason, and undo a
//! rejection. Each move is one transaction that changes the question, writes the audit log and
//! tells search.

use crate::app::asking::automated_votes::AutomatedVotes;
use crate::bus::Bus;
use std::collections::HashMap;

use crate::app::now;
use crate::app::outreach::mail_letters as mail;
use crate::app::outreach::webhooks;
use crate::db::{
    self, answers::Answer, events::Event, modlog::NewEntry, questions::Question, Db, DbConnection,
};
use crate::domain::{Invalid, QuestionStatus, WebhookKind};
use crate::error::AppError;

pub const REASON_MAX_CHARS: usize = 500;

const APPROVE: &str = "question.approve";
const REJECT: &str = "question.reject";
const RESTORE: &str = "question.restore";

fn parse_reason(raw: &str) -> Result<Option<String>, Invalid> {
    let reason = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.chars().count() > REASON_MAX_CHARS || reason.chars().any(char::is_control) {
        return Err(Invalid::new(
            "reason",
            format!("A reason can be at most {REASON_MAX_CHARS} characters of plain text."),
        ));
    }
    Ok((!reason.is_empty()).then_some(reason))
}

struct Move<'a> {
    action: &'a str,
    to: QuestionStatus,
    reason: Option<&'a str>,
}

/// Changes the status, logs who did it (with the status before, for undo), and tells search.
fn apply(
    conn: &mut DbConnection,
    actor: i64,
    question: &Question,
    change: Move<'_>,
) -> Result<Question, AppError> {
    let at = now();
    db::curation::set_status(conn, question.id, change.to, change.reason, at)?;
    db::modlog::record(
        conn,
        &NewEntry {
            moderator_id: Some(actor),
            action: change.action,
            event_id: Some(question.event_id),
            question_id: Some(question.id),
            reason: change.reason,
            before_value: Some(question.status.as_str()),
            after_value: Some(change.to.as_str()),
            created_at: at,
        },
    )?;
    db::changes::record(conn, question.id, at)?;
    db::questions::find(conn, question.id)?.ok_or(AppError::NotFound { what: "question" })
}

fn not_allowed(question: &Question, verb: &str) -> AppError {
    AppError::conflict(
        "not_allowed",
        format!(
            "Question #{} is {} and cannot be {verb}.",
            question.id,
            question.status.as_str()
        ),
    )
}

fn find(conn: &mut DbConnection, question_id: i64) -> Result<Question, AppError> {
    db::questions::find(conn, question_id)?.ok_or(AppError::NotFound { what: "question" })
}

pub async fn approve(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        let question = find(conn, question_id)?;
        if !question.status.can_approve() {
            return Err(not_allowed(&question, "approved"));
        }
        let approved = apply(
            conn,
            actor,
            &question,
            Move {
                action: APPROVE,
                to: QuestionStatus::Approved,
                reason: None,
            },
        )?;
        webhooks::tell(
            conn,
            WebhookKind::QuestionApproved,
            (&approved).into(),
            None,
        )?;
        Ok(approved)
    })
    .await
    .inspect(|question| crate::app::announce_change(bus, question))
}

pub async fn reject(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    reason: &str,
) -> Result<Question, AppError> {
    let reason = parse_reason(reason)?;
    db.write(move |conn| {
        let question = find(conn, question_id)?;
        if !question.status.can_reject() {
            return Err(not_allowed(&question, "rejected"));
        }
        let rejected = apply(
            conn,
            actor,
            &question,
            Move {
                action: REJECT,
                to: QuestionStatus::Rejected,
                reason: reason.as_deref(),
            },
        )?;
        mail::tell_rejected(conn, &rejected)?;
        Ok(rejected)
    })
    .await
    .inspect(|question| crate::app::announce_change(bus, question))
}

/// Undoes a rejection: the question goes back to where it was before it.
pub async fn restore(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        let question = find(conn, question_id)?;
        if question.status != QuestionStatus::Rejected {
            return Err(not_allowed(&question, "restored"));
        }
        let before = db::modlog::latest_change(conn, question_id, REJECT)?
            .and_then(|logged| logged.before)
            .and_then(|status| status.parse().ok())
            .unwrap_or(QuestionStatus::Pending);
        apply(
            conn,
            actor,
            &question,
            Move {
                action: RESTORE,
                to: before,
                reason: None,
            },
        )
    })
    .await
    .inspect(|question| crate::app::announce_change(bus, question))
}

/// The dashboard's tabs, in order.
pub const TABS: [(&str, QuestionStatus); 4] = [
    ("pending", QuestionStatus::Pending),
    ("live", QuestionStatus::Approved),
    ("answered", QuestionStatus::Answered),
    ("rejected", QuestionStatus::Rejected),
];

pub struct Dashboard {
    pub event: Event,
    pub counts: HashMap<QuestionStatus, i64>,
    pub tab: &'static str,
    pub questions: Vec<Question>,
    /// Answers of the questions shown, by question id.
    pub answers: HashMap<i64, Answer>,
    /// Texts moderators replaced, newest first, by question id.
    pub edits: HashMap<i64, Vec<(String, chrono::NaiveDateTime)>>,
    /// Moderator votes by question id: how many, and whether the viewer's is among them.
    pub moderator_votes: HashMap<i64, ModeratorVotes>,
    /// `votes` (public votes first) or `moderators` (moderator votes first).
    pub sort: &'static str,
    /// Label names by question id.
    pub labels: HashMap<i64, Vec<String>>,
    /// The questions merged into each shown question, by its id.
    pub merged: HashMap<i64, Vec<Question>>,
    /// Every question of the event a question can be merged into, as (id, text): the merge
    /// picker's choices.
    pub merge_targets: Vec<(i64, String)>,
    /// Votes that look automated, by question id (only questions that have some).
    pub automated_votes: HashMap<i64, AutomatedVotes>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ModeratorVotes {
    pub count: i64,
    pub mine: bool,
}

/// One tab of an event's dashboard as `viewer` sees it; an unknown tab shows Pending when the
/// event pre-moderates, Live otherwise.
/// A question of this event that was just rejected, for the dashboard's "rejected — undo".
pub async fn just_rejected(db: &Db, slug: &str, id: i64) -> Result<Option<Question>, AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| {
        let Some(event) = db::events::find_by_slug(conn, &slug)? else {
            return Ok(None);
        };
        Ok(db::questions::find(conn, id)?.filter(|question| {
            question.event_id == event.id && question.status == QuestionStatus::Rejected
        }))
    })
    .await
}

/// Questions just merged from a dashboard page, and the one they went into: the page says so,
/// with an undo. Those no longer merged (taken back meanwhile) are left out.
pub struct JustMerged {
    pub into: Question,
    pub merged: Vec<Question>,
}

pub async fn just_merged(
    db: &Db,
    slug: &str,
    ids: Vec<i64>,
) -> Result<Option<JustMerged>, AppError> {
    if ids.is_empty() {
        return Ok(None);
    }
    let slug = slug.to_owned();
    db.read(move |conn| {
        let Some(event) = db::events::find_by_slug(conn, &slug)? else {
            return Ok(None);
        };
        let merged: Vec<Question> = db::questions::by_ids(conn, &ids)?
            .into_iter()
            .filter(|question| {
                question.event_id == event.id && question.status == QuestionStatus::Merged
            })
            .collect();
        let Some(into_id) = merged.first().and_then(|question| question.merged_into) else {
            return Ok(None);
        };
        let merged = merged
            .into_iter()
            .filter(|question| question.merged_into == Some(into_id))
            .collect();
        Ok(db::questions::find(conn, into_id)?.map(|into| JustMerged { into, merged }))
    })
    .await
}

pub async fn dashboard(
    db: &Db,
    viewer: i64,
    slug: &str,
    tab: Option<&str>,
    sort: Option<&str>,
) -> Result<Dashboard, AppError> {
    let slug = slug.to_owned();
    let tab = tab.map(str::to_owned);
    let sort = if sort == Some("moderators") {
        "moderators"
    } else {
        "votes"
    };
    db.read(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let default = if event.premoderation {
            "pending"
        } else {
            "live"
        };
        let (tab, status) = TABS
            .iter()
            .find(|(name, _)| Some(*name) == tab.as_deref())
            .or_else(|| TABS.iter().find(|(name, _)| *name == default))
            .copied()
            .ok_or(AppError::NotFound { what: "tab" })?;
        let counts = db::curation::status_counts(conn, event.id)?
            .into_iter()
            .collect();
        let mut questions = db::questions::in_event_with_status(conn, event.id, status)?;
        let ids: Vec<i64> = questions.iter().map(|question| question.id).collect();
        let mut merged: HashMap<i64, Vec<Question>> = HashMap::new();
        for question in db::questions::merged_into_ids(conn, &ids)? {
            if let Some(canonical) = question.merged_into {
                merged.entry(canonical).or_default().push(question);
            }
        }
        // A moderator counts once over a group, whichever of its questions they voted for.
        let canonical_of: HashMap<i64, i64> = merged
            .iter()
            .flat_map(|(canonical, members)| members.iter().map(|member| (member.id, *canonical)))
            .chain(ids.iter().map(|id| (*id, *id)))
            .collect();
        let group_ids: Vec<i64> = canonical_of.keys().copied().collect();
        let mut voters: std::collections::HashSet<(i64, i64)> = std::collections::HashSet::new();
        for (question_id, moderator_id) in db::moderator_votes::voters_of(conn, &group_ids)? {
            if let Some(canonical) = canonical_of.get(&question_id) {
                voters.insert((*canonical, moderator_id));
            }
        }
        let mut moderator_votes: HashMap<i64, ModeratorVotes> = HashMap::new();
        for (question_id, moderator_id) in voters {
            let tally = moderator_votes.entry(question_id).or_default();
            tally.count += 1;
            tally.mine |= moderator_id == viewer;
        }
        if sort == "moderators" {
            // Stable: among equal moderator votes the public order (votes, then age) stands.
            questions.sort_by_key(|question| {
                std::cmp::Reverse(
                    moderator_votes
                        .get(&question.id)
                        .map_or(0, |votes| votes.count),
                )
            });
        }
        let answers = db::answers::of_questions(conn, &ids)?
            .into_iter()
            .map(|answer| (answer.question_id, answer))
            .collect();
        let mut edits: HashMap<i64, Vec<_>> = HashMap::new();
        for (question_id, body, at) in db::curation::edits_of(conn, &ids)? {
            edits.entry(question_id).or_default().push((body, at));
        }
        let merge_targets = db::questions::merge_targets(conn, event.id)?;
        let automated_votes = crate::app::asking::automated_votes::in_event(conn, event.id)?;
        Ok(Dashboard {
            automated_votes,
            event,
            counts,
            tab,
            questions,
            answers,
            edits,
            moderator_votes,
            sort,
            labels: labels_by_question(conn, &ids)?,
            merged,
            merge_targets,
        })
    })
    .await
}

/// Label names by question id.
pub(crate) fn labels_by_question(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let mut labels: HashMap<i64, Vec<String>> = HashMap::new();
    for (question_id, name) in db::labels::of_questions(conn, ids)? {
        labels.entry(question_id).or_default().push(name);
    }
    Ok(labels)
}
