use crate::support::{backends, browser, hidden_value, location, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_through_the_form_lists_the_question_and_gives_a_private_follow_link() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("ask-form", &[]);

        let response = app
            .ask_form(
                &app.client,
                "ask-form",
                "  How do   I build\na unikernel?  ",
                "Ada",
            )
            .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let target = location(&response);
        assert!(
            target.starts_with("/e/ask-form?sort=new&asked="),
            "{target}"
        );

        let (status, page) = app.get_text(&app.client, &target).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("How do I build a unikernel?"),
            "white space normalised"
        );
        assert!(page.contains("Your question is in the list"));
        assert!(
            target.ends_with("#just-asked"),
            "the page opens at the notice"
        );
        let asked_id = target
            .split("asked=")
            .nth(1)
            .and_then(|rest| rest.split('#').next())
            .unwrap();
        let row = page.find(&format!("id=\"q-{asked_id}\"")).unwrap();
        let notice = page.find("id=\"just-asked\"").unwrap();
        assert!(
            row < notice && !page[row..notice].contains("</li>"),
            "the notice is in the new question's row"
        );
        assert!(page.contains("your question"), "marked as mine");
        let follow_start = page.find("/follow/").expect("a follow link");
        let token: String = page[follow_start + "/follow/".len()..]
            .chars()
            .take(32)
            .collect();

        // Someone else sees the question but neither the notice nor the follow link.
        let (_, other) = app.get_text(&browser(), &target).await;
        assert!(other.contains("How do I build a unikernel?"));
        assert!(!other.contains("/follow/"));

        let (status, follow) = app.get_text(&browser(), &format!("/follow/{token}")).await;
        assert_eq!(status, 200);
        assert!(follow.contains("How do I build a unikernel?"));
        assert!(follow.contains("in the queue"));
        assert!(follow.contains("Ada"));

        let api: serde_json::Value = app
            .get(&browser(), &format!("/api/v1/follow/{token}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(api["status"], "approved");
        assert_eq!(api["event"]["slug"], "ask-form");
        assert_eq!(api["author_name"], "Ada");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_201_with_a_follow_url_and_the_question_is_listed() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("ask-api", &[]);
        let response = app
            .post_question(
                &app.client,
                "ask-api",
                serde_json::json!({"body": "Is there a roadmap for 2027?", "author_name": null}),
            )
            .await;
        assert_eq!(response.status(), 201);
        let asked: serde_json::Value = response.json().await.unwrap();
        assert_eq!(asked["status"], "approved");
        let follow_url = asked["follow_url"].as_str().unwrap();
        assert!(follow_url.starts_with(&format!("{}/follow/", app.base)));

        let listed = app.questions(&browser(), "ask-api").await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["body"], "Is there a roadmap for 2027?");
        assert_eq!(listed[0]["author_name"], serde_json::Value::Null);
        assert_eq!(listed[0]["vote_count"], 0);
        assert_eq!(listed[0]["voted"], false);
        assert!(listed[0]["created_at"].as_str().unwrap().ends_with('Z'));

        let followed: serde_json::Value = browser()
            .get(follow_url.replace("/follow/", "/api/v1/follow/"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(followed["id"], asked["id"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn premoderated_questions_wait_out_of_sight_but_the_asker_sees_them() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("premod", &["--premoderation"]);
        let response = app
            .ask_form(&app.client, "premod", "Will this wait for a moderator?", "")
            .await;
        assert_eq!(response.status(), 303);
        let (_, page) = app.get_text(&app.client, &location(&response)).await;
        assert!(page.contains("awaiting moderation"), "{}", app.backend);
        assert!(page.contains("Will this wait for a moderator?"));

        let (_, public) = app.get_text(&browser(), "/e/premod").await;
        assert!(!public.contains("Will this wait for a moderator?"));
        assert!(app.questions(&browser(), "premod").await.is_empty());

        let api = app
            .post_question(
                &app.client,
                "premod",
                serde_json::json!({"body": "And this one through the API?"}),
            )
            .await;
        let asked: serde_json::Value = api.json().await.unwrap();
        assert_eq!(asked["status"], "pending");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_question_comes_back_with_the_text_and_the_reason_at_the_field() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("validation", &[]);

        let short = app
            .ask_form(&app.client, "validation", "Why?", "Grace")
            .await;
        assert_eq!(short.status(), 422, "{}", app.backend);
        let page = short.text().await.unwrap();
        assert!(page.contains(">Why?</textarea>"), "the text is kept");
        assert!(page.contains("value=\"Grace\""), "the name is kept");
        assert!(page.contains("too short"));
        assert!(page.contains("aria-invalid=\"true\""));

        let long_name = "n".repeat(61);
        let response = app
            .ask_form(
                &app.client,
                "validation",
                "A perfectly fine question here?",
                &long_name,
            )
            .await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("A perfectly fine question here?</textarea>"));
        assert!(page.contains("at most 60 characters"));

        let too_long = "x".repeat(1_001);
        let api = app
            .post_question(
                &app.client,
                "validation",
                serde_json::json!({"body": too_long}),
            )
            .await;
        assert_eq!(api.status(), 422);
        let error: serde_json::Value = api.json().await.unwrap();
        assert_eq!(error["error"], "invalid");
        assert_eq!(error["field"], "body");
        assert!(error["message"].as_str().unwrap().contains("too long"));

        let missing = app
            .post_question(
                &app.client,
                "validation",
                serde_json::json!({"author_name": "x"}),
            )
            .await;
        assert_eq!(missing.status(), 422);
        let error: serde_json::Value = missing.json().await.unwrap();
        assert_eq!(error["field"], "body");

        assert!(app.questions(&browser(), "validation").await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_event_takes_no_questions_and_says_so() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("closing", &[]);
        let csrf = app.csrf_token(&app.client, "closing").await;
        app.set_status_through_server("closing", "closed").await;

        let (_, page) = app.get_text(&app.client, "/e/closing").await;
        assert!(page.contains("no longer takes questions"));
        assert!(!page.contains("name=\"body\""), "no form on a closed event");

        let late = app
            .client
            .post(app.url("/e/closing/ask"))
            .form(&[
                ("body", "Did I make it in time?"),
                ("author_name", ""),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(late.status(), 409, "{}", app.backend);
        let page = late.text().await.unwrap();
        assert!(
            page.contains("Did I make it in time?"),
            "the text is not lost"
        );
        assert!(page.contains("no longer takes questions"));

        let api = app
            .post_question(
                &app.client,
                "closing",
                serde_json::json!({"body": "Did I make it in time?"}),
            )
            .await;
        assert_eq!(api.status(), 409);
        let error: serde_json::Value = api.json().await.unwrap();
        assert_eq!(error["error"], "event_closed");
        assert!(app.questions(&browser(), "closing").await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_follow_tokens_are_404() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        for token in [
            "0123456789abcdef0123456789abcdef",
            "short",
            "%00",
            "' OR 1=1 --",
        ] {
            let path = format!("/follow/{}", token.replace(' ', "%20"));
            assert_eq!(app.get(&app.client, &path).await.status(), 404, "{token}");
            let api = app.get(&app.client, &format!("/api/v1{path}")).await;
            assert_eq!(api.status(), 404, "{token}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_honeypot_quietly_drops_bot_submissions() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("honeypot", &[]);
        let (_, page) = app.get_text(&app.client, "/e/honeypot").await;
        let csrf = hidden_value(&page, "csrf").unwrap_or_default();
        let response = app
            .client
            .post(app.url("/e/honeypot/ask"))
            .form(&[
                ("body", "Buy cheap watches at my site!"),
                ("author_name", ""),
                ("website", "http://spam.example"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert!(app.questions(&browser(), "honeypot").await.is_empty());
    }
}
