//! What the recording's review page shows: the transcript, the timeline, and every approved or
//! answered question with its proposal and its answer so far; and accepting all sure proposals at
//! once.

use std::collections::HashMap;

use super::recording::{self, Proposal};
use super::recording_accept::{self, Acceptance};
use crate::bus::Bus;
use crate::db::{
    self, answers::Answer, events::Event, questions::Question, transcripts::TranscriptSummary, Db,
};
use crate::domain::QuestionStatus;
use crate::error::AppError;

pub struct ReviewRow {
    pub question: Question,
    pub proposal: Option<Proposal>,
    pub answer: Option<Answer>,
}

pub struct Review {
    pub event: Event,
    pub transcript: Option<TranscriptSummary>,
    /// Questions that were on screen, for the timeline's sync point: (id, text).
    pub shown: Vec<(i64, String)>,
    /// In the recording's order; questions without a moment last.
    pub rows: Vec<ReviewRow>,
}

pub async fn review(db: &Db, slug: &str) -> Result<Review, AppError> {
    let mut proposals: HashMap<i64, Proposal> = recording::proposals(db, slug)
        .await?
        .into_iter()
        .map(|proposal| (proposal.question_id, proposal))
        .collect();
    let slug = slug.to_owned();
    let (event, transcript, shown, questions, mut answers) = db
        .read(move |conn| {
            let event = db::events::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound { what: "event" })?;
            let transcript = db::transcripts::summary(conn, event.id)?;
            let mut questions =
                db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)?;
            questions.extend(db::questions::in_event_with_status(
                conn,
                event.id,
                QuestionStatus::Answered,
            )?);
            let ids: Vec<i64> = questions.iter().map(|question| question.id).collect();
            let answers: HashMap<i64, Answer> = db::answers::of_questions(conn, &ids)?
                .into_iter()
                .map(|answer| (answer.question_id, answer))
                .collect();
            let first_shown = db::screen_times::first_shown(conn, event.id)?;
            let shown = questions
                .iter()
                .filter(|question| first_shown.contains_key(&question.id))
                .map(|question| (question.id, question.body.clone()))
                .collect();
            Ok((event, transcript, shown, questions, answers))
        })
        .await?;
    let mut rows: Vec<ReviewRow> = questions
        .into_iter()
        .map(|question| ReviewRow {
            proposal: proposals.remove(&question.id),
            answer: answers.remove(&question.id),
            question,
        })
        .collect();
    rows.sort_by_key(|row| {
        (
            row.proposal.is_none(),
            row.proposal.as_ref().map_or(0, |proposal| proposal.at_ms),
            row.question.id,
        )
    });
    Ok(Review {
        event,
        transcript,
        shown,
        rows,
    })
}

/// Accepts, as proposed, every proposal at least `min_confidence` sure whose question has no
/// answer yet; answers how many.
pub async fn accept_all(
    db: &Db,
    bus: &Bus,
    actor: i64,
    slug: &str,
    min_confidence: f32,
) -> Result<usize, AppError> {
    let review = review(db, slug).await?;
    let mut accepted = 0;
    for row in review.rows {
        let sure = row.proposal.as_ref().is_some_and(|proposal| {
            proposal.confidence >= min_confidence && !proposal.draft.is_empty()
        });
        if sure && row.answer.is_none() {
            recording_accept::accept(db, bus, actor, row.question.id, Acceptance::default())
                .await?;
            accepted += 1;
        }
    }
    Ok(accepted)
}
