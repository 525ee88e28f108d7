//! Mixing the two rankings: BM25 from Tantivy (scaled by the best score of the query, so 1 is
//! "the best lexical match there is") and the cosine between sentence vectors (0 to 1), and the
//! rules that say when a match is worth showing. The numbers they take are the model's (see
//! `cuts`).

use std::collections::HashMap;

/// Groups items by closeness of their vectors, in order: each joins the first group whose
/// first item is at least `threshold` close, or starts its own. Returns the groups as indexes.
pub fn group_in_order(vectors: &[Vec<f32>], threshold: f32) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (at, vector) in vectors.iter().enumerate() {
        let joined = groups.iter_mut().find(|group| {
            group.first().is_some_and(|&lead| {
                crate::meaning::unit_vectors::cosine(&vectors[lead], vector) >= threshold
            })
        });
        match joined {
            Some(group) => group.push(at),
            None => groups.push(vec![at]),
        }
    }
    groups
}

/// When a match is worth showing, by how close it is past what every candidate shares (see
/// `background`) and how alike in the words that are rare on the site (see
/// `search::word_weights`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relatedness {
    /// This close in meaning, it is shown whatever the words.
    pub close: f32,
    /// This close in meaning, it is shown when it is also alike in rare words…
    pub floor: f32,
    /// …this much.
    pub words: f32,
    /// Without vectors, how alike in rare words.
    pub words_alone: f32,
}

impl Relatedness {
    /// `meaning`: closeness past the candidates' background, when there are vectors; `words`:
    /// closeness in rare words.
    pub fn admits(&self, meaning: Option<f32>, words: f32) -> bool {
        match meaning {
            Some(closeness) => {
                closeness >= self.close || (closeness >= self.floor && words >= self.words)
            }
            None => words >= self.words_alone,
        }
    }
}

/// When two questions are taken to ask the same thing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linking {
    /// Closeness of meaning (past the event's shared background) that is enough alone.
    pub same_meaning: f32,
    /// Closeness of meaning enough when rare words are shared too…
    pub supported_meaning: f32,
    /// …this much (cosine of the rare-weighted words).
    pub supporting_words: f32,
    /// Without vectors: how alike in rare words.
    pub same_words: f32,
}

impl Linking {
    /// How strongly two questions are linked, when they are: their closeness of meaning, or
    /// without vectors their closeness in words.
    pub fn link(&self, meaning: Option<f32>, words: f32) -> Option<f32> {
        let linked = match meaning {
            Some(meaning) => {
                meaning >= self.same_meaning
                    || (meaning >= self.supported_meaning && words >= self.supporting_words)
            }
            None => words >= self.same_words,
        };
        linked.then(|| meaning.unwrap_or(words))
    }
}

/// A best match far ahead of every other candidate is worth showing even under the absolute cut:
/// someone asking again in other words, with nothing else near.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClearLead {
    /// How much closer (past the background) than the next candidate…
    pub lead: f32,
    /// …and at least how close.
    pub floor: f32,
}

impl ClearLead {
    /// The candidate that leads clearly, among closenesses past the background.
    pub fn leader(&self, closeness: &HashMap<i64, f32>) -> Option<i64> {
        let mut ranked: Vec<(i64, f32)> = closeness.iter().map(|(&id, &c)| (id, c)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let (best, closest) = *ranked.first()?;
        let next = ranked.get(1).map_or(0.0, |(_, next)| next.max(0.0));
        (closest >= self.floor && closest - next >= self.lead).then_some(best)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mixed {
    pub id: i64,
    /// BM25 scaled to the query's best (0 when the words did not match).
    pub lexical: f32,
    /// Cosine of the sentence vectors, when the question has one.
    pub meaning: Option<f32>,
    pub score: f32,
}

/// Every id of either ranking, best first. `lexical` holds raw BM25 scores; `meaning` cosines.
pub fn mix(lexical: &[(i64, f32)], meaning: &HashMap<i64, f32>, lexical_weight: f32) -> Vec<Mixed> {
    let best = lexical
        .iter()
        .map(|(_, score)| *score)
        .fold(0.0f32, f32::max);
    let scaled = |score: f32| if best > 0.0 { score / best } else { 0.0 };
    let mut mixed: HashMap<i64, Mixed> = HashMap::with_capacity(lexical.len() + meaning.len());
    for &(id, score) in lexical {
        mixed.insert(
            id,
            Mixed {
                id,
                lexical: scaled(score),
                meaning: None,
                score: 0.0,
            },
        );
    }
    for (&id, &cosine) in meaning {
        mixed
            .entry(id)
            .or_insert(Mixed {
                id,
                lexical: 0.0,
                meaning: None,
                score: 0.0,
            })
            .meaning = Some(cosine);
    }
    let mut ranked: Vec<Mixed> = mixed
        .into_values()
        .map(|mut entry| {
            let closeness = entry.meaning.unwrap_or(0.0).clamp(0.0, 1.0);
            entry.score = lexical_weight * entry.lexical + (1.0 - lexical_weight) * closeness;
            entry
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    ranked
}

/// Lexical results alone, in the same shape (no model, or the query could not be embedded).
pub fn lexical_only(lexical: &[(i64, f32)]) -> Vec<Mixed> {
    mix(lexical, &HashMap::new(), 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_meaning_outranks_a_weak_word_match() {
        let lexical = [(1, 10.0), (2, 2.0)];
        let meaning = HashMap::from([(1, 0.2), (2, 0.3), (3, 0.9)]);
        let ranked = mix(&lexical, &meaning, 0.3);
        let order: Vec<i64> = ranked.iter().map(|entry| entry.id).collect();
        // 1: 0.3·1 + 0.7·0.2 = 0.44; 3: 0.7·0.9 = 0.63; 2: 0.3·0.2 + 0.7·0.3 = 0.27
        assert_eq!(order, [3, 1, 2]);
        assert!((ranked[0].score - 0.63).abs() < 1e-6);
        assert_eq!(ranked[0].lexical, 0.0);
        assert_eq!(ranked[1].lexical, 1.0);
    }

    #[test]
    fn negative_cosines_count_as_unrelated_and_missing_vectors_as_nothing() {
        let ranked = mix(&[(1, 4.0)], &HashMap::from([(2, -0.4)]), 0.5);
        assert_eq!(ranked[0].id, 1);
        assert_eq!(ranked[1].score, 0.0);
        assert_eq!(ranked[0].meaning, None);
    }

    #[test]
    fn grouping_keeps_order_and_joins_only_close_items() {
        let vectors = vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![0.8, 0.6],
            vec![0.6, 0.8],
        ];
        assert_eq!(group_in_order(&vectors, 0.75), [vec![0, 2], vec![1, 3]]);
        assert_eq!(
            group_in_order(&vectors, 0.99),
            [vec![0], vec![1], vec![2], vec![3]]
        );
    }

    #[test]
    fn only_a_match_far_ahead_of_the_next_leads() {
        let rule = ClearLead {
            lead: 0.2,
            floor: 0.3,
        };
        let far_ahead = HashMap::from([(1, 0.45), (2, 0.1), (3, -0.2)]);
        assert_eq!(rule.leader(&far_ahead), Some(1));
        let close_race = HashMap::from([(1, 0.45), (2, 0.3)]);
        assert_eq!(rule.leader(&close_race), None);
        let alone_but_far = HashMap::from([(1, 0.25)]);
        assert_eq!(rule.leader(&alone_but_far), None);
        assert_eq!(rule.leader(&HashMap::new()), None);
    }

    #[test]
    fn lexical_only_keeps_the_lexical_order() {
        let ranked = lexical_only(&[(5, 1.0), (6, 3.0)]);
        assert_eq!(
            ranked.iter().map(|entry| entry.id).collect::<Vec<_>>(),
            [6, 5]
        );
        assert_eq!(ranked[0].score, 1.0);
    }
}
