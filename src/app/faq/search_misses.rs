//! "Searched for, not answered": what visitors looked for in vain, for moderators to turn into
//! questions for an upcoming event.

use crate::app::faq::recent_searches::Searcher;
use crate::app::now;
use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::{self, search_misses::Miss, Db};
use crate::domain::{QuestionBody, QuestionStatus, Token};
use crate::error::AppError;
use crate::meaning::{hybrid, Meaning};

/// Longer searches are sentences pasted in, not something to list.
const MAX_WORDS: usize = 12;
const MAX_CHARS: usize = 200;
pub const LISTED: i64 = 200;

/// The words of a query, lower-cased and single-spaced: how misses are counted together.
pub fn normalise(query: &str) -> Option<String> {
    let words = crate::search::words(query);
    let text = words.join(" ");
    (!words.is_empty() && words.len() <= MAX_WORDS && text.chars().count() <= MAX_CHARS)
        .then_some(text)
}

/// Notes a settled search: counts it when it found nothing, and takes back the visitor's
/// previous miss when this search continues it. Best effort: a visitor's search never fails
/// for it.
pub async fn note(db: &Db, query: &str, missed: bool, searcher: Option<Searcher<'_>>) {
    let Some(text) = normalise(query) else { return };
    let taken_back = searcher.and_then(|searcher| searcher.recent.note(&searcher, &text, missed));
    if !missed && taken_back.is_none() {
        return;
    }
    let outcome = db
        .write(move |conn| {
            if let Some(previous) = &taken_back {
                db::search_misses::take_back(conn, previous)?;
            }
            if missed {
                db::search_misses::record(conn, &text, now())?;
            }
            Ok(())
        })
        .await;
    if let Err(error) = outcome {
        tracing::warn!(%error, "could not count a search that found nothing");
    }
}

pub async fn list(db: &Db) -> Result<Vec<Miss>, AppError> {
    db.read(|conn| db::search_misses::list(conn, LISTED)).await
}

/// Searches that mean much the same, listed as one: the most frequent leads.
pub struct MissGroup {
    pub lead: Miss,
    pub also: Vec<Miss>,
}

impl MissGroup {
    pub fn count(&self) -> i64 {
        i64::from(self.lead.count)
            + self
                .also
                .iter()
                .map(|miss| i64::from(miss.count))
                .sum::<i64>()
    }
}

/// The listed misses, those close in meaning grouped (one a group without a model), the most
/// searched groups first.
pub async fn grouped(db: &Db, meaning: &Meaning) -> Result<Vec<MissGroup>, AppError> {
    let misses = list(db).await?;
    let vectors = if meaning.is_ready() && misses.len() > 1 {
        let texts = misses.iter().map(|miss| miss.query.clone()).collect();
        meaning.embed_list(texts).await
    } else {
        None
    };
    let groups: Vec<Vec<usize>> = match &vectors {
        Some(vectors) => hybrid::group_in_order(vectors, meaning.cuts().same_search),
        None => (0..misses.len()).map(|at| vec![at]).collect(),
    };
    let mut misses: Vec<Option<Miss>> = misses.into_iter().map(Some).collect();
    let mut grouped: Vec<MissGroup> = groups
        .into_iter()
        .filter_map(|members| {
            let mut members = members
                .into_iter()
                .filter_map(|at| misses.get_mut(at)?.take());
            Some(MissGroup {
                lead: members.next()?,
                also: members.collect(),
            })
        })
        .collect();
    grouped.sort_by_key(|group| std::cmp::Reverse(group.count()));
    Ok(grouped)
}

/// Adds a question (approved: a moderator chose it) to an event that takes questions, and
/// takes the search off the list, with the searches grouped with it (`also`). Returns the
/// question's id.
pub async fn ask_at_event(
    db: &Db,
    bus: &Bus,
    actor: i64,
    miss_id: i64,
    also: Vec<i64>,
    event_slug: &str,
    body: QuestionBody,
) -> Result<i64, AppError> {
    let follow = Token::generate().map_err(|error| AppError::internal("making a token", error))?;
    let event_slug = event_slug.to_owned();
    db.write(move |conn| {
        let miss =
            db::search_misses::find(conn, miss_id)?.ok_or(AppError::NotFound { what: "search" })?;
        let event = db::events::find_by_slug(conn, &event_slug)?
            .filter(|event| event.status.accepts_carry_over())
            .ok_or_else(|| {
                crate::domain::Invalid::new("event", "Pick an event that is still to come.")
            })?;
        let at = now();
        let id = db::questions::insert(
            conn,
            &db::questions::NewQuestion {
                event_id: event.id,
                body: body.as_str(),
                author_name: None,
                status: QuestionStatus::Approved.as_str(),
                follow_token_hash: follow.hash().as_str(),
                created_at: at,
                updated_at: at,
            },
        )?;
        db::search_misses::delete(conn, miss.id)?;
        for other in &also {
            db::search_misses::delete(conn, *other)?;
        }
        db::modlog::record(
            conn,
            &db::modlog::NewEntry {
                moderator_id: Some(actor),
                action: "question.from_search",
                event_id: Some(event.id),
                question_id: Some(id),
                before_value: Some(&miss.query),
                after_value: Some(body.as_str()),
                created_at: at,
                ..db::modlog::NewEntry::default()
            },
        )?;
        Ok((id, event.id))
    })
    .await
    .map(|(id, event_id)| {
        bus.publish(Notice::question(event_id, id, NoticeKind::Asked));
        id
    })
}
