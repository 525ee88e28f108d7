//! Transcripts in: a WebVTT or SRT file through the API or the command line becomes the event's
//! transcript; a bad file is refused whole, with its line, and the transcript before it stays.

use reqwest::Method;

use crate::support::{backends, browser, spawn_app, TestApp};

const HANGOUT: &str = "WEBVTT

NOTE exported from Jitsi

1
00:00:01.000 --> 00:00:05.000
<v Anil>Welcome to the <i>monthly</i> hangout &amp; thanks for coming.

2
00:00:05.000 --> 00:00:09.500
<v Hannes><00:00:05.200><c>The</c><00:00:05.600><c> first</c> question is about TLS.

3
00:00:10.000 --> 00:00:12.000
<v Hannes>

4
00:00:12.000 --> 00:00:15.000
<v Mallory><script>alert(1)</script> is stored as text
";

const SRT: &str = "1\n00:00:00,500 --> 00:00:02,000\nOnly one cue here.\n";

async fn put_transcript(
    app: &TestApp,
    token: Option<&str>,
    slug: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let mut request = browser()
        .put(app.url(&format!("/api/v1/events/{slug}/transcript")))
        .header("content-type", content_type)
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

async fn transcript(app: &TestApp, token: &str, slug: &str) -> (u16, serde_json::Value) {
    app.moderator_api(
        Method::GET,
        &format!("/api/v1/events/{slug}/transcript"),
        token,
        serde_json::json!({}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transcript_comes_in_through_the_api_and_replaces_the_one_before() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");

        assert_eq!(transcript(&app, &token, "hangout").await.0, 404);
        let (status, imported) =
            put_transcript(&app, Some(&token), "hangout", "text/vtt", HANGOUT.into()).await;
        assert_eq!(status, 200, "{}: {imported}", app.backend);
        assert_eq!(imported["cues"], 3, "the empty cue is left out");
        assert_eq!(imported["duration_secs"], 15.0);

        let (status, stored) = transcript(&app, &token, "hangout").await;
        assert_eq!(status, 200);
        assert_eq!(stored["format"], "webvtt");
        let cues = stored["cues"].as_array().unwrap();
        assert_eq!(cues[0]["speaker"], "Anil");
        assert_eq!(
            cues[0]["text"],
            "Welcome to the monthly hangout & thanks for coming."
        );
        assert_eq!(cues[1]["text"], "The first question is about TLS.");
        assert_eq!(
            (cues[1]["start_secs"].as_f64(), cues[1]["end_secs"].as_f64()),
            (Some(5.0), Some(9.5))
        );
        assert_eq!(cues[2]["text"], "alert(1) is stored as text");

        // A new file replaces the whole transcript.
        let (status, imported) = put_transcript(
            &app,
            Some(&token),
            "hangout",
            "application/x-subrip",
            SRT.into(),
        )
        .await;
        assert_eq!((status, imported["cues"].as_i64()), (200, Some(1)));
        let (_, stored) = transcript(&app, &token, "hangout").await;
        assert_eq!(stored["format"], "srt");
        assert_eq!(stored["cues"].as_array().unwrap().len(), 1);

        let (_, log) = app
            .moderator_api(Method::GET, "/api/v1/modlog", &token, serde_json::json!({}))
            .await;
        assert_eq!(log[0]["action"], "event.transcript");
        assert_eq!(log[0]["moderator"], "mona");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_is_refused_with_its_line_and_nothing_is_half_imported() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let (status, _) =
            put_transcript(&app, Some(&token), "hangout", "text/vtt", HANGOUT.into()).await;
        assert_eq!(status, 200);

        let mut latin1 = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\ncaf".to_vec();
        latin1.push(0xE9);
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"".to_vec(), "Line 1: the file is empty"),
            (
                b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n".to_vec(),
                "Line 3: the file has no cue with any text",
            ),
            (
                b"WEBVTT\n\n00:00:01.000 --> 00:00:61.000\nText\n".to_vec(),
                "Line 3: `00:00:01.000 --> 00:00:61.000` is not a cue's times",
            ),
            (
                b"WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA\n\n00:00:01.000 --> 00:00:02.000\nB\n"
                    .to_vec(),
                "Line 6: this cue starts at 00:00:01.000, before the cue above it",
            ),
            (
                b"WEBVTT\n\n00:00:05.000 --> 00:00:08.000\nA\n\n00:00:07.000 --> 00:00:09.000\nB\n"
                    .to_vec(),
                "must not overlap",
            ),
            (latin1, "Line 4: this line is not UTF-8"),
            (b"\x00\x01\x02 binary noise \xff\xfe".to_vec(), "Line 1:"),
            (
                "a few words of plain prose\n".repeat(1000).into_bytes(),
                "neither WebVTT",
            ),
        ];
        for (file, says) in cases {
            let (status, error) =
                put_transcript(&app, Some(&token), "hangout", "text/vtt", file).await;
            assert_eq!(status, 422, "{}: {says}: {error}", app.backend);
            assert_eq!(error["field"], "transcript");
            let message = error["message"].as_str().unwrap();
            assert!(message.contains(says), "{message} should say {says}");
        }
        let (_, stored) = transcript(&app, &token, "hangout").await;
        assert_eq!(
            stored["cues"].as_array().unwrap().len(),
            3,
            "the good transcript stays"
        );

        // Too large, the wrong type, nobody signed in, no such event.
        let noise = vec![b'x'; 21 * 1024 * 1024];
        let (status, error) =
            put_transcript(&app, Some(&token), "hangout", "text/vtt", noise).await;
        assert_eq!(
            (status, error["error"].as_str()),
            (413, Some("payload_too_large"))
        );
        let (status, error) = put_transcript(
            &app,
            Some(&token),
            "hangout",
            "application/json",
            HANGOUT.into(),
        )
        .await;
        assert_eq!((status, error["error"].as_str()), (400, Some("file_type")));
        let (status, _) = put_transcript(&app, None, "hangout", "text/vtt", HANGOUT.into()).await;
        assert_eq!(status, 401);
        assert_eq!(
            app.get(&browser(), "/api/v1/events/hangout/transcript")
                .await
                .status(),
            401
        );
        let (status, _) =
            put_transcript(&app, Some(&token), "nowhere", "text/vtt", HANGOUT.into()).await;
        assert_eq!(status, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_imports_a_transcript() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let output = app.cli_with_input(
            &["transcript", "import", "--event", "hangout", "-"],
            HANGOUT,
        );
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            said.contains("Imported 3 cues (00:00:15.000 of recording)"),
            "{said}"
        );
        let (_, stored) = transcript(&app, &token, "hangout").await;
        assert_eq!(stored["cues"].as_array().unwrap().len(), 3);

        let refused = app.cli_with_input(
            &["transcript", "import", "--event", "hangout", "-"],
            "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards\n",
        );
        assert!(!refused.status.success());
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(
            said.contains("Line 3: this cue ends (00:00:02.000) before it starts"),
            "{said}"
        );
    }
}
