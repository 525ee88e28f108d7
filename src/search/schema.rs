//! What the index holds — FAQ entries, and every other open question for similar-question
//! search, told apart by `kind` — and the analyzers its text goes through.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::Index;

/// Bump when the fields or analyzers change: an index built with another version is rebuilt at
/// start.
pub const SCHEMA_VERSION: u32 = 4;

/// English words: lower-cased and stemmed, so "installing" finds "installation".
pub const ENGLISH: &str = "faqtory_english";
/// Lower-cased words, not stemmed: what the word being typed is matched against as a prefix.
pub const WORDS: &str = "faqtory_words";

pub const KIND_FAQ: &str = "faq";
pub const KIND_QUESTION: &str = "question";

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub question: Field,
    /// Texts of questions merged into this one.
    pub phrasings: Field,
    /// The question's first sentence: what it asks, without the context after it.
    pub lead: Field,
    /// The answer's words, without Markdown.
    pub answer: Field,
    /// Question and phrasings, unstemmed, for prefix matching.
    pub words: Field,
    pub answer_html: Field,
    pub labels: Field,
    pub event: Field,
    pub event_title: Field,
    pub answered_at: Field,
    pub vote_count: Field,
    /// `faq` for a published answer's entry, `question` for any other open question.
    pub kind: Field,
    /// The question's status: pending, approved or answered.
    pub status: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let english = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ENGLISH)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | STORED | FAST),
        // Positions for the question: pairs of words are matched as phrases.
        question: builder.add_text_field(
            "question",
            TextOptions::default()
                .set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(ENGLISH)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                )
                .set_stored(),
        ),
        phrasings: builder.add_text_field("phrasings", english(true)),
        lead: builder.add_text_field("lead", english(false)),
        answer: builder.add_text_field("answer", english(true)),
        words: builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        ),
        answer_html: builder.add_text_field("answer_html", STORED),
        labels: builder.add_text_field("labels", STRING | STORED),
        event: builder.add_text_field("event", STRING | STORED),
        event_title: builder.add_text_field("event_title", STORED),
        answered_at: builder.add_i64_field("answered_at", STORED | FAST),
        vote_count: builder.add_i64_field("vote_count", STORED | FAST),
        kind: builder.add_text_field("kind", STRING | STORED),
        status: builder.add_text_field("status", STRING | STORED),
    };
    (builder.build(), fields)
}

pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// Every index handle needs our analyzers registered before it reads or writes.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(ENGLISH, english_analyzer());
    index.tokenizers().register(WORDS, words_analyzer());
}

/// The fields of an opened index, found by name; `None` when the index has another schema.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let field = |name: &str| schema.get_field(name).ok();
    Some(Fields {
        id: field("id")?,
        question: field("question")?,
        phrasings: field("phrasings")?,
        lead: field("lead")?,
        answer: field("answer")?,
        words: field("words")?,
        answer_html: field("answer_html")?,
        labels: field("labels")?,
        event: field("event")?,
        event_title: field("event_title")?,
        answered_at: field("answered_at")?,
        vote_count: field("vote_count")?,
        kind: field("kind")?,
        status: field("status")?,
    })
}
