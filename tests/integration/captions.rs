//! Captions out: a public event's transcript as WebVTT and SRT at `/e/{slug}/captions.vtt` and
//! `.srt`, cut to two short lines, speech kept as text, linked from the event's page once there
//! is a transcript; nothing for an event the public cannot see or one without a transcript.

use crate::support::{backends, browser, spawn_app};

const LONG: &str = "So the short answer is yes, you can run the whole thing in Docker, and we \
                    publish an image for every release, but mount the data directory as a volume.";

fn transcript() -> String {
    format!(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Anil>Welcome &amp; is &lt;b&gt;this&lt;/b&gt; on?\n\n\
         2\n00:01:00.000 --> 00:01:30.000\n<v Hannes>{LONG}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_events_transcript_downloads_as_captions() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        app.create_event("plans", &[]);
        app.set_status("plans", "draft");
        let token = app.api_token("mona");
        let public = browser();

        // No transcript yet: nothing to caption, said in words, and no link on the page.
        let none = public
            .get(app.url("/e/hangout/captions.vtt"))
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), 404);
        assert!(none.text().await.unwrap().contains("no transcript yet"));

        for slug in ["hangout", "plans"] {
            let response = public
                .put(app.url(&format!("/api/v1/events/{slug}/transcript")))
                .bearer_auth(&token)
                .header("content-type", "text/vtt")
                .body(transcript())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{slug}");
        }
        app.set_status_through_server("hangout", "closed").await;

        let vtt = public
            .get(app.url("/e/hangout/captions.vtt"))
            .send()
            .await
            .unwrap();
        assert_eq!(vtt.status(), 200);
        assert_eq!(vtt.headers()["content-type"], "text/vtt; charset=utf-8");
        assert_eq!(vtt.headers()["access-control-allow-origin"], "*");
        let vtt = vtt.text().await.unwrap();
        assert!(
            vtt.starts_with("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n"),
            "{vtt}"
        );
        assert!(
            vtt.contains("<v Anil>Welcome &amp; is &lt;b&gt;this&lt;/b&gt; on?"),
            "{vtt}"
        );
        let caption_lines: Vec<&str> = vtt
            .lines()
            .filter(|line| !line.is_empty() && !line.contains("-->") && !line.starts_with("WEBVTT"))
            .filter(|line| !line.chars().all(|c| c.is_ascii_digit()))
            .filter(|line| !line.starts_with("<v Anil>"))
            .collect();
        assert_eq!(
            caption_lines.len(),
            4,
            "the long cue in two captions: {vtt}"
        );
        assert!(
            caption_lines
                .iter()
                .all(|line| line.trim_start_matches("<v Hannes>").chars().count() <= 42),
            "{vtt}"
        );
        assert!(
            vtt.contains("00:01:30.000\n"),
            "the long cue ends on time: {vtt}"
        );

        let srt = public
            .get(app.url("/e/hangout/captions.srt"))
            .send()
            .await
            .unwrap();
        assert_eq!(srt.status(), 200);
        assert_eq!(
            srt.headers()["content-type"],
            "application/x-subrip; charset=utf-8"
        );
        let srt = srt.text().await.unwrap();
        assert!(
            srt.starts_with("1\n00:00:01,000 --> 00:00:04,000\nAnil: Welcome & is <b>this</b> on?\n\n2\n00:01:00,000 --> "),
            "{srt}"
        );

        let (_, page) = app.get_text(&public, "/e/hangout").await;
        assert!(page.contains(r#"href="/e/hangout/captions.vtt""#), "{page}");
        assert!(page.contains(r#"href="/e/hangout/captions.srt""#), "{page}");

        // A draft is nobody's to caption yet; a name that is no event is not found.
        for path in [
            "/e/plans/captions.vtt",
            "/e/plans/captions.srt",
            "/e/nowhere/captions.vtt",
            "/e/%3Cscript%3E/captions.srt",
        ] {
            let response = public.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 404, "{path}");
        }
    }
}
