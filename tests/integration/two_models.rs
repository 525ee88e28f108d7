//! Two sentence encoders at once: one for stored text and search, another for suggestions while
//! someone types. Each keeps its own vectors of every question, side by side; when the live
//! model is switched back to the stored one, the other's vectors go once the embedder has caught
//! up; and a request that cannot wait for its text's vector answers by words, counted in
//! `/metrics`.

use std::time::{Duration, Instant};

use faqtory::db::{DatabaseUrl, Db};
use faqtory::meaning::ModelSetting;

use crate::meaning::embedded;
use crate::similar::{similar, suggested};
use crate::support::{backends, browser, spawn_app_with, TestApp};
use crate::tiny_model::{self, scratch_dir};

const DEADLINE: Duration = Duration::from_secs(30);

pub async fn vectors_of(app: &TestApp, model: &str) -> usize {
    let db = Db::connect(&DatabaseUrl::parse(&app.database_url).unwrap(), 1).unwrap();
    let model = model.to_owned();
    db.read(move |conn| faqtory::db::embeddings::count(conn, &model))
        .await
        .unwrap() as usize
}

pub async fn until_vectors(app: &TestApp, model: &str, count: usize) {
    let started = Instant::now();
    while vectors_of(app, model).await != count {
        assert!(
            started.elapsed() < DEADLINE,
            "{}: {model} never had {count} vectors (has {})",
            app.backend,
            vectors_of(app, model).await
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn metrics(app: &TestApp) -> String {
    app.get_text(&browser(), "/metrics").await.1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_model_beside_the_stored_one_keeps_its_own_vectors_and_serves_typing() {
    for backend in backends() {
        let source = scratch_dir("two-models");
        let stored = tiny_model::build(&source);
        // The live model hears "kitten" as "car"; the stored model does not.
        let live = tiny_model::build_variant(&source, "tiny-live", &[("kitten", "car")]);
        let stored_tag = format!("tiny-model@{}", &stored.weights_sha256[..12]);
        let live_tag = format!("tiny-live@{}", &live.weights_sha256[..12]);
        let (stored_dir, live_dir) = (stored.dir.clone(), live.dir.clone());
        let app = spawn_app_with(&backend, move |config| {
            config.model = ModelSetting::Path(stored_dir);
            config.live_model = ModelSetting::Path(live_dir);
        })
        .await;
        app.create_event("call", &[]);
        let car = app
            .ask_api(&browser(), "call", "How do I repair my car?")
            .await;
        app.ask_api(&browser(), "call", "When is the next release?")
            .await;

        // Every question has a vector of each model.
        until_vectors(&app, &stored_tag, 2).await;
        until_vectors(&app, &live_tag, 2).await;
        // Someone typing is answered by the live model.
        suggested(&app, "call", "kitten", car).await;
        let said = metrics(&app).await;
        assert!(
            said.contains(r#"faqtory_meaning_fallbacks_total{model_use="live",reason="slow"} 0"#),
            "{said}"
        );

        // The live model switched back to the stored one: typing is answered by the stored
        // model, and the other model's vectors go once every question has the stored one's.
        app.stop_server().await;
        let stored_dir = stored.dir.clone();
        let again = app
            .second_instance_with(&backend, move |config| {
                config.model = ModelSetting::Path(stored_dir.clone());
                config.live_model = ModelSetting::Path(stored_dir);
            })
            .await;
        embedded(&again).await;
        until_vectors(&again, &live_tag, 0).await;
        assert_eq!(vectors_of(&again, &stored_tag).await, 2);
        suggested(&again, "call", "automobile broken", car).await;
        let found = similar(&again, "call", "kitten").await;
        assert!(!found.iter().any(|s| s["id"] == car), "{found:?}");

        // Requests that may not wait for a vector answer by words, and say so in /metrics.
        again.stop_server().await;
        let stored_dir = stored.dir.clone();
        let impatient = again
            .second_instance_with(&backend, move |config| {
                config.model = ModelSetting::Path(stored_dir);
                config.embedding_wait = Duration::ZERO;
            })
            .await;
        let found = similar(&impatient, "call", "automobile broken").await;
        assert!(!found.iter().any(|s| s["id"] == car), "{found:?}");
        let said = metrics(&impatient).await;
        assert!(
            said.contains(r#"faqtory_meaning_fallbacks_total{model_use="live",reason="slow"} 1"#),
            "{said}"
        );
        let _ = std::fs::remove_dir_all(source);
    }
}
