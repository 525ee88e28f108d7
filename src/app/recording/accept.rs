//! Accepting a question's proposal: its moment in the recording and its answer, from the draft
//! unless the moderator wrote one (or the question already has one, which it keeps unless told
//! otherwise). The answer goes through the usual use case: logged, published as usual, and taken
//! back like any answer.

use crate::app::moderation::answers::{self, AnswerInput};
use crate::app::recording::proposals::{self, Material, Proposal, LONGEST_PASSAGE_MS};
use crate::bus::Bus;
use crate::db::{self, answers::Answer, questions::Question, Db};
use crate::domain::Invalid;
use crate::error::AppError;
use crate::meaning::Meaning;
use crate::transcript::Cue;

/// What the moderator changed from the proposal; `None` takes the proposal's (or the answer's
/// already written).
#[derive(Debug, Clone, Default)]
pub struct Acceptance {
    pub at_secs: Option<u32>,
    pub answer_md: Option<String>,
}

pub async fn accept(
    db: &Db,
    meaning: &Meaning,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    acceptance: Acceptance,
) -> Result<Question, AppError> {
    let model = meaning.model_tag();
    let (question, material, existing) = db
        .read(move |conn| {
            let question = db::questions::find(conn, question_id)?
                .ok_or(AppError::NotFound { what: "question" })?;
            let event = db::events::find_by_id(conn, question.event_id)?
                .ok_or(AppError::NotFound { what: "event" })?;
            Ok((
                question,
                Material::read(conn, event, model.as_deref())?,
                db::answers::find(conn, question_id)?,
            ))
        })
        .await?;
    let proposal = material
        .proposals(meaning)
        .into_iter()
        .find(|proposal| proposal.question_id == question_id);
    accept_with(
        db,
        bus,
        actor,
        Accepting {
            question_id,
            question: &question.body,
            acceptance,
            proposal: proposal.as_ref(),
            existing: existing.as_ref(),
            cues: &material.cues,
        },
    )
    .await
}

/// One acceptance with what it is judged by already read (the review page's "accept all" reads
/// it once for every question).
pub(crate) struct Accepting<'a> {
    pub question_id: i64,
    /// Its text: the passage is read as an answer to it.
    pub question: &'a str,
    pub acceptance: Acceptance,
    pub proposal: Option<&'a Proposal>,
    pub existing: Option<&'a Answer>,
    pub cues: &'a [Cue],
}

pub(crate) async fn accept_with(
    db: &Db,
    bus: &Bus,
    actor: i64,
    accepting: Accepting<'_>,
) -> Result<Question, AppError> {
    let Accepting {
        question_id,
        question,
        acceptance,
        proposal,
        existing,
        cues,
    } = accepting;
    let at_secs = acceptance
        .at_secs
        .or_else(|| proposal.map(|p| (p.at_ms / 1000) as u32))
        .ok_or_else(|| {
            Invalid::new(
                "at_secs",
                "No moment of the recording was found for this question; give `at_secs`.",
            )
        })?;
    // What the moderator wrote is checked like any answer; otherwise the question's own answer,
    // or else the draft.
    let markdown = match acceptance.answer_md {
        Some(written) => written,
        None => existing
            .map(|answer| answer.body_md.clone())
            .or_else(|| proposal.map(|p| p.draft.markdown()))
            .filter(|markdown| !markdown.trim().is_empty())
            .ok_or_else(|| {
                Invalid::new(
                    "answer_md",
                    "Nothing was said there to draft an answer from; write it in `answer_md`.",
                )
            })?,
    };
    // What was said from the accepted moment (nudged or not), as long as the proposal's passage;
    // the proposal's own moment to the millisecond when it was not nudged.
    let at_ms = proposal
        .map(|p| p.at_ms)
        .filter(|proposed| proposed / 1000 == i64::from(at_secs))
        .unwrap_or(i64::from(at_secs) * 1000);
    let length_ms = proposal.map_or(LONGEST_PASSAGE_MS, |p| (p.end_ms - p.at_ms).max(1));
    let excerpt = proposals::passage(cues, at_ms, at_ms + length_ms, question).text();
    let publish = existing.is_none_or(|answer| answer.published);
    let input = AnswerInput::parse_off_workers(markdown, at_secs.to_string(), publish).await?;
    let answered = answers::answer(db, bus, actor, question_id, input).await?;
    db.write(move |conn| {
        let excerpt = Some(excerpt.as_str()).filter(|text| !text.is_empty());
        db::answers::set_excerpt(conn, question_id, excerpt)?;
        // Search reads the entry again, with its excerpt.
        db::changes::record(conn, question_id, crate::app::now())?;
        Ok(answered)
    })
    .await
}
