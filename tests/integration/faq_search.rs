//! The FAQ and its search, over HTTP. The index is updated by a background thread, so tests wait
//! for what they expect with a deadline instead of sleeping.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, spawn_app, TestApp};

const DEADLINE: Duration = Duration::from_secs(20);

pub async fn search_api(base: &str, query: &str) -> Value {
    let response = browser()
        .get(format!("{base}/api/v1/faq"))
        .query(&[("q", query)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "searching {query:?}");
    response.json().await.unwrap()
}

pub fn hit_ids(results: &Value) -> Vec<i64> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_i64().unwrap())
        .collect()
}

/// Searches until `expected` holds of the results or the deadline passes.
pub async fn eventually(base: &str, query: &str, expected: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let results = search_api(base, query).await;
        if expected(&results) {
            return results;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "searching {query:?} never gave what was expected; last: {results}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn found(base: &str, query: &str, id: i64) -> Value {
    eventually(base, query, |results| hit_ids(results).contains(&id)).await
}

pub async fn gone(base: &str, query: &str, id: i64) {
    eventually(base, query, |results| !hit_ids(results).contains(&id)).await;
}

/// Asks a question and answers it through the API; returns its id.
pub async fn answered(app: &TestApp, token: &str, slug: &str, question: &str, answer: &str) -> i64 {
    let id = app.ask_api(&browser(), slug, question).await;
    let (status, reply) = app
        .moderator_api(
            Method::POST,
            &format!("/api/v1/questions/{id}/answer"),
            token,
            json!({"answer_md": answer, "recording_offset": "1:02"}),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_found_with_typos_and_prefixes_and_leave_when_taken_back() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("answerer");
        app.create_event(
            "hangout",
            &["--recording-url", "https://www.youtube.com/watch?v=abc"],
        );
        let id = answered(
            &app,
            &token,
            "hangout",
            "How do I install MirageOS on a Raspberry Pi?",
            "Use the **solo5** target and flash the image. <script>alert('x')</script>",
        )
        .await;
        let other = answered(
            &app,
            &token,
            "hangout",
            "Which licence does the project use?",
            "ISC, like most OCaml libraries.",
        )
        .await;

        let results = found(&app.base, "install raspberry", id).await;
        assert_eq!(hit_ids(&results)[0], id, "{}", app.backend);
        let hit = &results["hits"][0];
        assert_eq!(
            hit["url"],
            format!("/faq/{id}-how-do-i-install-mirageos-on-a-raspberry"),
            "eight words at most"
        );
        assert_eq!(hit["event"], "hangout");
        assert!(!hit["answer_html"].as_str().unwrap().contains("<script"));
        assert!(!hit["snippet_html"].as_str().unwrap().contains("<script"));
        assert!(
            hit["snippet_html"]
                .as_str()
                .unwrap()
                .contains("&lt;script&gt;")
                || !hit["snippet_html"].as_str().unwrap().contains("script")
        );

        for (query, why) in [
            ("rasberry", "one typo"),
            ("instal mirageos", "a typo in a short word"),
            ("Raspbery Pi instalation", "typos in two words"),
            ("how do I inst", "the word being typed"),
            ("RASPBERRY", "case"),
            ("installing", "another form of the word"),
        ] {
            let results = found(&app.base, query, id).await;
            assert_eq!(hit_ids(&results)[0], id, "{why}: {query}");
        }
        let licence = found(&app.base, "licence", other).await;
        assert!(
            !hit_ids(&licence).contains(&id),
            "unrelated entries stay out"
        );

        let page = app.get_text(&browser(), "/faq?q=raspberry").await.1;
        assert!(page.contains("<mark>Raspberry</mark>"), "{page}");
        assert!(page.contains(&format!("href=\"/faq/{id}-how-do-i-install")));

        let short = browser()
            .get(app.url(&format!("/faq/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(short.status(), 301);
        let canonical = short.headers()["location"].to_str().unwrap().to_owned();
        let entry = browser().get(app.url(&canonical)).send().await.unwrap();
        assert_eq!(entry.status(), 200);
        let entry = entry.text().await.unwrap();
        assert!(entry.contains("How do I install MirageOS on a Raspberry Pi?"));
        assert!(entry.contains("<strong>solo5</strong>"));
        assert!(!entry.contains("<script>alert"));
        assert!(entry.contains("https://www.youtube.com/watch?v=abc&amp;t=62"));

        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/questions/{id}"),
                &token,
                json!({"body": "How do I deploy MirageOS on a Raspberry Pi?", "labels": ["hardware"]}),
            )
            .await;
        assert_eq!(status, 200);
        found(&app.base, "deploy", id).await;
        let labelled = browser()
            .get(app.url("/api/v1/faq?q=raspberry&label=hardware"))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        assert_eq!(hit_ids(&labelled), [id]);
        assert_eq!(labelled["hits"][0]["labels"], json!(["hardware"]));
        let elsewhere = browser()
            .get(app.url("/api/v1/faq?q=raspberry&label=licensing"))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        assert_eq!(elsewhere["total"], 0);

        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{id}/answer"),
                &token,
                json!({"answer_md": "Use the solo5 target.", "publish": false}),
            )
            .await;
        assert_eq!(status, 200);
        gone(&app.base, "raspberry", id).await;
        assert_eq!(
            browser()
                .get(app.url(&canonical))
                .send()
                .await
                .unwrap()
                .status(),
            404,
            "unpublished entries have no page"
        );

        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{id}/answer"),
                &token,
                json!({"answer_md": "Use the solo5 target.", "publish": true}),
            )
            .await;
        assert_eq!(status, 200);
        found(&app.base, "raspberry", id).await;
        let (status, _) = app
            .moderator_api(
                Method::DELETE,
                &format!("/api/v1/questions/{id}/answer"),
                &token,
                json!(null),
            )
            .await;
        assert_eq!(status, 200);
        gone(&app.base, "raspberry", id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_query_string_breaks_the_search() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("answerer");
        app.create_event("hangout", &[]);
        let id = answered(
            &app,
            &token,
            "hangout",
            "Can I use <script>alert(1)</script> in questions?",
            "No: it shows as text. <script>alert(2)</script>",
        )
        .await;
        found(&app.base, "script questions", id).await;
        let long = "lorem ipsum ".repeat(900);
        for query in [
            "\"unbalanced",
            "title:",
            "question:install",
            "*",
            "a AND (b OR",
            "-",
            "~~~ ^^^ \\",
            "\u{0}\u{1}",
            "日本語のテキスト",
            "<script>alert(3)</script>",
            long.as_str(),
        ] {
            for path in ["/faq", "/api/v1/faq"] {
                let response = browser()
                    .get(app.url(path))
                    .query(&[("q", query), ("page", "2")])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{path} {query:?}");
                let text = response.text().await.unwrap();
                assert!(!text.contains("<script>alert"), "{path} {query:?}");
            }
        }
        for raw in ["q=%FF%FE", "label=%00&event=..%2F..", "q"] {
            for path in ["/faq", "/api/v1/faq"] {
                let response = browser()
                    .get(app.url(&format!("{path}?{raw}")))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{path}?{raw}");
            }
        }
        // A page out of range is refused at its field, not quietly read as page 1.
        for raw in [
            "q=a&q=b&page=x",
            "page=-1",
            "page=0",
            "page=99999999999999999999999",
        ] {
            let api = browser()
                .get(app.url(&format!("/api/v1/faq?{raw}")))
                .send()
                .await
                .unwrap();
            assert_eq!(api.status(), 422, "{raw}");
            let error: serde_json::Value = api.json().await.unwrap();
            assert_eq!(error["field"], "page", "{raw}");
            let page = browser()
                .get(app.url(&format!("/faq?{raw}")))
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), 422, "{raw}");
            assert!(page
                .text()
                .await
                .unwrap()
                .contains("whole number from 1 to"));
        }
        let results = search_api(&app.base, "alert script").await;
        let hit = &results["hits"][0];
        assert_eq!(
            hit["question"],
            "Can I use <script>alert(1)</script> in questions?"
        );
        let snippet = hit["snippet_html"].as_str().unwrap();
        assert!(
            !snippet
                .replace("<mark>", "")
                .replace("</mark>", "")
                .contains('<'),
            "only highlights are markup: {snippet}"
        );
        let page = app.get_text(&browser(), "/faq?q=alert+script").await.1;
        assert!(
            page.contains("&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)"),
            "shown as text, highlighted: {page}"
        );
        for path in ["/faq/0", "/faq/abc", "/faq/99999999999999999999", "/faq/-1"] {
            let status = browser().get(app.url(path)).send().await.unwrap().status();
            assert_eq!(status, 404, "{path}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faq_lists_the_newest_answers_by_label() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("answerer");
        app.create_event("hangout", &[]);
        let first = answered(
            &app,
            &token,
            "hangout",
            "Is there a roadmap for 2027?",
            "Yes.",
        )
        .await;
        let second = answered(
            &app,
            &token,
            "hangout",
            "Where is the code of conduct?",
            "In the repository.",
        )
        .await;
        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/questions/{first}"),
                &token,
                json!({"labels": ["roadmap"]}),
            )
            .await;
        assert_eq!(status, 200);
        // The home shows the latest event's answers first; a listing of one event, by label.
        let home = app.get_text(&browser(), "/faq").await.1;
        assert!(home.contains("New from Hangout hangout"), "{home}");
        let page = app.get_text(&browser(), "/faq?event=hangout").await.1;
        let roadmap = page.find("<h2>roadmap</h2>").expect("a section per label");
        let more = page
            .find("<h2>More answers</h2>")
            .expect("unlabelled ones after");
        assert!(roadmap < more);
        assert!(
            page.contains("Is there a roadmap for 2027?")
                && page.contains("Where is the code of conduct?")
        );
        let listed: Value = browser()
            .get(app.url("/api/v1/faq"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed["total"], 2);
        assert_eq!(hit_ids(&listed), [second, first], "newest first");
        let by_label = app.get_text(&browser(), "/faq?label=roadmap").await.1;
        assert!(by_label.contains("Is there a roadmap") && !by_label.contains("code of conduct"));
    }
}
