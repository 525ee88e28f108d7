//! Switching models without a gap. When the model chosen for a use has vectors of fewer
//! questions than a model that served before and is still installed, the previous model keeps
//! serving that use until the new one has a vector of every question; then the use moves to the
//! new model and the previous one is let go. Requests take one [`Meaning`] for their whole length
//! ([`MeaningSource::now`]), so a query's vector and the vectors it meets always come from the
//! same model.

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::runtime::Handle;

use super::catalog::{self, Use};
use super::encoder::Encoder;
use super::engine::Engine;
use super::files;
use super::handle::Meaning;
use crate::db::Db;
use crate::error::AppError;

/// How often a waiting model's vectors are counted.
const CHECK: Duration = Duration::from_secs(1);

/// Where requests take their [`Meaning`] from.
pub struct MeaningSource {
    current: RwLock<Meaning>,
}

impl MeaningSource {
    pub fn fixed(meaning: Meaning) -> Self {
        Self {
            current: RwLock::new(meaning),
        }
    }

    /// What a request matches with, for its whole length.
    pub fn now(&self) -> Meaning {
        match self.current.read() {
            Ok(meaning) => meaning.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn serve_with(&self, use_: Use, engine: Arc<Engine>) {
        let mut current = match self.current.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = current.with_engine(use_, engine);
    }
}

/// The stored vectors per model, to judge whether a chosen model must wait for its vectors.
pub struct StoredVectors {
    questions: i64,
    by_model: Vec<(String, i64)>,
}

impl StoredVectors {
    pub fn count(db: &Db, handle: &Handle) -> Result<Self, AppError> {
        handle.block_on(db.read(|conn| {
            Ok(Self {
                questions: crate::db::embeddings::question_count(conn)?,
                by_model: crate::db::embeddings::count_by_model(conn)?,
            })
        }))
    }

    fn of(&self, tag: &str) -> i64 {
        self.by_model
            .iter()
            .find(|(model, _)| model == tag)
            .map_or(0, |(_, count)| *count)
    }

    /// The installed model with the most vectors, when it has more than `chosen` (which then
    /// lacks some): one of `loaded` when it is among them (the other use's model), else loaded
    /// from disk and checked to be the model those vectors came from.
    pub fn previous_of(
        &self,
        chosen: &str,
        loaded: &[&Arc<Encoder>],
        data_dir: &Path,
    ) -> Option<Arc<Encoder>> {
        let have = self.of(chosen);
        if have >= self.questions {
            return None;
        }
        let installed = files::installed(data_dir);
        let mut candidates: Vec<&(String, i64)> = self
            .by_model
            .iter()
            .filter(|(model, count)| model != chosen && *count > have)
            .filter(|(model, _)| {
                installed
                    .iter()
                    .any(|installed| installed == catalog::name_in_tag(model))
            })
            .collect();
        candidates.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
        candidates.into_iter().find_map(|(model, _)| {
            if let Some(encoder) = loaded.iter().find(|encoder| encoder.tag() == model) {
                return Some(Arc::clone(encoder));
            }
            match Encoder::load(&files::models_dir(data_dir).join(catalog::name_in_tag(model))) {
                Ok(encoder) if encoder.tag() == model => Some(Arc::new(encoder)),
                Ok(_) => None,
                Err(error) => {
                    tracing::warn!(%error, model, "could not load the previous model");
                    None
                }
            }
        })
    }

    pub fn progress(&self, tag: &str) -> String {
        format!("{} of {}", self.of(tag), self.questions)
    }
}

/// A use served by a previous model, and the engine it moves to.
pub struct Waiting {
    pub use_: Use,
    pub engine: Arc<Engine>,
}

/// Moves each waiting use to its engine once that model has a vector of every question; then
/// the previous models' vectors go (from the instance that embeds).
pub fn watch(
    source: Arc<MeaningSource>,
    mut waiting: Vec<Waiting>,
    in_use_after: Vec<String>,
    db: Db,
    handle: &Handle,
) {
    handle.spawn(async move {
        let mut tick = tokio::time::interval(CHECK);
        while !waiting.is_empty() {
            tick.tick().await;
            let mut still = Vec::new();
            for wait in waiting {
                if has_every_vector(&db, &wait.engine).await {
                    tracing::info!(
                        model = wait.engine.encoder.tag(),
                        model_use = wait.use_.label(),
                        "every question has a vector of the new model: it serves now"
                    );
                    source.serve_with(wait.use_, wait.engine);
                } else {
                    still.push(wait);
                }
            }
            waiting = still;
        }
        let embeds_here = source.now().engines().any(|engine| {
            engine
                .embedder
                .embedding_here
                .load(std::sync::atomic::Ordering::Acquire)
        });
        if !embeds_here {
            return;
        }
        let removed = db
            .write(move |conn| {
                Ok(
                    crate::db::embeddings::delete_other_models(conn, &in_use_after)?
                        + crate::db::doc_vectors::delete_other_models(conn, &in_use_after)?,
                )
            })
            .await;
        match removed {
            Ok(removed) => tracing::info!(removed, "removed the previous model's vectors"),
            Err(error) => tracing::warn!(%error, "could not remove the previous model's vectors"),
        }
    });
}

/// Every question has a stored vector of the engine's model, and the engine holds them.
async fn has_every_vector(db: &Db, engine: &Engine) -> bool {
    let tag = engine.encoder.tag().to_owned();
    let counted = db
        .read(move |conn| {
            Ok((
                crate::db::embeddings::question_count(conn)?,
                crate::db::embeddings::count(conn, &tag)?,
            ))
        })
        .await;
    match counted {
        Ok((questions, stored)) => {
            stored >= questions && engine.vectors.len() >= usize::try_from(questions).unwrap_or(0)
        }
        Err(error) => {
            tracing::warn!(%error, "could not count the new model's vectors");
            false
        }
    }
}
