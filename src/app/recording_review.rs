//! What the recording's review page shows: the transcript, the timeline, and every approved or
//! answered question with its proposal and its answer so far; and accepting all sure proposals at
//! once.

use std::collections::HashMap;

use super::recording::{Material, Proposal};
use super::recording_accept::{self, Acceptance, Accepting};
use crate::bus::Bus;
use crate::db::{
    self, answers::Answer, events::Event, questions::Question, transcripts::TranscriptSummary, Db,
};
use crate::error::AppError;
use crate::transcript::Cue;

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
    Ok(read(db, slug).await?.0)
}

/// The review, and the transcript's cues it was made from.
async fn read(db: &Db, slug: &str) -> Result<(Review, Vec<Cue>), AppError> {
    let slug = slug.to_owned();
    let (material, transcript, mut answers) = db
        .read(move |conn| {
            let event = db::events::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound { what: "event" })?;
            let transcript = db::transcripts::summary(conn, event.id)?;
            let material = Material::read(conn, event)?;
            let ids: Vec<i64> = material.questions.iter().map(|q| q.id).collect();
            let answers: HashMap<i64, Answer> = db::answers::of_questions(conn, &ids)?
                .into_iter()
                .map(|answer| (answer.question_id, answer))
                .collect();
            Ok((material, transcript, answers))
        })
        .await?;
    let mut proposals: HashMap<i64, Proposal> = material
        .proposals()
        .into_iter()
        .map(|proposal| (proposal.question_id, proposal))
        .collect();
    let Material {
        event,
        questions,
        cues,
        first_shown,
    } = material;
    let shown = questions
        .iter()
        .filter(|question| first_shown.contains_key(&question.id))
        .map(|question| (question.id, question.body.clone()))
        .collect();
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
    let review = Review {
        event,
        transcript,
        shown,
        rows,
    };
    Ok((review, cues))
}

/// Accepts, as proposed, every proposal at least `min_confidence` sure whose question has no
/// answer yet; answers how many. The proposals are made once, not once per acceptance.
pub async fn accept_all(
    db: &Db,
    bus: &Bus,
    actor: i64,
    slug: &str,
    min_confidence: f32,
) -> Result<usize, AppError> {
    let (review, cues) = read(db, slug).await?;
    let mut accepted = 0;
    for row in &review.rows {
        let sure = row
            .proposal
            .as_ref()
            .filter(|proposal| proposal.confidence >= min_confidence && !proposal.draft.is_empty());
        if let (Some(proposal), None) = (sure, &row.answer) {
            let accepting = Accepting {
                question_id: row.question.id,
                acceptance: Acceptance::default(),
                proposal: Some(proposal),
                existing: None,
                cues: &cues,
            };
            recording_accept::accept_with(db, bus, actor, accepting).await?;
            accepted += 1;
        }
    }
    Ok(accepted)
}
