//! Counting a poll's answers: options picked, a rating's average and distribution, a word
//! cloud's words (folded so "Docs", " docs" and "doc" count as one; stop words and banned words
//! left out), and a ranking by Borda count.

use std::collections::{BTreeMap, HashMap, HashSet};

/// How many answers picked each option, in option order.
pub fn tally_choices<'a>(
    options: usize,
    answers: impl IntoIterator<Item = &'a [usize]>,
) -> Vec<u64> {
    let mut counts = vec![0; options];
    for picked in answers {
        for option in picked {
            if let Some(count) = counts.get_mut(*option) {
                *count += 1;
            }
        }
    }
    counts
}

#[derive(Debug, Clone, PartialEq)]
pub struct RatingSummary {
    /// `None` before the first answer.
    pub average: Option<f64>,
    /// How many gave each rating, from 1 to the scale's top.
    pub distribution: Vec<u64>,
}

pub fn rating_summary(scale: u8, ratings: impl IntoIterator<Item = u8>) -> RatingSummary {
    let mut distribution = vec![0u64; usize::from(scale)];
    let (mut sum, mut count) = (0u64, 0u64);
    for rating in ratings {
        if let Some(slot) = usize::from(rating)
            .checked_sub(1)
            .and_then(|at| distribution.get_mut(at))
        {
            *slot += 1;
            sum += u64::from(rating);
            count += 1;
        }
    }
    RatingSummary {
        average: (count > 0).then(|| sum as f64 / count as f64),
        distribution,
    }
}

/// Points per option: in a ranking of n options the first gets n − 1, the last 0.
pub fn borda_scores<'a>(
    options: usize,
    rankings: impl IntoIterator<Item = &'a [usize]>,
) -> Vec<u64> {
    let mut scores = vec![0; options];
    for order in rankings {
        for (place, option) in order.iter().enumerate() {
            if let Some(score) = scores.get_mut(*option) {
                *score += (options.saturating_sub(place + 1)) as u64;
            }
        }
    }
    scores
}

/// Words that say nothing on their own in a word cloud.
const STOP_WORDS: [&str; 40] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "for", "from", "how", "i", "if",
    "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "so",
    "that", "the", "their", "this", "to", "us", "was", "we", "what", "with", "you",
];

/// A word or short phrase as the cloud counts it: lower case, punctuation at its ends and extra
/// spaces gone, each word's plural folded to its singular; `None` when nothing is left.
pub fn fold_word(raw: &str) -> Option<String> {
    let words: Vec<String> = raw
        .split_whitespace()
        .map(|word| {
            word.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .map(|word| singular(&word))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn singular(word: &str) -> String {
    let long = word.chars().count() > 3;
    if long && word.ends_with("ies") {
        format!("{}y", &word[..word.len() - 3])
    } else if long && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// Each folded word's count, most frequent first (then alphabetical); stop words and `banned`
/// (compared folded) are left out, and each answer counts a word once.
pub fn word_counts<'a>(
    answers: impl IntoIterator<Item = &'a [String]>,
    banned: &[String],
) -> Vec<(String, u64)> {
    let banned: HashSet<String> = banned.iter().filter_map(|word| fold_word(word)).collect();
    let mut counts: HashMap<String, u64> = HashMap::new();
    for answer in answers {
        let mine: BTreeMap<String, ()> = answer
            .iter()
            .filter_map(|word| fold_word(word))
            .filter(|word| !STOP_WORDS.contains(&word.as_str()) && !banned.contains(word))
            .map(|word| (word, ()))
            .collect();
        for word in mine.into_keys() {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut counted: Vec<(String, u64)> = counts.into_iter().collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_and_ratings_are_counted() {
        let answers: Vec<Vec<usize>> = vec![vec![0], vec![0, 2], vec![2], vec![7]];
        assert_eq!(
            tally_choices(3, answers.iter().map(Vec::as_slice)),
            vec![2, 0, 2]
        );
        let summary = rating_summary(5, [5, 4, 4, 0, 9]);
        assert_eq!(summary.distribution, vec![0, 0, 0, 2, 1]);
        assert_eq!(summary.average, Some(13.0 / 3.0));
        assert_eq!(rating_summary(10, []).average, None);
    }

    #[test]
    fn rankings_are_scored_by_borda_count() {
        let rankings: Vec<Vec<usize>> = vec![vec![0, 1, 2], vec![2, 0, 1], vec![0, 2, 1]];
        // 0: 2 + 1 + 2; 1: 1 + 0 + 0; 2: 0 + 2 + 1
        assert_eq!(
            borda_scores(3, rankings.iter().map(Vec::as_slice)),
            vec![5, 1, 3]
        );
    }

    #[test]
    fn words_are_folded_and_stop_and_banned_words_left_out() {
        assert_eq!(fold_word("  Docs! "), Some("doc".into()));
        assert_eq!(fold_word("Libraries"), Some("library".into()));
        assert_eq!(fold_word("class"), Some("class".into()));
        assert_eq!(fold_word("Road  Maps"), Some("road map".into()));
        assert_eq!(fold_word("?!"), None);
        let answers: Vec<Vec<String>> = vec![
            vec!["Docs".into(), "docs".into(), "the".into()],
            vec!["doc".into(), "roadmap".into(), "spam".into()],
            vec!["Roadmaps".into()],
        ];
        let counted = word_counts(answers.iter().map(Vec::as_slice), &["SPAM".into()]);
        assert_eq!(counted, vec![("doc".into(), 2), ("roadmap".into(), 2)]);
    }
}
