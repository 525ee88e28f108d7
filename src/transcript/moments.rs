//! Where in a transcript a question was discussed, by its words: BM25 over short passages of
//! consecutive cues (speakers' names included, since questions name them: "what did Mindy say
//! about …"), the passage's best-matching cue as the moment, a few moments per question, far
//! enough apart to be different answers.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::Cue;

/// How many consecutive cues a passage holds.
const PASSAGE_CUES: usize = 3;
/// BM25's usual constants.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Moments proposed for one question, best first.
pub const MOMENTS_PER_QUESTION: usize = 3;

struct Passage {
    first: usize,
    last: usize,
    terms: HashMap<String, u32>,
    length: u32,
}

/// A transcript made ready for matching.
pub struct TranscriptIndex {
    passages: Vec<Passage>,
    /// Per cue, its own terms: where in a passage the moment starts.
    cue_terms: Vec<HashMap<String, u32>>,
    passages_with: HashMap<String, u32>,
    average_length: f32,
}

/// One proposed moment: the cue it starts at, and how well the passage matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub cue: usize,
    pub score: f32,
    /// How much of the question was said in the passage: its words' weight (rarer words weigh
    /// more) found there, from 0 to 1.
    pub coverage: f32,
}

fn terms_of(analyzer: &mut TextAnalyzer, text: &str) -> HashMap<String, u32> {
    let mut terms = HashMap::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        *terms.entry(stream.token().text.clone()).or_insert(0) += 1;
    }
    terms
}

impl TranscriptIndex {
    pub fn new(cues: &[Cue]) -> Self {
        let mut analyzer = crate::search::english_analyzer();
        let cue_terms: Vec<HashMap<String, u32>> = cues
            .iter()
            .map(|cue| {
                let spoken = match &cue.speaker {
                    Some(speaker) => format!("{speaker} {}", cue.text),
                    None => cue.text.clone(),
                };
                terms_of(&mut analyzer, &spoken)
            })
            .collect();
        let mut passages = Vec::with_capacity(cues.len());
        for first in 0..cues.len() {
            let last = (first + PASSAGE_CUES).min(cues.len()) - 1;
            let mut terms: HashMap<String, u32> = HashMap::new();
            for cue in &cue_terms[first..=last] {
                for (term, count) in cue {
                    *terms.entry(term.clone()).or_insert(0) += count;
                }
            }
            let length = terms.values().sum();
            passages.push(Passage {
                first,
                last,
                terms,
                length,
            });
        }
        let mut passages_with: HashMap<String, u32> = HashMap::new();
        for passage in &passages {
            for term in passage.terms.keys() {
                *passages_with.entry(term.clone()).or_insert(0) += 1;
            }
        }
        let average_length = if passages.is_empty() {
            1.0
        } else {
            passages.iter().map(|p| p.length as f32).sum::<f32>() / passages.len() as f32
        };
        Self {
            passages,
            cue_terms,
            passages_with,
            average_length: average_length.max(1.0),
        }
    }

    fn idf(&self, term: &str) -> f32 {
        let n = self.passages.len() as f32;
        let with = self.passages_with.get(term).copied().unwrap_or(0) as f32;
        ((n - with + 0.5) / (with + 0.5) + 1.0).ln()
    }

    fn bm25(&self, query: &HashMap<String, u32>, terms: &HashMap<String, u32>, length: u32) -> f32 {
        let norm = K1 * (1.0 - B + B * length as f32 / self.average_length);
        query
            .keys()
            .filter_map(|term| {
                let count = *terms.get(term)? as f32;
                Some(self.idf(term) * count * (K1 + 1.0) / (count + norm))
            })
            .sum()
    }

    /// The best moments for `question`, best first, at least a passage apart; none when no word
    /// of the question was said.
    pub fn moments(&self, question: &str) -> Vec<Moment> {
        let mut analyzer = crate::search::english_analyzer();
        let query = terms_of(&mut analyzer, question);
        let mut scored: Vec<(f32, &Passage)> = self
            .passages
            .iter()
            .map(|passage| (self.bm25(&query, &passage.terms, passage.length), passage))
            .filter(|(score, _)| *score > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.first.cmp(&b.1.first)));
        let mut moments: Vec<Moment> = Vec::new();
        for (score, passage) in scored {
            let cue = self.best_cue(&query, passage);
            let apart = moments
                .iter()
                .all(|moment| moment.cue.abs_diff(cue) >= PASSAGE_CUES);
            if apart {
                let coverage = self.coverage(&query, passage);
                moments.push(Moment {
                    cue,
                    score,
                    coverage,
                });
                if moments.len() == MOMENTS_PER_QUESTION {
                    break;
                }
            }
        }
        moments
    }

    fn coverage(&self, query: &HashMap<String, u32>, passage: &Passage) -> f32 {
        let (found, all) = query.keys().fold((0.0, 0.0), |(found, all), term| {
            let weight = self.idf(term);
            let here = if passage.terms.contains_key(term) {
                weight
            } else {
                0.0
            };
            (found + here, all + weight)
        });
        if all > 0.0 {
            found / all
        } else {
            0.0
        }
    }

    /// Where in the passage the moment starts: its cue that matches best on its own (the first
    /// one on a tie).
    fn best_cue(&self, query: &HashMap<String, u32>, passage: &Passage) -> usize {
        (passage.first..=passage.last)
            .map(|cue| {
                let terms = &self.cue_terms[cue];
                (self.bm25(query, terms, terms.values().sum()), cue)
            })
            .fold((f32::MIN, passage.first), |best, candidate| {
                if candidate.0 > best.0 {
                    candidate
                } else {
                    best
                }
            })
            .1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(at: i64, speaker: &str, text: &str) -> Cue {
        Cue {
            start_ms: at * 1000,
            end_ms: at * 1000 + 5000,
            speaker: Some(speaker.to_owned()),
            text: text.to_owned(),
        }
    }

    fn call() -> Vec<Cue> {
        vec![
            cue(
                0,
                "Anil",
                "Welcome everyone, let us start with the roadmap.",
            ),
            cue(5, "Anil", "The next release is planned for March."),
            cue(
                10,
                "Hannes",
                "Moving on: several people asked about TLS support.",
            ),
            cue(
                15,
                "Hannes",
                "TLS now works with certificates from Let's Encrypt.",
            ),
            cue(20, "Anil", "Anything else? The Xen backend maybe."),
            cue(
                25,
                "Mindy",
                "On Xen, the network driver was rewritten last month.",
            ),
            cue(30, "Mindy", "It is faster and uses less memory."),
            cue(35, "Anil", "Thanks everyone, see you next time."),
        ]
    }

    #[test]
    fn finds_the_cue_a_question_was_answered_at() {
        let index = TranscriptIndex::new(&call());
        // Where TLS comes up, not the welcome or the Xen part.
        let moments = index.moments("Does it support TLS certificates?");
        assert!([2, 3].contains(&moments[0].cue), "{moments:?}");
        let moments = index.moments("What did Mindy say about the Xen network driver?");
        assert_eq!(moments[0].cue, 5, "{moments:?}");
    }

    #[test]
    fn proposes_moments_apart_and_none_without_shared_words() {
        let index = TranscriptIndex::new(&call());
        let moments = index.moments("When is the release on the roadmap?");
        assert!(moments.len() >= 2);
        assert!(moments[0].cue.abs_diff(moments[1].cue) >= PASSAGE_CUES);
        assert!(index.moments("quantum chromodynamics").is_empty());
        assert!(TranscriptIndex::new(&[]).moments("anything").is_empty());
    }
}
