//! Documentation sections by words: an index of its own beside the questions' (its ids are
//! sections', not questions'), which every instance keeps in step with each source's revision.

mod doc_follower;
mod doc_index;
mod doc_query;
mod doc_schema;

pub use doc_index::{docs_index_dir, DocLexicalHit, DocsIndex, StoredSection};
