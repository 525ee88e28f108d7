//! Matching by meaning: a local sentence encoder (BERT or MPNet, on the CPU) turns questions into
//! vectors, a background embedder stores one per question, every instance keeps them in memory,
//! and searches mix closeness of meaning with Tantivy's BM25 (`hybrid`), judged by the model's own
//! cuts (`cuts`). Stored text and live suggestions may each have their model (`engine`). Without
//! a model, or when a query cannot be embedded in time, every search answers by words alone.

mod archive;
pub mod background;
pub mod catalog;
pub mod cuts;
pub mod doc_vectors;
mod doc_work;
pub mod embedder;
mod embedding_tools;
pub mod encoder;
mod engine;
pub mod fetch;
mod fetch_outcome;
pub mod files;
mod handover;
pub mod hybrid;
pub mod mpnet;
pub mod pooling;
mod settings;
pub mod topic_centroids;
mod transcript_vectors;
pub mod unit_vectors;
pub mod vectors;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Handle;

use crate::db::Db;
use catalog::Use;
use doc_vectors::DocVectors;
use encoder::Encoder;
pub use engine::Fallback;
use engine::{Engine, Fallbacks, SharedThreads};
use files::Chosen;
pub use handover::MeaningSource;
use handover::{StoredVectors, Waiting};
pub use settings::{ModelSetting, ModelSettings, QUERY_WAIT};

/// A moderators' page that embeds a list of texts waits longer, then shows them ungrouped.
const LIST_BUDGET: Duration = Duration::from_secs(3);
use vectors::Vectors;

/// Whether the site matches by meaning, and if not, why.
#[derive(Debug, Clone)]
pub enum Availability {
    Ready { model: String, dimensions: usize },
    Off,
    Missing { looked_in: PathBuf },
    Broken { error: String },
}

impl Availability {
    fn of_engine(engine: Option<&Engine>, chosen: &Chosen) -> Self {
        match engine {
            Some(engine) => Self::Ready {
                model: engine.encoder.tag().to_owned(),
                dimensions: engine.encoder.dimensions(),
            },
            None => Self::of_absent(chosen.clone()),
        }
    }

    /// Why a use has no model.
    pub fn of_absent(chosen: Chosen) -> Self {
        match chosen {
            Chosen::Dir(_) | Chosen::Off => Self::Off,
            Chosen::NoneInstalled { looked_in } => Self::Missing { looked_in },
            Chosen::NotThere { wanted, installed } => Self::Broken {
                error: if installed.is_empty() {
                    format!("{wanted} does not hold a complete model, and none is installed")
                } else {
                    format!(
                        "{wanted} does not hold a complete model; installed: {}",
                        installed.join(", ")
                    )
                },
            },
        }
    }

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

/// A handle on matching by meaning; clones share it. It answers with the model for stored text
/// and search; [`Meaning::live`] gives the handle for suggestions while someone types.
#[derive(Clone)]
pub struct Meaning {
    /// Shared: the ask form takes a `live()` handle on every keystroke.
    availability: Arc<Availability>,
    engine: Option<Arc<Engine>>,
    live: Option<Arc<Engine>>,
    /// The use this handle answers for, which its fallbacks to words are counted under.
    serving: Use,
    fallbacks: Arc<Fallbacks>,
}

impl Meaning {
    /// Words only.
    pub fn off() -> Self {
        Self::without_model(Availability::Off)
    }

    fn without_model(availability: Availability) -> Self {
        Self {
            availability: Arc::new(availability),
            engine: None,
            live: None,
            serving: Use::Stored,
            fallbacks: Arc::default(),
        }
    }

    /// Loads the models the settings pick (blocking: call off the async threads) and starts an
    /// embedder and a vector reader for each. Never fails: a missing or broken model means words
    /// only for its use. A use whose model still lacks vectors that a previous model has is
    /// served by the previous one until they are complete (see `handover`).
    pub fn start(
        settings: &ModelSettings,
        data_dir: &Path,
        db: &Db,
        handle: Handle,
    ) -> Arc<MeaningSource> {
        let [(_, stored), (_, live)] =
            files::choose_for_each_use(&settings.stored, &settings.live, data_dir);
        match Self::load(&stored, &live, settings, data_dir, db, &handle) {
            Ok(source) => source,
            Err(error) => Arc::new(MeaningSource::fixed(Self::without_model(
                Availability::Broken { error },
            ))),
        }
    }

    fn load(
        stored: &Chosen,
        live: &Chosen,
        settings: &ModelSettings,
        data_dir: &Path,
        db: &Db,
        handle: &Handle,
    ) -> Result<Arc<MeaningSource>, String> {
        let load = |chosen: &Chosen| match chosen {
            Chosen::Dir(dir) => Encoder::load(dir)
                .map(|encoder| Some(Arc::new(encoder)))
                .map_err(|error| error.to_string()),
            _ => Ok(None),
        };
        let stored_encoder = load(stored)?;
        let live_encoder = if live == stored {
            stored_encoder.clone()
        } else {
            load(live)?
        };
        let chosen = [(Use::Stored, stored_encoder), (Use::Live, live_encoder)];
        let previous = Self::previous_models(&chosen, data_dir, db, handle);
        let mut in_use: Vec<String> = Vec::new();
        for encoder in chosen.iter().filter_map(|(_, encoder)| encoder.as_ref()) {
            if !in_use.iter().any(|tag| tag == encoder.tag()) {
                in_use.push(encoder.tag().to_owned());
            }
        }
        if in_use.is_empty() {
            return Ok(Arc::new(MeaningSource::fixed(Self::without_model(
                Availability::of_absent(stored.clone()),
            ))));
        }
        let in_use_after = in_use.clone();
        for encoder in previous.iter().flatten() {
            if !in_use.iter().any(|tag| tag == encoder.tag()) {
                in_use.push(encoder.tag().to_owned());
            }
        }
        let threads = SharedThreads::start(settings.background_threads)?;
        // One engine per model, whichever uses it serves.
        let mut engines: Vec<Arc<Engine>> = Vec::new();
        let mut engine_of = |encoder: &Arc<Encoder>, role: Use| -> Result<Arc<Engine>, String> {
            if let Some(engine) = engines.iter().find(|e| e.encoder.tag() == encoder.tag()) {
                return Ok(Arc::clone(engine));
            }
            let engine = Engine::start(
                Arc::clone(encoder),
                role,
                &in_use,
                &threads,
                db,
                handle.clone(),
            )
            .map(|engine| Arc::new(engine.waiting_at_most(settings.query_wait)))?;
            engines.push(Arc::clone(&engine));
            Ok(engine)
        };
        let mut serving: [Option<Arc<Engine>>; 2] = [None, None];
        let mut waiting = Vec::new();
        for ((use_, encoder), previous) in chosen.iter().zip(&previous) {
            let Some(encoder) = encoder else { continue };
            let target = engine_of(encoder, *use_)?;
            serving[*use_ as usize] = Some(match previous {
                Some(previous) => {
                    waiting.push(Waiting {
                        use_: *use_,
                        engine: target,
                    });
                    engine_of(previous, *use_)?
                }
                None => target,
            });
        }
        let [engine, live_engine] = serving;
        let source = Arc::new(MeaningSource::fixed(Self {
            availability: Arc::new(Availability::of_engine(engine.as_deref(), stored)),
            engine,
            live: live_engine,
            serving: Use::Stored,
            fallbacks: Arc::default(),
        }));
        if !waiting.is_empty() {
            handover::watch(
                Arc::clone(&source),
                waiting,
                in_use_after,
                db.clone(),
                handle,
            );
        }
        Ok(source)
    }

    /// For each use, the model that keeps serving it while its chosen model lacks vectors.
    fn previous_models(
        chosen: &[(Use, Option<Arc<Encoder>>); 2],
        data_dir: &Path,
        db: &Db,
        handle: &Handle,
    ) -> [Option<Arc<Encoder>>; 2] {
        let stored = match StoredVectors::count(db, handle) {
            Ok(stored) => stored,
            Err(error) => {
                tracing::warn!(%error, "could not count stored vectors; a new model starts without the previous one's help");
                return [None, None];
            }
        };
        let mut found: Vec<(String, Option<Arc<Encoder>>)> = Vec::new();
        chosen.clone().map(|(_, encoder)| {
            let tag = encoder?.tag().to_owned();
            if let Some((_, known)) = found.iter().find(|(chosen, _)| *chosen == tag) {
                return known.clone();
            }
            let previous = stored.previous_of(&tag, data_dir);
            if let Some(previous) = &previous {
                tracing::info!(
                    model = tag,
                    has = stored.progress(&tag),
                    previous = previous.tag(),
                    "the previous model serves until the new one has a vector of every question"
                );
            }
            found.push((tag, previous.clone()));
            previous
        })
    }

    /// This handle with `engine` serving `use_`.
    fn with_engine(&self, use_: Use, engine: Arc<Engine>) -> Self {
        let mut next = self.clone();
        match use_ {
            Use::Stored => {
                next.availability = Arc::new(Availability::Ready {
                    model: engine.encoder.tag().to_owned(),
                    dimensions: engine.encoder.dimensions(),
                });
                next.engine = Some(engine);
            }
            Use::Live => next.live = Some(engine),
        }
        next
    }

    /// The engines serving, once each.
    fn engines(&self) -> impl Iterator<Item = &Arc<Engine>> {
        let live = self.live.as_ref().filter(|live| {
            !self
                .engine
                .as_ref()
                .is_some_and(|engine| Arc::ptr_eq(engine, live))
        });
        self.engine.iter().chain(live)
    }

    /// The handle suggestions to someone typing a question use: the live model, with its own
    /// vectors of every question and documentation section.
    pub fn live(&self) -> Meaning {
        Self {
            availability: Arc::clone(&self.availability),
            engine: self.live.clone(),
            live: self.live.clone(),
            serving: Use::Live,
            fallbacks: Arc::clone(&self.fallbacks),
        }
    }

    /// The name and weights of the model suggestions while typing use.
    pub fn live_model_tag(&self) -> Option<String> {
        self.live
            .as_ref()
            .map(|engine| engine.encoder.tag().to_owned())
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
        let state = &self.engine.as_ref()?.embedder;
        (state.embedding_here.load(Ordering::Acquire) && state.scanned.load(Ordering::Acquire))
            .then(|| state.pending.load(Ordering::Acquire))
    }

    /// Every question had a vector at least once since start.
    pub fn caught_up(&self) -> bool {
        self.engine
            .as_ref()
            .is_some_and(|engine| engine.embedder.caught_up.load(Ordering::Acquire))
    }

    /// The model in use (name and the start of its weights' SHA-256), which stored vectors must
    /// come from.
    pub fn model_tag(&self) -> Option<String> {
        self.engine
            .as_ref()
            .map(|engine| engine.encoder.tag().to_owned())
    }

    /// The cuts of the model this handle answers with (see `cuts`).
    pub fn cuts(&self) -> &'static cuts::Cuts {
        self.engine
            .as_ref()
            .map_or(&cuts::ALL_MINILM_L6_V2, |engine| engine.cuts)
    }

    pub fn vectors(&self) -> Option<&Vectors> {
        self.engine.as_ref().map(|engine| &engine.vectors)
    }

    /// Documentation sections' vectors, when a model is loaded.
    pub fn doc_vectors(&self) -> Option<&DocVectors> {
        self.engine.as_ref().map(|engine| &engine.doc_vectors)
    }

    /// The vector of `text`, or `None` (no model, every slot busy, too slow, or it failed): the
    /// caller then ranks by words alone, and the engine counts why.
    pub async fn embed_query(&self, text: &str) -> Option<Vec<f32>> {
        let engine = self.engine.as_ref()?;
        if engine.query_wait.is_zero() {
            self.fell_back(Fallback::Slow);
            return None;
        }
        let Ok(slot) = Arc::clone(&engine.query_slots).try_acquire_owned() else {
            tracing::debug!("every embedding slot is busy; answering by words");
            self.fell_back(Fallback::Busy);
            return None;
        };
        let embedded = engine
            .embed_in_slot(slot, vec![text.to_owned()], engine.query_wait)
            .await;
        embedded.map_err(|why| self.fell_back(why)).ok()?.pop()
    }

    /// Vectors of several texts (a moderators' page), or `None` as for [`Meaning::embed_query`];
    /// this waits a while for a free slot rather than giving up at once.
    pub async fn embed_list(&self, texts: Vec<String>) -> Option<Vec<Vec<f32>>> {
        let engine = self.engine.as_ref()?;
        let waited =
            tokio::time::timeout(LIST_BUDGET, Arc::clone(&engine.query_slots).acquire_owned())
                .await;
        let Ok(Ok(slot)) = waited else {
            self.fell_back(Fallback::Busy);
            return None;
        };
        let embedded = engine.embed_in_slot(slot, texts, LIST_BUDGET).await;
        embedded.map_err(|why| self.fell_back(why)).ok()
    }

    fn fell_back(&self, why: Fallback) {
        self.fallbacks.count(self.serving, why);
    }

    /// Requests answered by words because their text could not be embedded in time, by use
    /// (`stored`, `live`) and reason, for `/metrics`; empty without a model.
    pub fn fallbacks(&self) -> Vec<(&'static str, Fallback, u64)> {
        if self.engine.is_none() && self.live.is_none() {
            return Vec::new();
        }
        [Use::Stored, Use::Live]
            .into_iter()
            .flat_map(|use_| {
                Fallback::ALL.map(|why| (use_.label(), why, self.fallbacks.of(use_, why)))
            })
            .collect()
    }
}
