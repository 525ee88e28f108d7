//! Polls live: the presenter screen hears of every new count and shows the results (or only how
//! many answered while they wait to be revealed); the public stream hears of polls opening and
//! closing, not of each answer.

use reqwest::Method;
use serde_json::json;

use crate::live::Sse;
use crate::support::{backends, browser, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_presenter_follows_a_poll_as_it_is_answered_and_revealed() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("show", &[]);
        let token = app.api_token("mona");
        let (status, link) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/show/presenter-link",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 201);
        let presenter_url = link["url"].as_str().unwrap().to_owned();
        let presenter_path = presenter_url
            .strip_prefix(&app.url(""))
            .expect("a link to this site")
            .to_owned();
        let (status, created) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/show/polls",
                &token,
                json!({"kind": "choice", "prompt": "Which format next time?",
                       "options": ["Docs", "Q&A"], "results": "on_reveal"}),
            )
            .await;
        assert_eq!(status, 201);
        let poll = created["id"].as_i64().unwrap();

        let screen = browser();
        let mut presenter = Sse::open(&screen, &format!("{presenter_url}/live")).await;
        let mut public = Sse::open(&browser(), &app.url("/live/e/show")).await;
        let open = format!("/api/v1/polls/{poll}/open");
        app.moderator_api(Method::POST, &open, &token, json!({}))
            .await;
        let is_poll = |answers: bool| {
            move |event: &str, data: &serde_json::Value| {
                event == "poll" && data["id"] == poll && data["answers"] == answers
            }
        };
        public.until(is_poll(false)).await;
        presenter.until(is_poll(false)).await;

        let person = browser();
        app.get(&person, "/api/v1/events").await;
        let answered = person
            .post(app.url(&format!("/api/v1/polls/{poll}/answer")))
            .json(&json!({"choices": [1]}))
            .send()
            .await
            .unwrap();
        assert_eq!(answered.status(), 200);
        presenter.until(is_poll(true)).await;
        let (_, page) = app.get_text(&screen, &presenter_path).await;
        assert!(page.contains("Which format next time?"), "{page}");
        assert!(
            page.contains("1 answer so far — results when revealed"),
            "{page}"
        );

        let reveal = format!("/api/v1/polls/{poll}/reveal");
        app.moderator_api(Method::POST, &reveal, &token, json!({}))
            .await;
        let (_, before) = public.until(is_poll(false)).await;
        assert!(
            !before
                .iter()
                .any(|(event, data)| event == "poll" && data["answers"] == true),
            "the public is not told of each answer: {before:?}"
        );
        presenter.until(is_poll(false)).await;
        let (_, page) = app.get_text(&screen, &presenter_path).await;
        assert!(
            page.contains("class=\"poll-bars\""),
            "{}: {page}",
            app.backend
        );
        assert!(page.contains("1 · 100%"), "{page}");
    }
}
