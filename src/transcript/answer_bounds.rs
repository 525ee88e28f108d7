//! Where an answer starts and stops in what was said. A passage found for a question often
//! opens with the moderator reading the question out ("Someone asked how to debug…"), a
//! greeting or "good question", and runs on into a sign-off ("That's all for today, thanks
//! everyone!") or the next question's introduction. None of that is the answer: the draft keeps
//! the sentences between.

use std::collections::HashSet;

/// A sentence of the passage, who said it, and the cues it was read from (by position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub speaker: Option<&'a str>,
    pub words: Vec<String>,
    pub cues: std::ops::Range<usize>,
}

/// Said before an answer: greetings, thanks for asking, "let's start".
const OPENINGS: &[&str] = &[
    "welcome",
    "hello",
    "hi everyone",
    "hi all",
    "hey everyone",
    "good morning",
    "good afternoon",
    "good evening",
    "let's get started",
    "let us get started",
    "let's start",
    "let us start",
    "thanks for the question",
    "thank you for the question",
    "good question",
    "great question",
    "thanks for asking",
    "thank you for asking",
];

/// Said when a question is put: "someone asked", "next question", "moving on".
const QUESTION_CUES: &[&str] = &[
    "asked",
    "asks",
    "asking",
    "question",
    "questions",
    "wants to know",
    "want to know",
    "wondering",
    "wonders",
    "next up",
    "next one",
    "moving on",
    "move on",
    "let's take",
    "let us take",
    "another one",
];

/// Said when a call ends.
const SIGN_OFFS: &[&str] = &[
    "that's all",
    "that is all",
    "that's it for today",
    "that is it for today",
    "thanks everyone",
    "thanks, everyone",
    "thank you everyone",
    "thank you, everyone",
    "thanks all",
    "thank you all",
    "thanks for joining",
    "thank you for joining",
    "thanks for coming",
    "see you next",
    "see you all",
    "see you soon",
    "until next time",
    "goodbye",
    "bye",
    "wrap up",
    "wrapping up",
];

/// Words that say nothing of what a question is about.
const PLAIN_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "but", "by", "can", "could",
    "did", "do", "does", "for", "from", "get", "has", "have", "how", "i", "if", "in", "into", "is",
    "it", "its", "me", "my", "of", "on", "or", "our", "should", "so", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "to", "us", "was", "we", "what", "when",
    "where", "which", "who", "why", "will", "with", "would", "you", "your", "now", "still",
];

/// The sentences of a passage that are the answer to `question`: leading openings and the
/// reading of the question left out, and everything from a sign-off or the next question's
/// introduction on.
pub fn answer_only<'a>(question: &str, sentences: Vec<Sentence<'a>>) -> Vec<Sentence<'a>> {
    let asked = content_words(question);
    let start = sentences
        .iter()
        .position(|sentence| {
            let text = lowered(&sentence.words);
            !(says_any(&text, OPENINGS)
                || puts_a_question(&text, &sentence.words, &asked)
                || says_any(&text, SIGN_OFFS))
        })
        .unwrap_or(sentences.len());
    let mut kept = Vec::new();
    for sentence in sentences.into_iter().skip(start) {
        let text = lowered(&sentence.words);
        if !kept.is_empty() && (says_any(&text, SIGN_OFFS) || introduces_another(&text)) {
            break;
        }
        kept.push(sentence);
    }
    kept
}

fn lowered(words: &[String]) -> String {
    let joined = words.join(" ").to_lowercase();
    // Transcripts write "that 's" and "that’s": one spelling for the phrases.
    joined
        .replace(" 's", "'s")
        .replace(" n't", "n't")
        .replace('’', "'")
}

/// Whether one of `phrases` is in `text` as whole words.
fn says_any(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| has_phrase(text, phrase))
}

fn has_phrase(text: &str, phrase: &str) -> bool {
    let is_word_char = |c: char| c.is_alphanumeric() || c == '\'';
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

fn content_words(text: &str) -> HashSet<String> {
    text.split_whitespace()
        .map(bare)
        .filter(|word| !word.is_empty() && !PLAIN_WORDS.contains(&word.as_str()))
        .collect()
}

/// The share of the question's words that the sentence says too.
fn overlap(words: &[String], asked: &HashSet<String>) -> f32 {
    if asked.is_empty() {
        return 0.0;
    }
    let said: HashSet<String> = words.iter().map(|word| bare(word)).collect();
    asked.iter().filter(|word| said.contains(*word)).count() as f32 / asked.len() as f32
}

/// The question read out or introduced: "Someone asked how to debug…", "Next question.", or the
/// question's own words asked again.
fn puts_a_question(text: &str, words: &[String], asked: &HashSet<String>) -> bool {
    let shared = overlap(words, asked);
    let is_a_question = text.trim_end().ends_with('?');
    (says_any(text, QUESTION_CUES) && (shared >= 0.3 || words.len() <= 6))
        || (is_a_question && shared >= 0.5)
}

/// Another question put after the answer: "Next question", "someone asked", "moving on".
fn introduces_another(text: &str) -> bool {
    says_any(
        text,
        &[
            "next question",
            "another question",
            "next one",
            "next up",
            "moving on",
            "let's move on",
            "someone asked",
            "somebody asked",
            "people asked",
            "someone asks",
            "let's take",
            "the question is",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(speaker: &'static str, text: &str) -> Sentence<'static> {
        Sentence {
            speaker: Some(speaker),
            words: text.split_whitespace().map(str::to_owned).collect(),
            cues: 0..1,
        }
    }

    fn texts(sentences: &[Sentence<'_>]) -> Vec<String> {
        sentences.iter().map(|s| s.words.join(" ")).collect()
    }

    #[test]
    fn the_reading_of_the_question_and_a_greeting_are_left_out() {
        let passage = vec![
            said("Anil", "Hi everyone, welcome back."),
            said(
                "Anil",
                "Someone asked how to debug a unikernel that crashes at boot.",
            ),
            said("Hannes", "Good question."),
            said("Hannes", "Start it under the unix target and use gdb."),
        ];
        let kept = answer_only("How do I debug a unikernel that crashes at boot?", passage);
        assert_eq!(
            texts(&kept),
            ["Start it under the unix target and use gdb."]
        );
    }

    #[test]
    fn a_sign_off_and_the_next_question_end_the_answer() {
        let passage = vec![
            said("Hannes", "Yes, since version four."),
            said("Hannes", "Renewal is automatic."),
            said("Anil", "That's all for today, thanks everyone!"),
            said("Anil", "Bye."),
        ];
        let kept = answer_only("Do Let's Encrypt certificates work?", passage);
        assert_eq!(
            texts(&kept),
            ["Yes, since version four.", "Renewal is automatic."]
        );
        let passage = vec![
            said("Mindy", "It is faster now."),
            said("Anil", "Next question: is there a Windows port?"),
        ];
        assert_eq!(
            texts(&answer_only("Is Xen faster?", passage)),
            ["It is faster now."]
        );
    }

    #[test]
    fn an_answer_that_names_the_question_words_is_kept() {
        let passage = vec![
            said(
                "Mindy",
                "About the Xen backend: the network driver was rewritten last month.",
            ),
            said("Mindy", "It is faster and uses less memory."),
        ];
        let kept = answer_only("Is the Xen network driver any faster now?", passage);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(has_phrase("ok, bye.", "bye"));
        assert!(!has_phrase("the bytes go by", "bye"));
        assert!(!has_phrase("a questionnaire", "question"));
        assert!(has_phrase(
            &lowered(&["That".into(), "'s".into(), "all".into()]),
            "that's all"
        ));
    }
}
