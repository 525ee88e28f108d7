//! Polls without JavaScript: the event page points to its open polls, the polls page answers them
//! with plain form posts, a refused answer comes back with its reason and what was typed, and
//! nothing a participant or moderator typed runs as markup.

use reqwest::Method;
use serde_json::json;

use crate::support::{backends, browser, hidden_value, location, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_answers_and_changes_answers_with_forms() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let create = |poll: serde_json::Value| {
            let app = &app;
            let token = token.clone();
            async move {
                let (status, created) = app
                    .moderator_api(Method::POST, "/api/v1/events/hangout/polls", &token, poll)
                    .await;
                assert_eq!(status, 201, "{created}");
                let id = created["id"].as_i64().unwrap();
                let path = format!("/api/v1/polls/{id}/open");
                assert_eq!(
                    app.moderator_api(Method::POST, &path, &token, json!({}))
                        .await
                        .0,
                    200
                );
                id
            }
        };
        let format = create(json!({"kind": "choice",
            "prompt": "<script>alert('prompt')</script> Which format?",
            "options": ["Docs <b>tour</b>", "Q&A"], "results": "live"}))
        .await;
        let order = create(json!({"kind": "ranking", "prompt": "Order these",
            "options": ["Docs", "API", "UI"], "results": "live"}))
        .await;

        let phone = browser();
        let (status, event_page) = app.get_text(&phone, "/e/hangout").await;
        assert_eq!(status, 200);
        assert!(
            event_page.contains(&format!("/e/hangout/polls#poll-{format}")),
            "{event_page}"
        );
        assert!(!event_page.contains("<script>alert('prompt')"));

        let (status, page) = app.get_text(&phone, "/e/hangout/polls").await;
        assert_eq!(status, 200);
        assert!(page.contains("&lt;script&gt;alert('prompt')&lt;/script&gt; Which format?"));
        assert!(page.contains("Docs &lt;b&gt;tour&lt;/b&gt;"));
        let csrf = hidden_value(&page, "csrf").unwrap_or_default();

        // One tap on an option answers a single-choice poll.
        let answered = phone
            .post(app.url(&format!("/e/hangout/polls/{format}/answer")))
            .form(&[("csrf", csrf.as_str()), ("choices", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(answered.status(), 303);
        assert_eq!(
            location(&answered),
            format!("/e/hangout/polls?answered={format}#poll-{format}")
        );
        let (_, page) = app.get_text(&phone, &location(&answered)).await;
        assert!(page.contains("Thanks, your answer is in."), "{page}");
        assert!(
            page.contains("aria-pressed=\"true\">Q&amp;A"),
            "own answer marked: {page}"
        );
        assert!(page.contains("1 answer"), "{page}");

        // A ranking that gives two options one place comes back refused, as typed.
        let refused = phone
            .post(app.url(&format!("/e/hangout/polls/{order}/answer")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("place_0", "1"),
                ("place_1", "1"),
                ("place_2", "3"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("Put every option in order, each once."),
            "{page}"
        );
        assert!(page.contains("role=\"alert\""));
        let ranked = phone
            .post(app.url(&format!("/e/hangout/polls/{order}/answer")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("place_0", "2"),
                ("place_1", "1"),
                ("place_2", "3"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(ranked.status(), 303);
        let (status, results) = app
            .get_text(&phone, &format!("/api/v1/polls/{order}/results"))
            .await;
        assert_eq!(status, 200);
        let results: serde_json::Value = serde_json::from_str(&results).unwrap();
        assert_eq!(
            results["options"][1]["score"], 2,
            "{}: API first",
            app.backend
        );

        // Closed: the form is gone, and a late post says so.
        let path = format!("/api/v1/polls/{format}/close");
        app.moderator_api(Method::POST, &path, &token, json!({}))
            .await;
        let late = phone
            .post(app.url(&format!("/e/hangout/polls/{format}/answer")))
            .form(&[("csrf", csrf.as_str()), ("choices", "0")])
            .send()
            .await
            .unwrap();
        assert_eq!(late.status(), 409);
        assert!(late.text().await.unwrap().contains("This poll has closed"));
    }
}
