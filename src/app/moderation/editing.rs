//! Moderators tidy a question's wording; the original stays in `question_edits`, visible to
//! moderators, and the audit log has both texts.

use crate::app::now;
use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::{self, modlog::NewEntry, questions::Question, Db, DbConnection};
use crate::domain::{LabelName, QuestionBody, QuestionStatus};
use crate::error::AppError;

pub async fn edit_question(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    body: QuestionBody,
) -> Result<Question, AppError> {
    edit(db, bus, actor, question_id, Some(body), None).await
}

/// Changes a question's wording, its labels, or both, in one transaction (the API's `PATCH`).
pub async fn edit(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    body: Option<QuestionBody>,
    labels: Option<Vec<LabelName>>,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        if let Some(body) = &body {
            reword(conn, actor, question_id, body)?;
        }
        if let Some(labels) = &labels {
            relabel(conn, actor, question_id, labels)?;
        }
        db::questions::find(conn, question_id)?.ok_or(AppError::NotFound { what: "question" })
    })
    .await
    .inspect(|question| crate::app::announce_change(bus, question))
}

fn reword(
    conn: &mut DbConnection,
    actor: i64,
    question_id: i64,
    body: &QuestionBody,
) -> Result<(), AppError> {
    let question =
        db::questions::find(conn, question_id)?.ok_or(AppError::NotFound { what: "question" })?;
    if question.status == QuestionStatus::Merged {
        return Err(AppError::conflict(
            "not_allowed",
            "Edit the question it was merged into instead.",
        ));
    }
    if question.body == body.as_str() {
        return Ok(());
    }
    let at = now();
    db::curation::record_edit(conn, question_id, actor, &question.body, at)?;
    db::curation::set_body(conn, question_id, body.as_str(), at)?;
    db::modlog::record(
        conn,
        &NewEntry {
            moderator_id: Some(actor),
            action: "question.edit",
            event_id: Some(question.event_id),
            question_id: Some(question_id),
            before_value: Some(&question.body),
            after_value: Some(body.as_str()),
            created_at: at,
            ..NewEntry::default()
        },
    )?;
    db::changes::record(conn, question_id, at)
}

/// Marks the question being discussed; one per event, so the previous one comes off.
pub async fn put_on_screen(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        let question = db::questions::find(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        if !question.status.is_listed() {
            return Err(AppError::conflict(
                "not_allowed",
                format!(
                    "Question #{question_id} is {} and cannot go on screen.",
                    question.status.as_str()
                ),
            ));
        }
        let at = now();
        let taken_off = db::curation::put_on_screen(conn, question.event_id, question_id)?;
        db::screen_times::shown(conn, question.event_id, question_id, at)?;
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: Some(actor),
                action: "question.on_screen",
                event_id: Some(question.event_id),
                question_id: Some(question_id),
                created_at: at,
                ..NewEntry::default()
            },
        )?;
        let question = db::questions::find(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        Ok((question, taken_off))
    })
    .await
    .map(|(question, taken_off)| announce_screen(bus, question, &taken_off))
}

/// The question moved on or off screen, and those it took off, changed for live pages.
fn announce_screen(bus: &Bus, question: Question, taken_off: &[i64]) -> Question {
    crate::app::announce_change(bus, &question);
    bus.publish_all(
        taken_off
            .iter()
            .filter(|id| **id != question.id)
            .map(|id| Notice::question(question.event_id, *id, NoticeKind::Changed)),
    );
    question
}

/// Takes whatever is on screen off it.
pub async fn clear_screen(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        let question = db::questions::find(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        let at = now();
        let taken_off = db::curation::clear_screen(conn, question.event_id)?;
        db::screen_times::hidden(conn, question.event_id, at)?;
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: Some(actor),
                action: "question.off_screen",
                event_id: Some(question.event_id),
                question_id: Some(question_id),
                created_at: at,
                ..NewEntry::default()
            },
        )?;
        let question = db::questions::find(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        Ok((question, taken_off))
    })
    .await
    .map(|(question, taken_off)| announce_screen(bus, question, &taken_off))
}

/// A moderator's own vote, kept apart from the public count: one per moderator per question.
/// Idempotent, like public votes.
pub async fn moderator_vote(
    db: &Db,
    actor: i64,
    question_id: i64,
    up: bool,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        let question = db::questions::find(conn, question_id)?
            .ok_or(AppError::NotFound { what: "question" })?;
        if !matches!(
            question.status,
            QuestionStatus::Pending | QuestionStatus::Approved
        ) {
            return Err(AppError::conflict(
                "not_allowed",
                format!(
                    "Question #{question_id} is {}; moderator votes are for open questions.",
                    question.status.as_str()
                ),
            ));
        }
        let had = db::moderator_votes::has_voted(conn, question_id, actor)?;
        let at = now();
        let action = match (up, had) {
            (true, false) => {
                db::moderator_votes::insert(conn, question_id, actor, at)?;
                Some("question.moderator_vote")
            }
            (false, true) => {
                db::moderator_votes::delete(conn, question_id, actor)?;
                Some("question.moderator_unvote")
            }
            _ => None,
        };
        if let Some(action) = action {
            db::modlog::record(
                conn,
                &NewEntry {
                    moderator_id: Some(actor),
                    action,
                    event_id: Some(question.event_id),
                    question_id: Some(question_id),
                    created_at: at,
                    ..NewEntry::default()
                },
            )?;
        }
        Ok(question)
    })
    .await
}

/// Sets a question's labels (creating the event's labels as they are first used).
pub async fn set_labels(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    labels: Vec<LabelName>,
) -> Result<Question, AppError> {
    edit(db, bus, actor, question_id, None, Some(labels)).await
}

fn relabel(
    conn: &mut DbConnection,
    actor: i64,
    question_id: i64,
    labels: &[LabelName],
) -> Result<(), AppError> {
    let question =
        db::questions::find(conn, question_id)?.ok_or(AppError::NotFound { what: "question" })?;
    let before: Vec<String> = db::labels::of_questions(conn, &[question_id])?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let mut ids = Vec::with_capacity(labels.len());
    for label in labels {
        ids.push(db::labels::find_or_create(
            conn,
            question.event_id,
            label.as_str(),
        )?);
    }
    db::labels::set_for_question(conn, question_id, &ids)?;
    let after: Vec<&str> = labels.iter().map(LabelName::as_str).collect();
    let at = now();
    db::modlog::record(
        conn,
        &NewEntry {
            moderator_id: Some(actor),
            action: "question.labels",
            event_id: Some(question.event_id),
            question_id: Some(question_id),
            before_value: Some(&before.join(", ")),
            after_value: Some(&after.join(", ")),
            created_at: at,
            ..NewEntry::default()
        },
    )?;
    db::changes::record(conn, question_id, at)
}
