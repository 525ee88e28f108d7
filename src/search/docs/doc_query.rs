//! From what someone typed to a query over documentation sections: every input is words, each
//! matched stemmed in the heading path (weighted higher) and the text, with the last word also
//! matched as a prefix while it is being typed. No input can fail to parse.

use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::doc_schema::DocFields;
use crate::search::query::words;
use crate::search::schema::english_analyzer;
use crate::search::word_weights::STOP_WORDS;

const TITLE_BOOST: f32 = 2.0;
const BODY_BOOST: f32 = 1.0;
const PREFIX_BOOST: f32 = 0.5;

pub struct DocPlan {
    pub scoring: Box<dyn Query>,
    /// The exact stems: what snippets highlight.
    pub highlight: Box<dyn Query>,
}

fn stem(word: &str) -> Option<String> {
    let mut analyzer = english_analyzer();
    let mut stream = analyzer.token_stream(word);
    stream.advance().then(|| stream.token().text.clone())
}

fn term(term: Term, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        boost,
    ))
}

/// `None` when the text has no word worth looking for (stop words alone say nothing about which
/// section answers).
pub fn plan(fields: &DocFields, text: &str, typing: bool) -> Option<DocPlan> {
    let words: Vec<String> = words(text)
        .into_iter()
        .filter(|word| !STOP_WORDS.contains(&word.as_str()))
        .collect();
    let last = words.len().checked_sub(1)?;
    let mut scoring: Vec<Box<dyn Query>> = Vec::new();
    let mut highlight: Vec<Box<dyn Query>> = Vec::new();
    for (position, word) in words.iter().enumerate() {
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        if let Some(stem) = stem(word) {
            let in_title = Term::from_field_text(fields.title, &stem);
            let in_body = Term::from_field_text(fields.body, &stem);
            highlight.push(term(in_title.clone(), 1.0));
            highlight.push(term(in_body.clone(), 1.0));
            clauses.push(term(in_title, TITLE_BOOST));
            clauses.push(term(in_body, BODY_BOOST));
        }
        if typing && position == last && word.chars().count() >= 3 {
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
    if scoring.is_empty() {
        return None;
    }
    Some(DocPlan {
        scoring: Box::new(BooleanQuery::union(scoring)),
        highlight: Box::new(BooleanQuery::union(highlight)),
    })
}
