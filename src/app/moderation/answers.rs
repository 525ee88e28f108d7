//! Answering questions: Markdown rendered and sanitized once, an optional moment in the recording,
//! published to the FAQ unless switched off; answers can be edited and taken back.

use crate::app::now;
use crate::app::outreach::mail_letters::{self as mail, AnswerRef};
use crate::app::outreach::webhooks;
use crate::bus::Bus;
use crate::db::{self, answers::AnswerWrite, modlog::NewEntry, questions::Question, Db};
use crate::domain::{AnswerText, Invalid, QuestionStatus, RecordingOffset, WebhookKind};
use crate::error::AppError;

pub struct AnswerInput {
    pub text: AnswerText,
    pub offset: Option<RecordingOffset>,
    pub publish: bool,
}

impl AnswerInput {
    pub fn parse(markdown: &str, offset: &str, publish: bool) -> Result<Self, Invalid> {
        Ok(Self {
            text: AnswerText::parse(markdown)?,
            offset: RecordingOffset::parse_optional(offset)?,
            publish,
        })
    }

    /// The same, on the blocking pool: rendering and sanitizing a long answer is CPU work that
    /// would hold up every other request on a request worker.
    pub async fn parse_off_workers(
        markdown: String,
        offset: String,
        publish: bool,
    ) -> Result<Self, AppError> {
        tokio::task::spawn_blocking(move || Self::parse(&markdown, &offset, publish))
            .await
            .map_err(|error| AppError::internal("rendering an answer", error))?
            .map_err(AppError::from)
    }
}

/// A moment past the end of the recording links to nothing: when the event's transcript tells
/// how long the recording is, a moment must lie within it.
pub fn check_within_recording(
    conn: &mut db::DbConnection,
    event_id: i64,
    offset: RecordingOffset,
) -> Result<(), AppError> {
    let Some(transcript) = db::transcripts::summary(conn, event_id)? else {
        return Ok(());
    };
    if i64::from(offset.seconds()) * 1000 <= transcript.duration_ms {
        return Ok(());
    }
    let length = RecordingOffset::from_seconds(
        i32::try_from(transcript.duration_ms / 1000).unwrap_or(i32::MAX),
    )
    .map_or_else(String::new, RecordingOffset::display);
    Err(Invalid::new(
        "recording_offset",
        format!(
            "The recording is {length} long (by its transcript): {} is past its end.",
            offset.display()
        ),
    )
    .into())
}

fn find(conn: &mut db::DbConnection, id: i64) -> Result<Question, AppError> {
    db::questions::find(conn, id)?.ok_or(AppError::NotFound { what: "question" })
}

pub async fn answer(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    input: AnswerInput,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        let question = find(conn, question_id)?;
        if !matches!(
            question.status,
            QuestionStatus::Pending | QuestionStatus::Approved | QuestionStatus::Answered
        ) {
            return Err(AppError::conflict(
                "not_allowed",
                format!(
                    "Question #{} is {} and cannot be answered.",
                    question.id,
                    question.status.as_str()
                ),
            ));
        }
        if let Some(offset) = input.offset {
            check_within_recording(conn, question.event_id, offset)?;
        }
        let previous = db::answers::find(conn, question_id)?;
        let at = now();
        let offset = input
            .offset
            .map(|offset| i32::try_from(offset.seconds()).unwrap_or(i32::MAX));
        db::answers::upsert(
            conn,
            &AnswerWrite {
                question_id,
                body_md: input.text.markdown(),
                body_html: input.text.html(),
                recording_offset_secs: offset,
                published: input.publish,
                answered_by: actor,
                at,
            },
        )?;
        db::curation::set_status(conn, question_id, QuestionStatus::Answered, None, at)?;
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: Some(actor),
                action: if previous.is_some() {
                    "question.answer_edit"
                } else {
                    "question.answer"
                },
                event_id: Some(question.event_id),
                question_id: Some(question_id),
                before_value: Some(
                    previous
                        .as_ref()
                        .map_or(question.status.as_str(), |answer| answer.body_md.as_str()),
                ),
                after_value: Some(input.text.markdown()),
                created_at: at,
                ..NewEntry::default()
            },
        )?;
        db::changes::record(conn, question_id, at)?;
        let answered = find(conn, question_id)?;
        let answer_text = Some(input.text.markdown());
        if previous.is_none() {
            webhooks::tell(
                conn,
                WebhookKind::QuestionAnswered,
                (&answered).into(),
                answer_text,
            )?;
            let told = AnswerRef {
                markdown: input.text.markdown().to_owned(),
                html: input.text.html().to_owned(),
                faq_path: input
                    .publish
                    .then(|| crate::app::faq::browse::entry_path(answered.id, &answered.body)),
            };
            mail::tell_answered(conn, &answered, told)?;
        }
        let newly_published =
            input.publish && !previous.as_ref().is_some_and(|answer| answer.published);
        if newly_published {
            webhooks::tell(
                conn,
                WebhookKind::FaqPublished,
                (&answered).into(),
                answer_text,
            )?;
        }
        Ok(answered)
    })
    .await
    .inspect(|question| crate::app::announce_change(bus, question))
}

/// Takes an answer back: the question returns to the list, the answer text stays in the log.
pub async fn unanswer(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
) -> Result<Question, AppError> {
    db.write(move |conn| {
        let question = find(conn, question_id)?;
        let Some(previous) = db::answers::find(conn, question_id)? else {
            return Err(AppError::conflict(
                "not_answered",
                format!("Question #{question_id} has no answer."),
            ));
        };
        let at = now();
        db::answers::delete(conn, question_id)?;
        db::curation::set_status(conn, question_id, QuestionStatus::Approved, None, at)?;
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: Some(actor),
                action: "question.unanswer",
                event_id: Some(question.event_id),
                question_id: Some(question_id),
                before_value: Some(&previous.body_md),
                after_value: Some(QuestionStatus::Approved.as_str()),
                created_at: at,
                ..NewEntry::default()
            },
        )?;
        db::changes::record(conn, question_id, at)?;
        find(conn, question_id)
    })
    .await
    .inspect(|question| crate::app::announce_change(bus, question))
}
