//! How much a shared word says. Two questions of a MirageOS hangout both saying "MirageOS" and
//! "unikernel" share nothing worth noting: every question there does. A word says something in
//! proportion to how few texts hold it (its inverse document frequency), among the texts
//! compared and across the site's index (the event and the FAQ); the rarer of the two counts.
//! Two texts are alike in words by the cosine of their weighted words.

use std::collections::{HashMap, HashSet};

use tantivy::Term;

use super::index::SearchIndex;
use super::query::words;
use super::schema::english_analyzer;

/// Words too common to say two questions are alike.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "does", "for", "from", "get", "had", "has", "have", "how", "i", "if",
    "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "should",
    "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to",
    "us", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "would",
    "you", "your",
];

/// The stems of a text as the index keeps them.
pub fn stems(text: &str) -> HashSet<String> {
    let mut analyzer = english_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut stems = HashSet::new();
    while stream.advance() {
        stems.insert(stream.token().text.clone());
    }
    stems
}

/// The stems of the words of `text` that may say something (stop words aside).
pub fn content_stems(text: &str) -> HashSet<String> {
    words(text)
        .into_iter()
        .filter(|word| !STOP_WORDS.contains(&word.as_str()))
        .flat_map(|word| stems(&word))
        .collect()
}

/// Weights of the words of a pool of texts.
#[derive(Debug, Clone, Default)]
pub struct WordWeights {
    /// Inverse document frequency of each stem, the lower of the pool's and the site's.
    weights: HashMap<String, f32>,
}

/// ln(1 + N/n): a word in every text still weighs a little (on a site of one question, its
/// words are all there is to go by), a word in one text of many the most.
fn inverse_frequency(texts: usize, holding: usize) -> f32 {
    (1.0 + texts.max(1) as f32 / holding.max(1) as f32).ln()
}

impl WordWeights {
    /// The weight of a stem; one that was not weighed counts as shared by every text.
    pub fn weight(&self, stem: &str) -> f32 {
        self.weights
            .get(stem)
            .copied()
            .unwrap_or(std::f32::consts::LN_2)
    }

    /// The cosine of two texts' weighted stems (0 when they share none): how alike they are in
    /// the words that say something.
    pub fn closeness(&self, a: &HashSet<String>, b: &HashSet<String>) -> f32 {
        let squared = |stems: &HashSet<String>| -> f32 {
            stems.iter().map(|stem| self.weight(stem).powi(2)).sum()
        };
        let shared: f32 = a
            .intersection(b)
            .map(|stem| self.weight(stem).powi(2))
            .sum();
        let norm = (squared(a) * squared(b)).sqrt();
        if norm <= f32::EPSILON {
            0.0
        } else {
            shared / norm
        }
    }
}

impl SearchIndex {
    /// Weights for the words of `pool` (the texts to be compared), from how many of them hold
    /// each word and how many of the site's indexed questions and FAQ entries do. A pool of one
    /// text says nothing of frequency: the site alone weighs it.
    pub fn word_weights(&self, pool: &[HashSet<String>]) -> WordWeights {
        self.weigh(pool, pool.len() > 1)
    }

    /// Weights for the words of `texts` from the site's index alone: for a few texts that are
    /// no sample of anything (a question being typed and what it matched).
    pub fn site_word_weights(&self, texts: &[HashSet<String>]) -> WordWeights {
        self.weigh(texts, false)
    }

    /// How alike `asked` is in rare words to each of `others` (the site's weights): a typed
    /// question or a search beside what it matched.
    pub fn word_closeness<'a>(
        &self,
        asked: &str,
        others: impl IntoIterator<Item = &'a str>,
    ) -> Vec<f32> {
        let asked = content_stems(asked);
        let mut texts = vec![asked.clone()];
        texts.extend(others.into_iter().map(content_stems));
        let weights = self.site_word_weights(&texts);
        texts[1..]
            .iter()
            .map(|stems| weights.closeness(&asked, stems))
            .collect()
    }

    fn weigh(&self, pool: &[HashSet<String>], within_pool: bool) -> WordWeights {
        let mut holding: HashMap<&str, usize> = HashMap::new();
        for stems in pool {
            for stem in stems {
                *holding.entry(stem.as_str()).or_default() += 1;
            }
        }
        let searcher = self.reader.searcher();
        let site_texts = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let weights = holding
            .into_iter()
            .map(|(stem, in_pool)| {
                let term = Term::from_field_text(self.fields.question, stem);
                let on_site = searcher
                    .doc_freq(&term)
                    .ok()
                    .and_then(|count| usize::try_from(count).ok())
                    .unwrap_or(0);
                let mut weight = inverse_frequency(site_texts, on_site);
                if within_pool {
                    weight = weight.min(inverse_frequency(pool.len(), in_pool));
                }
                (stem.to_owned(), weight)
            })
            .collect();
        WordWeights { weights }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(pairs: &[(&str, f32)]) -> WordWeights {
        WordWeights {
            weights: pairs
                .iter()
                .map(|(stem, weight)| ((*stem).to_owned(), *weight))
                .collect(),
        }
    }

    #[test]
    fn only_words_that_are_rare_make_texts_alike() {
        let weights = weights(&[
            ("mirageo", 0.0),
            ("unikernel", 0.05),
            ("aw", 2.0),
            ("pi", 2.0),
            ("deploy", 1.5),
            ("raspberri", 2.0),
        ]);
        let cloud = content_stems("How do I deploy a MirageOS unikernel to AWS?");
        let cloud_again = content_stems("Deploying unikernels on AWS: how?");
        let pi = content_stems("Can MirageOS unikernels run on a Raspberry Pi?");
        assert!(weights.closeness(&cloud, &cloud_again) > 0.8);
        assert!(weights.closeness(&cloud, &pi) < 0.05);
    }

    #[test]
    fn stop_words_do_not_count() {
        assert_eq!(
            content_stems("How do I install it on Xen?"),
            HashSet::from(["instal".to_owned(), "xen".to_owned()])
        );
    }
}
