//! Event pages rendered once for everyone: validators and 304s, compression, nothing old served
//! after a change, and a reader's own votes and questions put into everyone's page.

use std::io::Read;

use reqwest::Method;
use serde_json::json;

use crate::live::Sse;
use crate::support::{backends, browser, hidden_value, spawn_app, Backend, TestApp};

async fn event_page(
    app: &TestApp,
    client: &reqwest::Client,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client.get(app.url("/e/cached"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn etag_of(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

async fn served_from_memory(app: &TestApp) -> u64 {
    let (_, metrics) = app.get_text(&browser(), "/metrics").await;
    metrics
        .lines()
        .find(|line| {
            line.starts_with("faqtory_cached_pages_served_total{")
                && line.contains("page=\"event\"")
                && line.contains("outcome=\"hit\"")
        })
        .and_then(|line| line.rsplit(' ').next())
        .map_or(0, |count| count.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_page_is_served_from_memory_until_something_on_it_changes() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("cached", &[]);
        let first = app
            .ask_api(&browser(), "cached", "Is the first question kept?")
            .await;
        let reader = browser();

        let page = event_page(&app, &reader, &[]).await;
        assert_eq!(page.status(), 200, "{}", app.backend);
        assert_eq!(page.headers()["cache-control"], "private, no-cache");
        assert_eq!(page.headers()["vary"], "accept-encoding");
        let etag = etag_of(&page);
        assert!(page
            .text()
            .await
            .unwrap()
            .contains("Is the first question kept?"));

        let hits = served_from_memory(&app).await;
        let again = event_page(&app, &reader, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status(), 304, "{}", app.backend);
        assert_eq!(etag_of(&again), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        assert!(served_from_memory(&app).await > hits, "{}", app.backend);
        let not_text = reader
            .get(app.url("/e/cached"))
            .header(
                "if-none-match",
                reqwest::header::HeaderValue::from_bytes(b"\xff\xfe\"").unwrap(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(not_text.status(), 200);
        for other in ["W/\"0\"", "\"\"", "*, nonsense", "W/", ",,,"] {
            let response = event_page(&app, &reader, &[("if-none-match", other)]).await;
            if other.starts_with('*') {
                assert_eq!(response.status(), 304);
            } else {
                assert_eq!(response.status(), 200, "{other:?}");
            }
        }

        // Each change is on the next read, whatever the browser held.
        let second = app
            .ask_api(&browser(), "cached", "Is a new question shown at once?")
            .await;
        let after_asking = event_page(&app, &reader, &[("if-none-match", &etag)]).await;
        assert_eq!(after_asking.status(), 200, "{}", app.backend);
        let etag = etag_of(&after_asking);
        assert!(after_asking
            .text()
            .await
            .unwrap()
            .contains("Is a new question shown at once?"));

        assert_eq!(app.vote_api(&browser(), first, true).await.status(), 200);
        let after_voting = event_page(&app, &reader, &[("if-none-match", &etag)]).await;
        assert_eq!(after_voting.status(), 200, "{}", app.backend);
        let etag = etag_of(&after_voting);
        assert!(after_voting
            .text()
            .await
            .unwrap()
            .contains("1 vote: upvote"));

        let token = app.api_token("curator");
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{second}/answer"),
                &token,
                json!({"answer_md": "Yes: *at once*."}),
            )
            .await;
        assert_eq!(status, 200, "{}", app.backend);
        let answered = event_page(&app, &reader, &[("if-none-match", &etag)]).await;
        assert_eq!(answered.status(), 200, "{}", app.backend);
        let text = answered.text().await.unwrap();
        assert!(text.contains("Answered (1)"), "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_once_for_browsers_that_accept_it() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("cached", &[]);
        for n in 0..30 {
            app.ask_api(
                &browser(),
                "cached",
                &format!("Question number {n} about compression?"),
            )
            .await;
        }
        let plain = event_page(&app, &browser(), &[]).await;
        assert!(plain
            .headers()
            .get("content-encoding")
            .is_none_or(|e| e == "identity"));
        let plain = plain.text().await.unwrap();

        let brotli = event_page(
            &app,
            &browser(),
            &[("accept-encoding", "gzip, deflate, br")],
        )
        .await;
        assert_eq!(
            brotli.headers()["content-encoding"],
            "br",
            "{}",
            app.backend
        );
        let compressed = brotli.bytes().await.unwrap();
        assert!(
            compressed.len() * 4 < plain.len(),
            "{} of {}",
            compressed.len(),
            plain.len()
        );
        let mut unpacked = String::new();
        brotli::Decompressor::new(&compressed[..], 4096)
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, plain);

        let gzip = event_page(&app, &browser(), &[("accept-encoding", "gzip")]).await;
        assert_eq!(gzip.headers()["content-encoding"], "gzip");
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&gzip.bytes().await.unwrap()[..])
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, plain);

        // Live streams are never held back by a compressor.
        let stream = browser()
            .get(app.url("/live/e/cached"))
            .header("accept-encoding", "gzip, br")
            .send()
            .await
            .unwrap();
        assert!(stream
            .headers()
            .get("content-encoding")
            .is_none_or(|e| e == "identity"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_readers_votes_and_questions_are_put_into_everyones_page() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("cached", &[]);
        let liked = app
            .ask_api(&browser(), "cached", "Which question did the reader like?")
            .await;
        let other = app
            .ask_api(&browser(), "cached", "Which one did they leave alone?")
            .await;
        let reader = browser();
        assert_eq!(app.vote_api(&reader, liked, true).await.status(), 200);
        let asked = app
            .ask_form(
                &reader,
                "cached",
                "Can speakers join remotely next year?",
                "Ada",
            )
            .await;
        assert_eq!(asked.status(), 303, "{}", app.backend);

        let page = event_page(&app, &reader, &[]).await;
        assert_eq!(page.headers()["cache-control"], "no-store");
        assert!(page.headers().get("etag").is_none());
        let page = page.text().await.unwrap();
        let row = |id: i64| {
            let start = page.find(&format!("id=\"q-{id}\"")).unwrap();
            let end = page[start..].find("</li>").unwrap() + start;
            page[start..end].to_owned()
        };
        assert!(
            row(liked).contains("aria-pressed=\"true\""),
            "{}",
            app.backend
        );
        assert!(row(other).contains("aria-pressed=\"false\""));
        assert!(!row(other).contains("your question"));
        let own = page.find("Can speakers join remotely next year?").unwrap();
        let own_row = &page[page[..own].rfind("<li").unwrap()..own];
        assert!(own_row.contains("mine"), "{}", app.backend);
        assert!(page.contains("your question"));
        assert!(page.contains("/follow/"));

        // Everyone else gets the kept page, with nobody's marks.
        let stranger = event_page(&app, &browser(), &[]).await;
        assert!(stranger.headers().get("etag").is_some());
        let stranger = stranger.text().await.unwrap();
        assert!(!stranger.contains("aria-pressed=\"true\""));
        assert!(!stranger.contains("your question"));
        assert!(!stranger.contains("/follow/"));
        assert!(hidden_value(&stranger, "csrf").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_awaiting_moderation_shows_only_to_its_asker() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("cached", &["--premoderation"]);
        let asker = browser();
        let asked = app
            .ask_form(
                &asker,
                "cached",
                "Will the moderators let this one through?",
                "",
            )
            .await;
        assert_eq!(asked.status(), 303);
        let (_, mine) = app.get_text(&asker, "/e/cached").await;
        assert!(
            mine.contains("Your questions not in the list"),
            "{}",
            app.backend
        );
        assert!(mine.contains("Will the moderators let this one through?"));
        let (_, theirs) = app.get_text(&browser(), "/e/cached").await;
        assert!(!theirs.contains("Will the moderators let this one through?"));
        assert!(theirs.contains("1 awaiting moderation"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_another_instance_reaches_this_ones_kept_page() {
    for backend in backends() {
        if !matches!(backend, Backend::Postgres { .. }) {
            continue;
        }
        let first = spawn_app(&backend).await;
        first.create_event("cached", &[]);
        let second = first.second_instance(&backend).await;
        let reader = browser();
        let (_, before) = first.get_text(&reader, "/e/cached").await;
        assert!(before.contains("be the first to ask"));
        // The stream on `first` says when the notice from `second` has arrived; the kept page
        // must be old from that moment on.
        let mut stream = Sse::open(&browser(), &first.url("/live/e/cached")).await;
        let id = second
            .ask_api(
                &browser(),
                "cached",
                "Does the other server's page learn of this?",
            )
            .await;
        stream
            .until(|event, data| event == "question" && data["id"] == id)
            .await;
        let (_, after) = first.get_text(&reader, "/e/cached").await;
        assert!(
            after.contains("Does the other server&#39;s page learn of this?")
                || after.contains("Does the other server's page learn of this?")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_entries_lists_and_the_feed_are_kept_until_an_answer_changes() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("cached", &[]);
        let id = app
            .ask_api(&browser(), "cached", "How long is a FAQ entry kept?")
            .await;
        let token = app.api_token("curator");
        let answer = |text: &'static str| {
            let app = &app;
            let token = &token;
            async move {
                let (status, _) = app
                    .moderator_api(
                        Method::POST,
                        &format!("/api/v1/questions/{id}/answer"),
                        token,
                        json!({ "answer_md": text }),
                    )
                    .await;
                assert_eq!(status, 200, "{}", app.backend);
            }
        };
        answer("Until its answer changes.").await;
        let reader = browser();
        let entry = reader
            .get(app.url(&format!("/faq/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            entry.status(),
            301,
            "a wrong slug still leads to the one address"
        );
        let path = entry.headers()["location"].to_str().unwrap().to_owned();

        for page in [path.as_str(), "/faq", "/faq/feed.atom"] {
            let first = reader.get(app.url(page)).send().await.unwrap();
            assert_eq!(first.status(), 200, "{}: {page}", app.backend);
            let etag = etag_of(&first);
            assert!(
                first
                    .text()
                    .await
                    .unwrap()
                    .contains("How long is a FAQ entry kept?"),
                "{page}"
            );
            let again = reader
                .get(app.url(page))
                .header("if-none-match", &etag)
                .send()
                .await
                .unwrap();
            assert_eq!(again.status(), 304, "{}: {page}", app.backend);

            // A vote leaves the FAQ as it was: it shows no counts.
            assert_eq!(app.vote_api(&browser(), id, true).await.status(), 200);
            let after_a_vote = reader
                .get(app.url(page))
                .header("if-none-match", &etag)
                .send()
                .await
                .unwrap();
            assert_eq!(after_a_vote.status(), 304, "{}: {page}", app.backend);
        }

        answer("Only until its answer changes, and then at once.").await;
        for page in [path.as_str(), "/faq/feed.atom"] {
            let text = reader
                .get(app.url(page))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                text.contains("Only until its answer changes, and then at once."),
                "{}: {page}",
                app.backend
            );
        }
        let another = app
            .ask_api(
                &browser(),
                "cached",
                "Does a new entry reach the list at once?",
            )
            .await;
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{another}/answer"),
                &token,
                json!({ "answer_md": "It does." }),
            )
            .await;
        assert_eq!(status, 200);
        let (_, list) = app.get_text(&reader, "/faq").await;
        assert!(
            list.contains("Does a new entry reach the list at once?"),
            "{}",
            app.backend
        );
    }
}
