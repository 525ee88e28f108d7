//! Fills the index from the database, page by page in id order, as a fresh start or on demand.

use tantivy::{IndexWriter, TantivyDocument};
use tokio::runtime::Handle;

use super::document::to_document;
use super::schema::Fields;
use super::store;
use crate::db::{self, Db};
use crate::error::AppError;

const PAGE: i64 = 500;

/// Replaces everything in the index with the database's FAQ entries and commits; returns the
/// checkpoint it committed. Changes made while it runs are after that checkpoint, so the indexer
/// applies them next (applying one twice is harmless).
pub fn rebuild(
    handle: &Handle,
    db: &Db,
    writer: &mut IndexWriter<TantivyDocument>,
    fields: &Fields,
    mut progress: impl FnMut(u64, u64),
) -> Result<i64, AppError> {
    let (seq, total) = handle
        .block_on(db.read(|conn| Ok((db::changes::latest_seq(conn)?, db::faq::count(conn)?))))?;
    let total = total.unsigned_abs();
    writer
        .delete_all_documents()
        .map_err(|error| AppError::internal("emptying the search index", error))?;
    let mut after = 0;
    let mut done = 0;
    progress(done, total);
    loop {
        let page = handle.block_on(db.read(move |conn| db::faq::page_after(conn, after, PAGE)))?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for entry in &page {
            writer
                .add_document(to_document(fields, entry))
                .map_err(|error| AppError::internal("indexing an FAQ entry", error))?;
        }
        done += page.len() as u64;
        progress(done, total.max(done));
    }
    store::commit(writer, seq)?;
    Ok(seq)
}
