//! A collector of every matching document's question id (and score): what ranking by meaning
//! needs to know which questions a request may return, without reading stored documents.

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

use super::schema::Fields;
use crate::error::AppError;

/// The name of the question id's fast field.
const ID: &str = "id";

/// The question id of a hit, from the fast field (no stored document read).
pub fn id_of(searcher: &Searcher, address: DocAddress) -> Result<Option<i64>, AppError> {
    let column = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .u64(ID)
        .map_err(|error| AppError::internal("reading a hit's id", error))?;
    Ok(column
        .first(address.doc_id)
        .and_then(|id| i64::try_from(id).ok()))
}

/// The stored document of a question, when the index holds it.
pub fn document(
    searcher: &Searcher,
    fields: &Fields,
    id: i64,
) -> Result<Option<TantivyDocument>, AppError> {
    let failed = |error| AppError::internal("reading a question from the index", error);
    let query = TermQuery::new(
        Term::from_field_u64(fields.id, id.unsigned_abs()),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(failed)?;
    match found.first() {
        Some((_, address)) => searcher.doc(*address).map(Some).map_err(failed),
        None => Ok(None),
    }
}

/// Collects every match's question id.
pub struct AllIds {
    /// Compute BM25 scores (otherwise every score is 0).
    pub scored: bool,
}

pub struct SegmentIds {
    column: Column<u64>,
    found: Vec<(i64, Score)>,
}

impl Collector for AllIds {
    type Fruit = Vec<(i64, Score)>;
    type Child = SegmentIds;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentIds> {
        Ok(SegmentIds {
            column: reader.fast_fields().u64(ID)?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(i64, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentIds {
    type Fruit = Vec<(i64, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(id) = self.column.first(doc).and_then(|id| i64::try_from(id).ok()) {
            self.found.push((id, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}
