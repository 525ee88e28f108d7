//! Topics across events over HTTP: questions of several events grouped into topics that keep
//! their ids as questions arrive and through regroupings; names, merges, splits and hidden topics
//! that last; demand and coverage. What a team does with a topic, the export, the command, the
//! refusals and the noise left out are in `insights_actions`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, spawn_app, TestApp};

pub(crate) async fn topics(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (status, body) = app
        .moderator_api(
            Method::GET,
            &format!("/api/v1/insights/topics{query}"),
            token,
            Value::Null,
        )
        .await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    body.as_array().unwrap().clone()
}

/// The topic holding this question.
pub(crate) fn topic_of(topics: &[Value], question: i64) -> Value {
    topics
        .iter()
        .find(|topic| {
            topic["question_ids"]
                .as_array()
                .unwrap()
                .contains(&json!(question))
        })
        .unwrap_or_else(|| panic!("no topic holds question {question}: {topics:?}"))
        .clone()
}

fn ids(topic: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = topic["question_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

async fn ask(app: &TestApp, slug: &str, body: &str) -> i64 {
    app.ask_api(&browser(), slug, body).await
}

/// Starts a regrouping and waits for it to finish (it runs in the background).
async fn regroup(app: &TestApp, token: &str) -> Value {
    let (status, started) = app
        .moderator_api(Method::POST, "/api/v1/insights/regroup", token, json!({}))
        .await;
    assert_eq!(status, 202, "{}: {started}", app.backend);
    let id = started["id"].as_i64().unwrap();
    loop {
        let (status, row) = app
            .moderator_api(
                Method::GET,
                &format!("/api/v1/insights/regroupings/{id}"),
                token,
                Value::Null,
            )
            .await;
        assert_eq!(status, 200);
        if row["state"] != "running" {
            assert_eq!(row["state"], "done", "{}: {row}", app.backend);
            return row;
        }
        tokio::task::yield_now().await;
    }
}

pub(crate) struct Asked {
    pub docker: Vec<i64>,
    pub licence: Vec<i64>,
}

pub(crate) async fn two_events_of_questions(app: &TestApp) -> Asked {
    app.create_event("march-call", &[]);
    app.create_event("april-call", &[]);
    let docker = vec![
        ask(app, "march-call", "How do I run faqtory in Docker?").await,
        ask(app, "march-call", "Is there a Docker image for faqtory?").await,
        ask(app, "april-call", "Running faqtory in docker compose").await,
    ];
    let licence = vec![
        ask(app, "march-call", "Which licence covers the code?").await,
        ask(
            app,
            "april-call",
            "Does the licence cover commercial use of the code?",
        )
        .await,
    ];
    Asked { docker, licence }
}

#[tokio::test]
async fn questions_of_several_events_group_into_topics_that_keep_their_ids() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;

        let first = topics(&app, &token, "").await;
        let docker = topic_of(&first, asked.docker[0]);
        let licence = topic_of(&first, asked.licence[0]);
        assert_eq!(ids(&docker), asked.docker, "{backend:?}: {first:?}");
        assert_eq!(ids(&licence), asked.licence, "{backend:?}: {first:?}");
        assert_eq!(docker["questions"], 3);
        let events: Vec<&str> = docker["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["slug"].as_str().unwrap())
            .collect();
        assert_eq!(events, ["march-call", "april-call"], "{backend:?}");
        assert!(
            docker["words"].as_str().unwrap().contains("docker"),
            "{backend:?}: {docker}"
        );
        assert!(licence["words"].as_str().unwrap().contains("licence"));
        // Ranked by demand: three questions before two.
        assert_eq!(first[0]["id"], docker["id"], "{backend:?}");

        // A new question joins the topic it is close to, which keeps its id.
        let another = ask(&app, "april-call", "Docker compose file for faqtory").await;
        let later = topics(&app, &token, "").await;
        let grown = topic_of(&later, another);
        assert_eq!(grown["id"], docker["id"], "{backend:?}: {later:?}");
        assert_eq!(grown["questions"], 4);
        assert_eq!(topic_of(&later, asked.licence[1])["id"], licence["id"]);

        // A full regrouping maps the topics onto themselves.
        let row = regroup(&app, &token).await;
        assert_eq!(row["basis"], "words", "{backend:?}");
        let regrouped = topics(&app, &token, "").await;
        assert_eq!(
            topic_of(&regrouped, another)["id"],
            docker["id"],
            "{backend:?}"
        );
        assert_eq!(
            topic_of(&regrouped, asked.licence[0])["id"],
            licence["id"],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn names_merges_splits_and_hidden_topics_last_through_regrouping() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let first = topics(&app, &token, "").await;
        let docker = topic_of(&first, asked.docker[0])["id"].as_i64().unwrap();
        let licence = topic_of(&first, asked.licence[0])["id"].as_i64().unwrap();

        let (status, body) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/insights/topics/{docker}"),
                &token,
                json!({"label": "  Running in containers "}),
            )
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        regroup(&app, &token).await;
        let renamed = topic_of(&topics(&app, &token, "").await, asked.docker[1]);
        assert_eq!(renamed["id"], docker, "{backend:?}");
        assert_eq!(renamed["label"], "Running in containers", "{backend:?}");

        // Merged: the licence questions live in the Docker topic, regrouping or not.
        let (status, body) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/insights/topics/{licence}/merge"),
                &token,
                json!({"into": docker}),
            )
            .await;
        assert_eq!(
            (status, body["id"].as_i64()),
            (200, Some(docker)),
            "{backend:?}"
        );
        regroup(&app, &token).await;
        let merged = topics(&app, &token, "").await;
        let mut all = asked.docker.clone();
        all.extend(&asked.licence);
        all.sort_unstable();
        assert_eq!(
            ids(&topic_of(&merged, asked.licence[0])),
            all,
            "{backend:?}"
        );
        assert!(merged.iter().all(|topic| topic["id"] != licence));

        // Split back off: a new topic of those questions, kept through a regrouping.
        let (status, body) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/insights/topics/{docker}/split"),
                &token,
                json!({"question_ids": asked.licence}),
            )
            .await;
        assert_eq!(status, 201, "{backend:?}: {body}");
        let split = body["id"].as_i64().unwrap();
        regroup(&app, &token).await;
        let after = topics(&app, &token, "").await;
        let split_topic = topic_of(&after, asked.licence[1]);
        assert_eq!(split_topic["id"], split, "{backend:?}: {after:?}");
        assert_eq!(ids(&split_topic), asked.licence);
        assert_eq!(ids(&topic_of(&after, asked.docker[0])), asked.docker);

        // Hidden: off the list, still there when asked for, and still hidden after regrouping.
        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/insights/topics/{split}"),
                &token,
                json!({"hidden": true}),
            )
            .await;
        assert_eq!(status, 200);
        regroup(&app, &token).await;
        assert!(topics(&app, &token, "")
            .await
            .iter()
            .all(|topic| topic["id"] != split));
        let with_hidden = topics(&app, &token, "?hidden=true").await;
        assert_eq!(topic_of(&with_hidden, asked.licence[0])["hidden"], true);

        // Every change is in the audit log.
        let log = browser()
            .get(app.url("/api/v1/modlog"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for action in ["topic.rename", "topic.merge", "topic.split", "topic.hide"] {
            assert!(
                log.contains(action),
                "{backend:?}: {action} missing from {log}"
            );
        }
    }
}

#[tokio::test]
async fn demand_counts_votes_and_failed_searches_and_coverage_names_the_answers() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        for _ in 0..3 {
            let voter = browser();
            let response = app.vote_api(&voter, asked.licence[0], true).await;
            assert!(response.status().is_success());
        }
        // Nothing answers this search: it counts for the topic it is about.
        let miss = browser()
            .get(app.url("/faq?q=licence+commercial+code"))
            .send()
            .await
            .unwrap();
        assert_eq!(miss.status(), 200);

        let listed = topics(&app, &token, "").await;
        let licence = topic_of(&listed, asked.licence[0]);
        assert_eq!(licence["votes"], 3, "{backend:?}: {licence}");
        assert_eq!(licence["searches"], 1, "{backend:?}: {licence}");
        assert_eq!(licence["demand"], 2 + 3 + 1, "{backend:?}");
        assert_eq!(licence["coverage"]["state"], "none");
        assert_eq!(licence["gap"], true);
        // Six before three: the licence topic now leads.
        assert_eq!(listed[0]["id"], licence["id"], "{backend:?}");

        let (status, body) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{}/answer", asked.licence[0]),
                &token,
                json!({"answer_md": "It is MIT licensed.", "recording_offset": "12:30"}),
            )
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        let covered = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        assert_eq!(
            covered["coverage"]["state"], "faq",
            "{backend:?}: {covered}"
        );
        assert_eq!(
            covered["coverage"]["faq_entries"],
            json!([asked.licence[0]])
        );
        assert_eq!(covered["coverage"]["recording"][0]["seconds"], 750);
        assert_eq!(covered["gap"], false);
        // Labelled by the FAQ entry that covers it.
        assert_eq!(
            covered["label"], "Which licence covers the code?",
            "{backend:?}"
        );

        // Narrowed to one event.
        let april = topics(&app, &token, "?event=april-call").await;
        assert_eq!(ids(&topic_of(&april, asked.licence[1])), [asked.licence[1]]);
        assert_eq!(topic_of(&april, asked.licence[1])["searches"], 0);
    }
}

#[tokio::test]
async fn rejected_and_waiting_questions_do_not_count() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{}/reject", asked.docker[2]),
                &token,
                json!({"reason": "spam"}),
            )
            .await;
        assert_eq!(status, 200);
        app.create_event("held-call", &["--premoderation"]);
        let waiting = ask(&app, "held-call", "Docker image for faqtory please").await;
        let listed = topics(&app, &token, "").await;
        let docker = topic_of(&listed, asked.docker[0]);
        assert_eq!(ids(&docker), asked.docker[..2], "{backend:?}: {docker}");
        assert!(listed.iter().all(|topic| !topic["question_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(waiting))));
    }
}

#[tokio::test]
async fn open_text_answers_to_polls_join_the_topics_they_are_about() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        let asked = two_events_of_questions(&app).await;
        let (status, poll) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/april-call/polls",
                &token,
                json!({"kind": "text", "prompt": "What do you want to get out of this call?"}),
            )
            .await;
        assert_eq!(status, 201, "{backend:?}: {poll}");
        let poll = poll["id"].as_i64().unwrap();
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/polls/{poll}/open"),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
        let participant = browser();
        app.get(&participant, "/api/v1/events").await;
        let answered = participant
            .post(app.url(&format!("/api/v1/polls/{poll}/answer")))
            .json(&json!({"text": "Whether the licence covers commercial code"}))
            .send()
            .await
            .unwrap();
        assert_eq!(answered.status(), 200, "{backend:?}");

        let licence = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        assert_eq!(licence["poll_answers"], 1, "{backend:?}: {licence}");
        assert_eq!(licence["demand"], 2 + 1, "{backend:?}");
        // And it stays there through a regrouping.
        regroup(&app, &token).await;
        let licence = topic_of(&topics(&app, &token, "").await, asked.licence[0]);
        assert_eq!(licence["poll_answers"], 1, "{backend:?}: {licence}");
    }
}
