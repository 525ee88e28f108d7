//! Fills the index from the database, page by page in id order (FAQ entries, then the other open
//! questions), as a fresh start or on demand.

use tantivy::{IndexWriter, TantivyDocument};
use tokio::runtime::Handle;

use std::collections::HashSet;

use super::document::{question_document, to_document};
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
    // Every FAQ entry is an open question too: their count is the number of documents.
    let (seq, total) = handle.block_on(
        db.read(|conn| Ok((db::changes::latest_seq(conn)?, db::faq::open_count(conn)?))),
    )?;
    let total = total.unsigned_abs();
    writer
        .delete_all_documents()
        .map_err(|error| AppError::internal("emptying the search index", error))?;
    let mut done = 0;
    progress(done, total);
    let mut entry_ids = HashSet::new();
    let mut after = 0;
    loop {
        let page = handle.block_on(db.read(move |conn| db::faq::page_after(conn, after, PAGE)))?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for entry in &page {
            entry_ids.insert(entry.id);
            add(writer, to_document(fields, entry))?;
        }
        done += page.len() as u64;
        progress(done, total);
    }
    let mut after = 0;
    loop {
        let page =
            handle.block_on(db.read(move |conn| db::faq::open_page_after(conn, after, PAGE)))?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for question in page
            .iter()
            .filter(|question| !entry_ids.contains(&question.id))
        {
            add(writer, question_document(fields, question))?;
            done += 1;
        }
        progress(done, total.max(done));
    }
    store::commit(writer, seq)?;
    Ok(seq)
}

fn add(
    writer: &mut IndexWriter<TantivyDocument>,
    document: TantivyDocument,
) -> Result<(), AppError> {
    writer
        .add_document(document)
        .map_err(|error| AppError::internal("indexing a question", error))?;
    Ok(())
}
