//! The index is derived data: rebuilt when lost, resumed after a crash, rebuilt on demand, and
//! kept by every instance for itself.

use reqwest::Method;
use serde_json::json;

use crate::faq_search::{answered, found, gone};
use crate::support::{backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_lost_while_the_server_was_down_is_rebuilt_at_start() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("answerer");
        app.create_event("hangout", &[]);
        let id = answered(
            &app,
            &token,
            "hangout",
            "Does it run on ARM boards?",
            "Yes.",
        )
        .await;
        let data_dir = app.data_dir.join("served");
        let server = app.serve_process(&data_dir);
        found(&server.base, "arm boards", id).await;
        server.stop("-TERM").await;

        std::fs::remove_dir_all(data_dir.join("search")).unwrap();
        let server = app.serve_process(&data_dir);
        found(&server.base, "arm boards", id).await;
        server.stop("-TERM").await;

        // A damaged index is rebuilt too.
        let meta = data_dir.join("search").join("meta.json");
        std::fs::write(&meta, b"{ not json").unwrap();
        let server = app.serve_process(&data_dir);
        found(&server.base, "arm boards", id).await;
        server.stop("-TERM").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_resumes_from_its_checkpoint() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("answerer");
        app.create_event("hangout", &[]);
        let kept = answered(
            &app,
            &token,
            "hangout",
            "Is the project still maintained?",
            "Yes, actively.",
        )
        .await;
        let data_dir = app.data_dir.join("served");
        let server = app.serve_process(&data_dir);
        found(&server.base, "maintained", kept).await;

        // Answered and killed at once: likely before the indexer's next commit.
        let late = answered(
            &app,
            &token,
            "hangout",
            "Where do releases get announced?",
            "On the forum.",
        )
        .await;
        server.stop("-KILL").await;

        // While it is down, another instance takes an answer back.
        let (status, _) = app
            .moderator_api(
                Method::DELETE,
                &format!("/api/v1/questions/{kept}/answer"),
                &token,
                json!(null),
            )
            .await;
        assert_eq!(status, 200);

        let server = app.serve_process(&data_dir);
        found(&server.base, "releases announced", late).await;
        gone(&server.base, "maintained", kept).await;
        server.stop("-TERM").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindex_rebuilds_on_demand_but_not_under_a_running_server() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("answerer");
        app.create_event("hangout", &[]);
        let id = answered(
            &app,
            &token,
            "hangout",
            "Can I run it without Docker?",
            "Yes.",
        )
        .await;
        found(&app.base, "docker", id).await;

        let busy = app.cli(&["reindex"]);
        assert!(!busy.status.success(), "the running app holds the index");
        assert!(
            String::from_utf8_lossy(&busy.stderr).contains("stop it first"),
            "{}",
            String::from_utf8_lossy(&busy.stderr)
        );

        let data_dir = app.data_dir.join("offline");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
            .arg("reindex")
            .env("FAQTORY_DATABASE_URL", &app.database_url)
            .env("FAQTORY_DATA_DIR", &data_dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("1/1 questions indexed"), "{stderr}");
        assert!(stderr.contains("Rebuilt the search index"), "{stderr}");
        let server = app.serve_process(&data_dir);
        found(&server.base, "docker", id).await;
        server.stop("-TERM").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_find_each_others_answers() {
    for backend in backends() {
        if !matches!(backend, crate::support::Backend::Postgres { .. }) {
            continue;
        }
        let first = spawn_app(&backend).await;
        let token = first.api_token("answerer");
        first.create_event("hangout", &[]);
        let second = first.second_instance(&backend).await;
        let through_first = answered(
            &first,
            &token,
            "hangout",
            "Is there a mailing list?",
            "Yes, on the site.",
        )
        .await;
        let through_second = answered(
            &second,
            &token,
            "hangout",
            "Is there a chat room?",
            "Yes, on Matrix.",
        )
        .await;
        for base in [&first.base, &second.base] {
            found(base, "mailing list", through_first).await;
            found(base, "chat room", through_second).await;
        }
    }
}
