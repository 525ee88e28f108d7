use crate::support::{backends, browser, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics_answer() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        assert_eq!(app.get(&app.client, "/healthz").await.status(), 200);
        let (status, ready) = app.get_text(&app.client, "/readyz").await;
        assert_eq!(
            (status, ready.as_str()),
            (200, "ready\n"),
            "{}",
            app.backend
        );

        app.create_event("metrics", &[]);
        let id = app
            .ask_api(&app.client, "metrics", "Are the metrics counting this?")
            .await;
        app.vote_api(&browser(), id, true).await;
        let (status, metrics) = app.get_text(&app.client, "/metrics").await;
        assert_eq!(status, 200);
        assert!(
            metrics.contains("faqtory_questions_asked_total 1"),
            "{metrics}"
        );
        assert!(metrics.contains("faqtory_votes_cast_total 1"));
        assert!(metrics.contains(
            "faqtory_http_requests_total{route=\"/api/v1/events/{slug}/questions\",method=\"POST\",status=\"201\"} 1"
        ));
        assert!(
            metrics.lines().any(|line| line
                .starts_with("faqtory_http_request_duration_seconds_bucket{")
                && line.contains("route=\"/healthz\"")
                && line.contains("le=\"+Inf\"")
                && line.ends_with("} 1")),
            "{metrics}"
        );
        if app.backend == "sqlite" {
            // The writer's group commit: how many writes each transaction carried.
            assert!(
                metrics.lines().any(|line| line
                    .starts_with("faqtory_db_write_batch_size_bucket{le=\"+Inf\"}")
                    && !line.ends_with(" 0")),
                "{metrics}"
            );
        }
        // OpenMetrics, written by the library: types declared, the exposition ended.
        assert!(metrics.contains("# TYPE faqtory_live_subscribers gauge"));
        assert!(metrics.ends_with("# EOF\n"), "{metrics}");
        let response = app.get(&app.client, "/metrics").await;
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_api() {
    let app = spawn_app(&backends()[0]).await;
    let doc: serde_json::Value = app
        .get(&app.client, "/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/events",
        "/api/v1/events/{slug}/questions",
        "/api/v1/questions/{id}/vote",
        "/api/v1/follow/{token}",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    // What every write and every moderator operation can answer is documented on each.
    let mut writes = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            if ["post", "patch", "delete"].contains(&method.as_str()) {
                writes += 1;
                for status in ["400", "403"] {
                    assert!(responses.contains_key(status), "{method} {path}: {status}");
                }
            }
            if operation.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path}: 401");
            }
        }
    }
    assert!(writes > 10);
    let export = &paths["/api/v1/events/{slug}/export"]["get"]["responses"]["200"]["content"];
    assert!(export["application/json"].is_object() && export["text/csv"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_served_under_hashed_names_and_cached() {
    let app = spawn_app(&backends()[0]).await;
    let (_, home) = app.get_text(&app.client, "/").await;
    let start = home.find("/assets/style.").unwrap();
    let end = home[start..].find('"').unwrap() + start;
    let response = app.get(&app.client, &home[start..end]).await;
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("cache-control")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert_eq!(
        app.get(&app.client, "/assets/nothing.css").await.status(),
        404
    );
    assert_eq!(app.get(&app.client, "/favicon.ico").await.status(), 301);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_applies_and_reports() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let output = app.cli(&["migrate"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("Migrations applied"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_database_url_reports_the_real_error() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
        .args([
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            "migrate",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("127.0.0.1") && stderr.to_lowercase().contains("connect"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_its_url_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let data_dir = std::env::temp_dir().join(format!("faqtory-serve-{}", std::process::id()));
    let mut server = Command::new(env!("CARGO_BIN_EXE_faqtory"))
        .args(["serve", "--bind", "127.0.0.1:0", "--log-format", "json"])
        .env("FAQTORY_DATA_DIR", &data_dir)
        .env_remove("FAQTORY_DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("faqtory is serving on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        data_dir.join("faqtory.db").exists(),
        "SQLite in the data directory by default"
    );
    assert!(
        data_dir.join("secret.key").exists(),
        "a generated secret is kept"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || server.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exited with {status:?}");
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_against_a_data_directory_without_a_database_says_so() {
    let scratch = crate::tiny_model::scratch_dir("no-database");
    let mistyped = scratch.join("dta");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
        .args(["--data-dir", mistyped.to_str().unwrap(), "event", "list"])
        .env_remove("FAQTORY_DATABASE_URL")
        .env_remove("FAQTORY_DATA_DIR")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("there is no database at"), "{stderr}");
    assert!(stderr.contains("faqtory migrate"), "{stderr}");
    assert!(!mistyped.exists(), "nothing was created there");
}
