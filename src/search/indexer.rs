//! The indexer: one thread per process that tails the durable `changes` table from its
//! checkpoint and applies each changed question to the index (delete, then add it back as an FAQ
//! entry or an open question, when it is one), committing about every 200 ms while changes arrive
//! and at once when they stop.
//!
//! The checkpoint it commits never passes a change not yet seen (see `db::change_tail`).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Weak;
use std::time::{Duration, Instant};

use tantivy::{IndexReader, IndexWriter, TantivyDocument, Term};
use tokio::runtime::Handle;

use super::document::{question_document, to_document};
use super::rebuild::rebuild;
use super::schema::Fields;
use super::store;
use crate::db::change_tail::Tail;
use crate::db::{self, Db};
use crate::error::AppError;

const POLL: Duration = Duration::from_millis(50);
const COMMIT_EVERY: Duration = Duration::from_millis(200);
const BATCH: i64 = 1_000;

/// What the indexer thread and the searchers share.
#[derive(Default)]
pub struct IndexerState {
    /// Every change up to this sequence number is searchable.
    pub searchable_seq: AtomicI64,
    /// The first build (or the resume) is done.
    pub ready: AtomicBool,
}

pub struct Indexer {
    pub handle: Handle,
    pub db: Db,
    pub writer: IndexWriter<TantivyDocument>,
    pub reader: IndexReader,
    pub fields: Fields,
    /// `None`: build the index from the database first.
    pub resume_from: Option<i64>,
    /// Held strongly only by the search handle: when it goes, the indexer stops.
    pub state: Weak<IndexerState>,
}

impl Indexer {
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name("search-indexer".into())
            .spawn(move || self.run())
    }

    fn run(mut self) {
        let mut tail = loop {
            match self.start() {
                Ok(tail) => break tail,
                Err(error) => {
                    tracing::error!(%error, "could not build the search index; retrying");
                    if !self.sleep(Duration::from_secs(1)) {
                        return;
                    }
                }
            }
        };
        let mut dirty_since: Option<Instant> = None;
        loop {
            if self.state.strong_count() == 0 {
                if dirty_since.is_some() {
                    let _ = self.commit(&tail);
                }
                return;
            }
            match self.step(&mut tail) {
                Ok(0) => {
                    if dirty_since.take().is_some() {
                        self.commit_or_log(&tail);
                    }
                    if !self.sleep(POLL) {
                        return;
                    }
                }
                Ok(_) => {
                    let since = *dirty_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= COMMIT_EVERY {
                        dirty_since = None;
                        self.commit_or_log(&tail);
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "search indexer could not read changes; retrying");
                    if !self.sleep(Duration::from_secs(1)) {
                        return;
                    }
                }
            }
        }
    }

    /// Sleeps unless the search handle is gone; says whether to go on.
    fn sleep(&self, duration: Duration) -> bool {
        std::thread::sleep(duration);
        self.state.strong_count() > 0
    }

    fn start(&mut self) -> Result<Tail, AppError> {
        let seq = match self.resume_from {
            Some(seq) => seq,
            None => {
                let started = Instant::now();
                let seq = rebuild(
                    &self.handle,
                    &self.db,
                    &mut self.writer,
                    &self.fields,
                    |_, _| {},
                )?;
                tracing::info!(
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "search index built"
                );
                self.resume_from = Some(seq);
                seq
            }
        };
        self.reload()?;
        if let Some(state) = self.state.upgrade() {
            state.searchable_seq.store(seq, Ordering::Release);
            state.ready.store(true, Ordering::Release);
        }
        Ok(Tail::new(seq))
    }

    /// Applies the next batch of changes; returns how many there were.
    fn step(&mut self, tail: &mut Tail) -> Result<usize, AppError> {
        let (after, gaps) = tail.wanted();
        let changes = self.handle.block_on(
            self.db
                .read(move |conn| db::changes::since(conn, after, &gaps, BATCH)),
        )?;
        if changes.is_empty() {
            // Gaps age out even when nothing new arrives.
            tail.saw(&BTreeSet::new());
            return Ok(0);
        }
        let ids: Vec<i64> = changes
            .iter()
            .map(|(_, id)| *id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let lookup = ids.clone();
        // FAQ entries first; only the other ids can be open questions still to read.
        let (entries, open) = self.handle.block_on(self.db.read(move |conn| {
            let entries = db::faq::by_ids(conn, &lookup)?;
            let entry_ids: BTreeSet<i64> = entries.iter().map(|entry| entry.id).collect();
            let others: Vec<i64> = lookup
                .into_iter()
                .filter(|id| !entry_ids.contains(id))
                .collect();
            Ok((entries, db::faq::open_by_ids(conn, &others)?))
        }))?;
        for id in &ids {
            self.writer
                .delete_term(Term::from_field_u64(self.fields.id, id.unsigned_abs()));
        }
        let documents = entries
            .iter()
            .map(|entry| to_document(&self.fields, entry))
            .chain(
                open.iter()
                    .map(|question| question_document(&self.fields, question)),
            );
        for document in documents {
            self.writer
                .add_document(document)
                .map_err(|error| AppError::internal("indexing a question", error))?;
        }
        tail.saw(&changes.iter().map(|(seq, _)| *seq).collect());
        Ok(changes.len())
    }

    fn commit(&mut self, tail: &Tail) -> Result<(), AppError> {
        let seq = tail.checkpoint();
        store::commit(&mut self.writer, seq)?;
        self.reload()?;
        if let Some(state) = self.state.upgrade() {
            state.searchable_seq.store(seq, Ordering::Release);
        }
        Ok(())
    }

    fn commit_or_log(&mut self, tail: &Tail) {
        if let Err(error) = self.commit(tail) {
            tracing::error!(%error, "search index commit failed");
        }
    }

    fn reload(&self) -> Result<(), AppError> {
        self.reader
            .reload()
            .map_err(|error| AppError::internal("reloading the search index", error))
    }
}
