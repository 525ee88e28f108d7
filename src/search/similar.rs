//! Similar questions: for someone about to ask (questions of the same event, and FAQ entries of
//! any event), and for moderators looking for duplicates.

use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::Term;

use super::ids::{document, id_of, AllIds};
use super::index::SearchIndex;
use super::query::{self, words};
use super::schema::KIND_FAQ;
use super::word_weights::{stems, STOP_WORDS};
use crate::domain::QuestionStatus;
use crate::error::AppError;
use crate::meaning::hybrid::Mixed;

pub struct SimilarRequest<'a> {
    pub text: &'a str,
    pub event: &'a str,
    /// Which of the event's questions count.
    pub statuses: &'a [QuestionStatus],
    /// FAQ entries of every event count too.
    pub include_faq: bool,
    /// The question being compared, left out of its own results.
    pub exclude: Option<i64>,
    /// `TYPED` for a question being written, `WHOLE_QUESTION` for one that exists.
    pub style: query::Style,
    pub limit: usize,
}

#[derive(Debug, Clone)]
pub struct SimilarHit {
    pub id: i64,
    pub question: String,
    pub status: String,
    pub is_faq_entry: bool,
    pub event_slug: String,
    pub score: f32,
    /// Closeness of meaning (cosine), when ranked by meaning too.
    pub meaning: Option<f32>,
    /// The words of the request that the hit shares (by stem), stop words aside.
    pub shared_words: Vec<String>,
}

/// The words of `asked` whose stems `other` has too, stop words aside, each once.
pub fn shared_words(asked: &str, other: &str) -> Vec<String> {
    let theirs = stems(other);
    let mut shared: Vec<String> = Vec::new();
    for word in words(asked) {
        if STOP_WORDS.contains(&word.as_str()) || shared.contains(&word) {
            continue;
        }
        if stems(&word).iter().any(|stem| theirs.contains(stem)) {
            shared.push(word);
        }
    }
    shared
}

impl SearchIndex {
    /// Where the request looks: the event's questions of the wanted statuses, and FAQ entries.
    fn places(&self, request: &SimilarRequest<'_>) -> Box<dyn Query> {
        let in_event = query::all_of(vec![
            query::filter(Term::from_field_text(self.fields.event, request.event)),
            query::any_of(
                request
                    .statuses
                    .iter()
                    .map(|status| {
                        query::filter(Term::from_field_text(self.fields.status, status.as_str()))
                    })
                    .collect(),
            ),
        ]);
        let mut places = vec![in_event];
        if request.include_faq {
            places.push(query::filter(Term::from_field_text(
                self.fields.kind,
                KIND_FAQ,
            )));
        }
        query::any_of(places)
    }

    /// The best matches by words: (question id, BM25), best first; CPU work, so call it off the
    /// async threads.
    pub fn similar_scores(
        &self,
        request: &SimilarRequest<'_>,
        limit: usize,
    ) -> Result<Vec<(i64, f32)>, AppError> {
        let searcher = self.reader.searcher();
        let Some(plan) = query::plan(&self.fields, request.text, request.style) else {
            return Ok(Vec::new());
        };
        let ranked = query::restricted(plan.scoring, vec![self.places(request)]);
        let top = searcher
            .search(
                &*ranked,
                &TopDocs::with_limit(limit.max(1) + 1).order_by_score(),
            )
            .map_err(|error| AppError::internal("finding similar questions", error))?;
        let mut scores = Vec::with_capacity(top.len());
        for (score, address) in top {
            match id_of(&searcher, address)? {
                Some(id) if Some(id) != request.exclude => scores.push((id, score)),
                _ => {}
            }
        }
        scores.truncate(limit);
        Ok(scores)
    }

    /// Every question the request may return, as ids (for ranking by meaning).
    pub fn similar_candidates(&self, request: &SimilarRequest<'_>) -> Result<Vec<i64>, AppError> {
        let searcher = self.reader.searcher();
        let found = searcher
            .search(&*self.places(request), &AllIds { scored: false })
            .map_err(|error| AppError::internal("listing questions to compare", error))?;
        Ok(found
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| Some(*id) != request.exclude)
            .collect())
    }

    /// The hits for these ranked ids, in their order; ids gone from the index are skipped.
    pub fn similar_hits(
        &self,
        request: &SimilarRequest<'_>,
        ranked: &[Mixed],
    ) -> Result<Vec<SimilarHit>, AppError> {
        let searcher = self.reader.searcher();
        let mut hits = Vec::with_capacity(ranked.len());
        for entry in ranked {
            let Some(doc) = document(&searcher, &self.fields, entry.id)? else {
                continue;
            };
            let text = |field| {
                doc.get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let question = text(self.fields.question);
            hits.push(SimilarHit {
                id: entry.id,
                shared_words: shared_words(request.text, &question),
                question,
                status: text(self.fields.status),
                is_faq_entry: text(self.fields.kind) == KIND_FAQ,
                event_slug: text(self.fields.event),
                score: entry.score,
                meaning: entry.meaning,
            });
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::shared_words;

    #[test]
    fn shared_words_skip_stop_words_and_match_stems() {
        assert_eq!(
            shared_words(
                "How do I install it on Xen?",
                "Installing MirageOS on Xen hosts"
            ),
            ["install", "xen"]
        );
    }
}
