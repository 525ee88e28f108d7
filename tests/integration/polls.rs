//! Polls over HTTP: every kind drafted, opened, answered, changed, closed and revealed; one answer
//! per voter identity; results hidden until their time; open text held and shown; bursts flagged.

use std::net::Ipv4Addr;

use faqtory::app::asking::automated_votes::BurstRule;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, browser_from, spawn_app, spawn_app_with, TestApp};

async fn create_poll(app: &TestApp, token: &str, slug: &str, poll: Value) -> i64 {
    let (status, created) = app
        .moderator_api(
            Method::POST,
            &format!("/api/v1/events/{slug}/polls"),
            token,
            poll,
        )
        .await;
    assert_eq!(status, 201, "{}: {created}", app.backend);
    assert_eq!(created["state"], "draft");
    created["id"].as_i64().unwrap()
}

async fn poll_move(app: &TestApp, token: &str, poll: i64, step: &str) -> (u16, Value) {
    app.moderator_api(
        Method::POST,
        &format!("/api/v1/polls/{poll}/{step}"),
        token,
        json!({}),
    )
    .await
}

/// Answers as a participant (who first looks at the event, which hands out a voter identity).
async fn answer(app: &TestApp, who: &reqwest::Client, poll: i64, body: Value) -> (u16, Value) {
    app.get(who, "/api/v1/events").await;
    let response = who
        .post(app.url(&format!("/api/v1/polls/{poll}/answer")))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn results(app: &TestApp, who: &reqwest::Client, poll: i64) -> (u16, Value) {
    let response = app.get(who, &format!("/api/v1/polls/{poll}/results")).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn moderator_results(app: &TestApp, token: &str, poll: i64) -> Value {
    let response = browser()
        .get(app.url(&format!("/api/v1/polls/{poll}/results")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn public_polls(app: &TestApp, who: &reqwest::Client, slug: &str) -> Vec<Value> {
    let response = app.get(who, &format!("/api/v1/events/{slug}/polls")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_is_answered_changed_closed_and_counted() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let (ann, bob, cat) = (browser(), browser(), browser());

        // Multiple choice, one answer, with an answer of one's own.
        let format = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "choice", "prompt": "What should the session be?",
                   "options": ["A docs walkthrough", "Q&A with the developers", "Roadmap"],
                   "other": true, "results": "live"}),
        )
        .await;
        assert!(
            public_polls(&app, &ann, "hangout").await.is_empty(),
            "a draft is out of sight"
        );
        let (status, _) = answer(&app, &ann, format, json!({"choices": [0]})).await;
        assert_eq!(status, 404, "a draft takes no answers");
        assert_eq!(poll_move(&app, &token, format, "open").await.0, 200);
        assert_eq!(
            answer(&app, &ann, format, json!({"choices": [1]})).await.0,
            200
        );
        assert_eq!(
            answer(&app, &bob, format, json!({"choices": [1]})).await.0,
            200
        );
        let (status, own) = answer(&app, &cat, format, json!({"other": " Packaging  "})).await;
        assert_eq!(
            (status, own["answer"]["other"].as_str()),
            (200, Some("Packaging"))
        );
        // Ann changes her mind: replaced, not counted twice.
        let (status, changed) = answer(&app, &ann, format, json!({"choices": [2]})).await;
        assert_eq!((status, changed["replaced"].as_bool()), (200, Some(true)));
        let (status, counted) = results(&app, &bob, format).await;
        assert_eq!(status, 200, "{counted}");
        assert_eq!(counted["answers"], 3);
        let counts: Vec<(String, i64)> = counted["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|option| {
                (
                    option["label"].as_str().unwrap().to_owned(),
                    option["count"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            counts,
            vec![
                ("A docs walkthrough".to_owned(), 0),
                ("Q&A with the developers".to_owned(), 1),
                ("Roadmap".to_owned(), 1),
                ("Other".to_owned(), 1),
            ],
            "{}",
            app.backend
        );
        assert!(
            counted.get("other_texts").is_none(),
            "the public sees counts"
        );
        assert_eq!(
            moderator_results(&app, &token, format).await["other_texts"],
            json!(["Packaging"])
        );
        let polls = public_polls(&app, &ann, "hangout").await;
        assert_eq!(polls[0]["mine"], json!({"choices": [2]}));

        // Rating 1–10 with labels: average and distribution.
        let rating = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "rating", "prompt": "How useful was this hour?", "scale": 10,
                   "low_label": "Not at all", "high_label": "Very", "results": "live"}),
        )
        .await;
        poll_move(&app, &token, rating, "open").await;
        for (who, value) in [(&ann, 10), (&bob, 7), (&cat, 3), (&cat, 4)] {
            assert_eq!(
                answer(&app, who, rating, json!({"rating": value})).await.0,
                200
            );
        }
        let counted = results(&app, &ann, rating).await.1;
        assert_eq!(counted["answers"], 3);
        assert_eq!(counted["average"], 7.0);
        assert_eq!(
            counted["distribution"],
            json!([0, 0, 0, 1, 0, 0, 1, 0, 0, 1])
        );

        // Word cloud: case, spacing and plurals folded; stop words and banned words left out.
        let words = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "words", "prompt": "One word for the project?",
                   "banned_words": ["Darn"], "results": "live"}),
        )
        .await;
        poll_move(&app, &token, words, "open").await;
        answer(&app, &ann, words, json!({"words": ["Docs", "the", "darn"]})).await;
        answer(&app, &bob, words, json!({"words": ["  docs ", "Plugins"]})).await;
        answer(&app, &cat, words, json!({"words": ["plugin", "DOC"]})).await;
        let counted = results(&app, &ann, words).await.1;
        assert_eq!(
            counted["words"],
            json!([{"word": "doc", "count": 3}, {"word": "plugin", "count": 2}]),
            "{}",
            app.backend
        );

        // Ranking: Borda count.
        let ranking = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "ranking", "prompt": "Order these topics", "options": ["Docs", "API", "UI"],
                   "results": "live"}),
        )
        .await;
        poll_move(&app, &token, ranking, "open").await;
        answer(&app, &ann, ranking, json!({"ranking": [1, 0, 2]})).await;
        answer(&app, &bob, ranking, json!({"ranking": [1, 2, 0]})).await;
        let counted = results(&app, &ann, ranking).await.1;
        let scores: Vec<i64> = counted["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|option| option["score"].as_i64().unwrap())
            .collect();
        assert_eq!(scores, vec![1, 4, 1]);

        // Closed: answers refused, counts kept.
        let (status, closed) = poll_move(&app, &token, ranking, "close").await;
        assert_eq!((status, closed["state"].as_str()), (200, Some("closed")));
        let (status, refused) = answer(&app, &cat, ranking, json!({"ranking": [0, 1, 2]})).await;
        assert_eq!(
            (status, refused["error"].as_str()),
            (409, Some("poll_closed"))
        );
        assert_eq!(results(&app, &ann, ranking).await.1["answers"], 2);
        let (_, log) = app
            .get_text(&app.signed_in_moderator("lea").await, "/mod/log")
            .await;
        assert!(log.contains("poll.close"), "{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_stay_hidden_until_answered_or_revealed() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let (ann, bob) = (browser(), browser());
        let secret = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "choice", "prompt": "Which format?", "options": ["Docs", "Q&A"],
                   "results": "on_reveal"}),
        )
        .await;
        let after = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "choice", "prompt": "Which day?", "options": ["Monday", "Friday"],
                   "results": "after_answer"}),
        )
        .await;
        for poll in [secret, after] {
            poll_move(&app, &token, poll, "open").await;
        }
        answer(&app, &ann, secret, json!({"choices": [1]})).await;
        let (status, hidden) = results(&app, &ann, secret).await;
        assert_eq!(
            (status, hidden["error"].as_str()),
            (403, Some("results_hidden"))
        );
        assert_eq!(moderator_results(&app, &token, secret).await["answers"], 1);
        let listed = public_polls(&app, &ann, "hangout").await;
        assert!(listed[0]["tally"].is_null(), "{}", listed[0]);

        app.get(&bob, "/api/v1/events").await;
        assert_eq!(results(&app, &bob, after).await.0, 403, "not answered yet");
        answer(&app, &bob, after, json!({"choices": [0]})).await;
        assert_eq!(results(&app, &bob, after).await.0, 200, "answered");

        let (status, revealed) = poll_move(&app, &token, secret, "reveal").await;
        assert_eq!((status, revealed["revealed"].as_bool()), (200, Some(true)));
        let (status, shown) = results(&app, &bob, secret).await;
        assert_eq!(
            (status, shown["options"][1]["count"].as_i64()),
            (200, Some(1))
        );
        assert_eq!(poll_move(&app, &token, secret, "conceal").await.0, 200);
        assert_eq!(results(&app, &bob, secret).await.0, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_text_is_held_under_premoderation_then_shown_and_upvoted_once() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &["--premoderation"]);
        let token = app.api_token("mona");
        let (ann, bob) = (browser(), browser());
        let wishes = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "text", "prompt": "What do you want from this session?"}),
        )
        .await;
        poll_move(&app, &token, wishes, "open").await;
        let (status, held) = answer(
            &app,
            &ann,
            wishes,
            json!({"text": "<script>alert(1)</script> more examples"}),
        )
        .await;
        assert_eq!(
            (status, held["held"].as_bool()),
            (200, Some(true)),
            "{held}"
        );
        let shown = results(&app, &bob, wishes).await.1;
        assert_eq!(shown["texts"], json!([]), "held answers wait");
        let waiting = moderator_results(&app, &token, wishes).await;
        let answer_id = waiting["texts"][0]["id"].as_i64().unwrap();
        assert_eq!(waiting["texts"][0]["held"], true);
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/polls/{wishes}/answers/{answer_id}/show"),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
        let shown = results(&app, &bob, wishes).await.1;
        assert_eq!(
            shown["texts"][0]["text"], "<script>alert(1)</script> more examples",
            "kept as typed (escaped where shown)"
        );
        let upvote = format!("/api/v1/polls/{wishes}/answers/{answer_id}/upvote");
        app.get(&bob, "/api/v1/events").await;
        for _ in 0..2 {
            let response = bob
                .post(app.url(&upvote))
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
        }
        let shown = results(&app, &bob, wishes).await.1;
        assert_eq!(
            shown["texts"][0]["votes"], 1,
            "{}: counted once",
            app.backend
        );
        assert_eq!(shown["texts"][0]["upvoted"], true);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_answers_and_definitions_get_clear_errors_and_count_nothing() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let path = "/api/v1/events/hangout/polls";
        for (poll, field) in [
            (
                json!({"kind": "choice", "prompt": "", "options": ["a", "b"]}),
                "prompt",
            ),
            (
                json!({"kind": "choice", "prompt": "x".repeat(5_000), "options": ["a", "b"]}),
                "prompt",
            ),
            (
                json!({"kind": "choice", "prompt": "Which\u{202E}one?", "options": ["a", "b"]}),
                "prompt",
            ),
            (
                json!({"kind": "choice", "prompt": "Which one?", "options": ["a"]}),
                "options",
            ),
            (
                json!({"kind": "choice", "prompt": "Which one?", "options": ["a", "A "]}),
                "options",
            ),
            (
                json!({"kind": "rating", "prompt": "How good?", "scale": 7}),
                "scale",
            ),
            (json!({"kind": "quiz", "prompt": "How good?"}), "kind"),
            (
                json!({"kind": "text", "prompt": "Why?", "results": "never"}),
                "results",
            ),
        ] {
            let (status, refused) = app.moderator_api(Method::POST, path, &token, poll).await;
            assert_eq!(status, 422, "{refused}");
            assert_eq!(refused["field"], field, "{refused}");
        }
        let (status, _) = app
            .moderator_api(
                Method::POST,
                path,
                &token,
                json!({"kind": "choice", "prompt": 5}),
            )
            .await;
        assert_eq!(status, 400, "a prompt that is not text");

        let choice = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "choice", "prompt": "<b>Which</b> one?", "options": ["<img src=x onerror=alert(1)>", "b"]}),
        )
        .await;
        let ranking = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "ranking", "prompt": "Order them", "options": ["a", "b", "c"]}),
        )
        .await;
        let words = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "words", "prompt": "Three words"}),
        )
        .await;
        for poll in [choice, ranking, words] {
            poll_move(&app, &token, poll, "open").await;
        }
        let ann = browser();
        for (poll, body, status) in [
            (choice, json!({"choices": [2]}), 422),
            (choice, json!({"choices": [-1]}), 422),
            (choice, json!({"choices": [0, 1]}), 422),
            (choice, json!({"choices": []}), 422),
            (choice, json!({"rating": 3}), 422),
            (choice, json!({"choices": "0"}), 400),
            (ranking, json!({"ranking": [0, 0, 1]}), 422),
            (ranking, json!({"ranking": [0, 1]}), 422),
            (words, json!({"words": ["a", "b", "c", "d"]}), 422),
            (words, json!({"words": ["x".repeat(41)]}), 422),
            (words, json!({"words": ["\u{2066}evil"]}), 422),
            (words, json!({"words": [""]}), 422),
            (9_999, json!({"choices": [0]}), 404),
        ] {
            let (got, refused) = answer(&app, &ann, poll, body.clone()).await;
            assert_eq!(got, status, "{body}: {refused}");
            assert!(
                refused["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{refused}"
            );
        }
        for poll in [choice, ranking, words] {
            assert_eq!(
                moderator_results(&app, &token, poll).await["answers"],
                0,
                "nothing counted"
            );
        }
        // No voter identity yet: refused with a reason, nothing counted.
        let stranger = browser();
        let response = stranger
            .post(app.url(&format!("/api/v1/polls/{choice}/answer")))
            .json(&json!({"choices": [0]}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        // Markup is kept as text in the API.
        let polls = public_polls(&app, &ann, "hangout").await;
        assert_eq!(polls[0]["prompt"], "<b>Which</b> one?");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_answers_from_one_network_is_flagged_and_can_be_set_aside() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |config| {
            config.burst_rule = BurstRule {
                votes_per_minute: 5,
            };
        })
        .await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let poll = create_poll(
            &app,
            &token,
            "hangout",
            json!({"kind": "choice", "prompt": "Which one?", "options": ["a", "b"]}),
        )
        .await;
        poll_move(&app, &token, poll, "open").await;
        for n in 1..=2 {
            let person = browser_from(Ipv4Addr::new(127, 0, 4, n).into());
            assert_eq!(
                answer(&app, &person, poll, json!({"choices": [0]})).await.0,
                200
            );
        }
        for _ in 0..6 {
            let script = browser();
            assert_eq!(
                answer(&app, &script, poll, json!({"choices": [1]})).await.0,
                200
            );
        }
        assert_eq!(moderator_results(&app, &token, poll).await["answers"], 8);
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/polls/{poll}/automated"),
                &token,
                json!({"discounted": true}),
            )
            .await;
        assert_eq!(status, 200);
        let counted = moderator_results(&app, &token, poll).await;
        assert_eq!(counted["answers"], 2, "{}: {counted}", app.backend);
        assert_eq!(counted["options"][1]["count"], 0);
    }
}
