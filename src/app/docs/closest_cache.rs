//! The section closest to each question, kept between dashboard loads: finding it costs a few
//! milliseconds a question (words, meaning, a snippet), which an event of 500 questions turns
//! into seconds on every load. An answer holds while the question's text, whether it had a
//! vector, the documentation index and the sections' vectors stay as they were.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use super::finding::DocSuggestion;

/// More questions than a site looks at between two changes of its documentation.
const MOST_KEPT: usize = 50_000;

#[derive(Default)]
pub struct ClosestCache {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The documentation index's generation and the sections' vectors, when these were found.
    docs: (u64, usize),
    by_question: HashMap<i64, (u64, Option<DocSuggestion>)>,
}

/// What a question's closest section depends on, of the question.
pub fn question_key(body: &str, has_vector: bool) -> u64 {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    has_vector.hash(&mut hasher);
    hasher.finish()
}

impl ClosestCache {
    /// The answer kept for the question, if it still holds: `Some(None)` means no section is
    /// close.
    pub fn get(
        &self,
        docs: (u64, usize),
        question_id: i64,
        key: u64,
    ) -> Option<Option<DocSuggestion>> {
        let kept = self.kept.lock().ok()?;
        if kept.docs != docs {
            return None;
        }
        kept.by_question
            .get(&question_id)
            .filter(|(kept_key, _)| *kept_key == key)
            .map(|(_, section)| section.clone())
    }

    pub fn put(&self, docs: (u64, usize), found: Vec<(i64, u64, Option<DocSuggestion>)>) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        if kept.docs != docs || kept.by_question.len() + found.len() > MOST_KEPT {
            kept.by_question.clear();
            kept.docs = docs;
        }
        for (question_id, key, section) in found {
            kept.by_question.insert(question_id, (key, section));
        }
    }
}
