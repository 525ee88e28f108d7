//! Outgoing webhooks against receivers of the test's own: generic (signed), Slack and Discord
//! bodies, retries until a failing receiver recovers, the delivery log, a queue that survives a
//! restart, and the addresses and input that are refused.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::faq_search::answered;
use crate::receiver::Receiver;
use crate::support::{backends, browser, free_port, spawn_app, spawn_app_with, TestApp};

fn admin_token(app: &TestApp, name: &str) -> String {
    app.add_moderator(name, "correct horse battery staple", true);
    let output = app.cli(&["moderator", "token", "create", name, "--label", "tests"]);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

async fn webhooks_app(backend: &crate::support::Backend) -> TestApp {
    spawn_app_with(backend, |config| {
        config.allow_private_webhooks = true;
        config.webhook_retry_base = chrono::Duration::milliseconds(50);
    })
    .await
}

async fn add_webhook(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, reply) = app
        .moderator_api(Method::POST, "/api/v1/webhooks", token, body)
        .await;
    assert_eq!(status, 201, "{reply}");
    reply
}

/// The delivery log once `settled` holds for it (within 30 s).
async fn delivery_log_once(app: &TestApp, admin: &str, settled: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, log) = app
            .moderator_api(Method::GET, "/api/v1/webhook-deliveries", admin, json!({}))
            .await;
        assert_eq!(status, 200, "{log}");
        if settled(&log) {
            return log;
        }
        assert!(Instant::now() < deadline, "the log never settled: {log}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const NASTY: &str = "@everyone <script>alert(1)</script> *really*?";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_tell_chat_rooms_and_receivers_and_retry_until_they_recover() {
    for backend in backends() {
        let app = webhooks_app(&backend).await;
        let admin = admin_token(&app, "admin");
        app.create_event("call", &[]);
        app.create_event("other", &[]);
        let generic = Receiver::start(2);
        let slack = Receiver::start(0);
        let discord = Receiver::start(0);
        let hook = add_webhook(
            &app,
            &admin,
            json!({
                "url": generic.url,
                "format": "generic",
                "events": ["question.asked", "question.approved", "question.answered", "faq.published"],
            }),
        )
        .await;
        let secret = hook["secret"].as_str().unwrap().to_owned();
        assert!(secret.len() >= 32, "{hook}");
        add_webhook(
            &app,
            &admin,
            json!({ "url": slack.url, "format": "slack", "events": ["question.asked"] }),
        )
        .await;
        let discord_hook = add_webhook(
            &app,
            &admin,
            json!({ "url": discord.url, "format": "discord", "events": ["faq.published"], "event": "call" }),
        )
        .await;
        let (status, listed) = app
            .moderator_api(Method::GET, "/api/v1/webhooks", &admin, json!({}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(listed.as_array().unwrap().len(), 3);
        assert!(
            listed.to_string().find(&secret).is_none(),
            "the secret is shown once"
        );

        let question = answered(&app, &admin, "call", NASTY, "Yes, **really**.").await;
        // Another event's FAQ entry is no business of the event's own webhook.
        answered(&app, &admin, "other", "Elsewhere?", "Yes.").await;

        // The failing receiver gets its three deliveries in the end: asked, answered, published
        // for `call`, and the same for `other` (site-wide).
        let got = generic
            .wait_for("six deliveries after two failures", |got| got.len() >= 8)
            .await;
        let first = &got[0];
        let timestamp = &first.headers["x-faqtory-timestamp"];
        assert_eq!(
            first.headers["x-faqtory-signature"],
            format!(
                "sha256={}",
                faqtory::app::outreach::webhook_bodies::sign(&secret, timestamp, &first.body)
            ),
            "signed over the time and the body"
        );
        let bodies: Vec<Value> = got
            .iter()
            .filter(|received| received.ok)
            .map(|received| serde_json::from_str(&received.body).unwrap())
            .collect();
        let asked = bodies
            .iter()
            .find(|body| body["type"] == "question.asked" && body["question"]["id"] == question)
            .unwrap();
        assert_eq!(asked["question"]["text"], NASTY, "as asked, whole");
        assert_eq!(asked["event"]["slug"], "call");
        assert_eq!(
            asked["question"]["url"],
            app.url(&format!("/e/call#q-{question}")).as_str()
        );
        let published = bodies
            .iter()
            .find(|body| body["type"] == "faq.published" && body["question"]["id"] == question)
            .unwrap();
        assert_eq!(published["answer"]["text"], "Yes, really.");
        assert!(published["answer"]["faq_url"]
            .as_str()
            .unwrap()
            .contains(&format!("/faq/{question}-")));
        for kind in ["question.asked", "question.answered", "faq.published"] {
            let tellings = bodies
                .iter()
                .filter(|body| body["type"] == kind && body["question"]["id"] == question)
                .count();
            assert_eq!(tellings, 1, "{kind} once, retries included: {bodies:?}");
        }

        let slack_got = slack
            .wait_for("two new questions in Slack", |got| got.len() >= 2)
            .await;
        let text: Value = serde_json::from_str(&slack_got[0].body).unwrap();
        let text = text["text"].as_str().unwrap();
        assert!(text.starts_with("*New question* in <"), "{text}");
        assert!(text.contains("&lt;script&gt;"), "{text}");
        assert!(!slack_got[0].headers.contains_key("x-faqtory-signature"));

        let discord_got = discord
            .wait_for("the FAQ entry in Discord", |got| !got.is_empty())
            .await;
        let message: Value = serde_json::from_str(&discord_got[0].body).unwrap();
        assert_eq!(message["allowed_mentions"]["parse"], json!([]));
        assert!(message["content"].as_str().unwrap().contains("\\@everyone"));

        // The log: two attempts failed, and every delivery went through in the end (its outcome
        // is recorded just after the receiver answered). Deliveries are queued with the change
        // itself, so the log holds all there will ever be.
        let id = hook["id"].as_i64().unwrap();
        let log = delivery_log_once(&app, &admin, |log| {
            log.as_array()
                .unwrap()
                .iter()
                .all(|line| line["state"] == "delivered")
        })
        .await;
        let of_webhook = |log: &Value, webhook: i64| {
            log.as_array()
                .unwrap()
                .iter()
                .filter(|line| line["webhook_id"] == webhook)
                .count()
        };
        let discord_id = discord_hook["id"].as_i64().unwrap();
        assert_eq!(
            of_webhook(&log, discord_id),
            1,
            "only its own event's entries: {log}"
        );
        let generic_log: Vec<&Value> = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|line| line["webhook_id"] == id)
            .collect();
        assert_eq!(generic_log.len(), 6, "{log}");
        assert!(generic_log
            .iter()
            .all(|line| line["state"] == "delivered" && line["last_status"] == 200));
        let attempts: i64 = generic_log
            .iter()
            .map(|line| line["attempts"].as_i64().unwrap())
            .sum();
        assert_eq!(attempts, 8, "two failed attempts tried again: {log}");

        // Gone: nothing more is sent to it.
        let (status, _) = app
            .moderator_api(
                Method::DELETE,
                &format!("/api/v1/webhooks/{id}"),
                &admin,
                json!({}),
            )
            .await;
        assert_eq!(status, 204);
        app.ask_api(&browser(), "call", "After the webhook was removed?")
            .await;
        let (_, log) = app
            .moderator_api(Method::GET, "/api/v1/webhook-deliveries", &admin, json!({}))
            .await;
        assert_eq!(
            of_webhook(&log, id),
            0,
            "its deliveries went with it: {log}"
        );
        let slack_id = log[0]["webhook_id"].as_i64().unwrap();
        assert_eq!(log[0]["question"], "After the webhook was removed?");
        assert_ne!(slack_id, id, "the Slack webhook still hears");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_deliveries_survive_a_restart() {
    for backend in backends() {
        // The retry waits long enough that no attempt is under way when the server stops.
        let app = spawn_app_with(&backend, |config| {
            config.allow_private_webhooks = true;
            config.webhook_retry_base = chrono::Duration::seconds(2);
        })
        .await;
        let admin = admin_token(&app, "admin");
        app.create_event("call", &[]);
        // Nobody listens there yet: the delivery fails and waits in the queue.
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}/hook");
        add_webhook(
            &app,
            &admin,
            json!({ "url": url, "format": "generic", "events": ["question.asked"] }),
        )
        .await;
        let question = app
            .ask_api(&browser(), "call", "Still there after a restart?")
            .await;
        let log = delivery_log_once(&app, &admin, |log| {
            log[0]["attempts"].as_i64().unwrap_or(0) >= 1
        })
        .await;
        assert_eq!(log[0]["state"], "pending", "{log}");
        app.stop_server().await;

        let receiver = Receiver::start_on(port, 0);
        let restarted = app
            .second_instance_with(&backend, |config| {
                config.allow_private_webhooks = true;
                config.webhook_retry_base = chrono::Duration::milliseconds(50);
            })
            .await;
        let got = receiver
            .wait_for("the delivery after the restart", |got| !got.is_empty())
            .await;
        let body: Value = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(body["question"]["id"], question);
        drop(restarted);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_refuse_private_receivers_bad_input_and_non_admins() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let admin = admin_token(&app, "admin");
        let moderator = app.api_token("moderator");
        let valid = json!({ "url": "https://hooks.example.org/x", "format": "slack", "events": ["question.asked"] });
        let (status, _) = app
            .moderator_api(Method::POST, "/api/v1/webhooks", &moderator, valid.clone())
            .await;
        assert_eq!(status, 403, "admins only");
        let (status, _) = app
            .moderator_api(Method::GET, "/api/v1/webhooks", &moderator, json!({}))
            .await;
        assert_eq!(status, 403);

        for (body, field) in [
            (
                json!({ "url": "http://127.0.0.1:9/x", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "http://localhost/x", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "http://[::1]/x", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "http://10.0.0.8/x", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "http://169.254.169.254/latest", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "ftp://example.org/x", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "javascript:alert(1)", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "https://user:pw@example.org/x", "format": "generic", "events": ["question.asked"] }),
                "url",
            ),
            (
                json!({ "url": "https://example.org/x", "format": "generic", "events": [] }),
                "events",
            ),
            (
                json!({ "url": "https://example.org/x", "format": "generic", "events": ["question.asked"], "event": "nope" }),
                "event",
            ),
        ] {
            let (status, reply) = app
                .moderator_api(Method::POST, "/api/v1/webhooks", &admin, body.clone())
                .await;
            assert_eq!(status, 422, "{body}: {reply}");
            assert_eq!(reply["field"], field, "{body}: {reply}");
        }
        for body in [
            json!({ "url": "https://example.org/x", "format": "teams", "events": ["question.asked"] }),
            json!({ "url": "https://example.org/x", "format": "generic", "events": ["question.deleted"] }),
            json!({ "url": 5, "format": "generic", "events": ["question.asked"] }),
        ] {
            let (status, reply) = app
                .moderator_api(Method::POST, "/api/v1/webhooks", &admin, body.clone())
                .await;
            assert!(status == 400 || status == 422, "{body}: {status} {reply}");
        }
        let (status, _) = app
            .moderator_api(Method::DELETE, "/api/v1/webhooks/999", &admin, json!({}))
            .await;
        assert_eq!(status, 404);
        let (status, reply) = app
            .moderator_api(Method::POST, "/api/v1/webhooks", &admin, valid)
            .await;
        assert_eq!(status, 201, "{reply}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_manage_webhooks_and_read_the_log_on_their_page() {
    for backend in backends() {
        let app = webhooks_app(&backend).await;
        app.add_moderator("root", "correct horse battery staple", true);
        app.create_event("call", &[]);
        let admin = browser();
        assert_eq!(
            app.sign_in(&admin, "root", "correct horse battery staple")
                .await
                .status(),
            303
        );
        let (status, page) = app.get_text(&admin, "/mod/admin/webhooks").await;
        assert_eq!(status, 200);
        assert!(page.contains("No webhooks yet."));
        let csrf = crate::support::hidden_value(&page, "csrf").unwrap();

        // Refused: the form comes back with what was typed and why.
        let typed = "ftp://example.org/<script>";
        let response = admin
            .post(app.url("/mod/admin/webhooks"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("url", typed),
                ("format", "slack"),
                ("question.asked", "on"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("value=\"ftp://example.org/&lt;script&gt;\""),
            "{page}"
        );
        assert!(page.contains("http:// or https://"), "{page}");

        let receiver = Receiver::start(0);
        let response = admin
            .post(app.url("/mod/admin/webhooks"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("url", receiver.url.as_str()),
                ("format", "generic"),
                ("question.asked", "on"),
                ("event", "call"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let (_, page) = app.get_text(&admin, "/mod/admin/webhooks").await;
        assert!(page.contains("shown this once"), "{page}");
        let (_, again) = app.get_text(&admin, "/mod/admin/webhooks").await;
        assert!(!again.contains("shown this once"), "the secret only once");
        assert!(again.contains(&receiver.url));

        app.ask_api(&browser(), "call", "Shown in the <b>log</b>?")
            .await;
        receiver
            .wait_for("the delivery", |got| !got.is_empty())
            .await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (_, page) = app.get_text(&admin, "/mod/admin/webhooks").await;
            if page.contains("delivery-delivered") {
                assert!(
                    page.contains("Shown in the &lt;b&gt;log&lt;/b&gt;?"),
                    "{page}"
                );
                break;
            }
            assert!(Instant::now() < deadline, "{page}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // A moderator who is not an admin has no such page.
        let moderator = app.signed_in_moderator("helper").await;
        let (status, _) = app.get_text(&moderator, "/mod/admin/webhooks").await;
        assert_eq!(status, 403);

        let (_, page) = app.get_text(&admin, "/mod/admin/webhooks").await;
        let marker = "action=\"/mod/admin/webhooks/";
        let at = page.find(marker).unwrap() + marker.len();
        let id: String = page[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let response = admin
            .post(app.url(&format!("/mod/admin/webhooks/{id}/delete")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let (_, page) = app.get_text(&admin, "/mod/admin/webhooks").await;
        assert!(page.contains("No webhooks yet."));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivered_rows_are_kept_thirty_days_then_pruned() {
    for backend in backends() {
        let clock = faqtory::app::clock::Clock::default();
        let app = {
            let clock = clock.clone();
            spawn_app_with(&backend, move |config| {
                config.allow_private_webhooks = true;
                config.clock = clock;
            })
            .await
        };
        let admin = admin_token(&app, "admin");
        app.create_event("call", &[]);
        let receiver = Receiver::start(0);
        add_webhook(
            &app,
            &admin,
            json!({ "url": receiver.url, "format": "generic", "events": ["question.asked"] }),
        )
        .await;
        let client = browser();
        let delivered = |log: &Value, question: &str| {
            log.as_array()
                .unwrap()
                .iter()
                .any(|line| line["question"] == question && line["state"] == "delivered")
        };
        let listed = |log: &Value, question: &str| {
            log.as_array()
                .unwrap()
                .iter()
                .any(|line| line["question"] == question)
        };

        app.ask_api(&client, "call", "Asked on the first day?")
            .await;
        delivery_log_once(&app, &admin, |log| {
            delivered(log, "Asked on the first day?")
        })
        .await;

        // Twenty-nine days on, the first delivery is still in the log: a pass over the queue
        // (the one that delivered the second) has pruned what was old enough by then.
        clock.advance(chrono::Duration::days(29));
        app.ask_api(&client, "call", "Asked a month later?").await;
        let log =
            delivery_log_once(&app, &admin, |log| delivered(log, "Asked a month later?")).await;
        assert!(listed(&log, "Asked on the first day?"), "{log}");

        // Thirty-one days after it, the first is gone; the second, two days old, stays.
        clock.advance(chrono::Duration::days(2));
        app.ask_api(&client, "call", "Asked two days after that?")
            .await;
        let log = delivery_log_once(&app, &admin, |log| {
            delivered(log, "Asked two days after that?")
        })
        .await;
        assert!(!listed(&log, "Asked on the first day?"), "{log}");
        assert!(listed(&log, "Asked a month later?"), "{log}");
        assert_eq!(receiver.requests().len(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_poll_is_told_with_its_counts() {
    for backend in backends() {
        let app = webhooks_app(&backend).await;
        let admin = admin_token(&app, "admin");
        app.create_event("call", &[]);
        let generic = Receiver::start(0);
        let slack = Receiver::start(0);
        add_webhook(
            &app,
            &admin,
            json!({ "url": generic.url, "format": "generic", "events": ["poll.closed"] }),
        )
        .await;
        add_webhook(
            &app,
            &admin,
            json!({ "url": slack.url, "format": "slack", "events": ["poll.closed"] }),
        )
        .await;
        let (status, poll) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/call/polls",
                &admin,
                json!({"kind": "choice", "prompt": "Which <b>format</b>?", "options": ["Docs", "Q&A"]}),
            )
            .await;
        assert_eq!(status, 201);
        let id = poll["id"].as_i64().unwrap();
        let open = format!("/api/v1/polls/{id}/open");
        app.moderator_api(Method::POST, &open, &admin, json!({}))
            .await;
        let person = browser();
        app.get(&person, "/api/v1/events").await;
        let answered = person
            .post(app.url(&format!("/api/v1/polls/{id}/answer")))
            .json(&json!({"choices": [1]}))
            .send()
            .await
            .unwrap();
        assert_eq!(answered.status(), 200);
        let close = format!("/api/v1/polls/{id}/close");
        app.moderator_api(Method::POST, &close, &admin, json!({}))
            .await;
        // Closing again tells nobody twice.
        app.moderator_api(Method::POST, &close, &admin, json!({}))
            .await;

        let got = generic.wait_for("poll.closed", |got| !got.is_empty()).await;
        let body: Value = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(body["type"], "poll.closed", "{body}");
        assert_eq!(body["poll"]["id"], id);
        assert_eq!(body["poll"]["prompt"], "Which <b>format</b>?");
        let results = body["poll"]["results"].as_str().unwrap();
        assert!(
            results.contains("1 answer ·") && results.contains("Q&A: 1"),
            "{results}"
        );
        assert!(body["poll"]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/e/call/polls#poll-{id}")));
        let got = slack.wait_for("poll.closed", |got| !got.is_empty()).await;
        let text: Value = serde_json::from_str(&got[0].body).unwrap();
        let text = text["text"].as_str().unwrap();
        assert!(text.starts_with("*Poll closed* in"), "{text}");
        assert!(text.contains("Which &lt;b&gt;format&lt;/b&gt;?"), "{text}");
        assert_eq!(generic.requests().len(), 1, "{}", app.backend);
    }
}
