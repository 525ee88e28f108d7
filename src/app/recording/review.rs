//! What the recording's review page shows: the transcript, the timeline, and every approved or
//! answered question with its proposal and its answer so far; and accepting all sure proposals at
//! once.

use std::collections::HashMap;

use crate::app::recording::accept::{self, Acceptance, Accepting};
use crate::app::recording::proposals::{self, Material, Proposal, Source};
use crate::app::recording::transcription::TranscriptionState;
use crate::bus::Bus;
use crate::db::{
    self, answers::Answer, events::Event, questions::Question, transcripts::TranscriptSummary, Db,
};
use crate::error::AppError;
use crate::meaning::Meaning;
use crate::transcript::{Chapter, Cue};

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
    /// With a model: how many of the transcript's cues have a vector, of how many. Until all
    /// have, proposals match by words alone.
    pub read_by_meaning: Option<(i64, i64)>,
    /// What was said, in time order.
    pub cues: Vec<Cue>,
    /// The recording's chapters, from the answers' moments.
    pub chapters: Vec<Chapter>,
    /// The latest recording sent for transcription, if any.
    pub transcription: Option<TranscriptionState>,
}

impl Review {
    /// Moves a question's moment to `at_ms` (a nudge, or a cue the moderator picked): its
    /// passage and draft then run from there, until the next question's moment or a few
    /// minutes. Answers the moved proposal, or `None` when the question is not on the page.
    pub fn move_moment(&mut self, question_id: i64, at_ms: i64) -> Option<&Proposal> {
        let recording_end = self.cues.last().map_or(0, |cue| cue.end_ms);
        let at_ms = at_ms.clamp(0, recording_end.max(0));
        let next = self
            .rows
            .iter()
            .filter(|row| row.question.id != question_id)
            .filter_map(|row| row.proposal.as_ref().map(|proposal| proposal.at_ms))
            .filter(|&start| start > at_ms)
            .min();
        let end_ms = proposals::passage_end(at_ms, next, Some(recording_end));
        let row = self
            .rows
            .iter_mut()
            .find(|row| row.question.id == question_id)?;
        let draft = proposals::passage(&self.cues, at_ms, end_ms, &row.question.body);
        row.proposal = Some(Proposal {
            question_id,
            at_ms,
            end_ms,
            confidence: 1.0,
            source: Source::Chosen,
            draft,
        });
        row.proposal.as_ref()
    }
}

pub async fn review(db: &Db, meaning: &Meaning, slug: &str) -> Result<Review, AppError> {
    read(db, meaning, slug).await
}

/// The review, with the transcript's cues it was made from.
async fn read(db: &Db, meaning: &Meaning, slug: &str) -> Result<Review, AppError> {
    let slug = slug.to_owned();
    let model = meaning.model_tag();
    let (material, transcript, mut answers, read_by_meaning, (chapters, transcription)) = db
        .read(move |conn| {
            let event = db::events::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound { what: "event" })?;
            let transcript = db::transcripts::summary(conn, event.id)?;
            let read_by_meaning = match (&model, &transcript) {
                (Some(model), Some(_)) => {
                    Some(db::transcripts::vector_progress(conn, event.id, model)?)
                }
                _ => None,
            };
            let material = Material::read(conn, event, model.as_deref())?;
            let ids: Vec<i64> = material.questions.iter().map(|q| q.id).collect();
            let answers: HashMap<i64, Answer> = db::answers::of_questions(conn, &ids)?
                .into_iter()
                .map(|answer| (answer.question_id, answer))
                .collect();
            let chapters = proposals::chapters_of(conn, material.event.id)?;
            let transcription = db::transcriptions::latest_of_event(conn, material.event.id)?
                .map(|row| TranscriptionState::of(row, crate::app::now()));
            Ok((
                material,
                transcript,
                answers,
                read_by_meaning,
                (chapters, transcription),
            ))
        })
        .await?;
    let mut proposals: HashMap<i64, Proposal> = material
        .proposals(meaning)
        .into_iter()
        .map(|proposal| (proposal.question_id, proposal))
        .collect();
    let Material {
        event,
        questions,
        cues,
        first_shown,
        ..
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
    Ok(Review {
        event,
        transcript,
        shown,
        rows,
        read_by_meaning,
        cues,
        chapters,
        transcription,
    })
}

/// Accepts, as proposed, every proposal at least `min_confidence` sure whose question has no
/// answer yet; answers how many. The proposals are made once, not once per acceptance.
pub async fn accept_all(
    db: &Db,
    meaning: &Meaning,
    bus: &Bus,
    actor: i64,
    slug: &str,
    min_confidence: f32,
) -> Result<usize, AppError> {
    let review = read(db, meaning, slug).await?;
    let mut accepted = 0;
    for row in &review.rows {
        let sure = row
            .proposal
            .as_ref()
            .filter(|proposal| proposal.confidence >= min_confidence && !proposal.draft.is_empty());
        if let (Some(proposal), None) = (sure, &row.answer) {
            let accepting = Accepting {
                question_id: row.question.id,
                question: &row.question.body,
                acceptance: Acceptance::default(),
                proposal: Some(proposal),
                existing: None,
                cues: &review.cues,
            };
            accept::accept_with(db, bus, actor, accepting).await?;
            accepted += 1;
        }
    }
    Ok(accepted)
}
