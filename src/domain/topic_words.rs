//! The words that set a topic apart from the others, to label it: class-based TF-IDF (as
//! BERTopic does it). A word weighs by how much of its topic's text it makes up, times how rare
//! it is across all topics: `tf(t, c) · ln(1 + A / f(t))`, where `A` is the average number of
//! words a topic has and `f(t)` how often `t` occurs in all of them. A project's name, in every
//! question of every topic, labels none of them.

use std::collections::{BTreeMap, HashMap, HashSet};

/// Words that never label a topic: the glue of English questions.
const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "also", "am", "an", "and", "any", "anyone", "are", "as", "at", "be",
    "been", "but", "by", "can", "could", "did", "do", "doe", "does", "for", "from", "get", "got",
    "had", "ha", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me",
    "more", "my", "no", "not", "of", "on", "one", "or", "our", "please", "should", "so", "some",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "u",
    "us", "wa", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with",
    "would", "you", "your",
];

/// The words of a text as topics count them: lower case, stop words and numbers left out
/// (plurals are folded across a whole set of topics, see [`distinctive_words`]).
pub fn topic_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .map(|word| word.trim_matches(|c| c == '-' || c == '\'').to_lowercase())
        .filter(|word| word.chars().count() > 1)
        .filter(|word| !word.chars().all(|c| c.is_ascii_digit()))
        .filter(|word| !STOP_WORDS.contains(&word.as_str()))
        .collect()
}

/// Each word's singular where the singular is also used ("boards" counts as "board" when
/// "board" occurs), so that names ending in s ("MirageOS") stay whole.
fn singulars(vocabulary: &HashSet<String>) -> HashMap<String, String> {
    vocabulary
        .iter()
        .filter_map(|word| {
            let singular = if let Some(stem) = word.strip_suffix("ies") {
                format!("{stem}y")
            } else if word.ends_with('s') && !word.ends_with("ss") {
                word[..word.len() - 1].to_owned()
            } else {
                return None;
            };
            vocabulary
                .contains(&singular)
                .then(|| (word.clone(), singular))
        })
        .collect()
}

/// For each topic (its texts), its `top` most distinctive words, most distinctive first (ties
/// alphabetical); a word every topic uses is none's.
pub fn distinctive_words(topics: &[Vec<&str>], top: usize) -> Vec<Vec<String>> {
    let words: Vec<Vec<Vec<String>>> = topics
        .iter()
        .map(|texts| texts.iter().map(|text| topic_words(text)).collect())
        .collect();
    let vocabulary: HashSet<String> = words.iter().flatten().flatten().cloned().collect();
    let singular = singulars(&vocabulary);
    let counted: Vec<BTreeMap<String, u32>> = words
        .iter()
        .map(|texts| {
            let mut counts = BTreeMap::new();
            for word in texts.iter().flatten() {
                let word = singular.get(word).unwrap_or(word);
                *counts.entry(word.clone()).or_insert(0) += 1;
            }
            counts
        })
        .collect();
    let mut everywhere: HashMap<&str, u32> = HashMap::new();
    let mut topics_holding: HashMap<&str, usize> = HashMap::new();
    for counts in &counted {
        for (word, count) in counts {
            *everywhere.entry(word.as_str()).or_insert(0) += count;
            *topics_holding.entry(word.as_str()).or_insert(0) += 1;
        }
    }
    // A word in every topic (the project's name) sets none apart.
    let worded = counted.iter().filter(|counts| !counts.is_empty()).count();
    let in_all = |word: &str| worded > 1 && topics_holding.get(word) == Some(&worded);
    let sizes: Vec<u32> = counted.iter().map(|counts| counts.values().sum()).collect();
    let average = f64::from(sizes.iter().sum::<u32>()) / sizes.len().max(1) as f64;
    counted
        .iter()
        .zip(&sizes)
        .map(|(counts, size)| {
            let mut weighed: Vec<(&str, f64)> = counts
                .iter()
                .filter(|(word, _)| !in_all(word))
                .map(|(word, count)| {
                    let share = f64::from(*count) / f64::from((*size).max(1));
                    let across = f64::from(everywhere.get(word.as_str()).copied().unwrap_or(1));
                    (word.as_str(), share * (1.0 + average / across).ln())
                })
                .collect();
            weighed.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
            weighed
                .into_iter()
                .take(top)
                .map(|(word, _)| word.to_owned())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_glue_left_out() {
        assert_eq!(
            topic_words("How do I build MirageOS unikernels for ARM64 boards in 2026?"),
            vec!["build", "mirageos", "unikernels", "arm64", "boards"]
        );
        assert!(topic_words("Is there any way?")
            .iter()
            .all(|word| word == "way"));
    }

    #[test]
    fn a_topic_is_labelled_by_what_sets_it_apart_not_by_what_all_share() {
        let topics = vec![
            vec![
                "How do I run MirageOS on ARM64?",
                "Does MirageOS support ARM64 boards?",
                "MirageOS on a Raspberry Pi (ARM64)",
            ],
            vec![
                "Is there a MirageOS release planned?",
                "When is the next MirageOS release?",
                "MirageOS release notes for 4.5",
            ],
        ];
        let labels = distinctive_words(&topics, 2);
        assert_eq!(labels[0][0], "arm64");
        assert_eq!(labels[1][0], "release");
        assert!(labels
            .iter()
            .all(|words| !words.contains(&"mirageos".to_owned())));
    }

    #[test]
    fn plurals_count_with_their_singular_when_both_are_used() {
        let labels =
            distinctive_words(&[vec!["Two boards", "One board"], vec!["MirageOS docs"]], 1);
        assert_eq!(labels[0], vec!["board"]);
        assert_eq!(labels[1], vec!["docs"], "MirageOS is not cut to MirageO");
    }

    #[test]
    fn an_empty_topic_gets_no_words() {
        assert_eq!(
            distinctive_words(&[vec![], vec!["Docs please"]], 3),
            vec![Vec::<String>::new(), vec!["docs".to_owned()]]
        );
    }
}
