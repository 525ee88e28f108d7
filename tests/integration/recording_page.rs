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
        let (tls, xen) = crate::recording::recorded_hangout(&app).await;
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
            page.contains("**Hannes:** They do"),
            "the draft waits in the answer box"
        );

        // Accept one as proposed, correct another; a bad moment keeps what was typed.
        let draft = "**Hannes:** They do, since version four, with automatic renewal.";
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

async fn answer_api(
    app: &TestApp,
    token: &str,
    id: i64,
    answer: serde_json::Value,
) -> (u16, serde_json::Value) {
    app.moderator_api(
        reqwest::Method::POST,
        &format!("/api/v1/questions/{id}/answer"),
        token,
        answer,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moment_past_the_end_of_the_recording_is_refused_at_its_field() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (tls, xen) = crate::recording::recorded_hangout(&app).await;
        let moderator = app.signed_in_moderator("mona").await;
        let token = app.api_token("api");

        // Before a transcript tells how long the recording is, any moment goes.
        let (status, _) = answer_api(
            &app,
            &token,
            xen,
            serde_json::json!({"answer_md": "Faster.", "recording_offset": "12:34"}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(upload(&app, &moderator, CALL).await.status(), 303);

        // The call is 0:40 long: the dashboard's answer form keeps what was typed.
        let (_, dashboard) = app.get_text(&moderator, "/mod/e/hangout").await;
        let csrf = hidden_value(&dashboard, "csrf").unwrap();
        let typed = "Yes, since version four.";
        let refused = moderator
            .post(app.url(&format!("/mod/q/{tls}/answer")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", "/mod/e/hangout"),
                ("answer_md", typed),
                ("recording_offset", "1:02:03"),
                ("publish", "on"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "{}", app.backend);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains(
                "The recording is 0:40 long (by its transcript): 1:02:03 is past its end."
            ),
            "{page}"
        );
        assert!(page.contains(typed) && page.contains("1:02:03"));

        let (status, body) = answer_api(
            &app,
            &token,
            tls,
            serde_json::json!({"answer_md": typed, "recording_offset": "12:34"}),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some("recording_offset"))
        );

        let refused = post_form(
            &app,
            &moderator,
            &format!("/mod/q/{tls}/recording/accept"),
            &[("at", "12:34"), ("answer_md", typed)],
        )
        .await;
        assert_eq!(refused.status(), 422);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("12:34 is past its end"));

        // Saved within the recording, away from what the transcript suggests: the page says
        // which moment counts.
        let (status, _) = answer_api(
            &app,
            &token,
            tls,
            serde_json::json!({"answer_md": typed, "recording_offset": "0:30"}),
        )
        .await;
        assert_eq!(status, 200);
        let page = review_page(&app, &moderator).await;
        assert!(
            page.contains("The answer links to <strong>0:30</strong>, the moment saved with it: that one counts. The transcript suggests 0:12"),
            "{page}"
        );
        // The moment saved before the transcript came is past its end: no chapter for it.
        let chapters = app.cli(&["transcript", "chapters", "--event", "hangout"]);
        let chapters = String::from_utf8_lossy(&chapters.stdout);
        assert!(
            chapters.contains("0:30") && !chapters.contains("12:34"),
            "{chapters}"
        );
    }
}

/// A question read out by the host, answered by two people, then the call ends.
const DEBUG_CALL: &str = "WEBVTT

00:00:00.000 --> 00:00:05.000
<v Anil>Hi everyone, welcome to the hangout.

00:00:05.000 --> 00:00:10.000
<v Anil>Someone asked how to debug a unikernel that crashes at boot.

00:00:10.000 --> 00:00:15.000
<v Hannes>Good question. Build it for the unix target first and run it under gdb.

00:00:15.000 --> 00:00:20.000
<v Mindy>And on Solo5, the hvt tender has a gdb stub you can attach to.

00:00:20.000 --> 00:00:25.000
<v Anil>That's all for today, thanks everyone!
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_the_answer_alone_and_asks_for_a_look_when_several_spoke() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let debug = app
            .ask_api(
                &browser(),
                "hangout",
                "How do I debug a unikernel that crashes at boot?",
            )
            .await;
        let moderator = app.signed_in_moderator("mona").await;
        assert_eq!(upload(&app, &moderator, DEBUG_CALL).await.status(), 303);
        let token = app.api_token("api");
        let (_, proposals) = app
            .moderator_api(
                reqwest::Method::GET,
                "/api/v1/events/hangout/recording/proposals",
                &token,
                serde_json::json!({}),
            )
            .await;
        let proposal = &proposals[0];
        assert_eq!(proposal["question_id"], debug);
        assert_eq!(
            proposal["draft"],
            "Hannes: Build it for the unix target first and run it under gdb.\n\nMindy: And on \
             Solo5, the hvt tender has a gdb stub you can attach to.",
            "{}: no greeting, no reading of the question, no sign-off",
            app.backend
        );
        let page = review_page(&app, &moderator).await;
        assert!(
            page.contains(
                "This draft holds what 2 people said: read it through before you publish"
            ),
            "{page}"
        );
    }
}
