//! Finding the documentation sections that answer a text: by words (the documentation index)
//! and, with a model, by meaning (the sections' vectors), mixed as for questions, and kept only
//! when close enough for who is looking (see `hybrid::Relatedness`).

use std::collections::HashMap;

use crate::error::AppError;
use crate::meaning::{hybrid, Meaning};
use crate::search::{DocsIndex, StoredSection};

/// How many of each ranking are mixed before the best are kept.
const POOL: usize = 30;

/// A section that answers, ready to show.
#[derive(Debug, Clone)]
pub struct DocSuggestion {
    pub section: StoredSection,
    pub score: f32,
    /// Cosine with the text, when matched by meaning.
    pub meaning: Option<f32>,
    /// Closeness past what every section shares (what `Relatedness` judges), by meaning.
    pub distinct_meaning: Option<f32>,
}

/// The sections closest to `text`, at most `limit`; `vector` is the text's, when it could be
/// embedded; `typing`: the last word may be unfinished.
pub async fn find(
    docs: &DocsIndex,
    meaning: &Meaning,
    text: &str,
    vector: Option<Vec<f32>>,
    typing: bool,
    limit: usize,
    relatedness: hybrid::Relatedness,
) -> Result<Vec<DocSuggestion>, AppError> {
    if docs.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let docs = docs.clone();
    let doc_vectors = meaning.doc_vectors().cloned();
    let lexical_weight = meaning.cuts().lexical_weight;
    let text = text.to_owned();
    tokio::task::spawn_blocking(move || {
        let lexical = docs.by_words(&text, typing, POOL)?;
        let by_meaning = vector.zip(doc_vectors.filter(|vectors| !vectors.is_empty()));
        let (ranked, closeness) = match &by_meaning {
            Some((vector, vectors)) => {
                let mut ids: Vec<i64> = vectors
                    .nearest(vector, POOL)
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
                ids.extend(lexical.iter().map(|(id, _)| *id));
                let closeness = vectors.closeness(vector, &ids);
                let raw: HashMap<i64, f32> =
                    closeness.iter().map(|(id, (raw, _))| (*id, *raw)).collect();
                (hybrid::mix(&lexical, &raw, lexical_weight), closeness)
            }
            None => (hybrid::lexical_only(&lexical), HashMap::new()),
        };
        let ids: Vec<i64> = ranked.iter().take(POOL).map(|entry| entry.id).collect();
        let scores: HashMap<i64, f32> =
            ranked.iter().map(|entry| (entry.id, entry.score)).collect();
        let mut found: Vec<DocSuggestion> = docs
            .sections(&ids, &text)?
            .into_iter()
            .filter(|section| {
                let past = by_meaning
                    .as_ref()
                    .map(|_| closeness.get(&section.id).map_or(0.0, |(_, past)| *past));
                relatedness.admits(past, section.word_coverage)
            })
            .map(|section| DocSuggestion {
                score: scores.get(&section.id).copied().unwrap_or_default(),
                meaning: closeness.get(&section.id).map(|(raw, _)| *raw),
                distinct_meaning: closeness.get(&section.id).map(|(_, past)| *past),
                section,
            })
            .collect();
        found.truncate(limit);
        Ok(found)
    })
    .await
    .map_err(|error| AppError::internal("finding documentation sections", error))?
}
