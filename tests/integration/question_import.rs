use crate::support::{backends, browser, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_collected_elsewhere_import_from_csv_and_jsonl() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("call", &[]);
        let csv = app.data_dir.join("questions.csv");
        std::fs::write(
            &csv,
            "body,author_name,created_at,votes\n\
             \"Will the next release, 5.0, drop OCaml 4.14?\",Ada,2026-11-01T12:00:00Z,3\n\
             \"A question on\ntwo lines, with commas?\",,,\n\
             Short?,,,\n\
             Is the roadmap public somewhere?,Grace,yesterday,\n\
             Who maintains the network stack?,,,lots\n",
        )
        .unwrap();
        let output = app.cli(&["import-questions", "--event", "call", csv.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains("Imported 2 questions into `call`."),
            "{stdout}"
        );
        assert!(stdout.contains("Rejected 3 records:"), "{stdout}");
        assert!(stdout.contains("line 5: body:"), "{stdout}");
        assert!(stdout.contains("line 6: created_at:"), "{stdout}");
        assert!(stdout.contains("line 7: votes:"), "{stdout}");

        let listed = app.questions(&browser(), "call").await;
        let release = listed
            .iter()
            .find(|q| q["body"] == "Will the next release, 5.0, drop OCaml 4.14?")
            .expect("imported");
        assert_eq!(release["vote_count"], 3);
        assert_eq!(release["author_name"], "Ada");
        assert_eq!(release["created_at"], "2026-11-01T12:00:00Z");
        assert!(listed
            .iter()
            .any(|q| q["body"] == "A question on two lines, with commas?"));
        let id = release["id"].as_i64().unwrap();
        assert_eq!(app.vote_api(&browser(), id, true).await.status(), 200);
        assert_eq!(
            app.vote_count(id, "call").await,
            4,
            "imported votes are voters"
        );

        let jsonl = app.data_dir.join("more.jsonl");
        std::fs::write(
            &jsonl,
            "{\"body\": \"Is there a code of conduct?\", \"votes\": 2}\n\
             {\"body\": \"Will the next release, 5.0, drop OCaml 4.14?\"}\n\
             [1, 2]\n",
        )
        .unwrap();
        let output = app.cli(&[
            "import-questions",
            "--event",
            "call",
            jsonl.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("Imported 1 questions"), "{stdout}");
        assert!(
            stdout.contains("Skipped 1 questions the event has already."),
            "{stdout}"
        );
        assert!(stdout.contains("line 3: not a JSON object"), "{stdout}");

        let headerless = app.data_dir.join("bad.csv");
        std::fs::write(&headerless, "question,votes\nSomething long enough?,1\n").unwrap();
        let output = app.cli(&[
            "import-questions",
            "--event",
            "call",
            headerless.to_str().unwrap(),
        ]);
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("no `body` column"));
        let nowhere = app.cli(&[
            "import-questions",
            "--event",
            "nowhere",
            csv.to_str().unwrap(),
        ]);
        assert!(!nowhere.status.success());
    }
}
