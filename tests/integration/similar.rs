//! Similar questions: suggested to askers while typing and before sending, and to moderators.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, hidden_value, spawn_app, TestApp};

const PASSWORD: &str = "correct horse battery staple";

pub async fn similar(app: &TestApp, slug: &str, text: &str) -> Vec<Value> {
    let response = browser()
        .get(app.url(&format!("/api/v1/events/{slug}/similar")))
        .query(&[("q", text)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "similar to {text:?}");
    response.json().await.unwrap()
}

/// Asks for suggestions until `id` is among them (the index and the vectors follow writes within
/// moments).
pub async fn suggested(app: &TestApp, slug: &str, text: &str, id: i64) -> Vec<Value> {
    suggested_all(app, slug, text, &[id]).await
}

/// Asks for suggestions until all of `ids` are among them: until the last of them is indexed,
/// what the others share is judged against fewer texts.
pub async fn suggested_all(app: &TestApp, slug: &str, text: &str, ids: &[i64]) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let found = similar(app, slug, text).await;
        if ids.iter().all(|id| found.iter().any(|s| s["id"] == *id)) {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{text:?} never suggested all of {ids:?}: {found:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn askers_are_shown_similar_questions_and_answers_before_sending_theirs() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("host");
        app.create_event("call", &[]);
        app.create_event("earlier", &[]);
        let existing = app
            .ask_api(
                &browser(),
                "call",
                "How do I install MirageOS on a Raspberry Pi?",
            )
            .await;
        let answered = app
            .ask_api(
                &browser(),
                "earlier",
                "Which hypervisors does MirageOS support?",
            )
            .await;
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{answered}/answer"),
                &token,
                json!({"answer_md": "Xen, KVM and more through Solo5."}),
            )
            .await;
        assert_eq!(status, 200);

        let found = suggested(&app, "call", "installing mirage on my raspberry", existing).await;
        let first = &found[0];
        assert_eq!(first["id"], existing, "{}", app.backend);
        assert_eq!(first["answered"], false);
        assert_eq!(first["url"], format!("/e/call#q-{existing}"));
        let faq = suggested(&app, "call", "what hypervisors are supported", answered).await;
        let entry = faq.iter().find(|s| s["id"] == answered).unwrap();
        assert_eq!(entry["answered"], true);
        assert!(entry["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("/faq/{answered}-")));
        assert!(
            similar(&app, "call", "completely unrelated gardening tips")
                .await
                .is_empty(),
            "nothing shared, nothing suggested"
        );

        // Without JavaScript: the form comes back with the suggestions and the text.
        let asker = browser();
        let reworded = "Can I install MirageOS on my Raspberry Pi 4?";
        let page = app.ask_form(&asker, "call", reworded, "Ada").await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("These look similar"), "{page}");
        assert!(page.contains("How do I install MirageOS on a Raspberry Pi?"));
        assert!(
            page.contains(&format!("{reworded}</textarea>")),
            "the text is kept"
        );
        assert!(page.contains("value=\"Ada\""));
        assert!(page.contains("Submit mine anyway"));
        let csrf = hidden_value(&page, "csrf").unwrap();

        // One click upvotes the existing question instead...
        let upvoted = asker
            .post(app.url(&format!("/e/call/q/{existing}/vote")))
            .form(&[("csrf", csrf.as_str()), ("action", "up")])
            .send()
            .await
            .unwrap();
        assert_eq!(upvoted.status(), 303);
        assert_eq!(app.vote_count(existing, "call").await, 1);

        // ...or the asker sends theirs anyway.
        let sent = asker
            .post(app.url("/e/call/ask"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", reworded),
                ("author_name", "Ada"),
                ("anyway", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 303);
        let listed = app.questions(&browser(), "call").await;
        let new_id = listed
            .iter()
            .find(|q| q["body"] == reworded)
            .map(|q| q["id"].as_i64().unwrap())
            .expect("sent");

        // Moderators see it as a likely duplicate, one click from a merge.
        let host = browser();
        assert_eq!(app.sign_in(&host, "host", PASSWORD).await.status(), 303);
        let started = Instant::now();
        let duplicates = loop {
            let (status, page) = app
                .get_text(&host, &format!("/mod/q/{new_id}/duplicates"))
                .await;
            assert_eq!(status, 200);
            if page.contains(&format!("Merge #{new_id} into #{existing}")) {
                break page;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{page}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        };
        let (_, dashboard) = app.get_text(&host, "/mod/e/call").await;
        assert!(dashboard.contains(&format!("data-load=\"/mod/q/{new_id}/duplicates\"")));
        let fragment = host
            .get(app.url(&format!("/mod/q/{new_id}/duplicates")))
            .header("x-faqtory-fragment", "list")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !fragment.contains("<html")
                && fragment.contains(&format!("Merge #{new_id} into #{existing}"))
        );
        assert!(
            duplicates.contains("Shared words: install, mirageos, raspberry, pi"),
            "{duplicates}"
        );

        for (hostile, status) in [
            ("", 422),
            ("\u{0}", 422),
            ("\"*:(", 200),
            (&"lorem ".repeat(3_000), 200),
        ] {
            let response = browser()
                .get(app.url("/api/v1/events/call/similar"))
                .query(&[("q", hostile)])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), status, "{hostile:?}");
        }
        let without_q = browser()
            .get(app.url("/api/v1/events/call/similar"))
            .send()
            .await
            .unwrap();
        assert_eq!(without_q.status(), 422, "`q` is required");
        let missing = browser()
            .get(app.url("/api/v1/events/nowhere/similar?q=x"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duplicates_view_groups_likely_clusters_for_one_merge() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("call", &[]);
        app.add_moderator("host", PASSWORD, false);
        let install = app
            .ask_api(
                &browser(),
                "call",
                "How do I install MirageOS on a Raspberry Pi?",
            )
            .await;
        let again = app
            .ask_api(
                &browser(),
                "call",
                "Installing MirageOS on Raspberry Pi boards: how?",
            )
            .await;
        app.ask_api(&browser(), "call", "Which licence does the project use?")
            .await;
        assert_eq!(app.vote_api(&browser(), install, true).await.status(), 200);
        let host = browser();
        assert_eq!(app.sign_in(&host, "host", PASSWORD).await.status(), 303);
        let started = Instant::now();
        let page = loop {
            let (status, page) = app.get_text(&host, "/mod/e/call/duplicates").await;
            assert_eq!(status, 200);
            if page.contains("Merge the ticked into") {
                break page;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{page}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        };
        assert!(
            page.contains(&format!("Merge the ticked into #{install}")),
            "the most voted keeps"
        );
        assert!(page.contains(&format!("name=\"ids\" value=\"{again}\"")));
        assert!(!page.contains("checked"), "nothing is ticked for merging");
        assert!(
            !page.contains("Which licence"),
            "unrelated questions stay out"
        );
        let csrf = hidden_value(&page, "csrf").unwrap();
        let merged = host
            .post(app.url("/mod/e/call/merge"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", "/mod/e/call/duplicates"),
                ("into", &install.to_string()),
                ("ids", &again.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(merged.status(), 303);
        let listed = app.questions(&browser(), "call").await;
        assert_eq!(listed.len(), 2);
    }
}
