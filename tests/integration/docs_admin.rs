//! Documentation sources on the admin page, on a schedule, and one refresh at a time: the page
//! adds, schedules, refreshes (in the background, followed on the page) and removes; a source
//! whose schedule comes due is refreshed by itself; a refresh under way says how far it got and
//! turns a second one away.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{backends, browser, hidden_value, spawn_app, spawn_app_with, TestApp};

fn admin_token(app: &TestApp) -> String {
    app.add_moderator("admin", "correct horse battery staple", true);
    let output = app.cli(&["moderator", "token", "create", "admin", "--label", "tests"]);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn wiki(sd_card: &str) -> String {
    [
        json!({ "url": "https://wiki.example/arm64", "title": "MirageOS on ARM64", "section": "SD Card", "text": sd_card }),
        json!({ "url": "https://wiki.example/install", "title": "Installing", "section": "With opam", "text": "opam install mirage" }),
    ]
    .map(|line| line.to_string())
    .join("\n")
}

async fn source(app: &TestApp, token: &str) -> Value {
    let (status, listed) = app
        .moderator_api(Method::GET, "/api/v1/docs/sources", token, json!({}))
        .await;
    assert_eq!(status, 200, "{listed}");
    listed[0].clone()
}

/// Waits until the source's last report says `what` (a refresh in the background ends soon).
async fn report_says(app: &TestApp, token: &str, what: &str) -> Value {
    let started = Instant::now();
    loop {
        let source = source(app, token).await;
        if source["last_report"]
            .as_str()
            .is_some_and(|report| report.contains(what))
        {
            return source;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the report never said {what:?}: {source}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_schedule_refresh_and_remove_sources_on_their_page() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = admin_token(&app);
        let docs = app.data_dir.join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("wiki.jsonl"), wiki("Create two partitions.")).unwrap();
        let admin = browser();
        assert_eq!(
            app.sign_in(&admin, "admin", "correct horse battery staple")
                .await
                .status(),
            303
        );
        let (status, page) = app.get_text(&admin, "/mod/admin/docs").await;
        assert_eq!(status, 200);
        assert!(page.contains("No documentation sources yet."), "{page}");
        let csrf = hidden_value(&page, "csrf").unwrap();
        // Before any source, the team's report says there is nothing to report rather than
        // listing every question as a gap.
        app.create_event("call", &[]);
        app.ask_api(&browser(), "call", "Will there be a conference in Berlin?")
            .await;
        let (status, report) = app.get_text(&admin, "/mod/docs").await;
        assert_eq!(status, 200);
        assert!(
            report.contains("No documentation is searchable yet"),
            "{report}"
        );
        let (_, report) = app
            .moderator_api(Method::GET, "/api/v1/docs/report", &token, json!({}))
            .await;
        assert_eq!(report["sections_searchable"], 0, "{report}");
        assert!(report["gaps"].as_array().unwrap().is_empty(), "{report}");
        let add = |fields: Vec<(&'static str, String)>| {
            let admin = admin.clone();
            let url = app.url("/mod/admin/docs");
            async move {
                let response = admin.post(url).form(&fields).send().await.unwrap();
                let status = response.status().as_u16();
                (status, response.text().await.unwrap())
            }
        };

        // Refused: the form comes back with what was typed, escaped, and why.
        let (status, page) = add(vec![
            ("csrf", csrf.clone()),
            ("name", "wiki".into()),
            ("kind", "jsonl".into()),
            ("location", "../<script>.jsonl".into()),
        ])
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("value=\"../&lt;script&gt;.jsonl\""), "{page}");
        assert!(page.contains("is not a path inside"), "{page}");
        let (status, page) = add(vec![
            ("csrf", csrf.clone()),
            ("name", "Wiki <b>".into()),
            ("kind", "jsonl".into()),
            ("location", "wiki.jsonl".into()),
        ])
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("value=\"Wiki &lt;b&gt;\""), "{page}");
        assert!(page.contains("lower-case letters"), "{page}");
        let (status, _) = add(vec![
            ("csrf", csrf.clone()),
            ("name", "wiki".into()),
            ("kind", "nonsense".into()),
            ("location", "wiki.jsonl".into()),
        ])
        .await;
        assert_eq!(status, 422);

        let (status, _) = add(vec![
            ("csrf", csrf.clone()),
            ("name", "wiki".into()),
            ("kind", "jsonl".into()),
            ("location", "wiki.jsonl".into()),
        ])
        .await;
        assert_eq!(status, 303);
        let (_, page) = app.get_text(&admin, "/mod/admin/docs").await;
        assert!(page.contains("id=\"source-wiki\""), "{page}");
        assert!(page.contains("2 sections: 2 added"), "{page}");
        let (status, page) = add(vec![
            ("csrf", csrf.clone()),
            ("name", "wiki".into()),
            ("kind", "jsonl".into()),
            ("location", "wiki.jsonl".into()),
        ])
        .await;
        assert_eq!(status, 409, "{page}");

        // A schedule from the list; one outside the range is refused.
        let schedule = |every: &'static str| {
            let admin = admin.clone();
            let url = app.url("/mod/admin/docs/wiki/schedule");
            let csrf = csrf.clone();
            async move {
                let response = admin
                    .post(url)
                    .form(&[("csrf", csrf.as_str()), ("every", every)])
                    .send()
                    .await
                    .unwrap();
                response.status().as_u16()
            }
        };
        assert_eq!(schedule("1440").await, 303);
        let listed = source(&app, &token).await;
        assert_eq!(listed["refresh_every_minutes"], 1440, "{listed}");
        assert!(listed["next_refresh_at"].is_string(), "{listed}");
        assert!(listed["refreshing"].is_null(), "{listed}");
        assert_eq!(schedule("2").await, 422);
        assert_eq!(schedule("daily").await, 422);
        assert_eq!(schedule("").await, 303);
        assert!(source(&app, &token).await["refresh_every_minutes"].is_null());

        // Refreshed in the background: the page answers at once, the report follows.
        std::fs::write(
            docs.join("wiki.jsonl"),
            wiki("Create two partitions: boot and root."),
        )
        .unwrap();
        let response = admin
            .post(app.url("/mod/admin/docs/wiki/refresh"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        report_says(&app, &token, "1 changed").await;
        let response = admin
            .post(app.url("/mod/admin/docs/nothing/refresh"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        // From another site, nothing happens.
        let response = admin
            .post(app.url("/mod/admin/docs/wiki/delete"))
            .header("sec-fetch-site", "cross-site")
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);

        // Moderators who are not admins are kept out.
        let moderator = app.signed_in_moderator("host").await;
        let (status, _) = app.get_text(&moderator, "/mod/admin/docs").await;
        assert_eq!(status, 403);

        let response = admin
            .post(app.url("/mod/admin/docs/wiki/delete"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let (_, page) = app.get_text(&admin, "/mod/admin/docs").await;
        assert!(page.contains("No documentation sources yet."), "{page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_source_is_refreshed_once_it_is_due() {
    for backend in backends() {
        let clock = faqtory::app::clock::Clock::default();
        let app = {
            let clock = clock.clone();
            spawn_app_with(&backend, move |config| {
                config.clock = clock;
                config.docs_schedule_check = Duration::from_millis(50);
            })
            .await
        };
        let token = admin_token(&app);
        let file = app.data_dir.join("wiki.jsonl");
        std::fs::write(&file, wiki("Create two partitions.")).unwrap();
        let output = app.cli(&["docs", "add", "wiki", "--jsonl", file.to_str().unwrap()]);
        assert!(output.status.success());
        let output = app.cli(&["docs", "schedule", "wiki", "60"]);
        assert!(output.status.success(), "{output:?}");
        let output = app.cli(&["docs", "schedule", "wiki", "1"]);
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("5 to 43200 minutes"));
        let listed = String::from_utf8(app.cli(&["docs", "list"]).stdout).unwrap();
        assert!(listed.contains("every 60 min"), "{listed}");

        std::fs::write(&file, wiki("Create two partitions: boot and root.")).unwrap();
        let (status, _) = app
            .moderator_api(
                Method::PUT,
                "/api/v1/docs/sources/wiki/schedule",
                &token,
                json!({ "refresh_every_minutes": 60.0 }),
            )
            .await;
        assert_eq!(status, 204, "a whole number either way");
        let (status, refused) = app
            .moderator_api(
                Method::PUT,
                "/api/v1/docs/sources/wiki/schedule",
                &token,
                json!({ "refresh_every_minutes": 100000 }),
            )
            .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["field"], "refresh_every_minutes");
        // An hour on, the service reads it again by itself.
        clock.advance(chrono::Duration::minutes(61));
        let started = Instant::now();
        loop {
            let (status, sections) = app
                .moderator_api(
                    Method::GET,
                    "/api/v1/docs/sources/wiki/sections",
                    &token,
                    json!({}),
                )
                .await;
            assert_eq!(status, 200);
            let read_again = sections
                .as_array()
                .unwrap()
                .iter()
                .any(|section| section["text"] == "Create two partitions: boot and root.");
            if read_again {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "never refreshed on schedule: {sections}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(source(&app, &token).await["refresh_every_minutes"], 60);
    }
}

/// A site whose one page answers only when the test lets it: a refresh of it stays under way
/// until then.
async fn held_site(release: tokio::sync::watch::Receiver<bool>) -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let sitemap = format!(
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{base}/held</loc></url></urlset>"
    );
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let sitemap = sitemap.clone();
            let mut release = release.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 4096];
                let read = stream.read(&mut request).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&request[..read]).into_owned();
                let body = if head.starts_with("GET /sitemap.xml") {
                    sitemap
                } else {
                    let _ = release.wait_for(|released| *released).await;
                    "<html><body><main><h1>Held</h1><p>Answered at last.</p></main></body></html>"
                        .to_owned()
                };
                let kind = if body.starts_with("<?xml") {
                    "application/xml"
                } else {
                    "text/html"
                };
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("{base}/sitemap.xml")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_under_way_shows_its_progress_and_turns_a_second_away() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |config| config.allow_private_webhooks = true).await;
        let token = admin_token(&app);
        let (release, held) = tokio::sync::watch::channel(false);
        let sitemap = held_site(held).await;
        let adding = {
            let (base, token, sitemap) = (app.base.clone(), token.clone(), sitemap.clone());
            tokio::spawn(async move {
                browser()
                    .post(format!("{base}/api/v1/docs/sources"))
                    .bearer_auth(token)
                    .json(&json!({ "name": "site", "sitemap": sitemap }))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        };
        // The page is listed and asked for; the refresh holds the source meanwhile.
        let started = Instant::now();
        let refreshing = loop {
            let (_, listed) = app
                .moderator_api(Method::GET, "/api/v1/docs/sources", &token, json!({}))
                .await;
            if listed[0]["refreshing"]["total"] == 1 {
                break listed[0].clone();
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "never seen refreshing: {listed}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        };
        assert_eq!(refreshing["refreshing"]["done"], 0, "{refreshing}");
        let (status, refused) = app
            .moderator_api(
                Method::POST,
                "/api/v1/docs/sources/site/refresh",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 409, "{refused}");
        assert!(refused["message"]
            .as_str()
            .unwrap()
            .contains("being refreshed already"));
        let admin = browser();
        app.sign_in(&admin, "admin", "correct horse battery staple")
            .await;
        let (_, page) = app.get_text(&admin, "/mod/admin/docs").await;
        assert!(page.contains("0 of 1 pages read"), "{page}");
        assert!(page.contains("data-reload-soon"), "{page}");

        release.send(true).unwrap();
        assert_eq!(adding.await.unwrap(), 201);
        let done = source(&app, &token).await;
        assert!(done["refreshing"].is_null(), "{done}");
        assert_eq!(done["sections"], 1, "{done}");
        let (status, refreshed) = app
            .moderator_api(
                Method::POST,
                "/api/v1/docs/sources/site/refresh",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "the lease was given back: {refreshed}");
        let (_, page) = app.get_text(&admin, "/mod/admin/docs").await;
        assert!(!page.contains("data-reload-soon"), "{page}");
    }
}
