use crate::support::{backends, browser, hidden_value, spawn_app, TestApp};

const PASSWORD: &str = "correct horse battery staple";
const XSS: &str = "**Yes.** <script>alert('answer')</script> <img src=x onerror=alert(1)> [see](javascript:alert(2))";

async fn moderator(app: &TestApp) -> (reqwest::Client, String) {
    app.add_moderator("mod", PASSWORD, false);
    let client = browser();
    assert_eq!(app.sign_in(&client, "mod", PASSWORD).await.status(), 303);
    let (_, page) = app.get_text(&client, "/mod").await;
    let csrf = hidden_value(&page, "csrf").unwrap();
    (client, csrf)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_with_a_recording_moment_reaches_the_asker_sanitized() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event(
            "call",
            &["--recording-url", "https://www.youtube.com/watch?v=abc123"],
        );
        let (mod_client, csrf) = moderator(&app).await;
        let asked = app
            .post_question(
                &browser(),
                "call",
                serde_json::json!({"body": "Does the answer link to the video?"}),
            )
            .await;
        let asked: serde_json::Value = asked.json().await.unwrap();
        let id = asked["id"].as_i64().unwrap();
        let token = asked["follow_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();

        let answer = |markdown: &'static str, offset: &'static str| {
            let csrf = csrf.clone();
            let client = mod_client.clone();
            let url = app.url(&format!("/mod/q/{id}/answer"));
            async move {
                client
                    .post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("back", "/mod/e/call?tab=live"),
                        ("answer_md", markdown),
                        ("recording_offset", offset),
                        ("publish", "on"),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };

        let refused = answer(XSS, "1:75").await;
        assert_eq!(refused.status(), 422, "{}", app.backend);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("1:23:45, 83:10 or seconds"),
            "the reason at the field"
        );
        assert!(page.contains("value=\"1:75\""), "the offset as typed");
        assert!(
            page.contains("&lt;script&gt;alert('answer')&lt;/script&gt;"),
            "the answer kept, escaped"
        );

        let saved = answer(XSS, "1:23").await;
        assert_eq!(saved.status(), 303);
        for path in [
            "/e/call?sort=answered".to_owned(),
            format!("/follow/{token}"),
        ] {
            let (_, page) = app.get_text(&browser(), &path).await;
            assert!(
                page.contains("<strong>Yes.</strong>"),
                "{path}: rendered Markdown"
            );
            assert!(
                !page.contains("<script>alert('answer')"),
                "{path}: no script"
            );
            assert!(!page.contains("onerror"), "{path}: no handler");
            assert!(
                !page.contains("javascript:alert(2)"),
                "{path}: no javascript link"
            );
            assert!(
                page.contains("https://www.youtube.com/watch?v=abc123&amp;t=83"),
                "{path}: the moment"
            );
        }
        let (_, follow) = app.get_text(&browser(), &format!("/follow/{token}")).await;
        assert!(follow.contains("It was answered"), "status in one sentence");
        assert!(
            follow.contains(&format!("href=\"/faq/{id}-")),
            "a link to the FAQ entry: {follow}"
        );
        let followed: serde_json::Value = app
            .get(&browser(), &format!("/api/v1/follow/{token}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(followed["status"], "answered");

        let (_, open) = app.get_text(&browser(), "/e/call").await;
        assert!(
            open.contains("Answered (1)"),
            "answered questions have their own tab"
        );
        assert!(
            !open.contains("<strong>Yes.</strong>"),
            "and do not lead the open ones"
        );

        answer("Edited: **no**, not yet.", "").await;
        let (_, page) = app.get_text(&browser(), "/e/call?sort=answered").await;
        assert!(page.contains("Edited: <strong>no</strong>"));
        assert!(!page.contains("t=83"), "the moment was cleared");

        let taken_back = mod_client
            .post(app.url(&format!("/mod/q/{id}/unanswer")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", "/mod/e/call?tab=answered"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(taken_back.status(), 303);
        let (_, page) = app.get_text(&browser(), "/e/call?sort=answered").await;
        assert!(!page.contains("Edited:"));
        assert!(page.contains("Answered (0)"));
        let log: Vec<serde_json::Value> = app
            .get(&mod_client, "/api/v1/modlog?event=call")
            .await
            .json()
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(
            actions,
            [
                "question.unanswer",
                "question.answer_edit",
                "question.answer",
                "event.create"
            ]
        );
        assert_eq!(
            log[0]["before"], "Edited: **no**, not yet.",
            "the answer text stays in the log"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_reports_bad_offsets_at_the_field_and_takes_answers_back() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("api-answers", &[]);
        app.add_moderator("bot", PASSWORD, false);
        let output = app.cli(&["moderator", "token", "create", "bot", "--label", "answers"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        let id = app
            .ask_api(&browser(), "api-answers", "Can a script answer me?")
            .await;
        let url = app.url(&format!("/api/v1/questions/{id}/answer"));

        let bad = browser()
            .post(&url)
            .bearer_auth(&token)
            .json(&serde_json::json!({"answer_md": "Yes", "recording_offset": "soon"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422, "{}", app.backend);
        let error: serde_json::Value = bad.json().await.unwrap();
        assert_eq!(error["field"], "recording_offset");

        // 18 KB of `- - - … x` (9,000 nested lists) once took seconds to sanitize on a request
        // worker.
        let nested = browser()
            .post(&url)
            .bearer_auth(&token)
            .json(&serde_json::json!({"answer_md": "- ".repeat(9_000) + "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(nested.status(), 422);
        let error: serde_json::Value = nested.json().await.unwrap();
        assert_eq!(error["field"], "answer_md");
        assert!(
            error["message"].as_str().unwrap().contains("16 deep"),
            "{error}"
        );

        let ok = browser()
            .post(&url)
            .bearer_auth(&token)
            .json(&serde_json::json!({"answer_md": "Yes, *scripts* can.", "recording_offset": "95", "publish": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let body: serde_json::Value = ok.json().await.unwrap();
        assert_eq!(body["status"], "answered");

        let removed = browser()
            .delete(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), 200);
        let again = browser()
            .delete(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 409);
        let listed = app.questions(&browser(), "api-answers").await;
        assert_eq!(listed[0]["status"], "approved");
    }
}
