//! Merging duplicates, and taking a merge back. Votes never move: a merge records
//! `merged_into`, and the canonical question's count becomes the number of distinct voters over
//! its group, so someone who voted for two of them counts once and an unmerge gives back exactly
//! what was there. Chains flatten; cycles and merges across events are refused.

use crate::bus::{Bus, Notice, NoticeKind};
use serde::{Deserialize, Serialize};

use crate::app::now;
use crate::db::{self, modlog::NewEntry, questions::Question, Db, DbConnection};
use crate::domain::{Invalid, QuestionStatus};
use crate::error::AppError;

const MERGE: &str = "question.merge";
const UNMERGE: &str = "question.unmerge";

/// What a merge did, kept in its audit-log line so that its undo can reverse exactly that.
#[derive(Serialize, Deserialize, Default)]
struct MergeRecord {
    into: i64,
    /// The merged question's status before.
    status: Option<QuestionStatus>,
    /// The canonical question's status before.
    into_status: Option<QuestionStatus>,
    /// Questions that were merged into the merged one and now point at the canonical one.
    children: Vec<i64>,
    /// The merged question's answer went to the canonical one.
    answer_moved: bool,
    /// Labels the canonical question gained.
    labels_added: Vec<String>,
}

fn find(conn: &mut DbConnection, id: i64) -> Result<Question, AppError> {
    db::questions::find(conn, id)?.ok_or(AppError::NotFound { what: "question" })
}

/// Merges `source` into `into` (or into the question `into` is merged into); returns the
/// canonical question. When only `source` has an answer, `keep_answer_of` says where it goes:
/// `source`'s id moves it to the canonical question, the canonical id leaves it with `source`.
pub async fn merge(
    db: &Db,
    bus: &Bus,
    actor: i64,
    source_id: i64,
    into_id: i64,
    keep_answer_of: Option<i64>,
) -> Result<Question, AppError> {
    merge_many(db, bus, actor, vec![source_id], into_id, keep_answer_of).await
}

/// Merges several questions into one in a single transaction (the dashboard's checkboxes):
/// all or none, each merge logged on its own so each can be undone, the count taken once.
pub async fn merge_many(
    db: &Db,
    bus: &Bus,
    actor: i64,
    source_ids: Vec<i64>,
    into_id: i64,
    keep_answer_of: Option<i64>,
) -> Result<Question, AppError> {
    if source_ids.is_empty() {
        return Err(Invalid::new("ids", "Tick the questions to merge first.").into());
    }
    let merged = source_ids.clone();
    let canonical = db
        .write(move |conn| {
            let at = now();
            let mut canonical_id = into_id;
            for source_id in &source_ids {
                canonical_id = merge_in(conn, actor, *source_id, into_id, keep_answer_of, at)?;
            }
            db::merges::recount(conn, canonical_id)?;
            find(conn, canonical_id)
        })
        .await?;
    crate::app::announce_change(bus, &canonical);
    bus.publish_all(
        merged
            .into_iter()
            .map(|id| Notice::question(canonical.event_id, id, NoticeKind::Changed)),
    );
    Ok(canonical)
}

/// Takes the vote-count locks of both questions as votes take theirs: together, in id order, so
/// that a merge and a batch of votes never wait for each other in a circle.
fn lock_counts_of(
    conn: &mut DbConnection,
    source_id: i64,
    canonical_id: i64,
) -> Result<(), AppError> {
    db::vote_batch::lock_counts(
        conn,
        &[source_id.min(canonical_id), source_id.max(canonical_id)],
    )?;
    Ok(())
}

/// One merge, without the recount; returns the canonical question's id.
fn merge_in(
    conn: &mut DbConnection,
    actor: i64,
    source_id: i64,
    into_id: i64,
    keep_answer_of: Option<i64>,
    at: chrono::NaiveDateTime,
) -> Result<i64, AppError> {
    let named = find(conn, into_id)?;
    let canonical_id = named.merged_into.unwrap_or(named.id);
    lock_counts_of(conn, source_id, canonical_id)?;
    // Read again under the locks: a merge committed meanwhile shows here, and `check` refuses.
    let source = find(conn, source_id)?;
    let canonical = find(conn, canonical_id)?;
    check(&source, &canonical)?;

    let children = db::questions::merged_into_any(conn, &[source.id])?;
    if !children.is_empty() {
        db::merges::repoint(conn, &children, canonical.id, at)?;
    }
    let answer_moved = settle_answer(conn, &source, &canonical, keep_answer_of, at)?;
    db::merges::link(
        conn,
        &[source.id],
        Some(canonical.id),
        QuestionStatus::Merged,
        at,
    )?;
    let labels_added = unite_labels(conn, &source, &canonical)?;
    if answer_moved {
        // The canonical question is answered now, by the answer it took: its askers (the merged
        // one's among them) hear of it as of any answer.
        crate::app::outreach::mail_letters::tell_answered_with_stored_answer(conn, &canonical)?;
    }
    crate::app::outreach::mail_letters::tell_merged(conn, &source, &canonical)?;
    db::changes::record(conn, source.id, at)?;
    db::changes::record(conn, canonical.id, at)?;
    let record = MergeRecord {
        into: canonical.id,
        status: Some(source.status),
        into_status: Some(canonical.status),
        children,
        answer_moved,
        labels_added,
    };
    let details = serde_json::to_string(&record)
        .map_err(|error| AppError::internal("recording a merge", error))?;
    db::modlog::record(
        conn,
        &NewEntry {
            moderator_id: Some(actor),
            action: MERGE,
            event_id: Some(source.event_id),
            question_id: Some(source.id),
            before_value: Some(source.status.as_str()),
            after_value: Some(&details),
            created_at: at,
            ..NewEntry::default()
        },
    )?;
    Ok(canonical.id)
}

fn check(source: &Question, canonical: &Question) -> Result<(), AppError> {
    if canonical.id == source.id {
        return Err(Invalid::new(
            "into",
            format!(
                "#{} cannot be merged into itself or into a question merged into it.",
                source.id
            ),
        )
        .into());
    }
    if canonical.event_id != source.event_id {
        return Err(Invalid::new(
            "into",
            format!(
                "#{} is in another event: questions merge only within one event.",
                canonical.id
            ),
        )
        .into());
    }
    for (question, role) in [(source, "merged"), (canonical, "merged into")] {
        match question.status {
            QuestionStatus::Merged if role == "merged" => {
                return Err(AppError::conflict(
                    "already_merged",
                    format!(
                        "#{} is merged into #{} already; unmerge it first.",
                        question.id,
                        question.merged_into.unwrap_or_default()
                    ),
                ))
            }
            QuestionStatus::Rejected => {
                return Err(AppError::conflict(
                    "not_allowed",
                    format!(
                        "#{} was rejected and cannot be {role}; restore it first.",
                        question.id
                    ),
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The canonical question's answer stands. When only the merged one has an answer, it moves
/// only if asked to; it is never dropped (left with the merged question, it comes back with an
/// unmerge).
fn settle_answer(
    conn: &mut DbConnection,
    source: &Question,
    canonical: &Question,
    keep_answer_of: Option<i64>,
    at: chrono::NaiveDateTime,
) -> Result<bool, AppError> {
    if !db::merges::has_answer(conn, source.id)? || db::merges::has_answer(conn, canonical.id)? {
        return Ok(false);
    }
    match keep_answer_of {
        Some(id) if id == source.id => {
            db::merges::move_answer(conn, source.id, canonical.id)?;
            db::curation::set_status(conn, canonical.id, QuestionStatus::Answered, None, at)?;
            Ok(true)
        }
        Some(id) if id == canonical.id => Ok(false),
        _ => Err(Invalid::new(
            "keep_answer_of",
            format!(
                "#{source} is answered and #{canonical} is not: move the answer to #{canonical} \
                 (keep_answer_of: {source}) or leave it with #{source} (keep_answer_of: \
                 {canonical}).",
                source = source.id,
                canonical = canonical.id
            ),
        )
        .into()),
    }
}

/// Gives the canonical question the merged one's labels; returns the ones it did not have.
fn unite_labels(
    conn: &mut DbConnection,
    source: &Question,
    canonical: &Question,
) -> Result<Vec<String>, AppError> {
    let mut had: Vec<String> = Vec::new();
    let mut offered: Vec<String> = Vec::new();
    for (id, name) in db::labels::of_questions(conn, &[source.id, canonical.id])? {
        if id == canonical.id {
            had.push(name);
        } else {
            offered.push(name);
        }
    }
    let added: Vec<String> = offered
        .into_iter()
        .filter(|name| !had.contains(name))
        .collect();
    if !added.is_empty() {
        set_labels(conn, canonical, had.iter().chain(&added))?;
    }
    Ok(added)
}

fn set_labels<'a>(
    conn: &mut DbConnection,
    question: &Question,
    names: impl Iterator<Item = &'a String>,
) -> Result<(), AppError> {
    let mut ids = Vec::new();
    for name in names {
        ids.push(db::labels::find_or_create(conn, question.event_id, name)?);
    }
    db::labels::set_for_question(conn, question.id, &ids)
}

/// Takes a merge back: the question, the ones that were merged into it, its answer and the
/// labels it brought return to where they were; both counts are counted again.
pub async fn unmerge(db: &Db, bus: &Bus, actor: i64, source_id: i64) -> Result<Question, AppError> {
    db.write(move |conn| {
        let merged_into = |source: &Question| match (source.status, source.merged_into) {
            (QuestionStatus::Merged, Some(into)) => Ok(into),
            _ => Err(AppError::conflict(
                "not_merged",
                format!("#{} is not merged into another question.", source.id),
            )),
        };
        let canonical_id = merged_into(&find(conn, source_id)?)?;
        lock_counts_of(conn, source_id, canonical_id)?;
        let source = find(conn, source_id)?;
        if merged_into(&source)? != canonical_id {
            return Err(AppError::conflict(
                "busy",
                "This question was merged again meanwhile; reload and try again.",
            ));
        }
        let canonical = find(conn, canonical_id)?;
        let record: MergeRecord = db::modlog::latest_change(conn, source.id, MERGE)?
            .and_then(|logged| logged.after)
            .and_then(|details| serde_json::from_str(&details).ok())
            .unwrap_or_default();
        let at = now();
        let status = record.status.unwrap_or(QuestionStatus::Approved);
        db::merges::link(conn, &[source.id], None, status, at)?;
        let still_merged = db::questions::merged_into_any(conn, &[canonical.id])?;
        let children: Vec<i64> = record
            .children
            .iter()
            .copied()
            .filter(|child| still_merged.contains(child))
            .collect();
        if !children.is_empty() {
            db::merges::repoint(conn, &children, source.id, at)?;
        }
        if record.answer_moved && db::merges::has_answer(conn, canonical.id)? {
            db::merges::move_answer(conn, canonical.id, source.id)?;
            let before = record.into_status.unwrap_or(QuestionStatus::Approved);
            db::curation::set_status(conn, canonical.id, before, None, at)?;
        }
        if !record.labels_added.is_empty() {
            let kept: Vec<String> = db::labels::of_questions(conn, &[canonical.id])?
                .into_iter()
                .map(|(_, name)| name)
                .filter(|name| !record.labels_added.contains(name))
                .collect();
            set_labels(conn, &canonical, kept.iter())?;
        }
        db::merges::recount(conn, canonical.id)?;
        db::merges::recount(conn, source.id)?;
        db::changes::record(conn, source.id, at)?;
        db::changes::record(conn, canonical.id, at)?;
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: Some(actor),
                action: UNMERGE,
                event_id: Some(source.event_id),
                question_id: Some(source.id),
                before_value: Some(&format!("merged into #{}", canonical.id)),
                after_value: Some(status.as_str()),
                created_at: at,
                ..NewEntry::default()
            },
        )?;
        Ok((find(conn, source.id)?, canonical.id))
    })
    .await
    .map(|(source, canonical_id)| {
        crate::app::announce_change(bus, &source);
        bus.publish(Notice::question(
            source.event_id,
            canonical_id,
            NoticeKind::Changed,
        ));
        source
    })
}
