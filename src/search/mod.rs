//! Full-text search: FAQ entries for visitors, and every open question for similar-question
//! suggestions (one index; a `kind` field tells them apart). The database is the truth; the index
//! is derived from the durable `changes` table by one indexer thread per process (see `indexer`)
//! and can always be rebuilt (`rebuild`). Searchers only read the index.

mod docs;
mod document;
mod ids;
mod index;
mod indexer;
mod query;
mod rebuild;
mod schema;
mod similar;
mod store;
mod word_weights;

pub use docs::{docs_index_dir, DocLexicalHit, DocsIndex, StoredSection};
pub use index::{
    index_dir, reindex, ByMeaning, SearchHit, SearchIndex, SearchRequest, SearchResults,
};
pub use query::{words, Style};
pub use schema::english_analyzer;
pub use similar::{shared_words, SimilarHit, SimilarRequest};
pub use word_weights::{content_stems, WordWeights};
