//! The embedder: one thread per deployment (on PostgreSQL, the instance holding an advisory
//! lock) that makes sure every question has a vector of the current model. At start it compares
//! every question with what is stored (text hash, and the question its vector counts for) and
//! queues what differs; then it follows the `changes` table like the search indexer. Asking and
//! voting never wait for it, and it never embeds inside a write transaction.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Weak;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::catalog::Use;
use super::doc_work::DocWork;
use super::embedding_tools::EmbeddingTools;
use super::transcript_vectors::TranscriptWork;
use super::unit_vectors::to_bytes;
use crate::db;
use crate::db::change_tail::Tail;
use crate::db::embeddings::{QuestionText, StoredKey};
use crate::error::AppError;

const POLL: Duration = Duration::from_millis(50);
const SCAN_BATCH: i64 = 1_000;
/// Texts embedded together: long enough to amortise, short enough that a new question waits
/// behind little.
const EMBED_BATCH: usize = 16;
/// While catching up (a new model, an import), this many questions are read at once and
/// embedded in batches of similar length, so that short texts are not padded to a long one's
/// length.
const CATCH_UP_WINDOW: usize = 8 * EMBED_BATCH;
const CHANGES_BATCH: i64 = 1_000;
/// How often an instance without the lock asks for it again.
const LOCK_RETRY: Duration = Duration::from_secs(2);

/// What the embedder tells the rest of the process.
#[derive(Default)]
pub struct EmbedderState {
    /// Questions waiting for a vector (or for theirs to be checked).
    pub pending: AtomicI64,
    /// The comparison of every question with what is stored is done: `pending` means something.
    pub scanned: AtomicBool,
    /// The first pass over every question is done.
    pub caught_up: AtomicBool,
    /// This instance is the one embedding (always, on SQLite).
    pub embedding_here: AtomicBool,
}

pub struct Embedder {
    pub tools: EmbeddingTools,
    pub state: Weak<EmbedderState>,
    pub role: Use,
    /// The tags of every model in use: vectors of any other model go once this one caught up.
    pub in_use: Vec<String>,
}

pub fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl Embedder {
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name("embedder".into())
            .spawn(move || self.run())
    }

    fn alive(&self) -> bool {
        self.state.strong_count() > 0
    }

    fn with_state(&self, update: impl FnOnce(&EmbedderState)) {
        if let Some(state) = self.state.upgrade() {
            update(&state);
        }
    }

    fn run(self) {
        // Held for as long as this thread embeds; released when the connection closes.
        let _lock = loop {
            if !self.alive() {
                return;
            }
            let lock = crate::db::locks::embedder_of(self.tools.encoder.tag());
            match self.tools.db.try_exclusive_lock(lock) {
                Ok(Some(lock)) => break lock,
                Ok(None) => std::thread::sleep(LOCK_RETRY),
                Err(error) => {
                    tracing::warn!(%error, "could not ask for the embedder's lock; retrying");
                    std::thread::sleep(LOCK_RETRY);
                }
            }
        };
        self.with_state(|state| state.embedding_here.store(true, Ordering::Release));
        let (mut tail, mut queue) = loop {
            match self.scan() {
                Ok(found) => break found,
                Err(error) => {
                    tracing::error!(%error, "could not compare questions with stored vectors; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                    if !self.alive() {
                        return;
                    }
                }
            }
        };
        self.with_state(|state| {
            state.pending.store(queue.len() as i64, Ordering::Release);
            state.scanned.store(true, Ordering::Release);
        });
        tracing::info!(
            model = self.tools.encoder.tag(),
            waiting = queue.len(),
            "embedder started"
        );
        let mut transcripts = TranscriptWork::default();
        let mut docs = DocWork::default();
        while self.alive() {
            if let Err(error) = self.follow_changes(&mut tail, &mut queue) {
                tracing::warn!(%error, "embedder could not read changes; retrying");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            self.with_state(|state| state.pending.store(queue.len() as i64, Ordering::Release));
            if queue.is_empty() {
                self.caught_up();
                match docs.step(&self.tools) {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(error) => {
                        tracing::warn!(%error, "could not embed documentation sections; retrying");
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }
                if self.role == Use::Live {
                    std::thread::sleep(POLL);
                    continue;
                }
                match transcripts.step(&self.tools) {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(error) => {
                        tracing::warn!(%error, "could not embed a transcript; retrying");
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }
                std::thread::sleep(POLL);
                continue;
            }
            let window = if queue.len() > CATCH_UP_WINDOW {
                CATCH_UP_WINDOW
            } else {
                EMBED_BATCH
            };
            let batch: Vec<i64> = queue.iter().copied().take(window).collect();
            match self.process(&batch) {
                Ok(()) => {
                    for id in &batch {
                        queue.remove(id);
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "embedding failed; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
            self.with_state(|state| state.pending.store(queue.len() as i64, Ordering::Release));
        }
    }

    /// Once every question has a vector of this model, those of models no longer in use go.
    fn caught_up(&self) {
        let Some(state) = self.state.upgrade() else {
            return;
        };
        if state.caught_up.swap(true, Ordering::AcqRel) {
            return;
        }
        let in_use = self.in_use.clone();
        match self.tools.handle.block_on(self.tools.db.write(move |conn| {
            Ok(db::embeddings::delete_other_models(conn, &in_use)?
                + db::doc_vectors::delete_other_models(conn, &in_use)?)
        })) {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "removed the previous model's vectors"),
            Err(error) => tracing::warn!(%error, "could not remove the previous model's vectors"),
        }
        tracing::info!(
            model = self.tools.encoder.tag(),
            "every question has a vector"
        );
    }

    /// Every question whose stored vector is missing or stale; and where to follow changes from.
    fn scan(&self) -> Result<(Tail, BTreeSet<i64>), AppError> {
        let start = self
            .tools
            .handle
            .block_on(self.tools.db.read(db::changes::latest_seq))?;
        let mut queue = BTreeSet::new();
        let mut after = 0;
        loop {
            let model = self.tools.encoder.tag().to_owned();
            let (texts, keys) = self.tools.handle.block_on(self.tools.db.read(move |conn| {
                let texts = db::embeddings::texts_after(conn, after, SCAN_BATCH)?;
                let ids: Vec<i64> = texts.iter().map(|text| text.id).collect();
                let keys = db::embeddings::keys_of(conn, &model, &ids)?;
                Ok((texts, keys))
            }))?;
            let Some(last) = texts.last() else { break };
            after = last.id;
            let keys: HashMap<i64, StoredKey> =
                keys.into_iter().map(|key| (key.question_id, key)).collect();
            queue.extend(
                texts
                    .iter()
                    .filter(|text| !is_current(text, keys.get(&text.id)))
                    .map(|text| text.id),
            );
            self.with_state(|state| state.pending.store(queue.len() as i64, Ordering::Release));
        }
        Ok((Tail::new(start), queue))
    }

    fn follow_changes(&self, tail: &mut Tail, queue: &mut BTreeSet<i64>) -> Result<(), AppError> {
        let (after, gaps) = tail.wanted();
        let changes = self.tools.handle.block_on(
            self.tools
                .db
                .read(move |conn| db::changes::since(conn, after, &gaps, CHANGES_BATCH)),
        )?;
        queue.extend(changes.iter().map(|(_, id)| *id));
        tail.saw(&changes.iter().map(|(seq, _)| *seq).collect());
        Ok(())
    }

    /// Brings these questions' vectors (and those of the questions merged into them) up to date.
    fn process(&self, ids: &[i64]) -> Result<(), AppError> {
        let model = self.tools.encoder.tag().to_owned();
        let lookup = ids.to_vec();
        let (texts, keys) = self.tools.handle.block_on(self.tools.db.read(move |conn| {
            let texts = db::embeddings::texts_of_and_merged_into(conn, &lookup)?;
            let ids: Vec<i64> = texts.iter().map(|text| text.id).collect();
            let keys = db::embeddings::keys_of(conn, &model, &ids)?;
            Ok((texts, keys))
        }))?;
        let keys: HashMap<i64, StoredKey> =
            keys.into_iter().map(|key| (key.question_id, key)).collect();
        let mut to_embed: Vec<&QuestionText> = Vec::new();
        let mut moved: Vec<(StoredKey, Option<Vec<u8>>)> = Vec::new();
        for text in &texts {
            let stored = keys.get(&text.id);
            if is_current(text, stored) {
                continue;
            }
            let hash = text_hash(&text.body);
            match stored {
                // Same words, now counting for another question: the vector moves as it is.
                Some(key) if key.text_hash == hash => moved.push((
                    StoredKey {
                        question_id: text.id,
                        owner_id: text.owner(),
                        text_hash: hash,
                    },
                    None,
                )),
                _ => to_embed.push(text),
            }
        }
        to_embed.sort_by_key(|text| text.body.len());
        for similar_length in to_embed.chunks(EMBED_BATCH) {
            let bodies: Vec<&str> = similar_length
                .iter()
                .map(|text| text.body.as_str())
                .collect();
            let encoder = &self.tools.encoder;
            let vectors = self
                .tools
                .pool
                .install(|| encoder.embed(&bodies))
                .map_err(|error| AppError::internal("embedding questions", error))?;
            for (text, vector) in similar_length.iter().zip(vectors) {
                moved.push((
                    StoredKey {
                        question_id: text.id,
                        owner_id: text.owner(),
                        text_hash: text_hash(&text.body),
                    },
                    Some(to_bytes(&vector)),
                ));
            }
        }
        if moved.is_empty() {
            return Ok(());
        }
        let model = self.tools.encoder.tag().to_owned();
        let at = chrono::Utc::now().naive_utc();
        let written = self.tools.handle.block_on(self.tools.db.write({
            let model = model.clone();
            let moved = moved.clone();
            move |conn| store_all(conn, &model, &moved, at)
        }));
        if let Err(error) = written {
            // A question deleted meanwhile fails the batch: store the others one by one.
            tracing::debug!(%error, "storing vectors one by one");
            for one in moved {
                let model = model.clone();
                let id = one.0.question_id;
                let stored =
                    self.tools.handle.block_on(self.tools.db.write(move |conn| {
                        store_all(conn, &model, std::slice::from_ref(&one), at)
                    }));
                if let Err(error) = stored {
                    tracing::warn!(%error, question = id, "could not store a question's vector");
                }
            }
        }
        Ok(())
    }
}

/// Writes each vector; `None` keeps the stored vector and changes what it counts for.
fn store_all(
    conn: &mut crate::db::DbConnection,
    model: &str,
    vectors: &[(StoredKey, Option<Vec<u8>>)],
    at: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    for (key, vector) in vectors {
        let vector = match vector {
            Some(vector) => vector.clone(),
            None => match db::embeddings::vector_of(conn, model, key.question_id)? {
                Some(stored) => stored,
                None => continue,
            },
        };
        db::embeddings::replace(conn, model, key, &vector, at)?;
    }
    Ok(())
}

fn is_current(text: &QuestionText, stored: Option<&StoredKey>) -> bool {
    stored.is_some_and(|key| key.owner_id == text.owner() && key.text_hash == text_hash(&text.body))
}
