//! The indexer: one thread per process that tails the durable `changes` table from its
//! checkpoint and applies each changed question to the index (delete, then add it back as an FAQ
//! entry or an open question, when it is one), committing about every 200 ms while changes arrive
//! and at once when they stop.
//!
//! On PostgreSQL, sequence numbers are taken when a transaction inserts and become visible when
//! it commits, so a later number can be seen before an earlier one. The tail remembers such gaps
//! and keeps looking for them for a while; the checkpoint it commits never passes an open gap.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Weak;
use std::time::{Duration, Instant};

use tantivy::{IndexReader, IndexWriter, TantivyDocument, Term};
use tokio::runtime::Handle;

use super::document::{question_document, to_document};
use super::rebuild::rebuild;
use super::schema::Fields;
use super::store;
use crate::db::{self, Db};
use crate::error::AppError;

const POLL: Duration = Duration::from_millis(50);
const COMMIT_EVERY: Duration = Duration::from_millis(200);
const BATCH: i64 = 1_000;
/// How long a missing sequence number is waited for before it is taken for a rolled-back
/// transaction.
const GAP_PATIENCE: Duration = Duration::from_secs(60);
const MAX_GAPS: usize = 10_000;

/// What the indexer thread and the searchers share.
#[derive(Default)]
pub struct IndexerState {
    /// Every change up to this sequence number is searchable.
    pub searchable_seq: AtomicI64,
    /// The first build (or the resume) is done.
    pub ready: AtomicBool,
}

/// The changes seen so far, and the ones known to be missing.
struct Tail {
    highest: i64,
    gaps: BTreeMap<i64, Instant>,
}

impl Tail {
    fn new(seq: i64) -> Self {
        Self {
            highest: seq,
            gaps: BTreeMap::new(),
        }
    }

    fn saw(&mut self, seqs: &BTreeSet<i64>) {
        for &seq in seqs {
            if self.gaps.remove(&seq).is_some() {
                continue;
            }
            if seq > self.highest {
                let now = Instant::now();
                for missing in (self.highest + 1)..seq {
                    if self.gaps.len() >= MAX_GAPS {
                        break;
                    }
                    self.gaps.insert(missing, now);
                }
                self.highest = seq;
            }
        }
        self.gaps.retain(|_, since| since.elapsed() < GAP_PATIENCE);
    }

    /// Everything up to here has been applied.
    fn checkpoint(&self) -> i64 {
        self.gaps
            .keys()
            .next()
            .map_or(self.highest, |first_gap| first_gap - 1)
    }
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
        let after = tail.highest;
        let gaps: Vec<i64> = tail.gaps.keys().copied().take(1_000).collect();
        let changes = self.handle.block_on(self.db.read(move |conn| {
            let mut changes = db::changes::after(conn, after, BATCH)?;
            if !gaps.is_empty() {
                changes.extend(db::changes::with_seqs(conn, &gaps)?);
            }
            Ok(changes)
        }))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkpoint_never_passes_a_gap() {
        let mut tail = Tail::new(10);
        tail.saw(&[11, 14].into_iter().collect());
        assert_eq!(tail.highest, 14);
        assert_eq!(tail.checkpoint(), 11, "12 and 13 are not seen yet");
        tail.saw(&[13].into_iter().collect());
        assert_eq!(tail.checkpoint(), 11);
        tail.saw(&[12].into_iter().collect());
        assert_eq!(tail.checkpoint(), 14);
    }
}
