//! What the documentation index holds for each section, and the checkpoint it commits: the
//! revision of every source it holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::search::schema::{ENGLISH, WORDS};

/// Bump when the fields change: an index built with another version is rebuilt at start.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Clone, Copy)]
pub struct DocFields {
    pub section_id: Field,
    pub source_id: Field,
    pub source: Field,
    /// Page › Section › Subsection
    pub title: Field,
    pub body: Field,
    /// Title and body unstemmed, for the word being typed.
    pub words: Field,
    /// The section's address with its anchor.
    pub url: Field,
}

/// Written with every commit: which revision of each source the index holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocCheckpoint {
    pub schema: u32,
    pub revisions: BTreeMap<i64, i64>,
}

fn english(positions: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ENGLISH)
                .set_index_option(record),
        )
        .set_stored()
}

pub fn build() -> (Schema, DocFields) {
    let mut builder = Schema::builder();
    let fields = DocFields {
        section_id: builder.add_u64_field("section_id", INDEXED | STORED | FAST),
        source_id: builder.add_u64_field("source_id", INDEXED),
        source: builder.add_text_field("source", STRING | STORED),
        // Positions: snippets highlight the words found.
        title: builder.add_text_field("title", english(true)),
        body: builder.add_text_field("body", english(true)),
        words: builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        ),
        url: builder.add_text_field("url", STORED),
    };
    (builder.build(), fields)
}

/// The fields of an opened index; `None` when it has another schema.
pub fn fields_of(schema: &Schema) -> Option<DocFields> {
    let field = |name: &str| schema.get_field(name).ok();
    Some(DocFields {
        section_id: field("section_id")?,
        source_id: field("source_id")?,
        source: field("source")?,
        title: field("title")?,
        body: field("body")?,
        words: field("words")?,
        url: field("url")?,
    })
}
