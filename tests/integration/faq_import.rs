use serde_json::Value;

use crate::faq_search::{found, hit_ids};
use crate::support::{backends, browser, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_faq_imports_with_a_summary_of_rejected_lines() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let file = app.data_dir.join("faq.jsonl");
        std::fs::write(
            &file,
            [
                r#"{"question": "Is MirageOS still Linux underneath?", "answer": "No: it is a **library OS**.", "labels": ["basics"]}"#,
                r#"{"question": "Which hypervisors are supported?", "answer": "Xen, KVM via solo5. <script>alert(1)</script>"}"#,
                r#"not json at all"#,
                r#"{"question": "Short?", "answer": "Too short a question."}"#,
                "",
                r#"{"question": "Where does the answer go?", "answer": "   "}"#,
                r#"{"question": "Can I write unikernels in OCaml only?", "answer": "Yes, OCaml.", "updated": "2019-05-01"}"#,
            ]
            .join("\n"),
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let output = app.cli(&["import-faq", path, "--label", "imported"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("Imported 3 entries."), "{stdout}");
        assert!(stdout.contains("Rejected 3 lines:"), "{stdout}");
        assert!(stdout.contains("line 3: not a JSON object"), "{stdout}");
        assert!(stdout.contains("line 4: question:"), "{stdout}");
        assert!(stdout.contains("line 6: answer:"), "{stdout}");

        let results = found(&app.base, "hypervisors", 2).await;
        assert!(!results["hits"][0]["answer_html"]
            .as_str()
            .unwrap()
            .contains("<script"));
        let results = found(&app.base, "mirage linux", 1).await;
        assert_eq!(
            results["hits"][0]["labels"],
            serde_json::json!(["basics", "imported"])
        );
        assert_eq!(results["hits"][0]["event"], "imported-faq");
        let listed: Value = browser()
            .get(app.url("/api/v1/faq?label=imported"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(hit_ids(&listed).len(), 3);
        let ocaml = found(&app.base, "unikernels ocaml only", 3).await;
        let ocaml_path = ocaml["hits"][0]["url"].as_str().unwrap().to_owned();
        let (_, entry) = app.get_text(&browser(), &ocaml_path).await;
        assert!(
            entry.contains("datetime=\"2019-05-01T00:00:00Z\""),
            "the date the file gave: {entry}"
        );
        assert!(entry.contains("From the project's earlier FAQ"));
        let (_, home) = app.get_text(&browser(), "/").await;
        assert!(
            !home.contains("Earlier FAQ") && !home.contains("imported-faq"),
            "the FAQ's own collection is no event on the home page"
        );

        let again = app.cli(&["import-faq", path]);
        let stdout = String::from_utf8_lossy(&again.stdout);
        assert!(stdout.contains("Imported 0 entries."), "{stdout}");
        assert!(stdout.contains("Skipped 3 questions"), "{stdout}");

        let nowhere = app.cli(&["import-faq", path, "--event", "nowhere"]);
        assert!(!nowhere.status.success());
        assert!(String::from_utf8_lossy(&nowhere.stderr).contains("nowhere"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faq_home_shows_the_latest_events_answers_before_old_imported_ones() {
    let mirage_faq = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/mirageos/faq.jsonl"
    );
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let imported = app.cli(&["import-faq", mirage_faq, "--label", "project"]);
        assert!(imported.status.success());
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let mut answered = Vec::new();
        for question in [
            "Can MirageOS unikernels run on a Raspberry Pi 4?",
            "How do I deploy a unikernel to AWS?",
        ] {
            let id = app.ask_api(&browser(), "hangout", question).await;
            let (status, _) = app
                .moderator_api(
                    reqwest::Method::POST,
                    &format!("/api/v1/questions/{id}/answer"),
                    &token,
                    serde_json::json!({"answer_md": "Yes, with Solo5."}),
                )
                .await;
            assert_eq!(status, 200);
            answered.push(question);
        }
        let (status, home) = app.get_text(&browser(), "/faq").await;
        assert_eq!(status, 200);
        let latest = home
            .find("New from Hangout hangout")
            .expect("the latest event first");
        let old = home
            .find("Is MirageOS &#39;production ready&#39;?")
            .or_else(|| home.find("production ready"))
            .expect("the imported entries follow");
        assert!(latest < old, "{}: {home}", app.backend);
        for question in answered {
            let at = home.find(question).expect("each new answer is listed");
            assert!(latest < at && at < old, "{question}");
        }
        assert!(home.find("<h2>project</h2>").is_some_and(|at| at > latest));

        // A label's own listing is that label's alone.
        let (_, labelled) = app.get_text(&browser(), "/faq?label=project").await;
        assert!(!labelled.contains("New from"));
    }
}
