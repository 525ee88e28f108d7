use crate::support::{backends, browser, spawn_app};

const SCRIPT: &str = "<script>alert('owned')</script>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_in_every_field_is_shown_as_text() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let title = format!("Title {SCRIPT}");
        let description = format!("Description {SCRIPT}");
        let output = app.cli(&[
            "event",
            "create",
            "--slug",
            "xss",
            "--title",
            &title,
            "--description",
            &description,
        ]);
        assert!(output.status.success());
        let body = format!("Question {SCRIPT} \"quoted\" & <b>bold</b>?");
        let name = "<img src=x onerror=alert(1)>";
        let response = app.ask_form(&app.client, "xss", &body, name).await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        // A refused submission echoes the text back: escaped as well.
        let refused = app.ask_form(&app.client, "xss", "<b>hi</b>", name).await;
        assert_eq!(refused.status(), 422);
        let refused_page = refused.text().await.unwrap();

        for page in [
            app.get_text(&app.client, "/e/xss").await.1,
            app.get_text(&browser(), "/").await.1,
            refused_page,
        ] {
            assert!(
                !page.contains("<script>alert"),
                "{}: unescaped script",
                app.backend
            );
            assert!(!page.contains("<img src=x"), "unescaped tag");
            assert!(!page.contains("<b>bold"), "unescaped markup");
            assert!(!page.contains("<b>hi"), "unescaped echo");
        }
        let (_, page) = app.get_text(&app.client, "/e/xss").await;
        assert!(page.contains("&lt;script&gt;alert('owned')&lt;/script&gt;"));
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));

        let listed = app.questions(&browser(), "xss").await;
        assert_eq!(
            listed[0]["body"],
            body.as_str(),
            "the API returns the text as typed"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_and_oversized_bodies_get_a_4xx_never_a_500() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hostile", &[]);
        let client = browser();
        let csrf = app.csrf_token(&client, "hostile").await;
        let ask_form = app.url("/e/hostile/ask");
        let ask_api = app.url("/api/v1/events/hostile/questions");

        let ten_kb = "q".repeat(10 * 1024);
        let one_mb = "q".repeat(1024 * 1024);
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let cases: Vec<(&str, reqwest::RequestBuilder)> = vec![
            ("10 KB form", client.post(&ask_form).form(&[("body", ten_kb.as_str()), ("csrf", &csrf)])),
            ("1 MB form", client.post(&ask_form).form(&[("body", one_mb.as_str()), ("csrf", &csrf)])),
            ("10 KB json", client.post(&ask_api).json(&serde_json::json!({"body": ten_kb}))),
            ("1 MB json", client.post(&ask_api).json(&serde_json::json!({"body": one_mb}))),
            ("NUL in form", client.post(&ask_form).form(&[("body", "A question with a \0 NUL byte?"), ("csrf", &csrf)])),
            ("NUL in json", client.post(&ask_api).json(&serde_json::json!({"body": "A question with a \u{0} NUL?", "author_name": "nul\u{0}"}))),
            ("invalid UTF-8 json", client.post(&ask_api).header("content-type", "application/json").body(b"{\"body\": \"\xff\xfe\xfd question?\"}".to_vec())),
            ("binary json", client.post(&ask_api).header("content-type", "application/json").body(vec![0u8, 159, 146, 150, 255])),
            ("deep nesting", client.post(&ask_api).header("content-type", "application/json").body(deep)),
            ("wrong types", client.post(&ask_api).json(&serde_json::json!({"body": 42, "author_name": ["x"]}))),
            ("form to vote", client.post(app.url("/e/hostile/q/1/vote")).form(&[("csrf", csrf.as_str()), ("action", "sideways")])),
            ("huge id", client.post(app.url("/api/v1/questions/99999999999999999999999/vote")).header("content-type", "application/json")),
            ("negative id", client.post(app.url("/api/v1/questions/-1/vote")).header("content-type", "application/json")),
        ];
        for (name, request) in cases {
            let response = request.send().await.unwrap();
            let status = response.status();
            assert!(
                status.is_client_error(),
                "{}: {name} gave {status}",
                app.backend
            );
        }
        app.ask_api(&client, "hostile", "'); DROP TABLE questions; --")
            .await;
        // Form decoding replaces invalid UTF-8 with U+FFFD, as browsers do: kept, never a 500.
        let invalid_utf8 = client
            .post(&ask_form)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}&body=%FF%FE%FD+is+this+readable%3F"))
            .send()
            .await
            .unwrap();
        assert_eq!(invalid_utf8.status(), 303);

        let too_big = browser()
            .post(&ask_api)
            .json(&serde_json::json!({"body": one_mb}))
            .send()
            .await
            .unwrap();
        assert_eq!(too_big.status(), 413);
        let error: serde_json::Value = too_big.json().await.unwrap();
        assert_eq!(error["error"], "payload_too_large");

        // The SQL is just text, and the table is still there.
        let listed = app.questions(&browser(), "hostile").await;
        let bodies: Vec<&str> = listed.iter().map(|q| q["body"].as_str().unwrap()).collect();
        assert_eq!(
            bodies,
            [
                "'); DROP TABLE questions; --",
                "\u{fffd}\u{fffd}\u{fffd} is this readable?"
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_paths_and_queries_are_4xx() {
    let app = spawn_app(&backends()[0]).await;
    app.create_event("paths", &[]);
    for path in [
        "/e/paths?sort=%FF",
        "/e/paths?asked=notanumber",
        "/e/%00",
        "/e/..%2F..%2Fetc%2Fpasswd",
        "/follow/%FF%FE",
        "/api/v1/events/%FF/questions",
        "/assets/..%2Fsrc%2Fmain.rs",
    ] {
        let response = app.get(&app.client, path).await;
        assert!(
            response.status().is_client_error() || response.status().is_success(),
            "{path} gave {}",
            response.status()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_filters_take_any_text() {
    for backend in crate::support::backends() {
        let app = crate::support::spawn_app(&backend).await;
        let token = app.api_token("auditor");
        let moderator = crate::support::browser();
        assert_eq!(
            app.sign_in(&moderator, "auditor", "correct horse battery staple")
                .await
                .status(),
            303
        );
        for query in [
            "event=%00&moderator=%00x&action=%00",
            "event=%FF%FE&limit=-5",
            "action=%27%3B+DROP+TABLE+modlog%3B--",
        ] {
            let api = crate::support::browser()
                .get(app.url(&format!("/api/v1/modlog?{query}")))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status();
            assert!(
                api.is_success() || api.is_client_error(),
                "{}: api {query}: {api}",
                app.backend
            );
            let page = app
                .get(&moderator, &format!("/mod/log?{query}"))
                .await
                .status();
            assert!(
                page.is_success() || page.is_client_error(),
                "{}: page {query}: {page}",
                app.backend
            );
        }
    }
}
