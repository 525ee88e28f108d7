//! Matching by meaning: a local sentence encoder (BERT or MPNet, on the CPU) turns questions into
//! vectors, a background embedder stores one per question, every instance keeps them in memory,
//! and searches mix closeness of meaning with Tantivy's BM25 (`hybrid`), judged by the model's own
//! cuts (`cuts`). Stored text and live suggestions may each have their model (`engine`). Without
//! a model, or when a query cannot be embedded in time, every search answers by words alone.

mod archive;
mod availability;
pub mod background;
pub mod catalog;
pub mod cuts;
pub mod doc_vectors;
mod doc_work;
pub mod embedder;
mod embedding_tools;
pub mod encoder;
mod engine;
pub mod fetch;
mod fetch_outcome;
pub mod files;
mod handle;
mod handover;
pub mod hybrid;
mod loading;
pub mod mpnet;
pub mod pooling;
mod settings;
pub mod topic_centroids;
mod transcript_vectors;
pub mod unit_vectors;
pub mod vectors;

pub use availability::Availability;
pub use engine::Fallback;
pub use handle::Meaning;
pub use handover::MeaningSource;
pub use settings::{ModelSetting, ModelSettings, QUERY_WAIT};
