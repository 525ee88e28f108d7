//! Each question's moment in the recording, proposed from the transcript, with a draft answer
//! from what was said there.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;

use crate::db::{self, events::Event, questions::Question, Db, DbConnection};
use crate::domain::QuestionStatus;
use crate::error::AppError;
use crate::meaning::{unit_vectors::from_bytes, Meaning};
use crate::transcript::{self, draft, Chapter, Cue, Draft, Moment, TranscriptIndex};

/// A passage runs at most this long when no other question's moment ends it first.
pub const LONGEST_PASSAGE_MS: i64 = 3 * 60 * 1000;
/// A cue already given to a question (this close, in cues) is not given to another.
const TAKEN_WITHIN_CUES: usize = 1;
/// Transcript matches are never as sure as a question put on screen.
const TRANSCRIPT_CONFIDENCE_CAP: f32 = 0.9;
/// Below this share of a question's words (by weight) said in a passage, it was not discussed
/// there: "which solver is used?" matches any "used", which proposes nothing worth a look. On
/// QMSum it costs 3 hits of 1,332 questions (bench_transcript_quality).
const MIN_COVERAGE: f32 = 0.15;
/// Matched by meaning, a passage this close to the question was about it even when it shares
/// few of its words.
const MIN_CLOSENESS: f32 = 0.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The question was put on screen then: exact.
    OnScreen,
    /// Found in the transcript, by the question's words (and meaning, when there is a model).
    Transcript,
    /// Picked by a moderator on the review page, not yet accepted.
    Chosen,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::OnScreen => "on_screen",
            Source::Transcript => "transcript",
            Source::Chosen => "chosen",
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
    pub draft: Draft,
}

/// A question as the matching sees it.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub id: i64,
    pub text: &'a str,
    /// When it was asked, as a moment of the recording, if that is known and during it.
    pub asked_ms: Option<i64>,
    /// When it first went on screen, as a moment of the recording.
    pub on_screen_ms: Option<i64>,
    /// Its vector, of the model the transcript's cues were embedded with.
    pub meaning: Option<&'a [f32]>,
}

/// What was said, as the matching sees it.
pub struct Said<'a> {
    pub cues: &'a [Cue],
    /// One vector per cue, of what it says, when the transcript has been embedded.
    pub cue_vectors: Option<&'a [Vec<f32>]>,
}

impl Moment {
    fn discussed(&self) -> bool {
        self.coverage >= MIN_COVERAGE
            || self
                .closeness
                .is_some_and(|closeness| closeness >= MIN_CLOSENESS)
    }

    fn confidence(&self) -> f32 {
        let sureness = self.coverage.max(self.closeness.unwrap_or(0.0));
        (sureness * TRANSCRIPT_CONFIDENCE_CAP).clamp(0.0, 1.0)
    }
}

/// A moment proposed from the transcript is not taken from well before the question was asked
/// (it cannot have been answered before it was asked; a little slack covers clocks).
const ASKED_SLACK_MS: i64 = 30_000;

/// What an event's proposals are made from, read once.
pub struct Material {
    pub event: Event,
    /// Its approved and answered questions.
    pub questions: Vec<Question>,
    pub cues: Vec<Cue>,
    /// When each question first went on screen.
    pub first_shown: HashMap<i64, NaiveDateTime>,
    /// One vector per cue, once every cue has one of the model in use.
    pub cue_vectors: Option<Vec<Vec<f32>>>,
}

impl Material {
    /// `model`: the model in use, whose cue vectors to read.
    pub fn read(
        conn: &mut DbConnection,
        event: Event,
        model: Option<&str>,
    ) -> Result<Self, AppError> {
        let mut questions =
            db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)?;
        questions.extend(db::questions::in_event_with_status(
            conn,
            event.id,
            QuestionStatus::Answered,
        )?);
        let cue_vectors = match model {
            Some(model) => db::transcripts::cue_vectors(conn, event.id, model)?
                .map(|vectors| vectors.iter().map(|bytes| from_bytes(bytes)).collect()),
            None => None,
        };
        Ok(Self {
            cue_vectors,
            cues: db::transcripts::cues(conn, event.id)?,
            first_shown: db::screen_times::first_shown(conn, event.id)?,
            questions,
            event,
        })
    }

    /// Proposals for every question: its on-screen time when the recording's timeline is known,
    /// otherwise what the transcript matches (by meaning too when the questions and the
    /// transcript have vectors).
    pub fn proposals(&self, meaning: &Meaning) -> Vec<Proposal> {
        let question_vectors: HashMap<i64, Box<[f32]>> = match meaning.vectors() {
            Some(vectors) if self.cue_vectors.is_some() => self
                .questions
                .iter()
                .filter_map(|question| Some((question.id, vectors.of(question.id)?)))
                .collect(),
            _ => HashMap::new(),
        };
        let into_recording = |at: NaiveDateTime| {
            self.event
                .recording_started_at
                .map(|started| (at - started).num_milliseconds())
                .filter(|ms| *ms >= 0)
        };
        let asked: Vec<Asked<'_>> = self
            .questions
            .iter()
            .map(|question| Asked {
                id: question.id,
                text: &question.body,
                asked_ms: into_recording(question.created_at),
                on_screen_ms: self
                    .first_shown
                    .get(&question.id)
                    .copied()
                    .and_then(into_recording),
                meaning: question_vectors.get(&question.id).map(|vector| &vector[..]),
            })
            .collect();
        propose(
            &asked,
            Said {
                cues: &self.cues,
                cue_vectors: self.cue_vectors.as_deref(),
            },
        )
    }
}

/// Proposals for every approved or answered question of the event `slug`.
pub async fn proposals(db: &Db, meaning: &Meaning, slug: &str) -> Result<Vec<Proposal>, AppError> {
    let slug = slug.to_owned();
    let model = meaning.model_tag();
    let material = db
        .read(move |conn| {
            let event = db::events::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound { what: "event" })?;
            Material::read(conn, event, model.as_deref())
        })
        .await?;
    Ok(material.proposals(meaning))
}

/// What was said in answer to `question` from `at_ms` until `end_ms`: the passage an answer
/// accepted at that moment comes from.
pub fn passage(cues: &[Cue], at_ms: i64, end_ms: i64, question: &str) -> Draft {
    cue_at(cues, at_ms).map_or_else(Draft::default, |cue| draft(cues, cue, end_ms, question))
}

/// The cue being said at `at_ms` (the last to start by then).
fn cue_at(cues: &[Cue], at_ms: i64) -> Option<usize> {
    cues.partition_point(|cue| cue.start_ms <= at_ms)
        .checked_sub(1)
}

/// Gives each question its moment: the on-screen time when there is one; otherwise its best
/// match in the transcript that no surer question took, and not from before it was asked. Each
/// passage runs until the next moment, a change of topic (by meaning), or a few minutes.
pub fn propose(questions: &[Asked<'_>], said: Said<'_>) -> Vec<Proposal> {
    let cues = said.cues;
    // A time on screen past the end of what was said (a timeline set wrong, a screen left on
    // after the recording stopped) is no moment of the recording.
    let recording_end = cues.last().map(|cue| cue.end_ms);
    let on_screen = |question: &Asked<'_>| {
        question
            .on_screen_ms
            .filter(|at_ms| recording_end.is_none_or(|end| *at_ms <= end))
    };
    let mut taken: HashSet<usize> = HashSet::new();
    // (question, moment, cue the draft starts at, confidence, source)
    let mut chosen: Vec<(i64, i64, Option<usize>, f32, Source)> = Vec::new();
    for question in questions {
        if let Some(at_ms) = on_screen(question) {
            let cue = cue_at(cues, at_ms);
            taken.extend(cue);
            chosen.push((question.id, at_ms, cue, 1.0, Source::OnScreen));
        }
    }
    let mut index = TranscriptIndex::new(cues);
    if let Some(vectors) = said.cue_vectors {
        index = index.with_vectors(vectors);
    }
    if !cues.is_empty() {
        let mut candidates: Vec<(i64, Vec<Moment>)> = questions
            .iter()
            .filter(|question| on_screen(question).is_none())
            .map(|question| {
                let mut moments = index.moments(question.text, question.meaning);
                moments.retain(Moment::discussed);
                if let Some(asked_ms) = question.asked_ms {
                    let after =
                        |moment: &Moment| cues[moment.cue].start_ms >= asked_ms - ASKED_SLACK_MS;
                    if moments.iter().any(after) {
                        moments.retain(after);
                    }
                }
                (question.id, moments)
            })
            .filter(|(_, moments)| !moments.is_empty())
            .collect();
        candidates.sort_by(|a, b| {
            b.1[0]
                .confidence()
                .total_cmp(&a.1[0].confidence())
                .then(a.0.cmp(&b.0))
        });
        for (question_id, moments) in candidates {
            let free = |moment: &&Moment| {
                !taken
                    .iter()
                    .any(|cue| cue.abs_diff(moment.cue) < TAKEN_WITHIN_CUES)
            };
            let moment = moments.iter().find(free).unwrap_or(&moments[0]);
            taken.insert(moment.cue);
            chosen.push((
                question_id,
                cues[moment.cue].start_ms,
                Some(moment.cue),
                moment.confidence(),
                Source::Transcript,
            ));
        }
    }
    let mut starts: Vec<i64> = chosen.iter().map(|chosen| chosen.1).collect();
    starts.sort_unstable();
    let text_of: HashMap<i64, &str> = questions
        .iter()
        .map(|question| (question.id, question.text))
        .collect();
    chosen
        .into_iter()
        .map(|(question_id, at_ms, cue, confidence, source)| {
            let next = starts.iter().copied().find(|&start| start > at_ms);
            let topic_change = cue
                .and_then(|cue| index.topic_change_after(cue))
                .map(|later| cues[later].start_ms);
            let end_ms = passage_end(at_ms, next.into_iter().chain(topic_change), recording_end);
            Proposal {
                question_id,
                at_ms,
                end_ms,
                confidence,
                source,
                draft: cue.map_or_else(Draft::default, |cue| {
                    let question = text_of.get(&question_id).copied().unwrap_or_default();
                    draft(cues, cue, end_ms, question)
                }),
            }
        })
        .collect()
}

/// Where a passage from `at_ms` ends: at the first of `stops` (the next question's moment, a
/// change of topic), after a few minutes at most, and never past the recording when its end is
/// known.
pub fn passage_end(
    at_ms: i64,
    stops: impl IntoIterator<Item = i64>,
    recording_end: Option<i64>,
) -> i64 {
    let end = stops
        .into_iter()
        .fold(at_ms.saturating_add(LONGEST_PASSAGE_MS), i64::min);
    match recording_end {
        Some(recording_end) => end.min(recording_end).max(at_ms),
        None => end,
    }
}

/// The recording's chapters from its answered questions' moments, and the recording's length
/// when a transcript tells it.
pub async fn chapters(db: &Db, slug: &str) -> Result<(Vec<Chapter>, Option<u32>), AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let end_secs = db::transcripts::summary(conn, event.id)?
            .and_then(|summary| u32::try_from(summary.duration_ms / 1000).ok());
        Ok((chapters_of(conn, event.id)?, end_secs))
    })
    .await
}

/// The chapters of the event's recording, from its answered questions' moments (those within
/// the recording, when a transcript tells how long it is).
pub fn chapters_of(conn: &mut DbConnection, event_id: i64) -> Result<Vec<Chapter>, AppError> {
    let end_ms = db::transcripts::summary(conn, event_id)?.map(|summary| summary.duration_ms);
    let moments = db::answers::moments_in_event(conn, event_id)?
        .into_iter()
        .filter(|(secs, _)| end_ms.is_none_or(|end_ms| i64::from(*secs) * 1000 <= end_ms))
        .filter_map(|(secs, question)| Some((u32::try_from(secs).ok()?, question)))
        .collect();
    Ok(transcript::chapters(moments))
}
