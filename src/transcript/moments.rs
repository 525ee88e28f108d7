//! Where in a transcript a question was discussed: BM25 over short passages of consecutive cues
//! (speakers' names included, since questions name them: "what did Mindy say about …"), mixed
//! with closeness of meaning when the passages have vectors, the passage's best-matching cue as
//! the moment, a few moments per question, far enough apart to be different answers.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::cues::Cue;
use crate::meaning::unit_vectors::cosine;

/// How many consecutive cues a passage holds.
pub const PASSAGE_CUES: usize = 3;
/// Closeness of meaning below which a later passage is about something else.
const SAME_TOPIC: f32 = 0.2;
/// How words and meaning are mixed when the passages have vectors. The default is what
/// `bench_transcript_quality` measured best on QMSum; the benchmark tries the others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mixing {
    /// The share of a passage's score from its words (BM25 over the question's best passage);
    /// the rest is closeness of meaning.
    pub lexical_weight: f32,
    /// Closeness scaled from the transcript's least to its most close passage (0 to 1), rather
    /// than the raw cosine, which bunches up in a narrow band.
    pub stretch_meaning: bool,
    /// Where in the best passages the moment starts.
    pub start: Start,
}

/// Which of a passage's cues the moment starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The cue whose own passage scores best.
    OwnPassage,
    /// The cue that matches the question's words best (as without vectors).
    Words,
    /// The cue that matches best by its own words and meaning, mixed like passages.
    WordsAndMeaning,
}

impl Default for Mixing {
    fn default() -> Self {
        Self {
            lexical_weight: 0.3,
            stretch_meaning: true,
            start: Start::WordsAndMeaning,
        }
    }
}
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
    /// One unit vector per cue, with `vectors`.
    cue_vectors: Option<Vec<Vec<f32>>>,
    mixing: Mixing,
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
            cue_vectors: None,
            mixing: Mixing::default(),
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
            self.cue_vectors = Some(cue_vectors.to_vec());
        }
        self
    }

    pub fn with_mixing(mut self, mixing: Mixing) -> Self {
        self.mixing = mixing;
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
                let Mixing {
                    lexical_weight,
                    stretch_meaning,
                    ..
                } = self.mixing;
                let best_lexical = lexical.iter().copied().fold(0.0, f32::max);
                let (least, most) = closeness
                    .iter()
                    .fold((f32::MAX, 0.0f32), |(least, most), &c| {
                        (least.min(c), most.max(c))
                    });
                lexical
                    .iter()
                    .zip(closeness)
                    .map(|(words, &meaning)| {
                        let words = if best_lexical > 0.0 {
                            words / best_lexical
                        } else {
                            0.0
                        };
                        let meaning = if stretch_meaning && most > least {
                            (meaning - least) / (most - least)
                        } else {
                            meaning
                        };
                        lexical_weight * words + (1.0 - lexical_weight) * meaning
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
            let cue = match (meaning, self.mixing.start) {
                (Some(question), Start::WordsAndMeaning) if closeness.is_some() => {
                    self.best_mixed_cue(&query, question, passage)
                }
                (_, Start::OwnPassage) if closeness.is_some() => self.best_start(&scores, passage),
                _ => self.best_cue(&query, passage),
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

    /// Where in the passage the moment starts, by words and meaning: its cue whose own words
    /// (BM25, over the passage's best cue) and closeness, mixed like passages, score best.
    fn best_mixed_cue(
        &self,
        query: &HashMap<String, u32>,
        question: &[f32],
        passage: &Passage,
    ) -> usize {
        let Some(cue_vectors) = &self.cue_vectors else {
            return self.best_cue(query, passage);
        };
        let words: Vec<f32> = (passage.first..=passage.last)
            .map(|cue| {
                let terms = &self.cue_terms[cue];
                self.bm25(query, terms, terms.values().sum())
            })
            .collect();
        let best_words = words.iter().copied().fold(0.0, f32::max);
        let weight = self.mixing.lexical_weight;
        (passage.first..=passage.last)
            .zip(words)
            .map(|(cue, words)| {
                let words = if best_words > 0.0 {
                    words / best_words
                } else {
                    0.0
                };
                let meaning = cosine(question, &cue_vectors[cue]).max(0.0);
                (weight * words + (1.0 - weight) * meaning, cue)
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

    /// A unit vector along `axis` of four.
    fn along(axis: usize) -> Vec<f32> {
        let mut vector = vec![0.0; 4];
        vector[axis] = 1.0;
        vector
    }

    #[test]
    fn with_vectors_a_question_finds_a_passage_in_other_words() {
        // Axis 1 is "the network is quicker"; the question says it in other words.
        let cue_vectors: Vec<Vec<f32>> = [0, 0, 2, 2, 3, 1, 1, 3].into_iter().map(along).collect();
        let index = TranscriptIndex::new(&call()).with_vectors(&cue_vectors);
        assert!(index.has_vectors());
        let question = "Has throughput improved?";
        assert!(
            index.moments(question, None).is_empty(),
            "no word in common"
        );
        let moments = index.moments(question, Some(&along(1)));
        assert_eq!(moments[0].cue, 5, "{moments:?}");
        assert!(moments[0].closeness.is_some_and(|c| c > 0.5));
        // A vector per cue or none: a short list is not used.
        assert!(!TranscriptIndex::new(&call())
            .with_vectors(&cue_vectors[..3])
            .has_vectors());
    }

    #[test]
    fn the_talk_moves_on_where_meaning_changes_for_a_while() {
        let cue_vectors: Vec<Vec<f32>> = [0, 0, 0, 0, 1, 1, 1, 1].into_iter().map(along).collect();
        let index = TranscriptIndex::new(&call()).with_vectors(&cue_vectors);
        assert_eq!(index.topic_change_after(0), Some(4));
        assert_eq!(TranscriptIndex::new(&call()).topic_change_after(0), None);
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
