//! Each question's moment in the recording, proposed from the transcript, with a draft answer
//! from what was said there.

use std::collections::HashSet;

use crate::db::{self, Db};
use crate::domain::QuestionStatus;
use crate::error::AppError;
use crate::transcript::{draft, Cue, TranscriptIndex};

/// A passage runs at most this long when no other question's moment ends it first.
const LONGEST_PASSAGE_MS: i64 = 3 * 60 * 1000;
/// Moments this close (in cues) to one already given to a question are taken.
const TAKEN_WITHIN_CUES: usize = 3;
/// Transcript matches are never as sure as a question put on screen.
const TRANSCRIPT_CONFIDENCE_CAP: f32 = 0.9;
/// Below this share of a question's words (by weight) said in a passage, it was not discussed
/// there: "which solver is used?" matches any "used", which proposes nothing worth a look. On
/// QMSum it costs 3 hits of 1,332 questions (bench_transcript_quality).
const MIN_COVERAGE: f32 = 0.15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Transcript,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Transcript => "transcript",
        }
    }
}

/// Where a question was discussed, and what was said.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub question_id: i64,
    pub at_ms: i64,
    pub end_ms: i64,
    /// From 0 to 1.
    pub confidence: f32,
    pub source: Source,
    pub draft: String,
}

/// Proposals for every approved or answered question of the event that its transcript matches.
pub async fn proposals(db: &Db, slug: &str) -> Result<Vec<Proposal>, AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let mut questions =
            db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)?;
        questions.extend(db::questions::in_event_with_status(
            conn,
            event.id,
            QuestionStatus::Answered,
        )?);
        let cues = db::transcripts::cues(conn, event.id)?;
        let asked: Vec<(i64, &str)> = questions
            .iter()
            .map(|question| (question.id, question.body.as_str()))
            .collect();
        Ok(propose(&asked, &cues))
    })
    .await
}

/// Gives each question (id, text) its best moment not already given to a surer question, then
/// runs each passage until the next moment (or a few minutes).
pub fn propose(questions: &[(i64, &str)], cues: &[Cue]) -> Vec<Proposal> {
    if cues.is_empty() {
        return Vec::new();
    }
    let index = TranscriptIndex::new(cues);
    let mut candidates: Vec<(i64, Vec<crate::transcript::Moment>)> = questions
        .iter()
        .map(|(id, text)| {
            let mut moments = index.moments(text);
            moments.retain(|moment| moment.coverage >= MIN_COVERAGE);
            (*id, moments)
        })
        .filter(|(_, moments)| !moments.is_empty())
        .collect();
    candidates.sort_by(|a, b| {
        b.1[0]
            .coverage
            .total_cmp(&a.1[0].coverage)
            .then(a.0.cmp(&b.0))
    });
    let mut taken: HashSet<usize> = HashSet::new();
    let mut chosen: Vec<(i64, crate::transcript::Moment)> = Vec::new();
    for (question_id, moments) in candidates {
        let free = |moment: &&crate::transcript::Moment| {
            !taken
                .iter()
                .any(|cue| cue.abs_diff(moment.cue) < TAKEN_WITHIN_CUES)
        };
        let moment = moments.iter().find(free).unwrap_or(&moments[0]);
        taken.insert(moment.cue);
        chosen.push((question_id, *moment));
    }
    let mut starts: Vec<i64> = chosen
        .iter()
        .map(|(_, moment)| cues[moment.cue].start_ms)
        .collect();
    starts.sort_unstable();
    let transcript_end = cues.last().map_or(0, |cue| cue.end_ms);
    chosen
        .into_iter()
        .map(|(question_id, moment)| {
            let at_ms = cues[moment.cue].start_ms;
            let next = starts.iter().copied().find(|&start| start > at_ms);
            let end_ms = next
                .unwrap_or(transcript_end)
                .min(at_ms + LONGEST_PASSAGE_MS)
                .min(transcript_end)
                .max(cues[moment.cue].end_ms);
            Proposal {
                question_id,
                at_ms,
                end_ms,
                confidence: (moment.coverage * TRANSCRIPT_CONFIDENCE_CAP).clamp(0.0, 1.0),
                source: Source::Transcript,
                draft: draft(cues, moment.cue, end_ms),
            }
        })
        .collect()
}
