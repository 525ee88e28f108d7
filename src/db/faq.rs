//! FAQ entries: answered, published, canonical questions of public events, with what their page
//! and the search index show.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{answers, events, labels, question_labels, questions};
use crate::domain::{EventStatus, QuestionStatus};
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone)]
pub struct FaqEntry {
    pub id: i64,
    pub question: String,
    /// The texts of questions merged into this one.
    pub phrasings: Vec<String>,
    pub answer_md: String,
    pub answer_html: String,
    pub recording_offset_secs: Option<i32>,
    pub recording_url: Option<String>,
    pub labels: Vec<String>,
    pub event_slug: String,
    pub event_title: String,
    pub vote_count: i32,
    pub answered_at: NaiveDateTime,
    /// When the answer was last changed.
    pub updated_at: NaiveDateTime,
    pub reviewed_at: Option<NaiveDateTime>,
    /// What was said where the answer was accepted from the recording.
    pub transcript_excerpt: Option<String>,
}

type EntryRow = (
    i64,
    String,
    i32,
    String,
    String,
    Option<i32>,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// The questions that are FAQ entries: answered, published, not merged, of a public event.
macro_rules! entry_questions {
    () => {
        questions::table
            .inner_join(answers::table)
            .inner_join(events::table)
            .filter(questions::status.eq(QuestionStatus::Answered.as_str()))
            .filter(questions::merged_into.is_null())
            .filter(answers::published.eq(true))
            .filter(events::status.ne(EventStatus::Draft.as_str()))
    };
}

/// The FAQ entries with what an entry shows.
macro_rules! entries {
    () => {
        entry_questions!().select((
            questions::id,
            questions::body,
            questions::vote_count,
            answers::body_md,
            answers::body_html,
            answers::recording_offset_secs,
            answers::answered_at,
            answers::updated_at,
            answers::reviewed_at,
            events::slug,
            events::title,
            events::recording_url,
            answers::transcript_excerpt,
        ))
    };
}

/// Labels by question, and the texts of the questions merged into each.
type Extras = (HashMap<i64, Vec<String>>, HashMap<i64, Vec<String>>);

fn labels_and_phrasings(conn: &mut DbConnection, ids: &[i64]) -> Result<Extras, AppError> {
    let mut labels: HashMap<i64, Vec<String>> = HashMap::new();
    let mut phrasings: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(1_000) {
        for (id, name) in super::labels::of_questions(conn, chunk)? {
            labels.entry(id).or_default().push(name);
        }
        let merged: Vec<(Option<i64>, String)> = questions::table
            .filter(questions::merged_into.eq_any(chunk))
            .order(questions::id.asc())
            .select((questions::merged_into, questions::body))
            .load(conn)
            .context("reading alternative phrasings")?;
        for (canonical, body) in merged {
            if let Some(canonical) = canonical {
                phrasings.entry(canonical).or_default().push(body);
            }
        }
    }
    Ok((labels, phrasings))
}

fn complete(conn: &mut DbConnection, rows: Vec<EntryRow>) -> Result<Vec<FaqEntry>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let (mut labels, mut phrasings) = labels_and_phrasings(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| FaqEntry {
            id: row.0,
            question: row.1,
            vote_count: row.2,
            answer_md: row.3,
            answer_html: row.4,
            recording_offset_secs: row.5,
            answered_at: row.6,
            updated_at: row.7,
            reviewed_at: row.8,
            event_slug: row.9,
            event_title: row.10,
            recording_url: row.11,
            transcript_excerpt: row.12,
            labels: labels.remove(&row.0).unwrap_or_default(),
            phrasings: phrasings.remove(&row.0).unwrap_or_default(),
        })
        .collect())
}

/// The entries among these question ids (the others are not, or no longer, FAQ entries).
pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<FaqEntry>, AppError> {
    let mut rows: Vec<EntryRow> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1_000) {
        rows.extend(
            entries!()
                .filter(questions::id.eq_any(chunk))
                .load::<EntryRow>(conn)
                .context("reading FAQ entries")?,
        );
    }
    complete(conn, rows)
}

/// One page of all entries in id order after `after_id`: how a rebuild walks them.
pub fn page_after(
    conn: &mut DbConnection,
    after_id: i64,
    limit: i64,
) -> Result<Vec<FaqEntry>, AppError> {
    let rows = entries!()
        .filter(questions::id.gt(after_id))
        .order(questions::id.asc())
        .limit(limit)
        .load::<EntryRow>(conn)
        .context("reading FAQ entries to index")?;
    complete(conn, rows)
}

pub fn count(conn: &mut DbConnection) -> Result<i64, AppError> {
    entry_questions!()
        .count()
        .get_result(conn)
        .context("counting FAQ entries")
}

/// Newest answers first, optionally of one label (by name) or one event (by slug).
pub fn newest(
    conn: &mut DbConnection,
    label: Option<&str>,
    event: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<FaqEntry>, i64), AppError> {
    let mut query = entries!().into_boxed();
    let mut counting = entry_questions!().count().into_boxed();
    if let Some(label) = label {
        let labelled = question_labels::table
            .inner_join(labels::table)
            .filter(labels::name.eq(label.to_owned()))
            .select(question_labels::question_id);
        query = query.filter(questions::id.eq_any(labelled));
        let labelled = question_labels::table
            .inner_join(labels::table)
            .filter(labels::name.eq(label.to_owned()))
            .select(question_labels::question_id);
        counting = counting.filter(questions::id.eq_any(labelled));
    }
    if let Some(event) = event {
        query = query.filter(events::slug.eq(event.to_owned()));
        counting = counting.filter(events::slug.eq(event.to_owned()));
    }
    let total = counting.get_result(conn).context("counting FAQ entries")?;
    let rows = query
        .order((answers::answered_at.desc(), questions::id.desc()))
        .offset(offset)
        .limit(limit)
        .load::<EntryRow>(conn)
        .context("listing FAQ entries")?;
    Ok((complete(conn, rows)?, total))
}

/// The event with the most recently answered entry, other than `except` (the collection that
/// imported entries go to, which no one attended).
pub fn latest_event(conn: &mut DbConnection, except: &str) -> Result<Option<String>, AppError> {
    entry_questions!()
        .filter(events::slug.ne(except.to_owned()))
        .order((answers::answered_at.desc(), questions::id.desc()))
        .select(events::slug)
        .first(conn)
        .optional()
        .context("finding the latest event with answers")
}

/// Labels in use on FAQ entries, with how many entries carry each, most used first.
pub fn label_counts(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, AppError> {
    let mut counts: Vec<(String, i64)> = question_labels::table
        .inner_join(labels::table)
        .filter(question_labels::question_id.eq_any(entry_questions!().select(questions::id)))
        .group_by(labels::name)
        .select((labels::name, diesel::dsl::count_star()))
        .load(conn)
        .context("counting FAQ entries by label")?;
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(counts)
}

/// A question other people can see or moderators curate (pending, approved or answered, not
/// merged): what similar-question search looks through.
#[derive(Debug, Clone)]
pub struct OpenQuestion {
    pub id: i64,
    pub body: String,
    pub status: QuestionStatus,
    pub phrasings: Vec<String>,
    pub labels: Vec<String>,
    pub event_slug: String,
    pub event_title: String,
    pub vote_count: i32,
}

type OpenRow = (i64, String, String, String, String, i32);

macro_rules! open_questions {
    () => {
        questions::table
            .inner_join(events::table)
            .filter(questions::merged_into.is_null())
            .filter(questions::status.eq_any([
                QuestionStatus::Pending.as_str(),
                QuestionStatus::Approved.as_str(),
                QuestionStatus::Answered.as_str(),
            ]))
            .select((
                questions::id,
                questions::body,
                questions::status,
                events::slug,
                events::title,
                questions::vote_count,
            ))
    };
}

fn complete_open(
    conn: &mut DbConnection,
    rows: Vec<OpenRow>,
) -> Result<Vec<OpenQuestion>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let (mut labels, mut phrasings) = labels_and_phrasings(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            Ok(OpenQuestion {
                id: row.0,
                body: row.1,
                status: row
                    .2
                    .parse()
                    .map_err(|error| AppError::internal("reading a question's status", error))?,
                event_slug: row.3,
                event_title: row.4,
                vote_count: row.5,
                labels: labels.remove(&row.0).unwrap_or_default(),
                phrasings: phrasings.remove(&row.0).unwrap_or_default(),
            })
        })
        .collect()
}

/// The open questions among these ids.
pub fn open_by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<OpenQuestion>, AppError> {
    let mut rows: Vec<OpenRow> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1_000) {
        rows.extend(
            open_questions!()
                .filter(questions::id.eq_any(chunk))
                .load::<OpenRow>(conn)
                .context("reading questions to index")?,
        );
    }
    complete_open(conn, rows)
}

/// One page of open questions in id order after `after_id`, for a rebuild.
pub fn open_page_after(
    conn: &mut DbConnection,
    after_id: i64,
    limit: i64,
) -> Result<Vec<OpenQuestion>, AppError> {
    let rows = open_questions!()
        .filter(questions::id.gt(after_id))
        .order(questions::id.asc())
        .limit(limit)
        .load::<OpenRow>(conn)
        .context("reading questions to index")?;
    complete_open(conn, rows)
}

pub fn open_count(conn: &mut DbConnection) -> Result<i64, AppError> {
    questions::table
        .filter(questions::merged_into.is_null())
        .filter(questions::status.eq_any([
            QuestionStatus::Pending.as_str(),
            QuestionStatus::Approved.as_str(),
            QuestionStatus::Answered.as_str(),
        ]))
        .count()
        .get_result(conn)
        .context("counting questions to index")
}

/// How many entries `/sitemap.xml` lists at most (a sitemap holds 50,000 addresses), newest first.
pub const MAX_ENTRY_PAGES: i64 = 45_000;

/// An FAQ entry's id, question (its address carries it) and when its answer last changed.
pub struct EntryPage {
    pub id: i64,
    pub question: String,
    pub changed_at: NaiveDateTime,
}

pub fn entry_pages(conn: &mut DbConnection) -> Result<Vec<EntryPage>, AppError> {
    let rows: Vec<(i64, String, NaiveDateTime, Option<NaiveDateTime>)> = entry_questions!()
        .order(questions::id.desc())
        .limit(MAX_ENTRY_PAGES)
        .select((
            questions::id,
            questions::body,
            answers::updated_at,
            answers::reviewed_at,
        ))
        .load(conn)
        .context("listing FAQ entries for the sitemap")?;
    Ok(rows
        .into_iter()
        .map(|(id, question, updated_at, reviewed_at)| EntryPage {
            id,
            question,
            changed_at: reviewed_at.map_or(updated_at, |reviewed| reviewed.max(updated_at)),
        })
        .collect())
}
