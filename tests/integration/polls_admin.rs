//! The moderators' polls page: the ready-made "what do you want from this session?" start, a new
//! poll from the form (refused as typed), moves by form, open text grouped by meaning and turned
//! into a ranking poll and into questions.

use serde_json::{json, Value};

use crate::support::{backends, browser, hidden_value, location, spawn_app, TestApp};

async fn polls_page(app: &TestApp, moderator: &reqwest::Client) -> String {
    let (status, page) = app.get_text(moderator, "/mod/e/hangout/polls").await;
    assert_eq!(status, 200, "{page}");
    page
}

async fn post_form(
    app: &TestApp,
    moderator: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = hidden_value(&polls_page(app, moderator).await, "csrf").unwrap();
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    moderator
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn answer(app: &TestApp, poll: i64, body: Value) {
    let person = browser();
    app.get(&person, "/api/v1/events").await;
    let response = person
        .post(app.url(&format!("/api/v1/polls/{poll}/answer")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn public_polls(app: &TestApp) -> Vec<Value> {
    app.get(&browser(), "/api/v1/events/hangout/polls")
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_asks_around_groups_the_wishes_and_runs_polls_from_the_page() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let moderator = app.signed_in_moderator("mona").await;
        let page = polls_page(&app, &moderator).await;
        assert!(page.contains("Ask around first"), "{page}");

        let started = post_form(&app, &moderator, "/mod/e/hangout/polls/starter", &[]).await;
        assert_eq!(started.status(), 303);
        let polls = public_polls(&app).await;
        assert_eq!(polls.len(), 2, "{polls:?}");
        assert_eq!(polls[0]["kind"], "choice");
        assert_eq!(polls[0]["other"], true);
        assert_eq!(polls[1]["kind"], "text");
        assert!(polls.iter().all(|poll| poll["state"] == "open"));
        let wishes = polls[1]["id"].as_i64().unwrap();
        for text in [
            "More examples of writing plugins",
            "Examples of plugins, please",
            "How to write a plugin, with examples",
            "What is planned for the next release?",
            "The roadmap for the next release",
            "Help with packaging for Debian",
        ] {
            answer(&app, wishes, json!({ "text": text })).await;
        }
        let (status, grouped) = app
            .get_text(&moderator, &format!("/mod/e/hangout/polls/{wishes}/groups"))
            .await;
        assert_eq!(status, 200);
        assert!(grouped.contains("6 answers in"), "{grouped}");
        let leads: Vec<String> = grouped
            .match_indices("name=\"answer\" value=\"")
            .map(|(at, found)| {
                let rest = &grouped[at + found.len()..];
                rest[..rest.find('"').unwrap()].to_owned()
            })
            .collect();
        assert!(leads.len() >= 2, "{grouped}");

        // The groups become a draft ranking poll in one step.
        let mut fields: Vec<(&str, &str)> =
            leads.iter().map(|lead| ("answer", lead.as_str())).collect();
        let ranked = post_form(
            &app,
            &moderator,
            &format!("/mod/e/hangout/polls/{wishes}/groups/ranking"),
            &fields,
        )
        .await;
        assert_eq!(ranked.status(), 303, "{}", app.backend);
        let ranking_id: i64 = location(&ranked)
            .rsplit("#poll-")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let page = polls_page(&app, &moderator).await;
        assert!(page.contains("Put these in order: What do you want to get out of this session?"));

        // Opened by its form, then answered.
        let opened = post_form(
            &app,
            &moderator,
            &format!("/mod/e/hangout/polls/{ranking_id}/open"),
            &[],
        )
        .await;
        assert_eq!(opened.status(), 303);
        let ranking = public_polls(&app)
            .await
            .into_iter()
            .find(|poll| poll["id"] == ranking_id)
            .unwrap();
        assert_eq!(ranking["kind"], "ranking");
        assert_eq!(ranking["options"].as_array().unwrap().len(), leads.len());

        // Or into questions of the session, one vote for each person who said it.
        fields.truncate(1);
        let asked = post_form(
            &app,
            &moderator,
            &format!("/mod/e/hangout/polls/{wishes}/groups/questions"),
            &fields,
        )
        .await;
        assert_eq!(asked.status(), 303);
        let questions = app.questions(&browser(), "hangout").await;
        assert_eq!(questions.len(), 1, "{questions:?}");
        assert!(questions[0]["vote_count"].as_i64().unwrap() >= 1);

        let (_, log) = app.get_text(&moderator, "/mod/log").await;
        assert!(log.contains("poll.open"), "{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_new_poll_comes_back_as_typed() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let moderator = app.signed_in_moderator("mona").await;
        let refused = post_form(
            &app,
            &moderator,
            "/mod/e/hangout/polls",
            &[
                ("kind", "choice"),
                ("prompt", "Which <b>day</b> suits you?"),
                ("options", "Monday\n\nmonday"),
                ("results", "on_reveal"),
            ],
        )
        .await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(page.contains("is there twice"), "{page}");
        assert!(
            page.contains("value=\"Which &lt;b&gt;day&lt;/b&gt; suits you?\""),
            "{page}"
        );
        assert!(page.contains("Monday\n\nmonday</textarea>"), "{page}");
        assert!(
            page.contains("<option value=\"on_reveal\" selected>"),
            "{page}"
        );

        let added = post_form(
            &app,
            &moderator,
            "/mod/e/hangout/polls",
            &[
                ("kind", "rating"),
                ("prompt", "How was it?"),
                ("scale", "10"),
                ("low_label", "Meh"),
                ("high_label", "Great"),
                ("results", "live"),
            ],
        )
        .await;
        assert_eq!(added.status(), 303);
        let page = polls_page(&app, &moderator).await;
        assert!(
            page.contains("How was it?") && page.contains("draft"),
            "{page}"
        );
        assert!(
            public_polls(&app).await.is_empty(),
            "a draft stays out of sight"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_can_start_by_asking_around() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mona");
        let (status, created) = app
            .moderator_api(
                reqwest::Method::POST,
                "/api/v1/events",
                &token,
                json!({"slug": "hangout", "title": "Hangout", "ask_around": true}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let polls = public_polls(&app).await;
        let prompts: Vec<&str> = polls
            .iter()
            .filter_map(|poll| poll["prompt"].as_str())
            .collect();
        assert_eq!(
            prompts,
            vec![
                "What would you like this session to be?",
                "What do you want to get out of this session?"
            ]
        );
        let (_, page) = app.get_text(&browser(), "/e/hangout").await;
        assert!(
            page.contains("What do you want to get out of this session?"),
            "beside the ask form"
        );

        // From the new-event form too.
        let moderator = app.signed_in_moderator("lea").await;
        let (_, form) = app.get_text(&moderator, "/mod/events/new").await;
        let csrf = hidden_value(&form, "csrf").unwrap();
        let made = moderator
            .post(app.url("/mod/events"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("slug", "second"),
                ("title", "Second"),
                ("ask_around", "on"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), 303);
        assert_eq!(location(&made), "/mod/e/second/polls");
        let (_, polls) = app.get_text(&moderator, "/mod/e/second/polls").await;
        assert_eq!(polls.matches("class=\"poll-row\"").count(), 2, "{polls}");
    }
}
