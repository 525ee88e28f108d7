//! Matching by meaning: a local sentence encoder (BERT, on the CPU) turns questions into vectors,
//! a background embedder stores one per question, every instance keeps them in memory, and
//! searches mix closeness of meaning with Tantivy's BM25 (`hybrid`). Without a model, or when a
//! query cannot be embedded in time, every search answers by words alone.

pub mod background;
pub mod doc_vectors;
mod doc_work;
pub mod embedder;
mod embedding_tools;
pub mod encoder;
pub mod fetch;
pub mod files;
pub mod hybrid;
pub mod mpnet;
pub mod pooling;
pub mod topic_centroids;
mod transcript_vectors;
pub mod unit_vectors;
pub mod vectors;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::Semaphore;

use crate::db::Db;
use doc_vectors::DocVectors;
use embedder::{Embedder, EmbedderState};
use embedding_tools::EmbeddingTools;
use encoder::Encoder;
use vectors::Vectors;

/// How long a request waits for its text to be embedded before answering by words alone.
const QUERY_BUDGET: Duration = Duration::from_millis(300);
/// A moderators' page that embeds a list of texts waits longer, then shows them ungrouped.
const LIST_BUDGET: Duration = Duration::from_secs(3);
/// Texts embedded together: short ones, so padding to the longest wastes little.
const LIST_BATCH: usize = 32;

/// `FAQTORY_MODEL`: `auto` uses the fetched model when there is one, `off` never loads one, a
/// path names a model directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSetting {
    Auto,
    Off,
    Path(PathBuf),
}

impl std::str::FromStr for ModelSetting {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.trim() {
            "auto" | "" => Self::Auto,
            "off" => Self::Off,
            path => Self::Path(PathBuf::from(path)),
        })
    }
}

/// Whether the site matches by meaning, and if not, why.
#[derive(Debug, Clone)]
pub enum Availability {
    Ready { model: String, dimensions: usize },
    Off,
    Missing { looked_in: PathBuf },
    Broken { error: String },
}

impl Availability {
    /// One sentence for the start-up log and the moderators' page.
    pub fn describe(&self) -> String {
        match self {
            Self::Ready { model, dimensions } => {
                format!("Matching by meaning with {model} ({dimensions} dimensions).")
            }
            Self::Off => "Matching by words only: FAQTORY_MODEL is off.".into(),
            Self::Missing { looked_in } => format!(
                "Matching by words only: no model in {}. Run `faqtory model fetch` to match by \
                 meaning.",
                looked_in.display()
            ),
            Self::Broken { error } => format!(
                "Matching by words only: the model could not be loaded ({error}). Run \
                 `faqtory model fetch` again."
            ),
        }
    }
}

struct Engine {
    encoder: Arc<Encoder>,
    vectors: Vectors,
    doc_vectors: DocVectors,
    /// Requests embedding their text at once, at most (one per core).
    query_slots: Arc<Semaphore>,
    query_pool: Arc<rayon::ThreadPool>,
}

/// A handle on matching by meaning; clones share it.
#[derive(Clone)]
pub struct Meaning {
    availability: Availability,
    engine: Option<Arc<Engine>>,
    embedder: Option<Arc<EmbedderState>>,
}

impl Meaning {
    /// Words only.
    pub fn off() -> Self {
        Self {
            availability: Availability::Off,
            engine: None,
            embedder: None,
        }
    }

    /// Loads the model the setting names (blocking: call off the async threads) and starts the
    /// embedder and the vector reader. Never fails: a missing or broken model means words only.
    pub fn start(setting: &ModelSetting, data_dir: &Path, db: &Db, handle: Handle) -> Self {
        let dir = match setting {
            ModelSetting::Off => return Self::off(),
            ModelSetting::Auto => files::default_model_dir(data_dir),
            ModelSetting::Path(path) => path.clone(),
        };
        if !files::is_complete(&dir) {
            let availability = if *setting == ModelSetting::Auto {
                Availability::Missing { looked_in: dir }
            } else {
                Availability::Broken {
                    error: format!("{} does not hold a complete model", dir.display()),
                }
            };
            return Self {
                availability,
                engine: None,
                embedder: None,
            };
        }
        match Self::load(&dir, db, handle) {
            Ok(meaning) => meaning,
            Err(error) => Self {
                availability: Availability::Broken { error },
                engine: None,
                embedder: None,
            },
        }
    }

    fn load(dir: &Path, db: &Db, handle: Handle) -> Result<Self, String> {
        let encoder = Arc::new(Encoder::load(dir).map_err(|error| error.to_string())?);
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let query_pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cores)
            .thread_name(|n| format!("embed-query-{n}"))
            .build()
            .map_err(|error| format!("starting the embedding threads: {error}"))?;
        let background = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "embed-background".into())
            .start_handler(|_| crate::threads::lower_this_threads_priority())
            .build()
            .map_err(|error| format!("starting the embedding threads: {error}"))?;
        let vectors = Vectors::start(db.clone(), encoder.tag().to_owned(), handle.clone())
            .map_err(|error| format!("starting the vector reader: {error}"))?;
        let doc_vectors =
            DocVectors::start(db.clone(), encoder.tag().to_owned(), handle.clone())
                .map_err(|error| format!("starting the documentation vector reader: {error}"))?;
        let state = Arc::new(EmbedderState::default());
        Embedder {
            tools: EmbeddingTools {
                handle,
                db: db.clone(),
                encoder: Arc::clone(&encoder),
                pool: background,
            },
            state: Arc::downgrade(&state),
        }
        .spawn()
        .map_err(|error| format!("starting the embedder: {error}"))?;
        Ok(Self {
            availability: Availability::Ready {
                model: encoder.tag().to_owned(),
                dimensions: encoder.dimensions(),
            },
            engine: Some(Arc::new(Engine {
                encoder,
                vectors,
                doc_vectors,
                query_slots: Arc::new(Semaphore::new(cores)),
                query_pool: Arc::new(query_pool),
            })),
            embedder: Some(state),
        })
    }

    pub fn availability(&self) -> &Availability {
        &self.availability
    }

    pub fn is_ready(&self) -> bool {
        self.engine.is_some()
    }

    /// Questions waiting for a vector on this instance's embedder (`None` without a model, when
    /// another instance embeds, or before the first comparison with what is stored is done).
    pub fn pending(&self) -> Option<i64> {
        let state = self.embedder.as_ref()?;
        (state.embedding_here.load(Ordering::Acquire) && state.scanned.load(Ordering::Acquire))
            .then(|| state.pending.load(Ordering::Acquire))
    }

    /// Every question had a vector at least once since start.
    pub fn caught_up(&self) -> bool {
        self.embedder
            .as_ref()
            .is_some_and(|state| state.caught_up.load(Ordering::Acquire))
    }

    /// The model in use (name and the start of its weights' SHA-256), which stored vectors must
    /// come from.
    pub fn model_tag(&self) -> Option<String> {
        self.engine
            .as_ref()
            .map(|engine| engine.encoder.tag().to_owned())
    }

    pub fn vectors(&self) -> Option<&Vectors> {
        self.engine.as_ref().map(|engine| &engine.vectors)
    }

    /// Documentation sections' vectors, when a model is loaded.
    pub fn doc_vectors(&self) -> Option<&DocVectors> {
        self.engine.as_ref().map(|engine| &engine.doc_vectors)
    }

    /// The vector of `text`, or `None` (no model, every slot busy, too slow, or it failed): the
    /// caller then ranks by words alone.
    pub async fn embed_query(&self, text: &str) -> Option<Vec<f32>> {
        let engine = self.engine.as_ref()?;
        let Ok(slot) = Arc::clone(&engine.query_slots).try_acquire_owned() else {
            tracing::debug!("every embedding slot is busy; answering by words");
            return None;
        };
        engine
            .embed_in_slot(slot, vec![text.to_owned()], QUERY_BUDGET)
            .await?
            .pop()
    }

    /// Vectors of several texts (a moderators' page), or `None` as for [`Meaning::embed_query`];
    /// this waits a while for a free slot rather than giving up at once.
    pub async fn embed_list(&self, texts: Vec<String>) -> Option<Vec<Vec<f32>>> {
        let engine = self.engine.as_ref()?;
        let slot =
            tokio::time::timeout(LIST_BUDGET, Arc::clone(&engine.query_slots).acquire_owned())
                .await
                .ok()?
                .ok()?;
        engine.embed_in_slot(slot, texts, LIST_BUDGET).await
    }
}

impl Engine {
    /// Embeds `texts` on the query pool, holding `slot` until done (also when the caller has
    /// stopped waiting, so the cap on concurrent embeddings holds); `None` past `budget` or on
    /// failure.
    async fn embed_in_slot(
        &self,
        slot: tokio::sync::OwnedSemaphorePermit,
        texts: Vec<String>,
        budget: Duration,
    ) -> Option<Vec<Vec<f32>>> {
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
            Ok(Ok(Ok(vectors))) => Some(vectors),
            Ok(Ok(Err(error))) => {
                tracing::warn!(%error, "could not embed; matching by words");
                None
            }
            Ok(Err(_)) => None,
            Err(_) => {
                tracing::debug!("embedding took too long; matching by words");
                None
            }
        }
    }
}
