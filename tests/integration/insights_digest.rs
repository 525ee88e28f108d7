//! The insights digest: once a week has ended (the app's clock is moved on, not waited for), its
//! topics are mailed to the moderators who asked and posted to site-wide webhooks, once; the
//! digest's link stops it; the form and the API refuse what cannot be used, in words.

use std::time::{Duration, Instant};

use faqtory::app::clock::Clock;
use reqwest::Method;
use serde_json::{json, Value};

use crate::inbox::Inbox;
use crate::insights::{topic_of, topics, two_events_of_questions};
use crate::receiver::Receiver;
use crate::support::{backends, browser, free_port, hidden_value, spawn_app_with, TestApp};

fn admin_token(app: &TestApp, name: &str) -> String {
    app.add_moderator(name, "correct horse battery staple", true);
    let output = app.cli(&["moderator", "token", "create", name, "--label", "tests"]);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The digests recorded so far, once `enough` holds for them (within 30 s).
async fn digests_once(app: &TestApp, token: &str, enough: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = app
            .moderator_api(Method::GET, "/api/v1/insights/digests", token, Value::Null)
            .await;
        assert_eq!(status, 200, "{body}");
        let digests = body.as_array().unwrap().clone();
        if enough(&digests) {
            return digests;
        }
        assert!(
            Instant::now() < deadline,
            "the digests never came: {digests:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weeks_topics_are_mailed_and_posted_once_when_it_ends() {
    let Some(inbox) = Inbox::from_env("a_weeks_topics_are_mailed_and_posted_once_when_it_ends")
    else {
        return;
    };
    for backend in backends() {
        let clock = Clock::default();
        let app = {
            let clock = clock.clone();
            let settings = inbox.settings();
            spawn_app_with(&backend, move |config| {
                config.clock = clock;
                config.mail = Some(settings);
                config.digest_check = Duration::from_millis(50);
                config.allow_private_webhooks = true;
                config.webhook_retry_base = chrono::Duration::milliseconds(50);
            })
            .await
        };
        let admin = admin_token(&app, "admin");
        let token = app.api_token("mod");
        let generic = Receiver::start(0);
        let slack = Receiver::start(0);
        for (receiver, format) in [(&generic, "generic"), (&slack, "slack")] {
            let (status, reply) = app
                .moderator_api(
                    Method::POST,
                    "/api/v1/webhooks",
                    &admin,
                    json!({ "url": receiver.url, "format": format, "events": ["digest.weekly"] }),
                )
                .await;
            assert_eq!(status, 201, "{reply}");
        }
        let address = Inbox::address("digest");
        let (status, asked_for) = app
            .moderator_api(
                Method::PUT,
                "/api/v1/insights/digest",
                &token,
                json!({ "email": address, "period": "week" }),
            )
            .await;
        assert_eq!(status, 200, "{asked_for}");
        assert_eq!(asked_for["period"], "week");
        assert_eq!(asked_for["mail"], true);

        // Last week had nothing asked: it is recorded, and nobody is told of it.
        let before = digests_once(&app, &token, |digests| !digests.is_empty()).await;
        assert_eq!(before.len(), 1, "{before:?}");
        assert_eq!(before[0]["sent"], false, "{before:?}");
        assert!(before[0]["top"].as_array().unwrap().is_empty());

        let asked = two_events_of_questions(&app).await;
        let grouped = topics(&app, &token, "").await;
        let docker = topic_of(&grouped, asked.docker[0])["id"].as_i64().unwrap();
        let licence = topic_of(&grouped, asked.licence[0])["id"].as_i64().unwrap();

        // A week on, this week has ended: its digest goes out.
        clock.advance(chrono::Duration::days(7));
        let digests = digests_once(&app, &token, |digests| digests.len() == 2).await;
        let digest = &digests[0];
        assert_eq!(digest["sent"], true, "{digest}");
        assert_eq!(digest["period"], "week");
        assert_eq!(digest["questions"], 5, "{backend:?}: {digest}");
        assert!(digest["title"]
            .as_str()
            .unwrap()
            .starts_with("Topics in the week of"));
        let top: Vec<i64> = digest["top"]
            .as_array()
            .unwrap()
            .iter()
            .map(|topic| topic["id"].as_i64().unwrap())
            .collect();
        assert_eq!(top, vec![docker, licence], "ranked by demand: {digest}");
        assert_eq!(digest["top"][0]["questions"], 3);
        assert_eq!(digest["gaps"].as_array().unwrap().len(), 2, "{digest}");
        assert_eq!(digest["top"][0]["coverage"], "none");

        let got = generic
            .wait_for("the weekly digest", |got| !got.is_empty())
            .await;
        let body: Value = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(body["type"], "digest.weekly", "{body}");
        assert_eq!(body["questions"], 5);
        assert_eq!(body["top"][0]["id"], docker);
        assert!(body["top"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/mod/insights/topics/{docker}")));
        assert!(body["url"]
            .as_str()
            .unwrap()
            .contains("/mod/insights?since="));
        assert!(got[0].headers.contains_key("x-faqtory-signature"));
        let got = slack
            .wait_for("the weekly digest", |got| !got.is_empty())
            .await;
        let text: Value = serde_json::from_str(&got[0].body).unwrap();
        let text = text["text"].as_str().unwrap();
        assert!(text.starts_with("*Topics in the week of"), "{text}");
        assert!(text.contains("*Most asked*"), "{text}");
        assert!(text.contains("answered nowhere"), "{text}");

        let mail = inbox.wait_for(&address, 1).await;
        let letter = &mail[0];
        assert!(
            letter.subject.starts_with("Topics in the week of")
                && letter.subject.contains("5 questions"),
            "{}",
            letter.subject
        );
        assert!(
            letter
                .text
                .contains(&format!("/mod/insights/topics/{docker}")),
            "{}",
            letter.text
        );
        assert!(letter.text.contains("3 questions · "), "{}", letter.text);
        let unsubscribe = letter.list_unsubscribe.clone().unwrap();
        assert!(
            unsubscribe.contains("/mail/digest/unsubscribe/"),
            "{unsubscribe}"
        );

        // Told once, whichever check finds it first.
        let settled = digests_once(&app, &token, |digests| digests.len() == 2).await;
        assert_eq!(settled.len(), 2);
        assert_eq!(generic.requests().len(), 1);

        // One click in the mail program stops it; the page after says so.
        let link = unsubscribe.trim_matches(|c| c == '<' || c == '>');
        let page = browser().get(link).send().await.unwrap();
        assert!(page.text().await.unwrap().contains("Stop emailing me"));
        let stopped = browser()
            .post(link)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(stopped.status(), 200);
        assert!(stopped.text().await.unwrap().contains("No more digests"));
        let (_, mine) = app
            .moderator_api(Method::GET, "/api/v1/insights/digest", &token, Value::Null)
            .await;
        assert_eq!(mine["email"], Value::Null, "{mine}");
    }
}

#[tokio::test]
async fn the_digest_form_and_api_refuse_what_cannot_be_used() {
    for backend in backends() {
        // Mail is offered (to a server that is not there: nothing here is sent).
        let nowhere = faqtory::config::MailSettings {
            smtp_url: format!("smtp://127.0.0.1:{}", free_port()),
            smtp_password: None,
            from: "Project Q&A <qa@example.org>".into(),
            retry_base: chrono::Duration::seconds(60),
        };
        let app = spawn_app_with(&backend, |config| config.mail = Some(nowhere)).await;
        let token = app.api_token("mod");
        let admin = admin_token(&app, "admin");
        app.create_event("call", &[]);
        let refused = [
            (
                json!({ "email": "not an address", "period": "week" }),
                422,
                "email",
            ),
            (
                json!({ "email": "a@example.org", "period": "daily" }),
                422,
                "period",
            ),
            (json!({ "email": 5, "period": "week" }), 400, ""),
            (json!(["a@example.org"]), 400, ""),
        ];
        for (body, status, field) in refused {
            let (got, reply) = app
                .moderator_api(Method::PUT, "/api/v1/insights/digest", &token, body.clone())
                .await;
            assert_eq!(got, status, "{body}: {reply}");
            if !field.is_empty() {
                assert_eq!(reply["field"], field, "{reply}");
            }
        }
        let (status, reply) = app
            .moderator_api(
                Method::POST,
                "/api/v1/webhooks",
                &admin,
                json!({
                    "url": "https://example.org/hook",
                    "format": "generic",
                    "events": ["digest.monthly"],
                    "event": "call",
                }),
            )
            .await;
        assert_eq!(status, 422, "a digest is site-wide: {reply}");
        assert_eq!(reply["field"], "events");

        // The page's form keeps what was typed, says what is wrong, and shows nothing typed as
        // markup.
        let moderator = app.signed_in_moderator("keeper").await;
        let (status, page) = app.get_text(&moderator, "/mod/insights").await;
        assert_eq!(status, 200);
        assert!(page.contains("Email me the digest"), "{page}");
        let csrf = hidden_value(&page, "csrf").unwrap();
        let typed = "<script>alert(1)</script>";
        let response = moderator
            .post(app.url("/mod/insights/digest"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", typed),
                ("period", "month"),
                ("action", "save"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        assert!(!page.contains(typed));
        assert!(
            page.contains("does not look like an email address"),
            "{page}"
        );
        assert!(
            page.contains(r#"<option value="month" selected>"#),
            "{page}"
        );

        let saved = moderator
            .post(app.url("/mod/insights/digest"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", " keeper@example.org "),
                ("period", "month"),
                ("action", "save"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        let (_, page) = app.get_text(&moderator, "/mod/insights").await;
        assert!(
            page.contains("You get the monthly digest at <strong>keeper@example.org</strong>"),
            "{page}"
        );
        let stopped = moderator
            .post(app.url("/mod/insights/digest"))
            .form(&[("csrf", csrf.as_str()), ("action", "stop")])
            .send()
            .await
            .unwrap();
        assert_eq!(stopped.status(), 303);
        let (_, page) = app.get_text(&moderator, "/mod/insights").await;
        assert!(!page.contains("You get the"), "{page}");
        let forged = moderator
            .post(app.url("/mod/insights/digest"))
            .header("sec-fetch-site", "cross-site")
            .form(&[
                ("csrf", "forged"),
                ("email", "x@example.org"),
                ("period", "week"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);

        // A link that is not (or no longer) kept stops nothing, and says so.
        for token in ["nonsense", "%3Cscript%3E", &"a".repeat(43)] {
            let page = browser()
                .get(app.url(&format!("/mail/digest/unsubscribe/{token}")))
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), 200);
            assert!(page.text().await.unwrap().contains("No more digests"));
        }
    }
}

#[tokio::test]
async fn without_mail_the_digest_goes_to_webhooks_only() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |_| {}).await;
        let token = app.api_token("mod");
        let (status, mine) = app
            .moderator_api(Method::GET, "/api/v1/insights/digest", &token, Value::Null)
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            mine,
            json!({ "email": null, "period": null, "mail": false })
        );
        let (status, refused) = app
            .moderator_api(
                Method::PUT,
                "/api/v1/insights/digest",
                &token,
                json!({ "email": "a@example.org", "period": "week" }),
            )
            .await;
        assert_eq!(status, 422);
        assert!(refused["message"]
            .as_str()
            .unwrap()
            .contains("sends no mail"));
        let moderator = app.signed_in_moderator("keeper").await;
        let (_, page) = app.get_text(&moderator, "/mod/insights").await;
        assert!(page.contains("goes to webhooks only"), "{page}");
        let (status, _) = app
            .moderator_api(
                Method::DELETE,
                "/api/v1/insights/digest",
                &token,
                Value::Null,
            )
            .await;
        assert_eq!(status, 204);
    }
}
