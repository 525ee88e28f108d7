//! What a team does with a topic over HTTP — carry it into the next event, draft its FAQ answer,
//! list it for the docs — and the CSV export, bad requests refused in words, and the searches
//! left out as noise (typed on within a minute, a crawler's), and `faqtory insights regroup`.

use chrono::Duration;
use faqtory::app::clock::Clock;
use reqwest::Method;
use serde_json::{json, Value};

use crate::insights::{topic_of, topics, two_events_of_questions};
use crate::support::{backends, browser, spawn_app, spawn_app_with, TestApp};

#[tokio::test]
async fn topics_export_as_csv_and_bad_requests_are_refused_with_words() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let csv = browser()
            .get(app.url("/api/v1/insights/topics?format=csv"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let text = csv.text().await.unwrap();
        let mut lines = text.lines();
        assert!(lines.next().unwrap().starts_with("id,label,words,demand"));
        assert_eq!(lines.count(), 2, "{backend:?}: {text}");

        let first = topics(&app, &token, "").await;
        let docker = topic_of(&first, asked.docker[0])["id"].as_i64().unwrap();
        let licence = topic_of(&first, asked.licence[0])["id"].as_i64().unwrap();
        let refused = [
            (
                Method::GET,
                "/api/v1/insights/topics?since=last-week".to_owned(),
                Value::Null,
                422,
            ),
            (
                Method::GET,
                "/api/v1/insights/topics?format=xml".to_owned(),
                Value::Null,
                422,
            ),
            (
                Method::PATCH,
                format!("/api/v1/insights/topics/{docker}"),
                json!({"label": "x".repeat(81)}),
                422,
            ),
            (
                Method::PATCH,
                format!("/api/v1/insights/topics/{docker}"),
                json!({}),
                422,
            ),
            (
                Method::GET,
                "/api/v1/insights/topics?hidden=yes".to_owned(),
                Value::Null,
                422,
            ),
            (
                Method::POST,
                format!("/api/v1/insights/topics/{docker}/merge"),
                json!({"into": docker}),
                422,
            ),
            (
                Method::POST,
                format!("/api/v1/insights/topics/{docker}/split"),
                json!({"question_ids": asked.licence}),
                422,
            ),
            (
                Method::POST,
                format!("/api/v1/insights/topics/{licence}/split"),
                json!({"question_ids": asked.licence}),
                422,
            ),
            (
                Method::POST,
                "/api/v1/insights/topics/999999/merge".to_owned(),
                json!({"into": docker}),
                404,
            ),
        ];
        for (method, path, body, expected) in refused {
            let (status, answer) = app.moderator_api(method.clone(), &path, &token, body).await;
            assert_eq!(status, expected, "{backend:?}: {method} {path}: {answer}");
            assert!(
                answer["message"].is_string(),
                "{backend:?}: {path}: {answer}"
            );
        }
        let (status, _) = app
            .moderator_api(Method::GET, "/api/v1/insights/topics", "wrong", Value::Null)
            .await;
        assert_eq!(status, 401);
    }
}

#[tokio::test]
async fn the_command_regroups_and_waits() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let before = topics(&app, &token, "").await;
        let output = app.cli(&["insights", "regroup"]);
        assert!(
            output.status.success(),
            "{backend:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            said.contains("Regrouped into 2 topics by words"),
            "{backend:?}: {said}"
        );
        let after = topics(&app, &token, "").await;
        assert_eq!(
            topic_of(&after, asked.docker[0])["id"],
            topic_of(&before, asked.docker[0])["id"]
        );
    }
}

async fn search_as(app: &TestApp, who: &reqwest::Client, query: &str) {
    let response = who
        .get(app.url("/faq"))
        .query(&[("q", query)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn searches_typed_on_within_a_minute_and_crawlers_searches_do_not_count() {
    for backend in backends() {
        let clock = Clock::default();
        let app = {
            let clock = clock.clone();
            spawn_app_with(&backend, move |config| config.clock = clock).await
        };
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let visitor = browser();
        // Typed on: only what the visitor settled on counts.
        search_as(&app, &visitor, "licence comm").await;
        search_as(&app, &visitor, "licence commercial code").await;
        // A crawler's search counts for nothing.
        let crawler = reqwest::Client::builder()
            .user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
            .build()
            .unwrap();
        search_as(&app, &crawler, "licence commercial code").await;
        let licence = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        assert_eq!(licence["searches"], 1, "{backend:?}: {licence}");

        // A minute on, a longer search is a search of its own.
        clock.advance(Duration::seconds(61));
        search_as(&app, &visitor, "licence commercial code terms").await;
        let licence = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        assert_eq!(licence["searches"], 2, "{backend:?}: {licence}");
    }
}

#[tokio::test]
async fn a_topic_is_carried_into_the_next_event_in_one_step() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        app.set_status("march-call", "closed");
        app.set_status("april-call", "closed");
        let topic = topic_of(&topics(&app, &token, "").await, asked.docker[0])["id"]
            .as_i64()
            .unwrap();
        let carry = format!("/api/v1/insights/topics/{topic}/carry");
        // No event takes questions yet.
        let (status, body) = app
            .moderator_api(Method::POST, &carry, &token, json!({}))
            .await;
        assert_eq!(status, 422, "{backend:?}: {body}");

        app.create_event("may-call", &[]);
        let (status, body) = app
            .moderator_api(Method::POST, &carry, &token, json!({}))
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        assert_eq!(body, json!({"questions": 3, "event": "may-call"}));
        let may: Vec<i64> = app
            .questions(&browser(), "may-call")
            .await
            .iter()
            .map(|question| question["id"].as_i64().unwrap())
            .collect();
        for question in &asked.docker {
            assert!(may.contains(question), "{backend:?}: {may:?}");
        }
        // They stay in their topic, now asked at the next event.
        let after = topic_of(&topics(&app, &token, "").await, asked.docker[0]);
        assert_eq!(after["id"], topic);
        // Nothing left to carry.
        let (status, body) = app
            .moderator_api(Method::POST, &carry, &token, json!({}))
            .await;
        assert_eq!(status, 422, "{backend:?}: {body}");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("Nothing to carry"));
    }
}

#[tokio::test]
async fn a_topic_listed_for_docs_shows_in_the_docs_report() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let topic = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        let id = topic["id"].as_i64().unwrap();
        assert_eq!(topic["docs_wanted"], false);
        let (status, body) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/insights/topics/{id}"),
                &token,
                json!({"docs_wanted": true, "label": "Licensing"}),
            )
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        let listed = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        assert_eq!(listed["docs_wanted"], true);
        let (status, report) = app
            .moderator_api(Method::GET, "/api/v1/docs/report", &token, Value::Null)
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            report["topics_wanted"],
            json!([{"id": id, "label": "Licensing"}]),
            "{backend:?}"
        );
        let (_, body) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/insights/topics/{id}"),
                &token,
                json!({"docs_wanted": false}),
            )
            .await;
        assert_eq!(body["id"], id);
        let (_, report) = app
            .moderator_api(Method::GET, "/api/v1/docs/report", &token, Value::Null)
            .await;
        assert_eq!(report["topics_wanted"], json!([]));
    }
}

#[tokio::test]
async fn answer_in_the_faq_drafts_from_the_best_answer_so_far() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let listed = topics(&app, &token, "").await;
        let licence = topic_of(&listed, asked.licence[0])["id"].as_i64().unwrap();
        let draft = format!("/api/v1/insights/topics/{licence}/draft-answer");
        let (status, body) = app
            .moderator_api(Method::POST, &draft, &token, json!({}))
            .await;
        assert_eq!(status, 422, "{backend:?}: {body}");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("Nothing to draft from"));

        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{}/answer", asked.licence[0]),
                &token,
                json!({"answer_md": "It is **MIT** licensed."}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .moderator_api(Method::POST, &draft, &token, json!({}))
            .await;
        assert_eq!(status, 201, "{backend:?}: {body}");
        assert_eq!(
            body,
            json!({"question_id": asked.licence[1], "event": "april-call"})
        );
        // A draft: not in the FAQ until a moderator publishes it.
        let covered = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        assert_eq!(
            covered["coverage"]["faq_entries"],
            json!([asked.licence[0]])
        );
        let (status, body) = app
            .moderator_api(Method::POST, &draft, &token, json!({}))
            .await;
        assert_eq!(status, 422, "{backend:?}: {body}");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("has an answer already"));
    }
}
