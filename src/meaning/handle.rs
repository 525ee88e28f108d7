//! The handle a request matches by meaning with: the engines serving each use, and what asking
//! them costs (a bounded wait, counted fallbacks to words).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::availability::Availability;
use super::catalog::Use;
use super::cuts;
use super::doc_vectors::DocVectors;
use super::engine::{Engine, Fallback, Fallbacks};
use super::vectors::Vectors;

/// A moderators' page that embeds a list of texts waits longer, then shows them ungrouped.
const LIST_BUDGET: Duration = Duration::from_secs(3);

/// A handle on matching by meaning; clones share it. It answers with the model for stored text
/// and search; [`Meaning::live`] gives the handle for suggestions while someone types.
#[derive(Clone)]
pub struct Meaning {
    /// Shared: the ask form takes a `live()` handle on every keystroke.
    pub(super) availability: Arc<Availability>,
    pub(super) engine: Option<Arc<Engine>>,
    pub(super) live: Option<Arc<Engine>>,
    /// The use this handle answers for, which its fallbacks to words are counted under.
    pub(super) serving: Use,
    pub(super) fallbacks: Arc<Fallbacks>,
}

impl Meaning {
    /// Words only.
    pub fn off() -> Self {
        Self::without_model(Availability::Off)
    }

    pub(super) fn without_model(availability: Availability) -> Self {
        Self {
            availability: Arc::new(availability),
            engine: None,
            live: None,
            serving: Use::Stored,
            fallbacks: Arc::default(),
        }
    }

    /// This handle with `engine` serving `use_`.
    pub(super) fn with_engine(&self, use_: Use, engine: Arc<Engine>) -> Self {
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
    pub(super) fn engines(&self) -> impl Iterator<Item = &Arc<Engine>> {
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
