//! Mail to askers and voters against a local SMTP server (see `inbox`): confirmation before
//! anything else, each notification (answered, merged, not taken, a voter's question answered),
//! one-click unsubscribe, addresses forgotten once nothing more is sent, a queue that survives a
//! restart, and the input that is refused.

use reqwest::Method;
use serde_json::{json, Value};

use crate::inbox::{Inbox, Mail};
use crate::support::{
    backends, browser, free_port, hidden_value, spawn_app, spawn_app_with, TestApp,
};

async fn mail_app(backend: &crate::support::Backend, inbox: &Inbox) -> TestApp {
    let settings = inbox.settings();
    spawn_app_with(backend, |config| config.mail = Some(settings)).await
}

/// A server that sends mail to the inbox, a moderator's token, and the event `call`.
async fn mail_event(backend: &crate::support::Backend, inbox: &Inbox) -> (TestApp, String) {
    let app = mail_app(backend, inbox).await;
    let token = app.api_token("moderator");
    app.create_event("call", &[]);
    (app, token)
}

/// Posts a form as `client` (with its cookies), not following the redirect.
async fn post_form(
    client: &reqwest::Client,
    url: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    client.post(url).form(fields).send().await.unwrap()
}

/// Asks through the API with an address to tell; returns the question's id and follow URL.
async fn ask_with_mail(app: &TestApp, body: &str, email: &str) -> (i64, String) {
    let response = app
        .post_question(
            &browser(),
            "call",
            json!({ "body": body, "notify_email": email }),
        )
        .await;
    let status = response.status();
    let reply: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{reply}");
    (
        reply["id"].as_i64().unwrap(),
        reply["follow_url"].as_str().unwrap().to_owned(),
    )
}

/// Opens the confirmation link as a person would (a page with a button: opening alone confirms
/// nothing) and presses the button.
async fn confirm(confirmation: &Mail) {
    let link = confirmation.link("/mail/confirm/");
    let page = browser().get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Yes, email me"));
    let confirmed = browser().post(&link).send().await.unwrap();
    assert_eq!(confirmed.status(), 200);
    assert!(confirmed.text().await.unwrap().contains("Email confirmed"));
}

async fn asker_confirmed(app: &TestApp, inbox: &Inbox, body: &str, label: &str) -> (i64, String) {
    let email = Inbox::address(label);
    let (id, _) = ask_with_mail(app, body, &email).await;
    let mail = inbox.wait_for(&email, 1).await;
    confirm(&mail[0]).await;
    (id, email)
}

async fn moderate(app: &TestApp, token: &str, path: &str, body: Value) {
    let (status, reply) = app.moderator_api(Method::POST, path, token, body).await;
    assert_eq!(status, 200, "{path}: {reply}");
}

async fn answer(app: &TestApp, token: &str, id: i64, text: &str) {
    let path = format!("/api/v1/questions/{id}/answer");
    moderate(app, token, &path, json!({ "answer_md": text })).await;
}

/// Reads the mail queue's gauges: letters waiting, and those that failed before.
async fn mail_queue(app: &TestApp) -> (Option<i64>, Option<i64>) {
    let (_, metrics) = app.get_text(&browser(), "/metrics").await;
    let gauge = |name: &str| {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|count| count.trim().parse::<i64>().ok())
    };
    (
        gauge("faqtory_mail_waiting "),
        gauge("faqtory_mail_retrying "),
    )
}

/// Waits until the mail queue is in a state (a minute at most).
async fn queue_reaches(app: &TestApp, what: &str, reached: impl Fn(i64, i64) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let queue = mail_queue(app).await;
        if let (Some(waiting), Some(retrying)) = queue {
            if reached(waiting, retrying) {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: the queue is {queue:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until everything queued so far was sent (or given up).
async fn queue_emptied(app: &TestApp) {
    queue_reaches(app, "mail still waiting", |waiting, _| waiting == 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn askers_confirm_then_hear_of_the_answer_and_are_forgotten() {
    let Some(inbox) = Inbox::from_env("mail tests") else {
        return;
    };
    for backend in backends() {
        let (app, token) = mail_event(&backend, &inbox).await;

        let confirmed = Inbox::address("asker");
        let question = "Does <script>alert(1)</script> run in answers?";
        let (id, _) = ask_with_mail(&app, question, &confirmed).await;
        let first = inbox.wait_for(&confirmed, 1).await;
        let confirmation = &first[0];
        assert!(
            confirmation.subject.starts_with("Confirm your email"),
            "{confirmation:?}"
        );
        assert!(
            confirmation.text.contains(question),
            "the question, as typed, in the text"
        );
        assert!(
            !confirmation.html.contains("<script>"),
            "{}",
            confirmation.html
        );
        assert!(confirmation.html.contains("&lt;script&gt;"));
        let unsubscribe = confirmation.list_unsubscribe.clone().unwrap();
        assert!(
            unsubscribe.starts_with(&format!("<{}/mail/unsubscribe/", app.base)),
            "{unsubscribe}"
        );
        assert_eq!(
            confirmation.list_unsubscribe_post.as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        confirm(confirmation).await;

        // Who never confirms hears nothing more.
        let unconfirmed = Inbox::address("silent");
        let (other, _) =
            ask_with_mail(&app, "Is the unconfirmed asker left alone?", &unconfirmed).await;
        inbox.wait_for(&unconfirmed, 1).await;
        answer(&app, &token, other, "Yes.").await;
        answer(&app, &token, id, "No: answers are **sanitized**.").await;
        let got = inbox.wait_for(&confirmed, 2).await;
        let answered = &got[1];
        assert!(
            answered.subject.starts_with("Answered: Does <script>"),
            "{answered:?}"
        );
        assert!(
            answered.text.contains("No: answers are **sanitized**."),
            "{}",
            answered.text
        );
        assert!(
            answered.html.contains("<strong>sanitized</strong>"),
            "{}",
            answered.html
        );
        assert!(
            answered.text.contains(&format!("{}/faq/{id}-", app.base)),
            "its FAQ entry"
        );
        queue_emptied(&app).await;
        assert_eq!(inbox.received(&unconfirmed).len(), 1, "{}", app.backend);

        // Answered: the address is forgotten, and the links say so.
        let link = confirmation.link("/mail/confirm/");
        let gone = browser().get(&link).send().await.unwrap();
        assert_eq!(gone.status(), 404);
        assert!(gone.text().await.unwrap().contains("no longer in use"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merged_and_rejected_askers_hear_where_it_went_and_why() {
    let Some(inbox) = Inbox::from_env("mail tests") else {
        return;
    };
    for backend in backends() {
        let (app, token) = mail_event(&backend, &inbox).await;

        let canonical = app
            .ask_api(&browser(), "call", "When is the next release out?")
            .await;
        let (duplicate, merged_asker) =
            asker_confirmed(&app, &inbox, "When will the next release ship?", "merged").await;
        let path = format!("/api/v1/questions/{duplicate}/merge");
        moderate(&app, &token, &path, json!({ "into": canonical })).await;
        let got = inbox.wait_for(&merged_asker, 2).await;
        assert!(
            got[1]
                .subject
                .starts_with("Merged: When will the next release ship?"),
            "{:?}",
            got[1]
        );
        assert!(
            got[1].text.contains("> When is the next release out?"),
            "{}",
            got[1].text
        );
        assert!(got[1]
            .text
            .contains("You will get an email when it is answered."));

        answer(&app, &token, canonical, "In **March**.").await;
        let got = inbox.wait_for(&merged_asker, 3).await;
        assert!(
            got[2]
                .subject
                .starts_with("Answered: When is the next release out?"),
            "{:?}",
            got[2]
        );
        assert!(got[2].text.contains("In **March**."));

        // A merge that moves an answer to the question merged into answers that one.
        let (unanswered, waiting_asker) =
            asker_confirmed(&app, &inbox, "Does the plugin API have docs?", "moved").await;
        let answered_twin = app
            .ask_api(&browser(), "call", "Where are the plugin API docs?")
            .await;
        answer(&app, &token, answered_twin, "At docs.example.org/plugins.").await;
        let path = format!("/api/v1/questions/{answered_twin}/merge");
        let body = json!({ "into": unanswered, "keep_answer_of": answered_twin });
        moderate(&app, &token, &path, body).await;
        let got = inbox.wait_for(&waiting_asker, 2).await;
        assert!(
            got[1]
                .subject
                .starts_with("Answered: Does the plugin API have docs?"),
            "{:?}",
            got[1]
        );
        assert!(got[1].text.contains("At docs.example.org/plugins."));

        let (rejected, rejected_asker) =
            asker_confirmed(&app, &inbox, "Can I advertise my shop here?", "rejected").await;
        let path = format!("/api/v1/questions/{rejected}/reject");
        moderate(
            &app,
            &token,
            &path,
            json!({ "reason": "Off topic <b>here</b>" }),
        )
        .await;
        let got = inbox.wait_for(&rejected_asker, 2).await;
        assert!(
            got[1].subject.starts_with("Not taken: Can I advertise"),
            "{:?}",
            got[1]
        );
        assert!(got[1].text.contains("Their reason: Off topic <b>here</b>"));
        assert!(
            got[1].html.contains("Off topic &lt;b&gt;here&lt;/b&gt;"),
            "{}",
            got[1].html
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voters_hear_when_what_they_voted_for_is_answered_until_the_event_is_archived() {
    let Some(inbox) = Inbox::from_env("mail tests") else {
        return;
    };
    for backend in backends() {
        let (app, token) = mail_event(&backend, &inbox).await;
        let voted = app
            .ask_api(&browser(), "call", "Will plugins get a stable API?")
            .await;
        let not_voted = app
            .ask_api(&browser(), "call", "Is there a dark theme yet?")
            .await;

        let voter = browser();
        let (_, event_page) = app.get_text(&voter, "/e/call").await;
        assert!(
            event_page.contains("href=\"/e/call/notify\""),
            "the event page offers it"
        );
        assert_eq!(app.vote_api(&voter, voted, true).await.status(), 200);
        let (status, form) = app.get_text(&voter, "/e/call/notify").await;
        assert_eq!(status, 200);
        let csrf = hidden_value(&form, "csrf").unwrap_or_default();
        let email = Inbox::address("voter");
        let sent = post_form(
            &voter,
            &app.url("/e/call/notify"),
            &[("notify_email", email.as_str()), ("csrf", &csrf)],
        )
        .await;
        assert_eq!(sent.status(), 200);
        assert!(sent.text().await.unwrap().contains("Check your inbox"));
        let got = inbox.wait_for(&email, 1).await;
        assert!(
            got[0]
                .text
                .contains("when questions you voted for are answered"),
            "{}",
            got[0].text
        );
        confirm(&got[0]).await;

        answer(&app, &token, not_voted, "Not yet.").await;
        answer(&app, &token, voted, "Yes, from 2.0.").await;
        let got = inbox.wait_for(&email, 2).await;
        assert!(
            got[1]
                .subject
                .starts_with("Answered: Will plugins get a stable API?"),
            "{:?}",
            got[1]
        );
        queue_emptied(&app).await;
        assert_eq!(
            inbox.received(&email).len(),
            2,
            "nothing about what they did not vote for"
        );

        // Moderators' exports carry no address.
        for format in ["json", "csv"] {
            let export = browser()
                .get(app.url(&format!("/api/v1/events/call/export?format={format}")))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(export.status(), 200);
            assert!(
                !export.text().await.unwrap().contains("@example.org"),
                "{format}"
            );
        }

        // Archived: the voter's address is forgotten.
        app.set_status_through_server("call", "archived").await;
        let link = got[0].link("/mail/confirm/");
        assert_eq!(browser().get(&link).send().await.unwrap().status(), 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_click_unsubscribes_and_the_follow_page_asks_and_stops() {
    let Some(inbox) = Inbox::from_env("mail tests") else {
        return;
    };
    for backend in backends() {
        let (app, token) = mail_event(&backend, &inbox).await;

        // A mail program's one click: a POST from elsewhere, no cookie, no page of ours first.
        let (id, email) = asker_confirmed(&app, &inbox, "Can I stop these emails?", "leaver").await;
        let header = inbox.received(&email)[0].list_unsubscribe.clone().unwrap();
        let url = header.trim_start_matches('<').trim_end_matches('>');
        let clicked = reqwest::Client::new()
            .post(url)
            .header("origin", "https://mail.example.net")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(clicked.status(), 200);
        answer(&app, &token, id, "Yes, with one click.").await;
        queue_emptied(&app).await;
        assert_eq!(
            inbox.received(&email).len(),
            1,
            "nothing after unsubscribing"
        );

        // The follow page: an address given later, refused input kept, and stopping.
        let asker = browser();
        let response = app
            .post_question(
                &asker,
                "call",
                json!({ "body": "And from the follow page?" }),
            )
            .await;
        let follow_url = response.json::<Value>().await.unwrap()["follow_url"]
            .as_str()
            .unwrap()
            .to_owned();
        let page = asker
            .get(&follow_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Hear by email"), "{page}");
        let csrf = hidden_value(&page, "csrf").unwrap_or_default();
        let notify = format!("{follow_url}/notify");
        let refused = post_form(
            &asker,
            &notify,
            &[("notify_email", "me at example dot org"), ("csrf", &csrf)],
        )
        .await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("value=\"me at example dot org\""),
            "what was typed is kept"
        );
        assert!(page.contains("does not look like an email address"));
        let email = Inbox::address("follower");
        let accepted = post_form(
            &asker,
            &notify,
            &[("notify_email", email.as_str()), ("csrf", &csrf)],
        )
        .await;
        assert_eq!(accepted.status(), 303);
        let page = asker
            .get(&follow_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("You gave an address"), "{page}");
        let got = inbox.wait_for(&email, 1).await;
        assert!(got[0].text.contains("And from the follow page?"));
        let stopped = post_form(&asker, &notify, &[("action", "stop"), ("csrf", &csrf)]).await;
        assert_eq!(stopped.status(), 303);
        let page = asker
            .get(&follow_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Email me when it is answered"), "{page}");
        assert_eq!(
            browser()
                .get(got[0].link("/mail/confirm/"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_mail_survives_a_restart() {
    let Some(inbox) = Inbox::from_env("mail tests") else {
        return;
    };
    for backend in backends() {
        // Nothing listens there: the letter fails and waits in the queue, long enough that no
        // attempt is under way when the server stops (which would hold it for its lease).
        let mut nowhere = inbox.settings_for(&format!("smtp://127.0.0.1:{}", free_port()));
        nowhere.retry_base = chrono::Duration::seconds(3);
        let app = spawn_app_with(&backend, |config| config.mail = Some(nowhere)).await;
        app.create_event("call", &[]);
        let email = Inbox::address("patient");
        let question = "Is my confirmation still sent after a restart?";
        ask_with_mail(&app, question, &email).await;
        queue_reaches(&app, "the first attempt", |_, retrying| retrying == 1).await;
        app.stop_server().await;

        let settings = inbox.settings();
        let restarted = app
            .second_instance_with(&backend, |config| config.mail = Some(settings))
            .await;
        let got = inbox.wait_for(&email, 1).await;
        assert!(got[0]
            .text
            .contains("Is my confirmation still sent after a restart?"));
        drop(restarted);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_offered_only_when_sent_and_bad_addresses_are_refused() {
    for backend in backends() {
        // Without an SMTP server: no field, no form, and the API says why.
        let app = spawn_app(&backend).await;
        app.create_event("call", &[]);
        let (_, page) = app.get_text(&browser(), "/e/call").await;
        assert!(!page.contains("notify_email") && !page.contains("/e/call/notify"));
        let response = app
            .post_question(
                &browser(),
                "call",
                json!({ "body": "Can I hear back by email?", "notify_email": "ada@example.org" }),
            )
            .await;
        assert_eq!(response.status(), 422);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], "notify_email");
        assert!(error["message"]
            .as_str()
            .unwrap()
            .contains("does not send email"));
        let (status, page) = app.get_text(&browser(), "/e/call/notify").await;
        assert_eq!(status, 404);
        assert!(
            page.contains("This site is not set up to send email"),
            "says why, not that a subscription does not exist: {page}"
        );

        // Links that are not ours come back as pages, not errors, with nothing reflected.
        let (status, page) = app
            .get_text(&browser(), "/mail/confirm/%3Cscript%3Ex")
            .await;
        assert_eq!(status, 404);
        assert!(!page.contains("<script>x"));
        let gone = browser()
            .post(app.url("/mail/unsubscribe/nonsense"))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 200);
    }
    let Some(inbox) = Inbox::from_env("mail tests") else {
        return;
    };
    for backend in backends() {
        let app = mail_app(&backend, &inbox).await;
        app.create_event("call", &[]);
        for nasty in [
            "ada@example.org\r\nBcc: everyone@example.org",
            "ada@example.org, eve@example.org",
            "<script>@example.org",
            "ada",
        ] {
            let response = app
                .post_question(
                    &browser(),
                    "call",
                    json!({ "body": "Is this address fine?", "notify_email": nasty }),
                )
                .await;
            assert_eq!(response.status(), 422, "{nasty:?}");
            let error: Value = response.json().await.unwrap();
            assert_eq!(error["field"], "notify_email", "{nasty:?}");
        }
        // The form keeps the question and the address.
        let asker = browser();
        let csrf = app.csrf_token(&asker, "call").await;
        let refused = post_form(
            &asker,
            &app.url("/e/call/ask"),
            &[
                ("body", "Will my words survive a bad address?"),
                ("notify_email", "ada@@example.org"),
                ("csrf", &csrf),
            ],
        )
        .await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(page.contains("Will my words survive a bad address?</textarea>"));
        assert!(page.contains("value=\"ada@@example.org\""));

        // Nobody can make the site mail a stranger more than a few times.
        let stranger = Inbox::address("stranger");
        for n in 0..3 {
            ask_with_mail(&app, &format!("Mail a stranger, attempt {n}?"), &stranger).await;
        }
        let response = app
            .post_question(
                &browser(),
                "call",
                json!({ "body": "Mail a stranger once more?", "notify_email": stranger }),
            )
            .await;
        assert_eq!(response.status(), 422);
        let error: Value = response.json().await.unwrap();
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("waiting to be confirmed"),
            "{error}"
        );
    }
}
