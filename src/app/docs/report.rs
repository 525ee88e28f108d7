//! The docs report, for the team: the sections people were shown and asked about anyway (the
//! documentation did not settle it: improve them), the most voted questions no section comes
//! close to (write them), and each recent event's figure.

use std::collections::{HashMap, HashSet};

use crate::app::docs::closest_cache::ClosestCache;
use crate::app::docs::coverage::{self, closest_sections};
use crate::app::events::listing::list_all_events;
use crate::db::docs::DocSectionRow;
use crate::db::questions::Question;
use crate::db::{self, doc_uses, Db};
use crate::domain::QuestionStatus;
use crate::error::AppError;
use crate::meaning::Meaning;
use crate::search::DocsIndex;

/// What people did with one section, wherever it was shown.
#[derive(Debug, Clone)]
pub struct SectionUses {
    pub section: DocSectionRow,
    pub source: String,
    pub shown: i64,
    pub opened: i64,
    /// Askers who said it answers their question.
    pub answered: i64,
    pub asked_anyway: i64,
    /// Questions a moderator answered with it.
    pub answered_with: i64,
}

/// A question no section comes close to, with its event.
#[derive(Debug, Clone)]
pub struct Gap {
    pub question: Question,
    pub event_slug: String,
}

/// One event's figure: "14 of 52 questions are answered in the docs".
#[derive(Debug, Clone)]
pub struct EventFigure {
    pub slug: String,
    pub title: String,
    pub questions: usize,
    pub answered_in_docs: usize,
}

#[derive(Debug, Clone, Default)]
pub struct DocsReport {
    /// Sections this instance can search: none means there is nothing to report on yet.
    pub sections_searchable: u64,
    /// Asked about anyway most first, then shown most.
    pub sections: Vec<SectionUses>,
    /// Most voted first.
    pub gaps: Vec<Gap>,
    /// The most recent events first.
    pub events: Vec<EventFigure>,
    /// Topics across events a moderator listed as something to write documentation for, as
    /// (topic, name), longest waiting first.
    pub topics_wanted: Vec<(i64, String)>,
}

/// Questions looked at for gaps: the most voted of all events.
const GAP_CANDIDATES: i64 = 200;
pub const GAPS_LISTED: usize = 50;
/// Events with their figure: the most recent.
const EVENTS_LISTED: usize = 12;

pub async fn report(
    db: &Db,
    docs: &DocsIndex,
    meaning: &Meaning,
    cache: &ClosestCache,
) -> Result<DocsReport, AppError> {
    let topics_wanted = db.read(db::topics::wanted_for_docs).await?;
    if docs.is_empty() {
        // Every question would be a gap and every figure 0: nothing to say yet.
        return Ok(DocsReport {
            topics_wanted,
            ..DocsReport::default()
        });
    }
    let (sections, candidates, answered_with) = db
        .read(|conn| {
            let counts = doc_uses::counts_by_section(conn)?;
            let ids: Vec<i64> = counts.keys().copied().collect();
            let sections = db::docs::sections_with_source(conn, &ids)?
                .into_iter()
                .map(|(section, source)| {
                    let count = |what: &str| {
                        counts
                            .get(&section.id)
                            .and_then(|by_what| by_what.get(what))
                            .copied()
                            .unwrap_or_default()
                    };
                    SectionUses {
                        shown: count(doc_uses::SHOWN),
                        opened: count(doc_uses::OPENED),
                        answered: count(doc_uses::ANSWERED),
                        asked_anyway: count(doc_uses::ASKED_ANYWAY),
                        answered_with: count(doc_uses::ANSWERED_WITH),
                        section,
                        source,
                    }
                })
                .collect::<Vec<_>>();
            let candidates = db::questions::most_voted(
                conn,
                &[
                    QuestionStatus::Pending,
                    QuestionStatus::Approved,
                    QuestionStatus::Answered,
                ],
                GAP_CANDIDATES,
            )?;
            let answered_with = doc_uses::questions_answered_with(conn)?;
            Ok((sections, candidates, answered_with))
        })
        .await?;
    let mut sections = sections;
    sections.sort_by(|a, b| {
        (b.asked_anyway, b.shown, a.section.id).cmp(&(a.asked_anyway, a.shown, b.section.id))
    });
    let gaps = gaps(db, docs, meaning, cache, candidates, &answered_with).await?;
    let events = event_figures(db, docs, meaning, cache).await?;
    Ok(DocsReport {
        sections_searchable: docs.len(),
        sections,
        gaps,
        events,
        topics_wanted,
    })
}

async fn gaps(
    db: &Db,
    docs: &DocsIndex,
    meaning: &Meaning,
    cache: &ClosestCache,
    candidates: Vec<Question>,
    answered_with: &HashSet<i64>,
) -> Result<Vec<Gap>, AppError> {
    let closest = closest_sections(docs, meaning, cache, &candidates).await?;
    let uncovered: Vec<Question> = candidates
        .into_iter()
        .filter(|question| {
            !closest.contains_key(&question.id) && !answered_with.contains(&question.id)
        })
        .take(GAPS_LISTED)
        .collect();
    let event_ids: Vec<i64> = uncovered.iter().map(|question| question.event_id).collect();
    let slugs: HashMap<i64, String> = db
        .read(move |conn| db::events::slugs_by_id(conn, &event_ids))
        .await?;
    Ok(uncovered
        .into_iter()
        .map(|question| Gap {
            event_slug: slugs.get(&question.event_id).cloned().unwrap_or_default(),
            question,
        })
        .collect())
}

async fn event_figures(
    db: &Db,
    docs: &DocsIndex,
    meaning: &Meaning,
    cache: &ClosestCache,
) -> Result<Vec<EventFigure>, AppError> {
    let mut events = list_all_events(db).await?;
    events.sort_by_key(|summary| std::cmp::Reverse(summary.event.created_at));
    let mut figures = Vec::new();
    for summary in events.into_iter().take(EVENTS_LISTED) {
        let coverage = coverage::of_event(db, docs, meaning, cache, summary.event.id).await?;
        figures.push(EventFigure {
            slug: summary.event.slug,
            title: summary.event.title,
            questions: coverage.questions,
            answered_in_docs: coverage.covered.len(),
        });
    }
    Ok(figures)
}
