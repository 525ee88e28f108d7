//! After the call: each approved or answered question gets its moment in the recording from the
//! transcript, and a draft answer made only of what was said there.

use reqwest::Method;

use crate::support::{backends, browser, spawn_app, TestApp};

/// The captions of a short call, shared by the recording tests.
pub const CALL: &str = "WEBVTT

00:00:00.000 --> 00:00:06.000
<v Anil>Welcome, everyone, to the monthly hangout. Let us start with the roadmap.

00:00:06.000 --> 00:00:12.000
<v Anil>The next release is planned for March, um, after the freeze.

00:00:12.000 --> 00:00:18.000
<v Hannes>Moving on: several people asked whether TLS certificates from Let's Encrypt work.

00:00:18.000 --> 00:00:24.000
<v Hannes>They do, you know, since version four, with automatic renewal.

00:00:24.000 --> 00:00:30.000
<v Mindy>About the Xen backend: the network driver was rewritten last month.

00:00:30.000 --> 00:00:36.000
<v Mindy>It is faster and uses less memory than the old one.

00:00:36.000 --> 00:00:40.000
<v Anil>Thanks everyone, see you next time.
";

/// The two questions the call answers (TLS at 0:12, Xen at 0:24), asked at `hangout`.
pub async fn ask_tls_and_xen(app: &TestApp) -> (i64, i64) {
    let tls = app
        .ask_api(
            &browser(),
            "hangout",
            "Do Let's Encrypt TLS certificates work?",
        )
        .await;
    let xen = app
        .ask_api(
            &browser(),
            "hangout",
            "Is the Xen network driver any faster now?",
        )
        .await;
    (tls, xen)
}

/// The event `hangout` with its recording on YouTube, and its two questions (TLS, Xen).
pub async fn recorded_hangout(app: &TestApp) -> (i64, i64) {
    app.create_event(
        "hangout",
        &["--recording-url", "https://www.youtube.com/watch?v=abc"],
    );
    ask_tls_and_xen(app).await
}

async fn put_call(app: &TestApp, token: &str, slug: &str) {
    let response = browser()
        .put(app.url(&format!("/api/v1/events/{slug}/transcript")))
        .header("content-type", "text/vtt")
        .bearer_auth(token)
        .body(CALL)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_question_gets_its_moment_and_a_draft_from_what_was_said() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let (tls, xen) = crate::recording::ask_tls_and_xen(&app).await;
        let unrelated = app
            .ask_api(
                &browser(),
                "hangout",
                "Which quantum chromodynamics solver is used?",
            )
            .await;
        let path = "/api/v1/events/hangout/recording/proposals";

        let (status, none_yet) = app
            .moderator_api(Method::GET, path, &token, serde_json::json!({}))
            .await;
        assert_eq!(
            (status, none_yet),
            (200, serde_json::json!([])),
            "no transcript, no proposals"
        );

        put_call(&app, &token, "hangout").await;
        let (status, proposals) = app
            .moderator_api(Method::GET, path, &token, serde_json::json!({}))
            .await;
        assert_eq!(status, 200, "{}: {proposals}", app.backend);
        let of = |id: i64| {
            proposals
                .as_array()
                .unwrap()
                .iter()
                .find(|proposal| proposal["question_id"] == id)
                .cloned()
        };
        let tls_proposal = of(tls).expect("the TLS question has a moment");
        assert_eq!(tls_proposal["at_secs"], 12.0, "{tls_proposal}");
        assert_eq!(
            tls_proposal["end_secs"], 24.0,
            "until the next question's moment"
        );
        assert_eq!(tls_proposal["source"], "transcript");
        let confidence = tls_proposal["confidence"].as_f64().unwrap();
        assert!(confidence > 0.5 && confidence <= 0.9, "{confidence}");
        assert_eq!(
            tls_proposal["draft"], "Hannes: They do, since version four, with automatic renewal.",
            "the reading of the question is not the answer"
        );
        let xen_proposal = of(xen).expect("the Xen question has a moment");
        assert_eq!(xen_proposal["at_secs"], 24.0, "{xen_proposal}");
        assert_eq!(
            xen_proposal["draft"],
            "Mindy: About the Xen backend: the network driver was rewritten last month. It is \
             faster and uses less memory than the old one.",
            "the call's sign-off is not the answer"
        );
        assert!(of(unrelated).is_none(), "nothing was said about it");

        assert_eq!(app.get(&browser(), path).await.status(), 401);
        let (status, _) = app
            .moderator_api(
                Method::GET,
                "/api/v1/events/nowhere/recording/proposals",
                &token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 404);
    }
}

async fn proposals(app: &TestApp, token: &str) -> Vec<serde_json::Value> {
    let (status, proposals) = app
        .moderator_api(
            Method::GET,
            "/api/v1/events/hangout/recording/proposals",
            token,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 200);
    proposals.as_array().unwrap().clone()
}

async fn put_timeline(
    app: &TestApp,
    token: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    app.moderator_api(
        Method::PUT,
        "/api/v1/events/hangout/recording/timeline",
        token,
        body,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_put_on_screen_get_their_exact_moment_once_the_recording_is_lined_up() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let (tls, xen) = crate::recording::ask_tls_and_xen(&app).await;
        let never_shown = app
            .ask_api(&browser(), "hangout", "When is the next release planned?")
            .await;
        put_call(&app, &token, "hangout").await;
        for id in [tls, xen] {
            let (status, _) = app
                .moderator_api(
                    Method::POST,
                    &format!("/api/v1/questions/{id}/on-screen"),
                    &token,
                    serde_json::json!({}),
                )
                .await;
            assert_eq!(status, 200);
        }
        let of = |proposals: &[serde_json::Value], id: i64| {
            proposals
                .iter()
                .find(|proposal| proposal["question_id"] == id)
                .cloned()
                .unwrap_or_default()
        };

        // Without a timeline the screen's times say nothing about the recording.
        let before = proposals(&app, &token).await;
        assert_eq!(of(&before, tls)["source"], "transcript");

        // "The TLS question came on screen at 0:12."
        let (status, timeline) = put_timeline(
            &app,
            &token,
            serde_json::json!({"sync": {"question_id": tls, "at": "0:12"}}),
        )
        .await;
        assert_eq!(status, 200, "{}: {timeline}", app.backend);
        let started_at = timeline["started_at"].as_str().unwrap().to_owned();
        let after = proposals(&app, &token).await;
        let tls_proposal = of(&after, tls);
        assert_eq!(tls_proposal["source"], "on_screen", "{tls_proposal}");
        assert_eq!(tls_proposal["at_secs"], 12.0);
        assert_eq!(tls_proposal["confidence"], 1.0);
        // The next question went up within a second: the passage holds only the reading of
        // this one, which is no answer.
        assert!(!tls_proposal["draft"]
            .as_str()
            .unwrap()
            .contains("several people asked"));
        let xen_proposal = of(&after, xen);
        assert_eq!(xen_proposal["source"], "on_screen", "{xen_proposal}");
        let xen_at = xen_proposal["at_secs"].as_f64().unwrap();
        assert!(
            (12.0..14.0).contains(&xen_at),
            "put up right after: {xen_at}"
        );
        assert_eq!(of(&after, never_shown)["source"], "transcript");

        // The same start given outright; then unknown again.
        let (status, same) =
            put_timeline(&app, &token, serde_json::json!({"started_at": started_at})).await;
        assert_eq!(
            (status, same["started_at"].as_str()),
            (200, Some(started_at.as_str()))
        );
        let (status, cleared) =
            put_timeline(&app, &token, serde_json::json!({"started_at": null})).await;
        assert_eq!(
            (status, cleared["started_at"].clone()),
            (200, serde_json::Value::Null)
        );
        assert_eq!(
            of(&proposals(&app, &token).await, tls)["source"],
            "transcript"
        );
        // A start long before the call puts the screen's times past the end of the 40-second
        // recording: they are no moments of it, and the transcript proposes instead.
        let (status, _) = put_timeline(
            &app,
            &token,
            serde_json::json!({"started_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
        assert_eq!(status, 200);
        let long_before = proposals(&app, &token).await;
        assert_eq!(
            of(&long_before, tls)["source"],
            "transcript",
            "{long_before:?}"
        );
        assert_eq!(of(&long_before, tls)["at_secs"], 12.0);

        // Nasty or impossible timelines are refused with the field named.
        for (body, field) in [
            (
                serde_json::json!({"sync": {"question_id": never_shown, "at": "1:00"}}),
                "sync",
            ),
            (
                serde_json::json!({"sync": {"question_id": tls, "at": "<script>"}}),
                "sync",
            ),
            (serde_json::json!({"started_at": "yesterday"}), "started_at"),
            (serde_json::json!({}), "started_at"),
            (
                serde_json::json!({"started_at": null, "sync": {"question_id": tls, "at": "1"}}),
                "started_at",
            ),
        ] {
            let (status, error) = put_timeline(&app, &token, body.clone()).await;
            assert_eq!(
                (status, error["field"].as_str()),
                (422, Some(field)),
                "{body}: {error}"
            );
        }
        let (status, _) = app
            .moderator_api(
                Method::GET,
                "/api/v1/modlog?action=event.recording_timeline",
                &token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 200);
        let unsigned = browser()
            .put(app.url("/api/v1/events/hangout/recording/timeline"))
            .json(&serde_json::json!({"started_at": null}))
            .send()
            .await
            .unwrap();
        assert_eq!(unsigned.status(), 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_sets_the_moment_and_the_answer_and_can_be_taken_back() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let (tls, xen) = crate::recording::ask_tls_and_xen(&app).await;
        let unmatched = app
            .ask_api(
                &browser(),
                "hangout",
                "Which quantum chromodynamics solver is used?",
            )
            .await;
        put_call(&app, &token, "hangout").await;
        let accept = |id: i64, body: serde_json::Value| {
            let path = format!("/api/v1/questions/{id}/recording/accept");
            let app = &app;
            let token = token.clone();
            async move { app.moderator_api(Method::POST, &path, &token, body).await }
        };

        // As proposed: the draft becomes the answer, the moment its link.
        let (status, accepted) = accept(tls, serde_json::json!({})).await;
        assert_eq!(
            (status, accepted["status"].as_str()),
            (200, Some("answered")),
            "{accepted}"
        );
        let (_, follow) = app
            .moderator_api(
                Method::GET,
                "/api/v1/events/hangout/export",
                &token,
                serde_json::json!({}),
            )
            .await;
        let answer = follow["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == tls)
            .map(|q| q["answer"].clone())
            .unwrap();
        assert_eq!(answer["recording_offset_secs"], 12, "{answer}");
        assert_eq!(
            answer["answer_md"],
            "**Hannes:** They do, since version four, with automatic renewal."
        );
        assert!(answer["published"].as_bool().unwrap());

        // Corrected: a nudged moment and the moderator's own words.
        let (status, _) = accept(
            xen,
            serde_json::json!({"at_secs": 34, "answer_md": "Yes: the rewritten driver is faster."}),
        )
        .await;
        assert_eq!(status, 200);
        // Published as usual: the FAQ finds it (once the indexer has caught up).
        crate::faq_search::found(&app.url(""), "rewritten driver", xen).await;
        // What was said there is shown with the entry and found by search, though the answer's
        // words are the moderator's.
        crate::faq_search::found(&app.url(""), "memory", xen).await;
        let redirect = app.get(&browser(), &format!("/faq/{xen}")).await;
        let (status, entry) = app
            .get_text(&browser(), &crate::support::location(&redirect))
            .await;
        assert_eq!(status, 200);
        assert!(entry.contains("From the recording"), "{entry}");
        assert!(
            entry.contains("<p>Mindy: It is faster and uses less memory than the old one.</p>"),
            "{entry}"
        );

        // Nothing proposed and nothing given: the fields that are missing are named.
        let (status, error) = accept(unmatched, serde_json::json!({})).await;
        assert_eq!((status, error["field"].as_str()), (422, Some("at_secs")));
        let (status, error) = accept(unmatched, serde_json::json!({"at_secs": 3})).await;
        assert_eq!((status, error["field"].as_str()), (422, Some("answer_md")));
        let (status, error) = accept(
            unmatched,
            serde_json::json!({"at_secs": 3, "answer_md": "   "}),
        )
        .await;
        assert_eq!((status, error["field"].as_str()), (422, Some("answer_md")));
        let (status, _) = accept(
            unmatched,
            serde_json::json!({"at_secs": 3, "answer_md": "<script>alert(1)</script>Not covered."}),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = accept(999_999, serde_json::json!({})).await;
        assert_eq!(status, 404);

        // The recording's chapters, from the accepted moments.
        let chapters = |format: &'static str| {
            let url = app.url(&format!("/api/v1/events/hangout/chapters?format={format}"));
            let token = token.clone();
            async move {
                let response = browser().get(url).bearer_auth(token).send().await.unwrap();
                let kind = response.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .to_owned();
                (
                    response.status().as_u16(),
                    kind,
                    response.text().await.unwrap(),
                )
            }
        };
        let (status, kind, text) = chapters("text").await;
        assert_eq!((status, kind.as_str()), (200, "text/plain; charset=utf-8"));
        assert_eq!(
            text,
            "00:00 Which quantum chromodynamics solver is used?\n\
             00:12 Do Let's Encrypt TLS certificates work?\n\
             00:34 Is the Xen network driver any faster now?\n"
        );
        let (status, kind, track) = chapters("vtt").await;
        assert_eq!((status, kind.as_str()), (200, "text/vtt; charset=utf-8"));
        assert!(
            track.ends_with(
                "3\n00:00:34.000 --> 00:00:40.000\nIs the Xen network driver any faster now?\n"
            ),
            "the last chapter ends with the recording: {track}"
        );
        assert_eq!(chapters("mp4").await.0, 422);
        let printed = app.cli(&["transcript", "chapters", "--event", "hangout"]);
        assert_eq!(String::from_utf8_lossy(&printed.stdout), text);

        // Undo: the answer is taken back like any other.
        let (status, undone) = app
            .moderator_api(
                Method::DELETE,
                &format!("/api/v1/questions/{tls}/answer"),
                &token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!((status, undone["status"].as_str()), (200, Some("approved")));
        let (_, log) = app
            .moderator_api(
                Method::GET,
                "/api/v1/modlog?action=question.answer",
                &token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(
            log.as_array().unwrap().len(),
            3,
            "every accept is in the log"
        );
    }
}
