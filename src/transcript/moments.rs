//! Where in a transcript a question was discussed: BM25 over short passages of consecutive cues
//! (speakers' names included, since questions name them: "what did Mindy say about …"), mixed
//! with closeness of meaning when the passages have vectors, the passage's best-matching cue as
//! the moment, a few moments per question, far enough apart to be different answers.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::Cue;
use crate::meaning::vectors::cosine;

/// How many consecutive cues a passage holds.
pub const PASSAGE_CUES: usize = 3;
/// Closeness of meaning below which a later passage is about something else.
const SAME_TOPIC: f32 = 0.2;
/// With vectors, a passage's score is this much its words' (BM25 over the question's best
/// passage) and the rest its closeness of meaning.
const LEXICAL_WEIGHT: f32 = 0.5;
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

/// What a cue says, as the sentence encoder reads it: with its speaker, since questions name
/// them.
pub fn spoken_text(cue: &Cue) -> String {
    match &cue.speaker {
        Some(speaker) => format!("{speaker}: {}", cue.text),
        None => cue.text.clone(),
    }
}

/// A passage's vector from its cues' (each embedded once, not once per passage it is in): their
/// sum, scaled to length 1.
fn passage_vector(cue_vectors: &[Vec<f32>]) -> Vec<f32> {
    let mut sum = vec![0.0f32; cue_vectors.first().map_or(0, Vec::len)];
    for vector in cue_vectors {
        for (total, value) in sum.iter_mut().zip(vector) {
            *total += value;
        }
    }
    let length = sum.iter().map(|value| value * value).sum::<f32>().sqrt();
    if length > 0.0 {
        sum.iter_mut().for_each(|value| *value /= length);
    }
    sum
}

/// A transcript made ready for matching.
pub struct TranscriptIndex {
    passages: Vec<Passage>,
    /// One unit vector per passage (the passage starting at each cue), when the transcript's cues
    /// have been embedded with the model the questions' vectors come from.
    vectors: Option<Vec<Vec<f32>>>,
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
    /// How close in meaning the passage is to the question (cosine, from 0 to 1), when matched
    /// by meaning too.
    pub closeness: Option<f32>,
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
            vectors: None,
            cue_terms,
            passages_with,
            average_length: average_length.max(1.0),
        }
    }

    /// Matches by meaning too: `cue_vectors` holds one vector per cue, of its
    /// [`spoken_text`]. Ignored unless there is one per cue.
    pub fn with_vectors(mut self, cue_vectors: &[Vec<f32>]) -> Self {
        if cue_vectors.len() == self.passages.len() {
            self.vectors = Some(
                self.passages
                    .iter()
                    .map(|passage| passage_vector(&cue_vectors[passage.first..=passage.last]))
                    .collect(),
            );
        }
        self
    }

    pub fn has_vectors(&self) -> bool {
        self.vectors.is_some()
    }

    /// Where the talk moves on from what was said at `cue`, when the passages have vectors: the
    /// first later passage, a passage or more on, that is far in meaning from the one at `cue`,
    /// and stays far for another passage (a lone "Right. Okay." is not a new topic).
    pub fn topic_change_after(&self, cue: usize) -> Option<usize> {
        let vectors = self.vectors.as_ref()?;
        let anchor = vectors.get(cue)?;
        let far = |at: usize| {
            vectors
                .get(at)
                .is_some_and(|later| cosine(anchor, later) < SAME_TOPIC)
        };
        (cue + PASSAGE_CUES..vectors.len()).find(|&at| far(at) && far(at + PASSAGE_CUES))
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

    /// The best moments for `question`, best first, at least a passage apart. By words alone
    /// when there is no `meaning` (the question's vector) or the passages have none; then a
    /// question none of whose words was said gets no moment.
    pub fn moments(&self, question: &str, meaning: Option<&[f32]>) -> Vec<Moment> {
        let mut analyzer = crate::search::english_analyzer();
        let query = terms_of(&mut analyzer, question);
        let lexical: Vec<f32> = self
            .passages
            .iter()
            .map(|passage| self.bm25(&query, &passage.terms, passage.length))
            .collect();
        let closeness: Option<Vec<f32>> = match (meaning, &self.vectors) {
            (Some(question), Some(vectors)) => Some(
                vectors
                    .iter()
                    .map(|passage| cosine(question, passage).max(0.0))
                    .collect(),
            ),
            _ => None,
        };
        let scores: Vec<f32> = match &closeness {
            None => lexical.clone(),
            Some(closeness) => {
                let best_lexical = lexical.iter().copied().fold(0.0, f32::max);
                lexical
                    .iter()
                    .zip(closeness)
                    .map(|(words, meaning)| {
                        let words = if best_lexical > 0.0 {
                            words / best_lexical
                        } else {
                            0.0
                        };
                        LEXICAL_WEIGHT * words + (1.0 - LEXICAL_WEIGHT) * meaning
                    })
                    .collect()
            }
        };
        let mut ranked: Vec<usize> = (0..self.passages.len())
            .filter(|&at| scores[at] > 0.0)
            .collect();
        ranked.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let mut moments: Vec<Moment> = Vec::new();
        for at in ranked {
            let passage = &self.passages[at];
            let cue = match &closeness {
                None => self.best_cue(&query, passage),
                Some(_) => self.best_start(&scores, passage),
            };
            let apart = moments
                .iter()
                .all(|moment| moment.cue.abs_diff(cue) >= PASSAGE_CUES);
            if apart {
                moments.push(Moment {
                    cue,
                    score: scores[at],
                    coverage: self.coverage(&query, passage),
                    closeness: closeness.as_ref().map(|closeness| closeness[at]),
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

    /// With vectors, where in the passage the moment starts: the cue whose own passage scores
    /// best (the first one on a tie).
    fn best_start(&self, scores: &[f32], passage: &Passage) -> usize {
        (passage.first..=passage.last).fold(passage.first, |best, cue| {
            if scores[cue] > scores[best] {
                cue
            } else {
                best
            }
        })
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
        let moments = index.moments("Does it support TLS certificates?", None);
        assert!([2, 3].contains(&moments[0].cue), "{moments:?}");
        let moments = index.moments("What did Mindy say about the Xen network driver?", None);
        assert_eq!(moments[0].cue, 5, "{moments:?}");
    }

    #[test]
    fn proposes_moments_apart_and_none_without_shared_words() {
        let index = TranscriptIndex::new(&call());
        let moments = index.moments("When is the release on the roadmap?", None);
        assert!(moments.len() >= 2);
        assert!(moments[0].cue.abs_diff(moments[1].cue) >= PASSAGE_CUES);
        assert!(index.moments("quantum chromodynamics", None).is_empty());
        assert!(TranscriptIndex::new(&[])
            .moments("anything", None)
            .is_empty());
    }
}
