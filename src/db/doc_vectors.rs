//! Sentence vectors of documentation sections: one per section and model, replaced (with a new
//! id) when the section's content changes, so that every instance follows new rows by id.

use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{doc_section_vectors, doc_sections, doc_sources};
use crate::error::{AppError, QueryContext};

/// A section waiting for a vector: what is embedded is its heading path and its text.
#[derive(Debug, Clone, Queryable)]
pub struct SectionText {
    pub id: i64,
    pub heading_path: String,
    pub body: String,
    pub content_hash: String,
}

/// A stored row, for readers that keep vectors in memory.
#[derive(Debug, Clone, Queryable)]
pub struct StoredSectionVector {
    pub id: i64,
    pub section_id: i64,
    pub vector: Vec<u8>,
}

/// Sections in their source with no vector of `model` for their current content, by id.
pub fn waiting(
    conn: &mut DbConnection,
    model: &str,
    limit: i64,
) -> Result<Vec<SectionText>, AppError> {
    doc_sections::table
        .inner_join(doc_sources::table)
        .left_join(
            doc_section_vectors::table.on(doc_section_vectors::section_id
                .eq(doc_sections::id)
                .and(doc_section_vectors::model.eq(model))),
        )
        .filter(doc_sections::removed_at.is_null())
        .filter(
            doc_section_vectors::id
                .is_null()
                .or(doc_section_vectors::content_hash
                    .nullable()
                    .ne(doc_sections::content_hash.nullable())),
        )
        .order(doc_sections::id.asc())
        .limit(limit)
        .select((
            doc_sections::id,
            doc_sections::heading_path,
            doc_sections::body,
            doc_sections::content_hash,
        ))
        .load(conn)
        .context("finding documentation sections to embed")
}

/// How many sections wait for a vector of `model`.
pub fn waiting_count(conn: &mut DbConnection, model: &str) -> Result<i64, AppError> {
    doc_sections::table
        .left_join(
            doc_section_vectors::table.on(doc_section_vectors::section_id
                .eq(doc_sections::id)
                .and(doc_section_vectors::model.eq(model))),
        )
        .filter(doc_sections::removed_at.is_null())
        .filter(
            doc_section_vectors::id
                .is_null()
                .or(doc_section_vectors::content_hash
                    .nullable()
                    .ne(doc_sections::content_hash.nullable())),
        )
        .count()
        .get_result(conn)
        .context("counting documentation sections to embed")
}

/// Stores a section's vector of `model` for the content with `content_hash`, as a new row.
pub fn replace(
    conn: &mut DbConnection,
    model: &str,
    section_id: i64,
    content_hash: &str,
    vector: &[u8],
) -> Result<(), AppError> {
    diesel::delete(
        doc_section_vectors::table
            .filter(doc_section_vectors::section_id.eq(section_id))
            .filter(doc_section_vectors::model.eq(model)),
    )
    .execute(conn)
    .context("replacing a documentation section's vector")?;
    diesel::insert_into(doc_section_vectors::table)
        .values((
            doc_section_vectors::section_id.eq(section_id),
            doc_section_vectors::model.eq(model),
            doc_section_vectors::content_hash.eq(content_hash),
            doc_section_vectors::vector.eq(vector),
        ))
        .execute(conn)
        .context("storing a documentation section's vector")?;
    Ok(())
}

/// Rows of `model` written after row `after`, oldest first.
pub fn written_after(
    conn: &mut DbConnection,
    model: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<StoredSectionVector>, AppError> {
    doc_section_vectors::table
        .filter(doc_section_vectors::model.eq(model))
        .filter(doc_section_vectors::id.gt(after))
        .order(doc_section_vectors::id.asc())
        .limit(limit)
        .select((
            doc_section_vectors::id,
            doc_section_vectors::section_id,
            doc_section_vectors::vector,
        ))
        .load(conn)
        .context("reading documentation sections' vectors")
}

/// Vectors of models not in use go once every section has one of each model in use.
pub fn delete_other_models(conn: &mut DbConnection, in_use: &[String]) -> Result<usize, AppError> {
    diesel::delete(doc_section_vectors::table.filter(doc_section_vectors::model.ne_all(in_use)))
        .execute(conn)
        .context("removing another model's documentation vectors")
}
