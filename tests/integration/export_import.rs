use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, spawn_app, TestApp};

async fn export(app: &TestApp, token: &str, format: &str) -> reqwest::Response {
    browser()
        .get(app.url(&format!("/api/v1/events/backup/export?format={format}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn without_export_time(mut export: Value) -> Value {
    export["exported_at"] = Value::Null;
    export
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_restores_into_an_empty_database_as_it_was() {
    for backend in backends() {
        let original = spawn_app(&backend).await;
        let token = original.api_token("keeper");
        original.create_event(
            "backup",
            &[
                "--labels",
                "roadmap",
                "--recording-url",
                "https://www.youtube.com/watch?v=abc",
            ],
        );
        let asker = browser();
        let asked = original
            .post_question(
                &asker,
                "backup",
                json!({"body": "Will there be a 2.0 release?", "author_name": "Ada"}),
            )
            .await;
        let asked: Value = asked.json().await.unwrap();
        let answered = asked["id"].as_i64().unwrap();
        let follow_token = asked["follow_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        let rejected = original
            .ask_api(&browser(), "backup", "=HYPERLINK(\"http://evil\") click me")
            .await;
        let open = original
            .ask_api(&browser(), "backup", "What is on the roadmap, then?")
            .await;
        for voter in [browser(), browser()] {
            assert_eq!(
                original.vote_api(&voter, answered, true).await.status(),
                200
            );
        }
        let moves = [
            (
                Method::PATCH,
                format!("/api/v1/questions/{answered}"),
                json!({"body": "Will there be a 2.0 release soon?", "labels": ["roadmap", "releases"]}),
            ),
            (
                Method::POST,
                format!("/api/v1/questions/{answered}/moderator-vote"),
                json!(null),
            ),
            (
                Method::POST,
                format!("/api/v1/questions/{answered}/on-screen"),
                json!(null),
            ),
            (
                Method::POST,
                format!("/api/v1/questions/{answered}/answer"),
                json!({"answer_md": "Yes, **in spring**. <script>alert(1)</script>", "recording_offset": "1:02:03"}),
            ),
            (
                Method::POST,
                format!("/api/v1/questions/{rejected}/reject"),
                json!({"reason": "Spam, sorry"}),
            ),
        ];
        for (method, path, body) in moves {
            let (status, reply) = original.moderator_api(method, &path, &token, body).await;
            assert_eq!(status, 200, "{path}: {reply}");
        }
        // The recording: its transcript, its timeline, and what was said kept with the answer.
        let captions = "WEBVTT\n\n01:02:00.000 --> 01:02:05.000\n<v Anil>About version two.\n\n\
                        01:02:05.000 --> 01:02:10.000\n<v Anil>It comes in spring, with &lt;b&gt;TLS&lt;/b&gt;.\n";
        let uploaded = browser()
            .put(original.url("/api/v1/events/backup/transcript"))
            .header("content-type", "text/vtt")
            .bearer_auth(&token)
            .body(captions)
            .send()
            .await
            .unwrap();
        assert_eq!(uploaded.status(), 200);
        for (path, body) in [
            (
                "/api/v1/events/backup/recording/timeline".to_owned(),
                json!({"started_at": "2026-12-03T17:02:10Z"}),
            ),
            (
                format!("/api/v1/questions/{answered}/recording/accept"),
                json!({"at_secs": 3723}),
            ),
        ] {
            let method = if path.ends_with("timeline") {
                Method::PUT
            } else {
                Method::POST
            };
            let (status, reply) = original.moderator_api(method, &path, &token, body).await;
            assert_eq!(status, 200, "{path}: {reply}");
        }

        assert_eq!(
            browser()
                .get(original.url("/api/v1/events/backup/export"))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        assert_eq!(export(&original, &token, "xml").await.status(), 422);
        let csv = export(&original, &token, "csv").await;
        assert_eq!(csv.status(), 200, "{}", original.backend);
        assert!(csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with("id,status,question,author,votes,"), "{csv}");
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"http://evil\"\") click me\""),
            "{csv}"
        );
        assert!(
            csv.contains("https://www.youtube.com/watch?v=abc&t=3723"),
            "{csv}"
        );
        assert!(csv.contains("Spam, sorry"));

        let response = export(&original, &token, "json").await;
        assert_eq!(response.status(), 200);
        let exported: Value = response.json().await.unwrap();
        let questions = exported["questions"].as_array().unwrap();
        assert_eq!(questions.len(), 3);
        let first = &questions[0];
        assert_eq!(first["vote_count"], 2);
        assert_eq!(first["votes"].as_array().unwrap().len(), 2);
        assert_eq!(first["labels"], json!(["releases", "roadmap"]));
        assert_eq!(first["moderator_votes"], json!(["keeper"]));
        assert_eq!(
            first["edits"][0]["previous_body"],
            "Will there be a 2.0 release?"
        );
        assert!(!first["answer"]["answer_html"]
            .as_str()
            .unwrap()
            .contains("<script"));
        assert_eq!(questions[2]["id"], open);
        assert_eq!(
            first["answer"]["transcript_excerpt"],
            "Anil: About version two. It comes in spring, with <b>TLS</b>."
        );
        assert_eq!(exported["transcript"]["cues"].as_array().unwrap().len(), 2);
        assert_eq!(
            first["screen_times"].as_array().unwrap().len(),
            1,
            "when it was on screen: {first}"
        );
        assert_eq!(
            exported["event"]["recording_started_at"],
            "2026-12-03T17:02:10Z"
        );

        // The command line writes the same document.
        let file = original.data_dir.join("backup.json");
        let output = original.cli(&[
            "export",
            "--event",
            "backup",
            "--format",
            "json",
            "--output",
            file.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{output:?}");
        let from_cli: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(
            without_export_time(from_cli.clone()),
            without_export_time(exported.clone())
        );

        // A tampered file cannot smuggle markup in: answers are rendered again.
        let mut tampered = from_cli;
        tampered["questions"][0]["answer"]["answer_html"] = json!("<script>alert(2)</script>");
        std::fs::write(&file, serde_json::to_vec(&tampered).unwrap()).unwrap();

        let restored = spawn_app(&backend).await;
        let restored_token = restored.api_token("keeper");
        let output = restored.cli(&["import", file.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("3 questions, 2 votes, 1 answers"));
        let again: Value = export(&restored, &restored_token, "json")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            without_export_time(again),
            without_export_time(exported),
            "{}: export → import → export is the identity",
            restored.backend
        );

        let follow: Value = browser()
            .get(restored.url(&format!("/api/v1/follow/{follow_token}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(follow["status"], "answered", "askers' links still work");
        let newer = restored
            .ask_api(&browser(), "backup", "A question asked after the restore?")
            .await;
        assert!(newer > open, "new ids continue after the restored ones");

        let twice = restored.cli(&["import", file.to_str().unwrap()]);
        assert!(!twice.status.success());
        assert!(String::from_utf8_lossy(&twice.stderr).contains("exists already"));

        let foreign = restored.data_dir.join("foreign.json");
        std::fs::write(&foreign, r#"{"format": "other", "version": 1}"#).unwrap();
        let refused = restored.cli(&["import", foreign.to_str().unwrap()]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("not a faqtory JSON export"));
    }
}
