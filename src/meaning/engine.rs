//! One loaded model at work: its encoder, the vectors it reads, its background embedder, and
//! the threads requests embed their text on (shared with the other model, so that two models
//! never embed more texts at once than there are cores).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::Semaphore;

use super::catalog::Use;
use super::doc_vectors::DocVectors;
use super::embedder::{Embedder, EmbedderState};
use super::embedding_tools::EmbeddingTools;
use super::encoder::Encoder;
use super::vectors::Vectors;
use crate::db::Db;

/// Texts embedded together: short ones, so padding to the longest wastes little.
const LIST_BATCH: usize = 32;

/// Why a request was answered by words instead of by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Every embedding slot was taken.
    Busy,
    /// The text was not embedded within the request's budget.
    Slow,
    /// The encoder failed.
    Failed,
}

impl Fallback {
    pub const ALL: [Fallback; 3] = [Fallback::Busy, Fallback::Slow, Fallback::Failed];

    pub fn label(self) -> &'static str {
        match self {
            Fallback::Busy => "busy",
            Fallback::Slow => "slow",
            Fallback::Failed => "failed",
        }
    }
}

/// Requests answered by words instead, by use and reason.
#[derive(Default)]
pub struct Fallbacks([[AtomicU64; 3]; 2]);

impl Fallbacks {
    pub fn count(&self, use_: Use, reason: Fallback) {
        self.0[use_ as usize][reason as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn of(&self, use_: Use, reason: Fallback) -> u64 {
        self.0[use_ as usize][reason as usize].load(Ordering::Relaxed)
    }
}

/// What both models share: the threads requests embed on, and the background threads.
pub struct SharedThreads {
    query_slots: Arc<Semaphore>,
    query_pool: Arc<rayon::ThreadPool>,
    /// `None` when the admin gave the background no threads: this instance embeds nothing
    /// stored (on PostgreSQL, another instance does).
    background: Option<Arc<rayon::ThreadPool>>,
}

impl SharedThreads {
    pub fn start(background_threads: usize) -> Result<Self, String> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let query_pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cores)
            .thread_name(|n| format!("embed-query-{n}"))
            .build()
            .map_err(|error| format!("starting the embedding threads: {error}"))?;
        let background = if background_threads == 0 {
            None
        } else {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(background_threads)
                .thread_name(|n| format!("embed-background-{n}"))
                .start_handler(|_| crate::threads::lower_this_threads_priority())
                .build()
                .map_err(|error| format!("starting the embedding threads: {error}"))?;
            Some(Arc::new(pool))
        };
        Ok(Self {
            query_slots: Arc::new(Semaphore::new(cores)),
            query_pool: Arc::new(query_pool),
            background,
        })
    }
}

pub struct Engine {
    pub encoder: Arc<Encoder>,
    pub vectors: Vectors,
    pub doc_vectors: DocVectors,
    /// Requests embedding their text at once, at most (one per core).
    pub query_slots: Arc<Semaphore>,
    query_pool: Arc<rayon::ThreadPool>,
    pub embedder: Arc<EmbedderState>,
    /// How long one request's text may take (see `ModelSettings::query_wait`).
    pub query_wait: Duration,
    /// The cuts of this model.
    pub cuts: &'static super::cuts::Cuts,
}

impl Engine {
    /// Starts the vector readers of `encoder`, and its embedder unless the admin gave the
    /// background no threads (another instance embeds); `in_use` names every model in use,
    /// whose vectors the embedder keeps.
    pub fn start(
        encoder: Arc<Encoder>,
        role: Use,
        in_use: &[String],
        threads: &SharedThreads,
        db: &Db,
        handle: Handle,
    ) -> Result<Self, String> {
        let vectors = Vectors::start(db.clone(), encoder.tag().to_owned(), handle.clone())
            .map_err(|error| format!("starting the vector reader: {error}"))?;
        let doc_vectors =
            DocVectors::start(db.clone(), encoder.tag().to_owned(), handle.clone())
                .map_err(|error| format!("starting the documentation vector reader: {error}"))?;
        let state = Arc::new(EmbedderState::default());
        if let Some(background) = &threads.background {
            Embedder {
                tools: EmbeddingTools {
                    handle,
                    db: db.clone(),
                    encoder: Arc::clone(&encoder),
                    pool: Arc::clone(background),
                },
                state: Arc::downgrade(&state),
                role,
                in_use: in_use.to_vec(),
            }
            .spawn()
            .map_err(|error| format!("starting the embedder: {error}"))?;
        }
        let cuts = super::cuts::for_model(Some(encoder.tag()));
        Ok(Self {
            encoder,
            vectors,
            doc_vectors,
            query_slots: Arc::clone(&threads.query_slots),
            query_pool: Arc::clone(&threads.query_pool),
            embedder: state,
            query_wait: super::settings::QUERY_WAIT,
            cuts,
        })
    }

    pub fn waiting_at_most(self, query_wait: Duration) -> Self {
        Self { query_wait, ..self }
    }

    /// Embeds `texts` on the query pool, holding `slot` until done (also when the caller has
    /// stopped waiting, so the cap on concurrent embeddings holds); why not, past `budget` or
    /// on failure.
    pub async fn embed_in_slot(
        &self,
        slot: tokio::sync::OwnedSemaphorePermit,
        texts: Vec<String>,
        budget: Duration,
    ) -> Result<Vec<Vec<f32>>, Fallback> {
        let (send, receive) = tokio::sync::oneshot::channel();
        let encoder = Arc::clone(&self.encoder);
        self.query_pool.spawn(move || {
            let mut vectors = Vec::with_capacity(texts.len());
            for chunk in texts.chunks(LIST_BATCH) {
                let chunk: Vec<&str> = chunk.iter().map(String::as_str).collect();
                match encoder.embed(&chunk) {
                    Ok(embedded) => vectors.extend(embedded),
                    Err(error) => {
                        drop(slot);
                        let _ = send.send(Err(error));
                        return;
                    }
                }
            }
            drop(slot);
            let _ = send.send(Ok(vectors));
        });
        match tokio::time::timeout(budget, receive).await {
            Ok(Ok(Ok(vectors))) => Ok(vectors),
            Ok(Ok(Err(error))) => {
                tracing::warn!(%error, "could not embed; matching by words");
                Err(Fallback::Failed)
            }
            Ok(Err(_)) => Err(Fallback::Failed),
            Err(_) => {
                tracing::debug!("embedding took too long; matching by words");
                Err(Fallback::Slow)
            }
        }
    }
}
