//! How much of an event's asking the documentation already answers: each question against the
//! sections (by its stored vector and its words, as an asker's suggestions are found), and the
//! questions moderators answered with a section. The seed's question, as a figure: "14 of 52
//! questions are answered in the docs".

use std::collections::{HashMap, HashSet};

use crate::app::docs::closest_cache::{question_key, ClosestCache};
use crate::app::docs::finding::{self, DocSuggestion};
use crate::db::questions::Question;
use crate::db::{self, doc_uses, Db};
use crate::domain::QuestionStatus;
use crate::error::AppError;
use crate::meaning::Meaning;
use crate::search::DocsIndex;

/// A question and the section that answers it.
#[derive(Debug, Clone)]
pub struct Covered {
    pub question: Question,
    pub section: Option<DocSuggestion>,
    /// A moderator answered it with this section.
    pub answered_with: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// The event's questions (waiting, approved and answered; not rejected or merged).
    pub questions: usize,
    /// Those a section answers, or a moderator answered with one.
    pub covered: Vec<Covered>,
    /// The most voted questions no section comes close to.
    pub uncovered: Vec<Question>,
    /// What askers did with the sections shown to them at this event.
    pub uses: HashMap<String, i64>,
}

/// The section closest to each question, for those a section answers (by the question's stored
/// vector, so nothing is embedded while the team waits, and its words); answers found before
/// are taken from `cache` while they hold.
pub async fn closest_sections(
    docs: &DocsIndex,
    meaning: &Meaning,
    cache: &ClosestCache,
    questions: &[Question],
) -> Result<HashMap<i64, DocSuggestion>, AppError> {
    let mut closest = HashMap::new();
    if docs.is_empty() {
        return Ok(closest);
    }
    let generation = (
        docs.generation(),
        meaning.doc_vectors().map_or(0, |vectors| vectors.len()),
    );
    let mut found = Vec::new();
    for question in questions {
        let vectors = meaning.vectors();
        let has_vector = vectors.is_some_and(|vectors| vectors.of(question.id).is_some());
        let key = question_key(&question.body, has_vector);
        let section = match cache.get(generation, question.id, key) {
            Some(kept) => kept,
            None => {
                let vector = vectors
                    .and_then(|vectors| vectors.of(question.id))
                    .map(Vec::from);
                let section = finding::find(
                    docs,
                    meaning,
                    &question.body,
                    vector,
                    false,
                    1,
                    meaning.cuts().docs_for_moderators,
                )
                .await?
                .into_iter()
                .next();
                found.push((question.id, key, section.clone()));
                section
            }
        };
        if let Some(section) = section {
            closest.insert(question.id, section);
        }
    }
    cache.put(generation, found);
    Ok(closest)
}

/// The uncovered questions listed, at most.
const UNCOVERED_LISTED: usize = 20;

/// The event's coverage by the documentation.
pub async fn of_event(
    db: &Db,
    docs: &DocsIndex,
    meaning: &Meaning,
    cache: &ClosestCache,
    event_id: i64,
) -> Result<Coverage, AppError> {
    let (questions, answered_with, uses) = db
        .read(move |conn| {
            let mut questions = Vec::new();
            for status in [
                QuestionStatus::Pending,
                QuestionStatus::Approved,
                QuestionStatus::Answered,
            ] {
                questions.extend(db::questions::in_event_with_status(conn, event_id, status)?);
            }
            Ok((
                questions,
                doc_uses::answered_with_in_event(conn, event_id)?,
                doc_uses::counts_in_event(conn, event_id)?,
            ))
        })
        .await?;
    let answered_with: HashMap<i64, i64> = answered_with.into_iter().collect();
    let mut coverage = Coverage {
        questions: questions.len(),
        uses,
        ..Coverage::default()
    };
    let mut seen = HashSet::new();
    let mut uncovered = Vec::new();
    let mut closest = closest_sections(docs, meaning, cache, &questions).await?;
    for question in questions {
        if !seen.insert(question.id) {
            continue;
        }
        let section = closest.remove(&question.id);
        let answered_with = answered_with.get(&question.id).copied();
        if section.is_some() || answered_with.is_some() {
            coverage.covered.push(Covered {
                question,
                section,
                answered_with,
            });
        } else {
            uncovered.push(question);
        }
    }
    uncovered.sort_by(|a, b| b.vote_count.cmp(&a.vote_count).then(a.id.cmp(&b.id)));
    uncovered.truncate(UNCOVERED_LISTED);
    coverage.uncovered = uncovered;
    Ok(coverage)
}
