//! Switching to a new model without a gap: until the new model has a vector of every question,
//! the previous one (still installed) keeps answering by meaning; once the new vectors are
//! complete the new model serves, and the previous model's vectors go.

use faqtory::meaning::ModelSetting;

use crate::similar::{similar, suggested};
use crate::support::{backends, browser, spawn_app_with};
use crate::tiny_model;
use crate::two_models::{until_vectors, vectors_of};

/// Installs both models under the instance's data directory, as `faqtory model fetch` would:
/// "tiny-model", and "tiny-new", which hears "kitten" as "car".
fn install_both(data_dir: &std::path::Path) -> [String; 2] {
    let models = data_dir.join("models");
    let old = tiny_model::build_variant(&models, "tiny-model", &[]);
    let new = tiny_model::build_variant(&models, "tiny-new", &[("kitten", "car")]);
    [
        format!("tiny-model@{}", &old.weights_sha256[..12]),
        format!("tiny-new@{}", &new.weights_sha256[..12]),
    ]
}

fn not_suggested(found: &[serde_json::Value], id: i64) -> bool {
    !found.iter().any(|suggestion| suggestion["id"] == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_model_serves_until_the_new_one_has_every_vector() {
    // The models are built the same way every time, so their tags are known beforehand.
    let [old_tag, new_tag] = install_both(&tiny_model::scratch_dir("handover"));
    for backend in backends() {
        let app = spawn_app_with(&backend, |config| {
            install_both(&config.data_dir);
            config.model = ModelSetting::Named("tiny-model".into());
        })
        .await;
        app.create_event("call", &[]);
        let car = app
            .ask_api(&browser(), "call", "How do I repair my car?")
            .await;
        app.ask_api(&browser(), "call", "When is the next release?")
            .await;
        until_vectors(&app, &old_tag, 2).await;
        suggested(&app, "call", "automobile broken", car).await;
        app.stop_server().await;

        // The new model is chosen, but this instance embeds nothing (another instance would):
        // the new model has no vectors, so the previous one keeps answering by meaning.
        let waiting = app
            .second_instance_with(&backend, |config| {
                install_both(&config.data_dir);
                config.model = ModelSetting::Named("tiny-new".into());
                config.embedding_threads = 0;
            })
            .await;
        suggested(&waiting, "call", "automobile broken", car).await;
        let found = similar(&waiting, "call", "kitten").await;
        assert!(
            not_suggested(&found, car),
            "{}: the new model answered before it had its vectors: {found:?}",
            waiting.backend
        );
        assert_eq!(vectors_of(&waiting, &new_tag).await, 0);
        assert_eq!(vectors_of(&waiting, &old_tag).await, 2);
        waiting.stop_server().await;

        // With an embedder, the new model's vectors complete, it takes over, and the previous
        // model's vectors go.
        let switched = waiting
            .second_instance_with(&backend, |config| {
                install_both(&config.data_dir);
                config.model = ModelSetting::Named("tiny-new".into());
            })
            .await;
        suggested(&switched, "call", "kitten", car).await;
        until_vectors(&switched, &old_tag, 0).await;
        assert_eq!(vectors_of(&switched, &new_tag).await, 2);
    }
}
