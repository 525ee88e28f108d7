//! The recording's review page, as a moderator uses it without script: upload the captions, line
//! the recording up, accept or correct each question's moment and answer, accept all sure ones.

use crate::recording::CALL;
use crate::support::{backends, browser, hidden_value, spawn_app, TestApp};

pub async fn review_page(app: &TestApp, moderator: &reqwest::Client) -> String {
    let (status, page) = app.get_text(moderator, "/mod/e/hangout/recording").await;
    assert_eq!(status, 200);
    page
}

pub async fn upload(app: &TestApp, moderator: &reqwest::Client, file: &str) -> reqwest::Response {
    let csrf = hidden_value(&review_page(app, moderator).await, "csrf").unwrap();
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(file.as_bytes().to_vec())
            .file_name("captions.vtt")
            .mime_str("text/vtt")
            .unwrap(),
    );
    moderator
        .post(app.url("/mod/e/hangout/recording/transcript"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn post_form(
    app: &TestApp,
    moderator: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = hidden_value(&review_page(app, moderator).await, "csrf").unwrap();
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend_from_slice(fields);
    moderator
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_turns_the_call_into_answers_on_the_review_page() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event(
            "hangout",
            &["--recording-url", "https://www.youtube.com/watch?v=abc"],
        );
        let (tls, xen) = crate::recording::ask_tls_and_xen(&app).await;
        let release = app
            .ask_api(&browser(), "hangout", "When is the next release planned?")
            .await;
        let moderator = app.signed_in_moderator("mona").await;
        let (_, dashboard) = app.get_text(&moderator, "/mod/e/hangout").await;
        assert!(
            dashboard.contains("/mod/e/hangout/recording"),
            "the dashboard links the page"
        );
        assert!(review_page(&app, &moderator).await.contains("None yet."));

        // A bad file: refused with its line, nothing brought in.
        let refused = upload(
            &app,
            &moderator,
            "WEBVTT\n\n00:00:05.000 --> 00:00:08.000\nA\n\n00:00:07.000 --> 00:00:09.000\nB\n",
        )
        .await;
        assert_eq!(refused.status(), 422, "{}", app.backend);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("Line 6: this cue starts at 00:00:07.000"),
            "{page}"
        );
        assert!(page.contains("None yet."));

        let uploaded = upload(&app, &moderator, CALL).await;
        assert_eq!(uploaded.status(), 303);
        let (_, page) = app
            .get_text(&moderator, &crate::support::location(&uploaded))
            .await;
        assert!(page.contains("Brought in 7 cues"), "{page}");
        assert!(
            page.contains("https://www.youtube.com/watch?v=abc&amp;t=12"),
            "the moment links into the recording"
        );
        assert!(page.contains("found in the transcript"));
        assert!(
            page.contains("**Hannes:** Moving on"),
            "the draft waits in the answer box"
        );

        // Accept one as proposed, correct another; a bad moment keeps what was typed.
        let draft = "**Hannes:** Moving on: several people asked whether TLS certificates from Let's Encrypt work. They do, since version four, with automatic renewal.";
        let accepted = post_form(
            &app,
            &moderator,
            &format!("/mod/q/{tls}/recording/accept"),
            &[("at", "0:12"), ("answer_md", draft)],
        )
        .await;
        assert_eq!(accepted.status(), 303);
        let typed = "Yes: the rewritten driver is faster and leaner.";
        let refused = post_form(
            &app,
            &moderator,
            &format!("/mod/q/{xen}/recording/accept"),
            &[("at", "9:99"), ("answer_md", typed)],
        )
        .await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains(typed) && page.contains("9:99"),
            "nothing typed is lost"
        );
        let corrected = post_form(
            &app,
            &moderator,
            &format!("/mod/q/{xen}/recording/accept"),
            &[("at", "0:26"), ("answer_md", typed)],
        )
        .await;
        assert_eq!(corrected.status(), 303);

        // Accept all that are sure enough: the release question is left.
        let all = post_form(
            &app,
            &moderator,
            "/mod/e/hangout/recording/accept-all",
            &[("min_confidence", "30")],
        )
        .await;
        assert_eq!(all.status(), 303);
        let (_, page) = app
            .get_text(&moderator, &crate::support::location(&all))
            .await;
        assert!(page.contains("Accepted 1 answer."), "{page}");
        crate::faq_search::found(&app.url(""), "March freeze", release).await;

        // The timeline: a sync point needs a question that was on screen.
        let refused = post_form(
            &app,
            &moderator,
            "/mod/e/hangout/recording/timeline",
            &[("question_id", &tls.to_string()), ("at", "0:12")],
        )
        .await;
        assert_eq!(refused.status(), 422);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("was never on screen"));
        let lined_up = post_form(
            &app,
            &moderator,
            "/mod/e/hangout/recording/timeline",
            &[("started_at", "2026-12-03T17:02:10")],
        )
        .await;
        assert_eq!(lined_up.status(), 303);
        assert!(review_page(&app, &moderator)
            .await
            .contains("The recording started at 2026-12-03 17:02:10 UTC"));

        // Without a session, none of it.
        let stranger = browser();
        let response = stranger
            .get(app.url("/mod/e/hangout/recording"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "to the sign-in page");
    }
}
