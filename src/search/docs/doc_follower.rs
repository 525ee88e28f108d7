//! The documentation index's follower: one thread per process that compares every source's
//! revision with the one the index holds and reads again the sources that moved on (and drops
//! those that went). A refresh that changed nothing keeps its revision, so it costs no work here.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, Weak};
use std::time::Duration;

use tantivy::{IndexReader, IndexWriter, TantivyDocument, Term};
use tokio::runtime::Handle;

use super::doc_schema::{DocCheckpoint, DocFields, SCHEMA_VERSION};
use crate::db::docs::LiveSection;
use crate::db::{self, Db};
use crate::docs::section::address;
use crate::domain::plain_text;
use crate::error::AppError;

const POLL: Duration = Duration::from_millis(250);

/// What the follower and the searchers share.
#[derive(Default)]
pub struct FollowerState {
    /// The revision of each source the searchable index holds.
    pub revisions: Mutex<BTreeMap<i64, i64>>,
    /// Moves on with every commit.
    pub commits: AtomicU64,
    /// The first comparison with the database is done.
    pub ready: AtomicBool,
}

pub struct Follower {
    pub handle: Handle,
    pub db: Db,
    pub writer: IndexWriter<TantivyDocument>,
    pub reader: IndexReader,
    pub fields: DocFields,
    pub held: BTreeMap<i64, i64>,
    /// Held strongly only by the index handle: when it goes, the follower stops.
    pub state: Weak<FollowerState>,
}

impl Follower {
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name("docs-indexer".into())
            .spawn(move || self.run())
    }

    fn run(mut self) {
        self.publish();
        loop {
            let Some(state) = self.state.upgrade() else {
                return;
            };
            drop(state);
            match self.step() {
                Ok(()) => {
                    if let Some(state) = self.state.upgrade() {
                        state.ready.store(true, Ordering::Release);
                    }
                    std::thread::sleep(POLL);
                }
                Err(error) => {
                    tracing::warn!(%error, "could not bring the documentation index up to date; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }
    }

    /// Reads again every source whose revision moved on, drops the ones that went, and commits.
    fn step(&mut self) -> Result<(), AppError> {
        let revisions: BTreeMap<i64, i64> = self
            .handle
            .block_on(self.db.read(db::docs::revisions))?
            .into_iter()
            .collect();
        let gone: Vec<i64> = self
            .held
            .keys()
            .filter(|source| !revisions.contains_key(source))
            .copied()
            .collect();
        let moved: Vec<(i64, i64)> = revisions
            .iter()
            .filter(|(source, revision)| self.held.get(source) != Some(revision))
            .map(|(source, revision)| (*source, *revision))
            .collect();
        if gone.is_empty() && moved.is_empty() {
            return Ok(());
        }
        for source in &gone {
            self.writer.delete_term(Term::from_field_u64(
                self.fields.source_id,
                source.unsigned_abs(),
            ));
            self.held.remove(source);
        }
        for (source, revision) in moved {
            let sections = self.handle.block_on(
                self.db
                    .read(move |conn| db::docs::live_sections_of(conn, source)),
            )?;
            self.writer.delete_term(Term::from_field_u64(
                self.fields.source_id,
                source.unsigned_abs(),
            ));
            let mut seen = HashSet::new();
            for section in sections.iter().filter(|section| seen.insert(section.id)) {
                self.writer
                    .add_document(document(&self.fields, section))
                    .map_err(|error| {
                        AppError::internal("indexing a documentation section", error)
                    })?;
            }
            self.held.insert(source, revision);
            tracing::info!(
                source,
                revision,
                sections = sections.len(),
                "documentation source indexed"
            );
        }
        commit(&mut self.writer, &self.held)?;
        self.reader
            .reload()
            .map_err(|error| AppError::internal("reloading the documentation index", error))?;
        self.publish();
        Ok(())
    }

    fn publish(&self) {
        if let Some(state) = self.state.upgrade() {
            if let Ok(mut revisions) = state.revisions.lock() {
                revisions.clone_from(&self.held);
            }
            state.commits.fetch_add(1, Ordering::AcqRel);
        }
    }
}

pub fn document(fields: &DocFields, section: &LiveSection) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    // Ids are positive: SQLite and PostgreSQL both count up from 1.
    doc.add_u64(fields.section_id, section.id.unsigned_abs());
    doc.add_u64(fields.source_id, section.source_id.unsigned_abs());
    doc.add_text(fields.source, &section.source_name);
    doc.add_text(fields.title, &section.heading_path);
    // Markdown sources keep their markup; readers see (and words match) the text alone.
    let text = plain_text(&section.body);
    doc.add_text(fields.body, &text);
    doc.add_text(fields.words, &section.heading_path);
    doc.add_text(fields.words, &text);
    doc.add_text(fields.url, address(&section.url, &section.anchor));
    doc
}

/// Commits what the writer holds, with the sources' revisions as payload.
pub fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    revisions: &BTreeMap<i64, i64>,
) -> Result<(), AppError> {
    let payload = serde_json::to_string(&DocCheckpoint {
        schema: SCHEMA_VERSION,
        revisions: revisions.clone(),
    })
    .map_err(|error| AppError::internal("writing the documentation checkpoint", error))?;
    let failed = |doing: &'static str| move |error| AppError::internal(doing, error);
    let mut prepared = writer
        .prepare_commit()
        .map_err(failed("preparing a documentation index commit"))?;
    prepared.set_payload(&payload);
    prepared
        .commit()
        .map_err(failed("committing to the documentation index"))?;
    Ok(())
}
