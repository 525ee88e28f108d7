//! Importing an FAQ a project already has: each line of a JSONL file becomes an answered,
//! published question of one event.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use crate::app::now;
use crate::db::backup::AnswerRow;
use crate::db::{self, Db};
use crate::domain::{
    AnswerText, EventSlug, EventStatus, EventTitle, LabelName, QuestionBody, QuestionStatus, Token,
};
use crate::error::AppError;

/// Where entries go when no event is named.
pub const DEFAULT_EVENT: &str = "imported-faq";

#[derive(Deserialize)]
struct Line {
    question: String,
    answer: String,
    #[serde(default)]
    labels: Vec<String>,
    /// When the entry was last updated where it came from: RFC 3339 or a date (`2024-05-01`).
    #[serde(default)]
    updated: Option<String>,
}

pub struct FaqLine {
    question: QuestionBody,
    answer: AnswerText,
    labels: Vec<LabelName>,
    updated: Option<NaiveDateTime>,
}

/// An entry keeps the age it had: "answered 3 years ago" stays true after an import.
fn parse_updated(text: &str) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.naive_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|day| day.and_time(NaiveTime::MIN))
        .map_err(|_| {
            format!("updated: `{text}` is neither a date (2024-05-01) nor an RFC 3339 time")
        })
}

/// Reads one line, or says what is wrong with it.
pub fn parse_line(line: &str, extra_label: Option<&LabelName>) -> Result<FaqLine, String> {
    let line: Line = serde_json::from_str(line).map_err(|error| {
        format!("not a JSON object with `question` and `answer` strings ({error})")
    })?;
    let question = QuestionBody::parse(&line.question)
        .map_err(|invalid| format!("question: {}", invalid.message))?;
    let answer = AnswerText::parse(&line.answer)
        .map_err(|invalid| format!("answer: {}", invalid.message))?;
    let mut labels = LabelName::parse_each(line.labels.iter().map(String::as_str))
        .map_err(|invalid| format!("labels: {}", invalid.message))?;
    if let Some(label) = extra_label {
        if !labels.contains(label) {
            labels.push(label.clone());
        }
    }
    let updated = line.updated.as_deref().map(parse_updated).transpose()?;
    Ok(FaqLine {
        question,
        answer,
        labels,
        updated,
    })
}

/// The event imported entries belong to: the one named (it must exist), or the FAQ's own
/// collection made the first time (archived: it is no event anyone attended, so the home page
/// does not list it).
pub async fn target_event(db: &Db, slug: Option<&str>) -> Result<i64, AppError> {
    if let Some(slug) = slug {
        let slug = slug.to_owned();
        return db
            .read(move |conn| db::events::find_by_slug(conn, &slug))
            .await?
            .map(|event| event.id)
            .ok_or(AppError::NotFound { what: "event" });
    }
    db.write(|conn| {
        if let Some(event) = db::events::find_by_slug(conn, DEFAULT_EVENT)? {
            return Ok(event.id);
        }
        let at = now();
        let title = EventTitle::parse("Earlier FAQ")?;
        let slug = EventSlug::parse(DEFAULT_EVENT)?;
        db::events::insert(
            conn,
            &db::events::NewEvent {
                slug: slug.as_str(),
                title: title.as_str(),
                description: "Answers the project had before it used faqtory.",
                starts_at: None,
                status: EventStatus::Archived.as_str(),
                premoderation: false,
                recording_url: None,
                created_at: at,
                updated_at: at,
            },
        )
    })
    .await
}

pub struct BatchOutcome {
    pub imported: usize,
    /// Lines whose question the event has answered already (a file imported twice).
    pub already_there: usize,
}

/// Writes a batch of lines in one transaction.
pub async fn import_batch(
    db: &Db,
    event_id: i64,
    lines: Vec<FaqLine>,
) -> Result<BatchOutcome, AppError> {
    let mut hashes = Vec::with_capacity(lines.len());
    for _ in &lines {
        // Nobody follows an imported question; the hash of a fresh token keeps the column unique.
        let token =
            Token::generate().map_err(|error| AppError::internal("making a token", error))?;
        hashes.push(token.hash());
    }
    db.write(move |conn| {
        let bodies: Vec<&str> = lines.iter().map(|line| line.question.as_str()).collect();
        let existing: HashSet<String> = db::questions::bodies_in_event(
            conn,
            event_id,
            &bodies,
            Some(QuestionStatus::Answered),
        )?
        .into_iter()
        .collect();
        let at = now();
        let mut outcome = BatchOutcome {
            imported: 0,
            already_there: 0,
        };
        for (line, hash) in lines.iter().zip(&hashes) {
            if existing.contains(line.question.as_str()) {
                outcome.already_there += 1;
                continue;
            }
            let answered_at = line.updated.unwrap_or(at);
            let id = db::questions::insert(
                conn,
                &db::questions::NewQuestion {
                    event_id,
                    body: line.question.as_str(),
                    author_name: None,
                    status: QuestionStatus::Answered.as_str(),
                    follow_token_hash: hash.as_str(),
                    created_at: at,
                    updated_at: at,
                },
            )?;
            db::backup::insert_answer(
                conn,
                &AnswerRow {
                    question_id: id,
                    body_md: line.answer.markdown().to_owned(),
                    body_html: line.answer.html().to_owned(),
                    recording_offset_secs: None,
                    published: true,
                    answered_by: None,
                    answered_at,
                    updated_at: answered_at,
                    reviewed_at: None,
                    transcript_excerpt: None,
                },
            )?;
            let mut label_ids = Vec::with_capacity(line.labels.len());
            for label in &line.labels {
                label_ids.push(db::labels::find_or_create(conn, event_id, label.as_str())?);
            }
            db::labels::set_for_question(conn, id, &label_ids)?;
            db::changes::record(conn, id, at)?;
            outcome.imported += 1;
        }
        Ok(outcome)
    })
    .await
}
