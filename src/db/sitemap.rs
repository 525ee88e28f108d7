//! What `/sitemap.xml` lists of events: every public one, with when its page last changed (the
//! FAQ entries are `faq::entry_pages`).

use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::prelude::*;

use std::collections::HashMap;

use super::connection::DbConnection;
use super::schema::{answers, events, questions};
use crate::domain::{EventStatus, QuestionStatus};
use crate::error::{AppError, QueryContext};

/// A sitemap holds at most 50,000 addresses (`faq::MAX_ENTRY_PAGES` of them entries); the newest
/// pages are the ones worth telling.
pub const MAX_EVENTS: i64 = 5_000;

/// A public event's slug and when its page last changed: created, a question asked, an answer
/// written.
pub struct EventPage {
    pub slug: String,
    pub changed_at: NaiveDateTime,
}

pub fn event_pages(conn: &mut DbConnection) -> Result<Vec<EventPage>, AppError> {
    let events: Vec<(i64, String, NaiveDateTime)> = events::table
        .filter(events::status.ne(EventStatus::Draft.as_str()))
        .order(events::id.desc())
        .limit(MAX_EVENTS)
        .select((events::id, events::slug, events::created_at))
        .load(conn)
        .context("listing events for the sitemap")?;
    let ids: Vec<i64> = events.iter().map(|(id, _, _)| *id).collect();
    let asked: Vec<(i64, Option<NaiveDateTime>)> = questions::table
        .filter(questions::event_id.eq_any(&ids))
        .filter(questions::status.ne(QuestionStatus::Pending.as_str()))
        .group_by(questions::event_id)
        .select((questions::event_id, max(questions::created_at)))
        .load(conn)
        .context("finding events' latest questions")?;
    let answered: Vec<(i64, Option<NaiveDateTime>)> = questions::table
        .inner_join(answers::table)
        .filter(questions::event_id.eq_any(&ids))
        .group_by(questions::event_id)
        .select((questions::event_id, max(answers::updated_at)))
        .load(conn)
        .context("finding events' latest answers")?;
    let asked: HashMap<i64, NaiveDateTime> = asked
        .into_iter()
        .filter_map(|(id, at)| Some((id, at?)))
        .collect();
    let answered: HashMap<i64, NaiveDateTime> = answered
        .into_iter()
        .filter_map(|(id, at)| Some((id, at?)))
        .collect();
    Ok(events
        .into_iter()
        .map(|(id, slug, created_at)| EventPage {
            changed_at: [asked.get(&id), answered.get(&id)]
                .into_iter()
                .flatten()
                .fold(created_at, |latest, &at| latest.max(at)),
            slug,
        })
        .collect())
}
