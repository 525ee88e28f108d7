//! Matching by meaning with a tiny sentence encoder the tests build (see `tiny_model`): storing
//! vectors in the background, suggestions, duplicates and FAQ search that find
//! questions sharing no word with the query, re-use of stored vectors across restarts, and the
//! fall-back to words when the model is off or broken.

use std::time::{Duration, Instant};

use faqtory::db::{DatabaseUrl, Db};
use faqtory::meaning::ModelSetting;
use reqwest::Method;
use serde_json::{json, Value};

use crate::faq_search::{answered, found, hit_ids, search_api};
use crate::similar::{similar, suggested};
use crate::support::{backends, browser, spawn_app_with, Backend, TestApp};
use crate::tiny_model::{self, scratch_dir, TinyModel};

const DEADLINE: Duration = Duration::from_secs(30);

pub async fn spawn_with_model(backend: &Backend, model: Option<&TinyModel>) -> TestApp {
    let setting = match model {
        Some(model) => ModelSetting::Path(model.dir.clone()),
        None => ModelSetting::Off,
    };
    spawn_app_with(backend, move |config| config.model = setting).await
}

async fn metric(app: &TestApp, name: &str) -> Option<f64> {
    let (_, body) = app.get_text(&browser(), "/metrics").await;
    body.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
}

/// Waits until the embedder has compared every question with what is stored and has nothing
/// left to do (a question asked a moment ago may not be counted yet).
pub async fn embedded(app: &TestApp) {
    let started = Instant::now();
    while metric(app, "faqtory_embeddings_pending").await != Some(0.0) {
        assert!(started.elapsed() < DEADLINE, "the embedder never caught up");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until this instance holds `count` vectors in memory (read from the database a moment
/// after the embedder stores them).
pub async fn vectors_held(app: &TestApp, count: usize) {
    let started = Instant::now();
    while metric(app, "faqtory_vectors_held").await < Some(count as f64) {
        assert!(
            started.elapsed() < DEADLINE,
            "the vectors never came into memory"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// (rows, newest row id) of stored vectors of `model`.
async fn stored_vectors(app: &TestApp, model: &str) -> (usize, i64) {
    let db = Db::connect(&DatabaseUrl::parse(&app.database_url).unwrap(), 1).unwrap();
    let model = model.to_owned();
    let rows = db
        .read(move |conn| faqtory::db::embeddings::written_after(conn, &model, 0, 100_000))
        .await
        .unwrap();
    (rows.len(), rows.iter().map(|row| row.id).max().unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_duplicates_and_the_faq_match_by_meaning() {
    for backend in backends() {
        let source = scratch_dir("model");
        let model = tiny_model::build(&source);
        let app = spawn_with_model(&backend, Some(&model)).await;
        let words_only = spawn_with_model(&backend, None).await;
        let token = app.api_token("host");
        for app in [&app, &words_only] {
            app.create_event("call", &[]);
        }
        let car = app
            .ask_api(&browser(), "call", "How do I repair my car?")
            .await;
        let release = app
            .ask_api(&browser(), "call", "What is the database release schedule?")
            .await;
        words_only
            .ask_api(&browser(), "call", "How do I repair my car?")
            .await;

        // Not a word in common with "How do I repair my car?".
        let suggestions = suggested(&app, "call", "automobile broken", car).await;
        assert!(
            !suggestions.iter().any(|s| s["id"] == release),
            "{}: an unrelated question was suggested: {suggestions:?}",
            app.backend
        );
        let by_meaning = suggestions.iter().find(|s| s["id"] == car).unwrap();
        assert_eq!(by_meaning["shared_words"], json!([]), "{by_meaning}");
        assert!(
            by_meaning["meaning"].as_f64().unwrap() > 0.9,
            "{by_meaning}"
        );
        // Words alone cannot find it.
        assert!(
            similar(&words_only, "call", "automobile broken")
                .await
                .is_empty(),
            "{}",
            words_only.backend
        );
        // Shared words still work beside meaning.
        suggested(&app, "call", "car repair", car).await;

        // Moderators: a duplicate in other words, and the clusters view.
        let vehicle = app
            .ask_api(&browser(), "call", "My vehicle is broken, can you fix it?")
            .await;
        embedded(&app).await;
        let moderator = app.signed_in_moderator("mod").await;
        let started = Instant::now();
        loop {
            let (status, page) = app
                .get_text(&moderator, &format!("/mod/q/{vehicle}/duplicates"))
                .await;
            assert_eq!(status, 200);
            if page.contains(&format!("#{car}")) {
                assert!(page.contains("Similar meaning"), "{page}");
                assert!(!page.contains(&format!("#{release} ")), "{page}");
                break;
            }
            assert!(started.elapsed() < DEADLINE, "no duplicate found: {page}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let (_, clusters) = app.get_text(&moderator, "/mod/e/call/duplicates").await;
        assert!(
            clusters.contains(&format!("name=\"ids\" value=\"{vehicle}\""))
                || clusters.contains(&format!("name=\"ids\" value=\"{car}\"")),
            "the car questions are grouped: {clusters}"
        );
        assert!(
            !clusters.contains(&format!("#{release} ")),
            "an unrelated question joined a group: {clusters}"
        );
        assert!(
            !clusters.contains("checked"),
            "nothing is ticked for merging"
        );

        // FAQ: found in the visitor's own words.
        let password = answered(
            &app,
            &token,
            "call",
            "How do I reset my password?",
            "Use the link on the sign-in page.",
        )
        .await;
        let (status, reply) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{release}/answer"),
                &token,
                json!({"answer_md": "In spring.", "recording_offset": "2:00"}),
            )
            .await;
        assert_eq!(status, 200, "{reply}");
        found(&app.base, "database launch", release).await;
        let results = found(&app.base, "forgot credentials", password).await;
        assert_eq!(hit_ids(&results), [password], "{results}");
        assert_eq!(results["total"], 1, "{results}");
        assert!(
            search_api(&words_only.base, "forgot credentials").await["total"] == 0,
            "words alone find nothing"
        );
        let (_, page) = app.get_text(&browser(), "/faq?q=forgot+credentials").await;
        assert!(page.contains("How do I reset my password?"), "{page}");

        let _ = std::fs::remove_dir_all(source);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_vectors_are_reused_after_a_restart_and_follow_edits_and_merges() {
    for backend in backends() {
        let source = scratch_dir("model");
        let model = tiny_model::build(&source);
        let tag = format!("tiny-model@{}", &model.weights_sha256[..12]);
        let app = spawn_with_model(&backend, Some(&model)).await;
        let token = app.api_token("host");
        app.create_event("call", &[]);
        let car = app
            .ask_api(&browser(), "call", "How do I repair my car?")
            .await;
        let pet = app
            .ask_api(&browser(), "call", "Can my cat come along?")
            .await;
        let started = Instant::now();
        let (rows, newest) = loop {
            let stored = stored_vectors(&app, &tag).await;
            if stored.0 == 2 {
                break stored;
            }
            assert!(started.elapsed() < DEADLINE, "{}: {stored:?}", app.backend);
            tokio::time::sleep(Duration::from_millis(25)).await;
        };

        // Restarted: the stored vectors are used as they are.
        app.stop_server().await;
        let with_model = |config: &mut faqtory::config::Config| {
            config.model = ModelSetting::Path(model.dir.clone())
        };
        let again = app.second_instance_with(&backend, with_model).await;
        embedded(&again).await;
        suggested(&again, "call", "automobile broken", car).await;
        assert_eq!(
            stored_vectors(&again, &tag).await,
            (rows, newest),
            "{}: a restart embedded again what was stored",
            app.backend
        );
        // Another instance reads the same vectors; on PostgreSQL only one of them embeds.
        let reader = again.second_instance_with(&backend, with_model).await;
        suggested(&reader, "call", "automobile broken", car).await;
        if matches!(backend, Backend::Postgres { .. }) {
            assert_eq!(metric(&reader, "faqtory_embeddings_pending").await, None);
        }
        let app = again;

        // An edit gets a new vector: the question now asks about a kitten's password.
        let (status, reply) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/questions/{pet}"),
                &token,
                json!({"body": "I lost the password of my kitten"}),
            )
            .await;
        assert_eq!(status, 200, "{reply}");
        suggested(&app, "call", "forgot login", pet).await;

        // A merge moves the merged question's vector to the question it joined, and an unmerge
        // moves it back.
        let merge = |verb: &'static str, body: Value| {
            let app = &app;
            let token = &token;
            async move {
                let (status, reply) = app
                    .moderator_api(
                        Method::POST,
                        &format!("/api/v1/questions/{pet}/{verb}"),
                        token,
                        body,
                    )
                    .await;
                assert_eq!(status, 200, "{verb}: {reply}");
            }
        };
        merge("merge", json!({"into": car})).await;
        let found = suggested(&app, "call", "lost kitten password", car).await;
        assert!(!found.iter().any(|s| s["id"] == pet), "{found:?}");
        merge("unmerge", json!({})).await;
        suggested(&app, "call", "lost kitten password", pet).await;
        let started = Instant::now();
        while similar(&app, "call", "lost kitten password")
            .await
            .iter()
            .any(|s| s["id"] == car)
        {
            assert!(started.elapsed() < DEADLINE, "the vector never moved back");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let _ = std::fs::remove_dir_all(source);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_working_model_everything_matches_by_words() {
    for backend in backends() {
        let source = scratch_dir("model");
        let model = tiny_model::build(&source);
        std::fs::write(model.dir.join("model.safetensors"), b"not a model").unwrap();
        for (app, says) in [
            (
                spawn_with_model(&backend, Some(&model)).await,
                "could not be loaded",
            ),
            (spawn_with_model(&backend, None).await, "words only"),
        ] {
            app.create_event("call", &[]);
            let car = app
                .ask_api(&browser(), "call", "How do I repair my car?")
                .await;
            suggested(&app, "call", "car repair", car).await;
            let admin = browser();
            app.add_moderator("admin", "correct horse battery staple", true);
            let response = app
                .sign_in(&admin, "admin", "correct horse battery staple")
                .await;
            assert_eq!(response.status(), 303);
            let (status, page) = app.get_text(&admin, "/mod/admin/moderators").await;
            assert_eq!(status, 200);
            assert!(page.contains("Matching by words only"), "{page}");
            assert!(page.contains(says), "{page}");
            assert!(page.contains("faqtory model fetch"), "{page}");
            assert_eq!(metric(&app, "faqtory_embeddings_pending").await, None);
        }
        let _ = std::fs::remove_dir_all(source);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_that_found_nothing_are_grouped_by_meaning() {
    for backend in backends() {
        let source = scratch_dir("model");
        let model = tiny_model::build(&source);
        let app = spawn_with_model(&backend, Some(&model)).await;
        app.create_event("next", &[]);
        for (query, times) in [
            ("forgot password", 3),
            ("kitten", 2),
            ("lost credentials", 1),
        ] {
            for _ in 0..times {
                assert_eq!(search_api(&app.base, query).await["total"], 0);
            }
        }
        let moderator = app.signed_in_moderator("mod").await;
        let (status, page) = app.get_text(&moderator, "/mod/searches").await;
        assert_eq!(status, 200);
        let groups = page.matches("<li class=\"miss\"").count();
        assert_eq!(groups, 2, "{}: {page}", app.backend);
        assert!(
            page.contains("Also searched as: “lost credentials” (1)"),
            "{page}"
        );
        assert!(page.contains("4</span> searches"), "{page}");

        // Asking it once takes the whole group off the list.
        let csrf = crate::support::hidden_value(&page, "csrf").unwrap();
        let also = crate::support::hidden_value(&page, "also").unwrap();
        let lead = page
            .split("action=\"/mod/searches/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap()
            .to_owned();
        let response = moderator
            .post(app.url(&format!("/mod/searches/{lead}/ask")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "How do I reset a forgotten password?"),
                ("event", "next"),
                ("also", also.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let (_, page) = app.get_text(&moderator, "/mod/searches").await;
        assert_eq!(page.matches("<li class=\"miss\"").count(), 1, "{page}");
        assert!(page.contains("kitten"), "{page}");
        let _ = std::fs::remove_dir_all(source);
    }
}
