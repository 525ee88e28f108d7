//! The handle searchers hold on the documentation index: sections ranked by words, read back
//! with a snippet of the words found, and how much of a query's rarer words a section holds.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};
use tokio::runtime::Handle;

use super::doc_follower::{Follower, FollowerState};
use super::doc_query;
use super::doc_schema::{self, DocCheckpoint, DocFields, SCHEMA_VERSION};
use crate::db::Db;
use crate::error::AppError;
use crate::search::schema::register_analyzers;
use crate::search::word_weights::{content_stems, stems};

const SNIPPET_CHARS: usize = 200;

/// Where the documentation index lives inside the data directory.
pub fn docs_index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search-docs")
}

/// A handle on the index; clones share it.
#[derive(Clone)]
pub struct DocsIndex {
    reader: IndexReader,
    fields: DocFields,
    state: Arc<FollowerState>,
}

/// A section found by its words: its id and BM25 score.
pub type DocLexicalHit = (i64, f32);

/// A section as the index keeps it, ready to show.
#[derive(Debug, Clone)]
pub struct StoredSection {
    pub id: i64,
    pub source: String,
    /// Page › Section › Subsection
    pub title: String,
    /// Its address with the anchor.
    pub url: String,
    /// A passage around the words looked for, in `<mark>`, escaped.
    pub snippet_html: String,
    /// The same passage as plain text.
    pub snippet: String,
    /// How much of the query's weight of rarer words the section holds (0 to 1).
    pub word_coverage: f32,
}

struct Opened {
    index: Index,
    fields: DocFields,
    revisions: BTreeMap<i64, i64>,
}

fn open(dir: &Path) -> Result<Opened, AppError> {
    if dir.join("meta.json").exists() {
        match open_existing(dir) {
            Ok(opened) => return Ok(opened),
            Err(reason) => {
                tracing::warn!(dir = %dir.display(), %reason, "rebuilding the documentation index");
                std::fs::remove_dir_all(dir).map_err(|error| {
                    AppError::internal("removing an unusable documentation index", error)
                })?;
            }
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|error| AppError::internal("creating the documentation index directory", error))?;
    let (schema, fields) = doc_schema::build();
    let index = Index::create_in_dir(dir, schema)
        .map_err(|error| AppError::internal("creating the documentation index", error))?;
    register_analyzers(&index);
    Ok(Opened {
        index,
        fields,
        revisions: BTreeMap::new(),
    })
}

fn open_existing(dir: &Path) -> Result<Opened, String> {
    let index = Index::open_in_dir(dir).map_err(|error| format!("unreadable: {error}"))?;
    register_analyzers(&index);
    let fields = doc_schema::fields_of(&index.schema()).ok_or("another schema")?;
    let payload = index
        .load_metas()
        .map_err(|error| format!("unreadable metadata: {error}"))?
        .payload
        .ok_or("no checkpoint")?;
    let checkpoint: DocCheckpoint =
        serde_json::from_str(&payload).map_err(|error| format!("bad checkpoint: {error}"))?;
    if checkpoint.schema != SCHEMA_VERSION {
        return Err(format!("schema version {}", checkpoint.schema));
    }
    index
        .reader()
        .map_err(|error| format!("unreadable segments: {error}"))?;
    Ok(Opened {
        index,
        fields,
        revisions: checkpoint.revisions,
    })
}

impl DocsIndex {
    /// Opens (or creates) the index in `dir` and starts its follower thread.
    pub fn start(db: Db, dir: &Path) -> Result<Self, AppError> {
        let opened = open(dir)?;
        let writer = opened
            .index
            .writer_with_num_threads(1, 20_000_000)
            .map_err(|error| {
                AppError::internal("opening the documentation index for writing", error)
            })?;
        let reader: IndexReader = opened
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|error| AppError::internal("opening the documentation index", error))?;
        let state = Arc::new(FollowerState::default());
        Follower {
            handle: Handle::current(),
            db,
            writer,
            reader: reader.clone(),
            fields: opened.fields,
            held: opened.revisions,
            state: Arc::downgrade(&state),
        }
        .spawn()
        .map_err(|error| AppError::internal("starting the documentation indexer", error))?;
        Ok(Self {
            reader,
            fields: opened.fields,
            state,
        })
    }

    /// Whether what is searchable holds this revision of the source (or a later one).
    pub fn holds(&self, source_id: i64, revision: i64) -> bool {
        self.state.ready.load(Ordering::Acquire)
            && self.state.revisions.lock().is_ok_and(|held| {
                held.get(&source_id)
                    .is_some_and(|indexed| *indexed >= revision)
                    || revision == 0
            })
    }

    /// Moves on whenever what is searchable changes: what answers found earlier are good for.
    pub fn generation(&self) -> u64 {
        self.state.commits.load(Ordering::Acquire)
    }

    /// How many sections are searchable.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sections whose words match `text`, best first (BM25), at most `limit`; `typing`: the
    /// last word may be unfinished. CPU work: call it off the async threads.
    pub fn by_words(
        &self,
        text: &str,
        typing: bool,
        limit: usize,
    ) -> Result<Vec<DocLexicalHit>, AppError> {
        let Some(plan) = doc_query::plan(&self.fields, text, typing) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &*plan.scoring,
                &TopDocs::with_limit(limit.max(1)).order_by_score(),
            )
            .map_err(|error| AppError::internal("searching the documentation", error))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|error| AppError::internal("reading a documentation hit", error))?;
            if let Some(id) = id_of(&self.fields, &doc) {
                hits.push((id, score));
            }
        }
        Ok(hits)
    }

    /// These sections as they are searchable now, in the order given, each with a snippet
    /// around the words of `text`; sections no longer in their source are left out.
    pub fn sections(&self, ids: &[i64], text: &str) -> Result<Vec<StoredSection>, AppError> {
        let failed = |doing: &'static str| move |error| AppError::internal(doing, error);
        let searcher = self.reader.searcher();
        let snippets = doc_query::plan(&self.fields, text, false)
            .map(|plan| {
                SnippetGenerator::create(&searcher, &*plan.highlight, self.fields.body).map(
                    |mut generator| {
                        generator.set_max_num_chars(SNIPPET_CHARS);
                        generator
                    },
                )
            })
            .transpose()
            .map_err(failed("preparing documentation snippets"))?;
        let query_stems = content_stems(text);
        let weights = self.weights(&searcher, &query_stems);
        let mut found = Vec::with_capacity(ids.len());
        for &id in ids {
            let query = TermQuery::new(
                Term::from_field_u64(self.fields.section_id, id.unsigned_abs()),
                IndexRecordOption::Basic,
            );
            let top = searcher
                .search(&query, &TopDocs::with_limit(1).order_by_score())
                .map_err(failed("finding a documentation section"))?;
            let Some((_, address)) = top.first() else {
                continue;
            };
            let doc: TantivyDocument = searcher
                .doc(*address)
                .map_err(failed("reading a documentation section"))?;
            let text_of = |field| {
                doc.get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let title = text_of(self.fields.title);
            let body = text_of(self.fields.body);
            let (snippet_html, snippet) = match &snippets {
                Some(generator) => {
                    let mut snippet = generator.snippet(&body);
                    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                    if snippet.is_empty() {
                        opening_of(&body)
                    } else {
                        (snippet.to_html(), snippet.fragment().to_owned())
                    }
                }
                None => opening_of(&body),
            };
            let mut section_stems = stems(&title);
            section_stems.extend(stems(&body));
            found.push(StoredSection {
                id,
                source: text_of(self.fields.source),
                word_coverage: coverage(&weights, &query_stems, &section_stems),
                title,
                url: text_of(self.fields.url),
                snippet_html,
                snippet,
            });
        }
        Ok(found)
    }

    /// ln(1 + N/n) of each stem over the sections' texts: a word most sections hold (the
    /// project's name) weighs little.
    fn weights(
        &self,
        searcher: &tantivy::Searcher,
        query_stems: &HashSet<String>,
    ) -> HashMap<String, f32> {
        let total = searcher.num_docs().max(1) as f32;
        query_stems
            .iter()
            .map(|stem| {
                let holding = searcher
                    .doc_freq(&Term::from_field_text(self.fields.body, stem))
                    .unwrap_or(0)
                    .max(1) as f32;
                (stem.clone(), (1.0 + total / holding).ln())
            })
            .collect()
    }
}

/// The share of the query's weighted stems that the section holds.
fn coverage(
    weights: &HashMap<String, f32>,
    query: &HashSet<String>,
    section: &HashSet<String>,
) -> f32 {
    let weight = |stem: &String| weights.get(stem).copied().unwrap_or(1.0).powi(2);
    let all: f32 = query.iter().map(weight).sum();
    if all <= f32::EPSILON {
        return 0.0;
    }
    query
        .iter()
        .filter(|stem| section.contains(*stem))
        .map(weight)
        .sum::<f32>()
        / all
}

fn id_of(fields: &DocFields, doc: &TantivyDocument) -> Option<i64> {
    doc.get_first(fields.section_id)
        .and_then(|value| value.as_u64())
        .and_then(|id| i64::try_from(id).ok())
}

/// The section's first words, when none of the query's are in it.
fn opening_of(body: &str) -> (String, String) {
    let mut opening: String = body.chars().take(SNIPPET_CHARS).collect();
    if opening.len() < body.len() {
        if let Some(cut) = opening.rfind(' ') {
            opening.truncate(cut);
        }
        opening.push('…');
    }
    (maud::html! { (opening) }.into_string(), opening)
}
