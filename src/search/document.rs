//! An FAQ entry as an index document.

use tantivy::TantivyDocument;

use super::schema::Fields;
use crate::db::faq::FaqEntry;
use crate::domain::plain_text;

pub fn to_document(fields: &Fields, entry: &FaqEntry) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    // Ids are positive: SQLite and PostgreSQL both count up from 1.
    doc.add_u64(fields.id, entry.id.unsigned_abs());
    doc.add_text(fields.question, &entry.question);
    doc.add_text(fields.words, &entry.question);
    for phrasing in &entry.phrasings {
        doc.add_text(fields.phrasings, phrasing);
        doc.add_text(fields.words, phrasing);
    }
    doc.add_text(fields.answer, plain_text(&entry.answer_md));
    doc.add_text(fields.answer_html, &entry.answer_html);
    for label in &entry.labels {
        doc.add_text(fields.labels, label);
    }
    doc.add_text(fields.event, &entry.event_slug);
    doc.add_text(fields.event_title, &entry.event_title);
    doc.add_i64(fields.answered_at, entry.answered_at.and_utc().timestamp());
    doc.add_i64(fields.vote_count, i64::from(entry.vote_count));
    doc
}
