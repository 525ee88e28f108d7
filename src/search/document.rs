//! FAQ entries and open questions as index documents.

use tantivy::TantivyDocument;

use super::schema::{Fields, KIND_FAQ, KIND_QUESTION};
use crate::db::faq::{FaqEntry, OpenQuestion};
use crate::domain::plain_text;
use crate::domain::QuestionStatus;

/// Up to the first `?`, `.` or `!`: what a question asks before its context.
pub fn first_sentence(text: &str) -> &str {
    text.split(['?', '.', '!']).next().unwrap_or(text)
}

pub fn to_document(fields: &Fields, entry: &FaqEntry) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    // Ids are positive: SQLite and PostgreSQL both count up from 1.
    doc.add_u64(fields.id, entry.id.unsigned_abs());
    doc.add_text(fields.question, &entry.question);
    doc.add_text(fields.lead, first_sentence(&entry.question));
    doc.add_text(fields.words, &entry.question);
    for phrasing in &entry.phrasings {
        doc.add_text(fields.phrasings, phrasing);
        doc.add_text(fields.words, phrasing);
    }
    doc.add_text(fields.answer, plain_text(&entry.answer_md));
    // Visitors find an entry by words said in the call, too.
    if let Some(excerpt) = &entry.transcript_excerpt {
        doc.add_text(fields.answer, excerpt);
    }
    doc.add_text(fields.answer_html, &entry.answer_html);
    for label in &entry.labels {
        doc.add_text(fields.labels, label);
    }
    doc.add_text(fields.event, &entry.event_slug);
    doc.add_text(fields.event_title, &entry.event_title);
    doc.add_i64(fields.answered_at, entry.answered_at.and_utc().timestamp());
    doc.add_i64(fields.vote_count, i64::from(entry.vote_count));
    doc.add_text(fields.kind, KIND_FAQ);
    doc.add_text(fields.status, QuestionStatus::Answered.as_str());
    doc
}

/// A question that is not an FAQ entry: found only by similar-question search.
pub fn question_document(fields: &Fields, question: &OpenQuestion) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_u64(fields.id, question.id.unsigned_abs());
    doc.add_text(fields.question, &question.body);
    doc.add_text(fields.lead, first_sentence(&question.body));
    doc.add_text(fields.words, &question.body);
    for phrasing in &question.phrasings {
        doc.add_text(fields.phrasings, phrasing);
        doc.add_text(fields.words, phrasing);
    }
    for label in &question.labels {
        doc.add_text(fields.labels, label);
    }
    doc.add_text(fields.event, &question.event_slug);
    doc.add_text(fields.event_title, &question.event_title);
    doc.add_i64(fields.vote_count, i64::from(question.vote_count));
    doc.add_text(fields.kind, KIND_QUESTION);
    doc.add_text(fields.status, question.status.as_str());
    doc
}
