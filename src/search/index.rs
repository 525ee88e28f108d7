//! The handle searchers hold: FAQ searches with snippets, by words and by meaning, over one
//! reader that the indexer thread keeps fresh.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{IndexReader, ReloadPolicy, TantivyDocument, Term};
use tokio::runtime::Handle;

use super::ids::AllIds;
use super::indexer::{Indexer, IndexerState};
use super::schema::Fields;
use super::{ids, query, rebuild, schema, store};
use crate::db::Db;
use crate::error::AppError;
use crate::meaning::vectors::Vectors;

/// Where the index lives inside the data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search")
}

/// A handle on the index; clones share it.
#[derive(Clone)]
pub struct SearchIndex {
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    state: Arc<IndexerState>,
}

pub struct SearchRequest<'a> {
    pub text: &'a str,
    pub label: Option<&'a str>,
    pub event: Option<&'a str>,
    pub offset: usize,
    pub limit: usize,
    /// Rank by meaning too.
    pub meaning: Option<ByMeaning<'a>>,
}

/// What ranking by meaning needs: the in-memory vectors, the query's, and the share of words in
/// the mix (the model's `Cuts::lexical_weight`; benchmarks try others).
#[derive(Clone, Copy)]
pub struct ByMeaning<'a> {
    pub vectors: &'a Vectors,
    pub query: &'a [f32],
    pub lexical_weight: f32,
    /// Entries that share no word with the query are listed from this cosine on.
    pub min_meaning: f32,
}

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub id: i64,
    pub question: String,
    /// The question with the query's words in `<mark>`, escaped.
    pub question_html: String,
    pub answer_html: String,
    /// A passage of the answer around the query's words, in `<mark>`, escaped.
    pub snippet_html: String,
    pub labels: Vec<String>,
    pub event_slug: String,
    pub event_title: String,
    pub score: f32,
    /// Closeness of meaning, when ranked by meaning too.
    pub meaning: Option<f32>,
    /// Closeness of meaning past what every FAQ entry shares (see `meaning::background`): what
    /// tells an answer to this question from one that only names the same project.
    pub distinct_meaning: Option<f32>,
}

#[derive(Debug, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

const SNIPPET_CHARS: usize = 220;

impl SearchIndex {
    /// Opens (or builds) the index in `dir` and starts its indexer thread.
    pub fn start(db: Db, dir: &Path) -> Result<Self, AppError> {
        let opened = store::open(dir)?;
        let writer = store::writer(&opened.index, dir)?;
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|error| AppError::internal("opening the search index for reading", error))?;
        let state = Arc::new(IndexerState::default());
        Indexer {
            handle: Handle::current(),
            db,
            writer,
            reader: IndexReader::clone(&reader),
            fields: opened.fields,
            resume_from: opened.checkpoint.map(|checkpoint| checkpoint.seq),
            state: Arc::downgrade(&state),
        }
        .spawn()
        .map_err(|error| AppError::internal("starting the search indexer", error))?;
        Ok(Self {
            reader,
            fields: opened.fields,
            state,
        })
    }

    /// Every change up to this sequence number is searchable.
    pub fn searchable_seq(&self) -> i64 {
        self.state.searchable_seq.load(Ordering::Acquire)
    }

    pub fn is_ready(&self) -> bool {
        self.state.ready.load(Ordering::Acquire)
    }

    /// Runs a query; CPU work, so call it off the async threads. With a vector for the query,
    /// entries close in meaning are found too and the ranking mixes both (see `meaning::hybrid`).
    pub fn search(&self, request: &SearchRequest<'_>) -> Result<SearchResults, AppError> {
        let failed = |doing: &'static str| move |error| AppError::internal(doing, error);
        let searcher = self.reader.searcher();
        let Some(plan) = query::plan(&self.fields, request.text, query::Style::TYPED) else {
            return Ok(SearchResults::default());
        };
        let mut conditions = vec![query::filter(Term::from_field_text(
            self.fields.kind,
            schema::KIND_FAQ,
        ))];
        if let Some(label) = request.label {
            conditions.push(query::filter(Term::from_field_text(
                self.fields.labels,
                label,
            )));
        }
        if let Some(event) = request.event {
            conditions.push(query::filter(Term::from_field_text(
                self.fields.event,
                event,
            )));
        }
        let mut snippets = Snippets::new(&searcher, &self.fields, &*plan.highlight)?;
        let Some(by_meaning) = request.meaning else {
            let ranked = query::restricted(plan.scoring, conditions);
            let (top, total) = searcher
                .search(
                    &*ranked,
                    &(
                        TopDocs::with_limit(request.limit.max(1))
                            .and_offset(request.offset)
                            .order_by_score(),
                        Count,
                    ),
                )
                .map_err(failed("searching"))?;
            let mut hits = Vec::with_capacity(top.len());
            for (score, address) in top {
                let doc: TantivyDocument =
                    searcher.doc(address).map_err(failed("reading a hit"))?;
                hits.push(snippets.hit(&self.fields, &doc, score, None));
            }
            return Ok(SearchResults { total, hits });
        };
        let candidates: Vec<i64> = searcher
            .search(
                &*query::all_of(conditions.iter().map(|c| c.box_clone()).collect()),
                &AllIds { scored: false },
            )
            .map_err(failed("listing FAQ entries"))?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let lexical = searcher
            .search(
                &*query::restricted(plan.scoring, conditions),
                &AllIds { scored: true },
            )
            .map_err(failed("searching"))?;
        let mut closeness = by_meaning.vectors.closeness(by_meaning.query, &candidates);
        let lexical_ids: std::collections::HashSet<i64> =
            lexical.iter().map(|(id, _)| *id).collect();
        closeness
            .retain(|id, cosine| lexical_ids.contains(id) || *cosine >= by_meaning.min_meaning);
        let ranked = crate::meaning::hybrid::mix(&lexical, &closeness, by_meaning.lexical_weight);
        let total = ranked.len();
        let page: Vec<i64> = ranked
            .iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|entry| entry.id)
            .collect();
        let distinct = match by_meaning.vectors.background(&candidates) {
            Some(background) => {
                by_meaning
                    .vectors
                    .closeness_past(by_meaning.query, &page, &background)
            }
            None => std::collections::HashMap::new(),
        };
        let mut hits = Vec::with_capacity(request.limit);
        for entry in ranked.iter().skip(request.offset).take(request.limit) {
            if let Some(doc) = ids::document(&searcher, &self.fields, entry.id)? {
                let mut hit = snippets.hit(&self.fields, &doc, entry.score, entry.meaning);
                hit.distinct_meaning = distinct.get(&entry.id).copied();
                hits.push(hit);
            }
        }
        Ok(SearchResults { total, hits })
    }
}

/// Highlighted question and answer passages for hits.
struct Snippets {
    answer: SnippetGenerator,
    question: SnippetGenerator,
}

impl Snippets {
    fn new(
        searcher: &tantivy::Searcher,
        fields: &Fields,
        highlight: &dyn tantivy::query::Query,
    ) -> Result<Self, AppError> {
        let failed = |error| AppError::internal("preparing snippets", error);
        let mut answer =
            SnippetGenerator::create(searcher, highlight, fields.answer).map_err(failed)?;
        answer.set_max_num_chars(SNIPPET_CHARS);
        let mut question =
            SnippetGenerator::create(searcher, highlight, fields.question).map_err(failed)?;
        question.set_max_num_chars(crate::domain::QuestionBody::MAX_CHARS);
        Ok(Self { answer, question })
    }

    fn hit(
        &mut self,
        fields: &Fields,
        doc: &TantivyDocument,
        score: f32,
        meaning: Option<f32>,
    ) -> SearchHit {
        let text = |field| {
            doc.get_first(field)
                .and_then(|value| value.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let question = text(fields.question);
        let answer = text(fields.answer);
        let mut question_snippet = self.question.snippet(&question);
        question_snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        let mut snippet = self.answer.snippet(&answer);
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        let snippet_html = if snippet.is_empty() {
            opening_of(&answer)
        } else {
            snippet.to_html()
        };
        let question_html = if question_snippet.is_empty() {
            escape(&question)
        } else {
            question_snippet.to_html()
        };
        SearchHit {
            id: doc
                .get_first(fields.id)
                .and_then(|value| value.as_u64())
                .and_then(|id| i64::try_from(id).ok())
                .unwrap_or_default(),
            question_html,
            question,
            answer_html: text(fields.answer_html),
            snippet_html,
            labels: doc
                .get_all(fields.labels)
                .filter_map(|value| value.as_str().map(str::to_owned))
                .collect(),
            event_slug: text(fields.event),
            event_title: text(fields.event_title),
            score,
            meaning,
            distinct_meaning: None,
        }
    }
}

fn escape(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

/// The first words of an answer, escaped, when no word of the query is in it.
fn opening_of(answer: &str) -> String {
    let mut opening: String = answer.chars().take(SNIPPET_CHARS).collect();
    if opening.len() < answer.len() {
        if let Some(cut) = opening.rfind(' ') {
            opening.truncate(cut);
        }
        opening.push('…');
    }
    escape(&opening)
}

/// Rebuilds the index in `dir` from the database while no server holds it (`faqtory reindex`).
pub fn reindex(db: &Db, dir: &Path, progress: impl FnMut(u64, u64)) -> Result<i64, AppError> {
    let opened = store::open(dir)?;
    let mut writer = store::writer(&opened.index, dir)?;
    let seq = rebuild::rebuild(
        &Handle::current(),
        db,
        &mut writer,
        &opened.fields,
        progress,
    )?;
    writer
        .wait_merging_threads()
        .map_err(|error| AppError::internal("finishing the search index", error))?;
    Ok(seq)
}
