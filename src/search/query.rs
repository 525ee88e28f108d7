//! From what a visitor typed to a tantivy query, without a query language: every input is words,
//! so no input can fail to parse. Each word is matched, stemmed, in the question (weighted
//! highest), the alternative phrasings and the answer, scored with BM25; from 4 characters a
//! word also matches the unstemmed words of questions within an edit distance (1, or 2 from 8
//! characters; a transposition is one edit), scored lower; the last word is also matched as a
//! prefix, for search-as-you-type.

use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::schema::{english_analyzer, words_analyzer, Fields};

/// Long inputs are cut: the first words say what is sought.
const MAX_INPUT_CHARS: usize = 1_000;
const MAX_WORDS: usize = 32;
/// Word pairs of a whole question looked for as phrases, at most.
const PAIRS: usize = 40;

const QUESTION_BOOST: f32 = 2.0;
const PHRASINGS_BOOST: f32 = 1.5;
const ANSWER_BOOST: f32 = 1.0;
/// A fuzzy match scores a constant: kept below what an exact match usually earns.
const FUZZY_BOOST: f32 = 0.6;
const PREFIX_BOOST: f32 = 1.0;

pub struct Plan {
    /// What ranks the results (conditions go around it).
    pub scoring: Box<dyn Query>,
    /// The same words, exact stems only: what snippets highlight (tantivy cannot highlight the
    /// terms a fuzzy query expanded to).
    pub highlight: Box<dyn Query>,
}

/// How a text is turned into a query.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub max_words: usize,
    /// Words also match within an edit distance: for what people type.
    pub fuzzy: bool,
    /// The last word also matches as a prefix: for what is still being typed.
    pub prefix: bool,
    /// How much more the words of the first sentence weigh.
    pub lead_boost: f32,
    /// The weight of two words found in a row (0: not looked for).
    pub pair_boost: f32,
    /// The weight of the first sentence's words found in other questions' first sentences.
    pub lead_field_boost: f32,
}

impl Style {
    /// A search box or a question being typed.
    pub const TYPED: Style = Style {
        max_words: MAX_WORDS,
        fuzzy: true,
        prefix: true,
        lead_boost: 1.0,
        pair_boost: 0.0,
        lead_field_boost: 0.0,
    };
    /// A whole question, compared with others: every word counts, as written.
    pub const WHOLE_QUESTION: Style = Style {
        max_words: 250,
        fuzzy: false,
        prefix: false,
        lead_boost: 2.0,
        pair_boost: 1.0,
        lead_field_boost: 1.0,
    };
}

/// The words of `text`, lower-cased, at most `MAX_WORDS`.
pub fn words(text: &str) -> Vec<String> {
    words_up_to(text, MAX_WORDS)
}

fn words_up_to(text: &str, max_words: usize) -> Vec<String> {
    let cut: String = text.chars().take(MAX_INPUT_CHARS).collect();
    let mut analyzer = words_analyzer();
    let mut stream = analyzer.token_stream(&cut);
    let mut words = Vec::new();
    while words.len() < max_words && stream.advance() {
        words.push(stream.token().text.clone());
    }
    words
}

fn stem(word: &str) -> Option<String> {
    let mut analyzer = english_analyzer();
    let mut stream = analyzer.token_stream(word);
    stream.advance().then(|| stream.token().text.clone())
}

fn term_query(term: Term, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        boost,
    ))
}

/// `None` when the text has no words to search for.
pub fn plan(fields: &Fields, text: &str, style: Style) -> Option<Plan> {
    let words = words_up_to(text, style.max_words);
    // A whole question's first sentence says what it asks; the rest is context.
    let lead = if style.lead_boost > 1.0 {
        let first = text.split(['?', '.', '!']).next().unwrap_or_default();
        words_up_to(first, style.max_words).len()
    } else {
        0
    };
    let last = words.len().checked_sub(1)?;
    let mut scoring: Vec<Box<dyn Query>> = Vec::new();
    let mut highlight: Vec<Box<dyn Query>> = Vec::new();
    for (position, word) in words.iter().enumerate() {
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let length = word.chars().count();
        if let Some(stem) = stem(word) {
            let in_question = Term::from_field_text(fields.question, &stem);
            let in_phrasings = Term::from_field_text(fields.phrasings, &stem);
            let in_answer = Term::from_field_text(fields.answer, &stem);
            if style.fuzzy && length >= 4 {
                // Against the words as written, not their stems: a typo often changes the stem
                // ("produciton" stems to itself, "production" to "product"). A transposition
                // counts as one edit.
                let distance = if length >= 8 { 2 } else { 1 };
                clauses.push(Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new(
                        Term::from_field_text(fields.words, word),
                        distance,
                        true,
                    )),
                    QUESTION_BOOST * FUZZY_BOOST,
                )));
            }
            highlight.push(term_query(in_question.clone(), 1.0));
            highlight.push(term_query(in_answer.clone(), 1.0));
            let weight = if position < lead {
                style.lead_boost
            } else {
                1.0
            };
            if position < lead {
                // Against other questions' first sentences: what they ask.
                clauses.push(term_query(
                    Term::from_field_text(fields.lead, &stem),
                    style.lead_field_boost,
                ));
            }
            clauses.push(term_query(in_question, QUESTION_BOOST * weight));
            clauses.push(term_query(in_phrasings, PHRASINGS_BOOST * weight));
            clauses.push(term_query(in_answer, ANSWER_BOOST * weight));
        }
        if style.prefix && position == last && length >= 2 {
            clauses.push(Box::new(BoostQuery::new(
                Box::new(FuzzyTermQuery::new_prefix(
                    Term::from_field_text(fields.words, word),
                    0,
                    true,
                )),
                PREFIX_BOOST,
            )));
        }
        if !clauses.is_empty() {
            scoring.push(Box::new(BooleanQuery::union(clauses)));
        }
    }
    if style.pair_boost > 0.0 {
        // Two words in a row, as in the question: "who or whom" is more than "who" and "whom".
        let stems: Vec<String> = words.iter().filter_map(|word| stem(word)).collect();
        for pair in stems.windows(2).take(PAIRS) {
            let terms: Vec<Term> = pair
                .iter()
                .map(|stem| Term::from_field_text(fields.question, stem))
                .collect();
            scoring.push(Box::new(BoostQuery::new(
                Box::new(tantivy::query::PhraseQuery::new(terms)),
                style.pair_boost,
            )));
        }
    }
    if scoring.is_empty() {
        return None;
    }
    Some(Plan {
        scoring: Box::new(BooleanQuery::union(scoring)),
        highlight: Box::new(BooleanQuery::union(highlight)),
    })
}

/// A condition that does not move the ranking.
pub fn filter(term: Term) -> Box<dyn Query> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        0.0,
    ))
}

/// Ranks by `scoring`, among the documents that meet every condition.
pub fn restricted(scoring: Box<dyn Query>, conditions: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses = vec![(Occur::Must, scoring)];
    clauses.extend(
        conditions
            .into_iter()
            .map(|condition| (Occur::Must, condition)),
    );
    Box::new(BooleanQuery::new(clauses))
}

/// Meets every condition.
pub fn all_of(conditions: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        conditions
            .into_iter()
            .map(|condition| (Occur::Must, condition))
            .collect(),
    ))
}

/// Meets at least one of the conditions.
pub fn any_of(conditions: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        conditions
            .into_iter()
            .map(|condition| (Occur::Should, condition))
            .collect(),
    ))
}
