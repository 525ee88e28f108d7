use reqwest::Method;
use serde_json::json;

use crate::support::{backends, browser, hidden_value, location, spawn_app};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_events_api_creates_edits_labels_and_moves_events() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("organiser");

        let anonymous = browser()
            .post(app.url("/api/v1/events"))
            .json(&json!({"slug": "x-1", "title": "X"}))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401, "{}", app.backend);

        let (status, error) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events",
                &token,
                json!({"slug": "Bad Slug", "title": "Winter"}),
            )
            .await;
        assert_eq!((status, error["field"].as_str()), (422, Some("slug")));

        let (status, event) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events",
                &token,
                json!({
                    "slug": "winter", "title": "Winter hangout", "status": "draft",
                    "starts_at": "2026-12-03T17:00:00Z", "labels": ["security", "roadmap", "roadmap"],
                    "recording_url": "https://vimeo.com/42"
                }),
            )
            .await;
        assert_eq!(status, 201, "{event}");
        assert_eq!(event["status"], "draft");
        assert_eq!(event["labels"], json!(["roadmap", "security"]));
        assert_eq!(event["starts_at"], "2026-12-03T17:00:00Z");
        assert!(app.events().await.is_empty(), "drafts are not public");

        let (status, _) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events",
                &token,
                json!({"slug": "winter", "title": "Again"}),
            )
            .await;
        assert_eq!(status, 409);

        for (patch, field) in [
            (json!({"status": "finished"}), "status"),
            (
                json!({"recording_url": "ftp://example.org/x"}),
                "recording_url",
            ),
            (json!({"starts_at": "tomorrow"}), "starts_at"),
            (json!({"title": ""}), "title"),
            (json!({"labels": ["a,b"]}), "labels"),
            (json!({"description": "x".repeat(5_001)}), "description"),
        ] {
            let (status, error) = app
                .moderator_api(Method::PATCH, "/api/v1/events/winter", &token, patch)
                .await;
            assert_eq!((status, error["field"].as_str()), (422, Some(field)));
        }
        let (status, error) = app
            .moderator_api(
                Method::PATCH,
                "/api/v1/events/winter",
                &token,
                json!({"premoderation": "yes", "labels": "one"}),
            )
            .await;
        assert_eq!(status, 400, "wrong types are a clear refusal: {error}");
        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                "/api/v1/events/nowhere",
                &token,
                json!({"title": "x"}),
            )
            .await;
        assert_eq!(status, 404);

        let (status, event) = app
            .moderator_api(
                Method::PATCH,
                "/api/v1/events/winter",
                &token,
                json!({"status": "open", "starts_at": null, "premoderation": true}),
            )
            .await;
        assert_eq!(status, 200, "{event}");
        assert_eq!(event["title"], "Winter hangout", "fields not sent stay");
        assert_eq!(event["recording_url"], "https://vimeo.com/42");
        assert_eq!(event["starts_at"], serde_json::Value::Null, "null clears");
        assert_eq!(event["premoderation"], true);
        assert_eq!(app.events().await[0]["slug"], "winter");

        let id = app
            .ask_api(&browser(), "winter", "Is there a security roadmap?")
            .await;
        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/questions/{id}"),
                &token,
                json!({"labels": ["security"]}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, event) = app
            .moderator_api(
                Method::PATCH,
                "/api/v1/events/winter",
                &token,
                json!({"labels": ["roadmap", "faq"]}),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(event["labels"], json!(["faq", "roadmap"]));
        let org = browser();
        assert_eq!(app.sign_in(&org, "organiser", PASSWORD).await.status(), 303);
        let (_, dashboard) = app.get_text(&org, "/mod/e/winter?tab=pending").await;
        assert!(dashboard.contains("Is there a security roadmap?"));
        assert!(
            !dashboard.contains("badge label\">security"),
            "a removed label comes off its questions"
        );

        let (_, log) = app
            .moderator_api(
                Method::GET,
                "/api/v1/modlog?event=winter",
                &token,
                json!(null),
            )
            .await;
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["action"].as_str().unwrap())
            .collect();
        for action in ["event.create", "event.status", "event.labels", "event.edit"] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_an_event_carries_its_unanswered_questions_over_with_their_votes() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("host");
        app.create_event("spring", &["--labels", "roadmap"]);
        app.create_event("summer", &[]);
        app.create_event("past", &[]);
        app.set_status("past", "closed");

        let asker = browser();
        let unanswered = app
            .post_question(
                &asker,
                "spring",
                json!({"body": "Will the roadmap be public?"}),
            )
            .await;
        let unanswered: serde_json::Value = unanswered.json().await.unwrap();
        let carried_id = unanswered["id"].as_i64().unwrap();
        let follow_token = unanswered["follow_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        let answered_id = app
            .ask_api(&browser(), "spring", "Was this one answered already?")
            .await;
        let voters = [browser(), browser()];
        for voter in &voters {
            assert_eq!(app.vote_api(voter, carried_id, true).await.status(), 200);
        }
        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/questions/{carried_id}"),
                &token,
                json!({"labels": ["roadmap"]}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{answered_id}/answer"),
                &token,
                json!({"answer_md": "Yes."}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                "/api/v1/events/spring",
                &token,
                json!({"status": "closed"}),
            )
            .await;
        assert_eq!(status, 200);

        let carry = |to: &'static str| {
            let app = &app;
            let token = token.clone();
            async move {
                app.moderator_api(
                    Method::POST,
                    "/api/v1/events/spring/carry-over",
                    &token,
                    json!({ "to": to }),
                )
                .await
            }
        };
        for refused in ["spring", "nowhere", "past"] {
            let (status, error) = carry(refused).await;
            assert_eq!(
                (status, error["field"].as_str()),
                (422, Some("to")),
                "{error}"
            );
        }

        // Closing offers the carry-over in the browser.
        let host = browser();
        assert_eq!(app.sign_in(&host, "host", PASSWORD).await.status(), 303);
        let (_, settings) = app.get_text(&host, "/mod/e/spring/settings").await;
        assert!(settings.contains("1 approved question was"), "{settings}");
        assert!(settings.contains("<option value=\"summer\""));
        assert!(
            !settings.contains("<option value=\"past\""),
            "closed events cannot take them"
        );

        let csrf = hidden_value(&settings, "csrf").unwrap();
        let moved = host
            .post(app.url("/mod/e/spring/carry-over"))
            .form(&[("csrf", csrf.as_str()), ("to", "summer")])
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 303, "{}", app.backend);
        assert_eq!(location(&moved), "/mod/e/summer");

        let summer = app.questions(&browser(), "summer").await;
        assert_eq!(summer.len(), 1);
        assert_eq!(summer[0]["id"], carried_id);
        assert_eq!(summer[0]["vote_count"], 2, "the votes travel along");
        let spring = app.questions(&browser(), "spring").await;
        let spring_ids: Vec<i64> = spring.iter().map(|q| q["id"].as_i64().unwrap()).collect();
        assert_eq!(spring_ids, [answered_id], "answered questions stay");

        assert_eq!(
            app.vote_api(&voters[0], carried_id, false).await.status(),
            200,
            "a voter can still withdraw"
        );
        assert_eq!(app.vote_count(carried_id, "summer").await, 1);
        let follow: serde_json::Value = browser()
            .get(app.url(&format!("/api/v1/follow/{follow_token}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            follow["event"]["slug"], "summer",
            "the asker sees where it went"
        );
        let (_, dashboard) = app.get_text(&host, "/mod/e/summer").await;
        assert!(
            dashboard.contains("badge label\">roadmap"),
            "labels come along"
        );

        let (status, nothing_left) = carry("summer").await;
        assert_eq!(status, 200);
        assert_eq!(nothing_left["carried_over"], 0);
        let (_, settings) = app.get_text(&host, "/mod/e/spring/settings").await;
        assert!(!settings.contains("Carry over unanswered"));
    }
}
