//! Starting matching by meaning: the model each use takes, one engine per model, and a previous
//! model serving a use while its new model catches up (`handover`).

use std::path::Path;
use std::sync::Arc;

use tokio::runtime::Handle;

use super::availability::Availability;
use super::catalog::Use;
use super::encoder::Encoder;
use super::engine::{Engine, SharedThreads};
use super::files::{self, Chosen};
use super::handle::Meaning;
use super::handover::{self, MeaningSource, StoredVectors, Waiting};
use super::settings::ModelSettings;
use crate::db::Db;

impl Meaning {
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
        let loaded: Vec<&Arc<Encoder>> = chosen
            .iter()
            .filter_map(|(_, encoder)| encoder.as_ref())
            .collect();
        let mut found: Vec<(String, Option<Arc<Encoder>>)> = Vec::new();
        chosen.clone().map(|(_, encoder)| {
            let tag = encoder?.tag().to_owned();
            if let Some((_, known)) = found.iter().find(|(chosen, _)| *chosen == tag) {
                return known.clone();
            }
            let previous = stored.previous_of(&tag, &loaded, data_dir);
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
}
