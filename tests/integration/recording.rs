//! After the call: each approved or answered question gets its moment in the recording from the
//! transcript, and a draft answer made only of what was said there.

use reqwest::Method;

use crate::support::{backends, browser, spawn_app, TestApp};

const CALL: &str = "WEBVTT

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
            tls_proposal["draft"],
            "Hannes: Moving on: several people asked whether TLS certificates from Let's Encrypt \
             work. They do, since version four, with automatic renewal."
        );
        let xen_proposal = of(xen).expect("the Xen question has a moment");
        assert_eq!(xen_proposal["at_secs"], 24.0, "{xen_proposal}");
        assert!(xen_proposal["draft"]
            .as_str()
            .unwrap()
            .starts_with("Mindy: About the Xen backend"));
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
