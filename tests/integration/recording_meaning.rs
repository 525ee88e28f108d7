//! The recording by meaning, with the tiny sentence encoder the tests build: an uploaded
//! transcript is read in the background (progress on the API and the page), then a question that
//! shares no word with what was said still finds its moment.

use std::time::{Duration, Instant};

use faqtory::meaning::ModelSetting;
use reqwest::Method;

use crate::support::{backends, browser, spawn_app_with, Backend, TestApp};
use crate::tiny_model::{self, scratch_dir, TinyModel};

const DEADLINE: Duration = Duration::from_secs(60);

/// Words of the tiny model's meanings, none of them the question's.
const CALL: &str = "WEBVTT

00:00:00.000 --> 00:00:05.000
<v Anil>Welcome everyone.

00:00:05.000 --> 00:00:10.000
<v Anil>The launch date is on the roadmap.

00:00:10.000 --> 00:00:15.000
<v Hannes>Then the kitten question.

00:00:15.000 --> 00:00:20.000
<v Mindy>You can fix a vehicle yourself.

00:00:20.000 --> 00:00:25.000
<v Anil>Thanks everyone.
";

async fn spawn_with_model(backend: &Backend, model: Option<&TinyModel>) -> TestApp {
    let setting = match model {
        Some(model) => ModelSetting::Path(model.dir.clone()),
        None => ModelSetting::Off,
    };
    spawn_app_with(backend, move |config| config.model = setting).await
}

async fn progress(app: &TestApp, token: &str) -> serde_json::Value {
    let (status, progress) = app
        .moderator_api(
            Method::GET,
            "/api/v1/events/call/transcript/meaning",
            token,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 200, "{progress}");
    progress
}

async fn proposal_for(app: &TestApp, token: &str, question: i64) -> Option<serde_json::Value> {
    let (status, proposals) = app
        .moderator_api(
            Method::GET,
            "/api/v1/events/call/recording/proposals",
            token,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 200, "{proposals}");
    proposals
        .as_array()
        .unwrap()
        .iter()
        .find(|proposal| proposal["question_id"] == question)
        .cloned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_finds_its_moment_by_meaning_once_the_transcript_is_read() {
    for backend in backends() {
        let source = scratch_dir("model");
        let model = tiny_model::build(&source);
        let app = spawn_with_model(&backend, Some(&model)).await;
        let words_only = spawn_with_model(&backend, None).await;
        for app in [&app, &words_only] {
            app.create_event("call", &[]);
            let question = app
                .ask_api(&browser(), "call", "How do I mend my automobile?")
                .await;
            let token = app.api_token("mona");
            let response = browser()
                .put(app.url("/api/v1/events/call/transcript"))
                .header("content-type", "text/vtt")
                .bearer_auth(&token)
                .body(CALL)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);

            if app.database_url == words_only.database_url {
                let progress = progress(app, &token).await;
                assert_eq!(progress["model"], serde_json::Value::Null);
                assert_eq!(
                    (progress["cues"].as_i64(), progress["embedded"].as_i64()),
                    (Some(5), Some(0))
                );
                assert!(
                    proposal_for(app, &token, question).await.is_none(),
                    "no word in common: nothing proposed by words"
                );
                let moderator = app.signed_in_moderator("mia").await;
                let (_, page) = app.get_text(&moderator, "/mod/e/call/recording").await;
                assert!(!page.contains("by meaning"), "no model, no mention");
                continue;
            }

            let started = Instant::now();
            loop {
                let progress = progress(app, &token).await;
                assert_eq!(progress["cues"], 5);
                assert!(progress["model"].as_str().is_some());
                if progress["embedded"] == 5 {
                    break;
                }
                assert!(
                    started.elapsed() < DEADLINE,
                    "the transcript was never read: {progress}"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let proposal = proposal_for(app, &token, question)
                .await
                .expect("found by meaning");
            assert_eq!(proposal["at_secs"], 15.0, "{proposal}");
            assert_eq!(proposal["source"], "transcript");
            assert!(
                proposal["draft"]
                    .as_str()
                    .unwrap()
                    .starts_with("Mindy: You can fix a vehicle yourself."),
                "{proposal}"
            );
            let moderator = app.signed_in_moderator("mia").await;
            let (_, page) = app.get_text(&moderator, "/mod/e/call/recording").await;
            assert!(
                page.contains("Proposals match by words and by meaning."),
                "{page}"
            );

            // A new upload is read again from the start.
            let response = browser()
                .put(app.url("/api/v1/events/call/transcript"))
                .header("content-type", "text/vtt")
                .bearer_auth(&token)
                .body("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nThe car needs a repair.\n")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            let progress = progress(app, &token).await;
            assert_eq!(progress["cues"], 1);
        }
    }
}
