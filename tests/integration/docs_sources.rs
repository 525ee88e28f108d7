//! Documentation sources through the command line and the admin API: a JSONL file read into
//! sections, refreshed (a changed section keeps its id, a moved one and a removed one leave
//! tombstones), bad lines refused by number with the rest kept, and removed.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, free_port, spawn_app, TestApp};

fn admin_token(app: &TestApp) -> String {
    app.add_moderator("admin", "correct horse battery staple", true);
    let output = app.cli(&["moderator", "token", "create", "admin", "--label", "tests"]);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn line(url: &str, title: &str, section: &str, text: &str) -> String {
    json!({ "url": url, "title": title, "section": section, "text": text }).to_string()
}

const ARM: &str = "https://wiki.example/arm64";
const INSTALL: &str = "https://wiki.example/install";

fn first_version() -> String {
    let long = vec!["A paragraph about unikernels and their build. ".repeat(20); 8].join("\n\n");
    [
        line(
            ARM,
            "MirageOS on ARM64",
            "MirageOS on ARM64",
            "Runs on 64-bit ARM boards.",
        ),
        line(
            ARM,
            "MirageOS on ARM64",
            "SD Card",
            "Create two partitions.",
        ),
        line(INSTALL, "Installing", "With opam", "opam install mirage"),
        "{ not json".to_owned(),
        line(INSTALL, "Installing", "Building <b>everything</b>", &long),
    ]
    .join("\n")
}

fn second_version() -> String {
    let long = vec!["A paragraph about unikernels and their build. ".repeat(20); 8].join("\n\n");
    [
        // The top of the ARM page is gone; its SD card section says more now.
        line(
            ARM,
            "MirageOS on ARM64",
            "SD Card",
            "Create two partitions: boot and root.",
        ),
        // The opam section moved to a page of its own, word for word.
        line(
            "https://wiki.example/opam",
            "Installing",
            "With opam",
            "opam install mirage",
        ),
        line(INSTALL, "Installing", "Building <b>everything</b>", &long),
    ]
    .join("\n")
}

fn run(app: &TestApp, args: &[&str]) -> (bool, String) {
    let output = app.cli(args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn sections(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, listed) = app
        .moderator_api(
            Method::GET,
            "/api/v1/docs/sources/wiki/sections",
            token,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{listed}");
    listed.as_array().unwrap().clone()
}

fn by_url<'a>(sections: &'a [Value], url: &str) -> &'a Value {
    sections
        .iter()
        .find(|section| section["url"] == url && section["removed_at"].is_null())
        .unwrap_or_else(|| panic!("no live section at {url}: {sections:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jsonl_source_is_read_refreshed_with_tombstones_and_removed() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = admin_token(&app);
        let file = app.data_dir.join("wiki.jsonl");
        std::fs::write(&file, first_version()).unwrap();
        let path = file.to_str().unwrap();

        let (ok, said) = run(&app, &["docs", "add", "wiki", "--jsonl", path]);
        assert!(ok, "{said}");
        assert!(said.contains("0 removed"), "{said}");
        assert!(said.contains("line 4:"), "the bad line is named: {said}");

        let first = sections(&app, &token).await;
        let long_passages = first
            .iter()
            .filter(|s| s["url"] == format!("{INSTALL}#building-everything"))
            .count();
        assert!(long_passages >= 2, "a long section is cut: {first:?}");
        assert_eq!(first.len(), 3 + long_passages);
        let card = by_url(&first, &format!("{ARM}#sd-card"));
        assert_eq!(card["title"], "MirageOS on ARM64 › SD Card");
        assert_eq!(card["text"], "Create two partitions.");
        assert_eq!(by_url(&first, ARM)["title"], "MirageOS on ARM64");
        let opam = by_url(&first, &format!("{INSTALL}#with-opam"));

        let (status, listed) = app
            .moderator_api(Method::GET, "/api/v1/docs/sources", &token, json!({}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(listed[0]["name"], "wiki");
        assert_eq!(listed[0]["sections"], first.len());
        assert_eq!(listed[0]["tombstones"], 0);

        // Refreshing an unchanged file changes nothing.
        let (ok, said) = run(&app, &["docs", "refresh", "wiki"]);
        assert!(ok, "{said}");
        assert!(
            said.contains(&format!("0 added, 0 changed, {} unchanged", first.len())),
            "{said}"
        );

        std::fs::write(&file, second_version()).unwrap();
        let (ok, said) = run(&app, &["docs", "refresh", "wiki"]);
        assert!(ok, "{said}");
        assert!(said.contains("0 added, 1 changed"), "{said}");
        assert!(said.contains("1 moved, 1 removed"), "{said}");
        let second = sections(&app, &token).await;
        let card_now = by_url(&second, &format!("{ARM}#sd-card"));
        assert_eq!(card_now["id"], card["id"], "a changed section keeps its id");
        assert_eq!(card_now["text"], "Create two partitions: boot and root.");
        let moved_to = by_url(&second, "https://wiki.example/opam#with-opam");
        let tombstone = |id: &Value| {
            second
                .iter()
                .find(|s| s["id"] == *id)
                .filter(|s| !s["removed_at"].is_null())
                .unwrap_or_else(|| panic!("no tombstone for {id}: {second:?}"))
                .clone()
        };
        assert_eq!(tombstone(&opam["id"])["replaced_by"], moved_to["id"]);
        let top = tombstone(&by_url(&first, ARM)["id"]);
        assert!(top["replaced_by"].is_null(), "{top}");

        let (ok, said) = run(&app, &["docs", "list"]);
        assert!(ok && said.contains("wiki\tjsonl"), "{said}");
        assert!(said.contains("2 tombstones"), "{said}");

        let (ok, said) = run(&app, &["docs", "remove", "wiki"]);
        assert!(ok, "{said}");
        let (status, listed) = app
            .moderator_api(Method::GET, "/api/v1/docs/sources", &token, json!({}))
            .await;
        assert_eq!((status, listed), (200, json!([])));
        let (status, _) = app
            .moderator_api(
                Method::GET,
                "/api/v1/docs/sources/wiki/sections",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sources_and_names_are_refused_with_reasons() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let file = app.data_dir.join("docs.jsonl");
        std::fs::write(&file, line(ARM, "ARM", "Boards", "Raspberry Pi 4")).unwrap();
        let path = file.to_str().unwrap();
        let missing = app.data_dir.join("missing.jsonl");

        let (ok, said) = run(&app, &["docs", "add", "Not A Name", "--jsonl", path]);
        assert!(!ok && said.contains("lower-case letters"), "{said}");
        let (ok, said) = run(
            &app,
            &["docs", "add", "gone", "--jsonl", missing.to_str().unwrap()],
        );
        assert!(!ok && said.contains("Cannot read"), "{said}");
        let (ok, said) = run(&app, &["docs", "list"]);
        assert!(
            ok && said.contains("No documentation sources"),
            "nothing half-added: {said}"
        );

        assert!(run(&app, &["docs", "add", "docs", "--jsonl", path]).0);
        let (ok, said) = run(&app, &["docs", "add", "docs", "--jsonl", path]);
        assert!(!ok && said.contains("already"), "{said}");
        let (ok, said) = run(&app, &["docs", "refresh", "nope"]);
        assert!(!ok && said.contains("documentation source"), "{said}");

        // Binary data, a non-http address and broken JSON are refused line by line.
        let mut nasty = b"\xff\xfe\x00\n".to_vec();
        nasty.extend_from_slice(line("javascript:alert(1)", "x", "y", "z").as_bytes());
        nasty.extend_from_slice(b"\n");
        nasty.extend_from_slice(line(ARM, "ARM", "Boards", "Raspberry Pi 4").as_bytes());
        std::fs::write(&file, nasty).unwrap();
        let (ok, said) = run(&app, &["docs", "refresh", "docs"]);
        assert!(ok, "{said}");
        assert!(said.contains("1 unchanged"), "{said}");
        assert!(said.contains("line 1: not UTF-8"), "{said}");
        assert!(said.contains("line 2:"), "{said}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_markdown_book_is_read_at_its_headings_and_bad_files_are_named() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = admin_token(&app);
        let book = app.data_dir.join("book");
        std::fs::create_dir_all(book.join("guide")).unwrap();
        std::fs::create_dir_all(book.join(".git")).unwrap();
        std::fs::write(book.join("SUMMARY.md"), "- [Install](guide/install.md)\n").unwrap();
        std::fs::write(
            book.join("README.md"),
            "# MirageOS\n\nLibrary operating system.\n",
        )
        .unwrap();
        let install = "# Installing\n\nFirst steps.\n\n## With opam\n\n```sh\n# not a heading\nopam install mirage\n```\n\n### On ARM {#arm}\n\nUse a cross compiler.\n\n## With opam\n\nThe same, again.\n";
        std::fs::write(book.join("guide/install.md"), install).unwrap();
        std::fs::write(book.join(".git/HEAD.md"), "# Not documentation\n\nx").unwrap();
        std::fs::write(book.join("guide/broken.md"), b"# Broken\n\xff\xfe").unwrap();
        std::fs::write(book.join("guide/huge.md"), "x".repeat(6 * 1024 * 1024)).unwrap();

        let dir = book.to_str().unwrap();
        let (ok, said) = run(
            &app,
            &[
                "docs",
                "add",
                "book",
                "--markdown",
                dir,
                "--base-url",
                "https://book.example/",
            ],
        );
        assert!(ok, "{said}");
        assert!(said.contains("guide/broken.md: not UTF-8"), "{said}");
        assert!(said.contains("guide/huge.md: 6 MB"), "{said}");
        let (ok, said) = run(
            &app,
            &[
                "docs",
                "add",
                "bad",
                "--markdown",
                dir,
                "--base-url",
                "ftp://x",
            ],
        );
        assert!(!ok && said.contains("is not an http(s) URL"), "{said}");

        let (status, listed) = app
            .moderator_api(
                Method::GET,
                "/api/v1/docs/sources/book/sections",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{listed}");
        let found: Vec<(String, String)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["url"].as_str().unwrap().to_owned(),
                    s["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let page = "https://book.example/guide/install.html";
        assert_eq!(
            found,
            [
                (
                    "https://book.example/index.html".to_owned(),
                    "MirageOS".to_owned()
                ),
                (page.to_owned(), "Installing".to_owned()),
                (
                    format!("{page}#with-opam"),
                    "Installing › With opam".to_owned()
                ),
                (
                    format!("{page}#arm"),
                    "Installing › With opam › On ARM".to_owned()
                ),
                (
                    format!("{page}#with-opam-1"),
                    "Installing › With opam".to_owned()
                ),
            ]
        );
        let opam = &listed[2];
        assert!(
            opam["text"].as_str().unwrap().contains("# not a heading"),
            "{opam}"
        );

        std::fs::write(
            book.join("guide/install.md"),
            install.replace("cross compiler", "cross compiler (GCC 4.8 or later)"),
        )
        .unwrap();
        let (ok, said) = run(&app, &["docs", "refresh", "book"]);
        assert!(ok, "{said}");
        assert!(said.contains("0 added, 1 changed, 4 unchanged"), "{said}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_refresh_and_remove_sources_through_the_api() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = admin_token(&app);
        let docs = app.data_dir.join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("wiki.jsonl"), first_version()).unwrap();

        for escape in ["../wiki.jsonl", "/etc/passwd", "", "docs/../../x"] {
            let (status, refused) = app
                .moderator_api(
                    Method::POST,
                    "/api/v1/docs/sources",
                    &token,
                    json!({ "name": "wiki", "jsonl": escape }),
                )
                .await;
            assert_eq!(status, 422, "{escape}: {refused}");
            assert_eq!(refused["field"], "jsonl", "{refused}");
        }
        let (status, refused) = app
            .moderator_api(
                Method::POST,
                "/api/v1/docs/sources",
                &token,
                json!({ "name": "wiki" }),
            )
            .await;
        assert_eq!(status, 422, "{refused}");

        let (status, added) = app
            .moderator_api(
                Method::POST,
                "/api/v1/docs/sources",
                &token,
                json!({ "name": "wiki", "jsonl": "wiki.jsonl" }),
            )
            .await;
        assert_eq!(status, 201, "{added}");
        assert_eq!(added["removed"], 0);
        assert_eq!(added["refused"].as_array().unwrap().len(), 1, "{added}");
        let (status, again) = app
            .moderator_api(
                Method::POST,
                "/api/v1/docs/sources",
                &token,
                json!({ "name": "wiki", "jsonl": "wiki.jsonl" }),
            )
            .await;
        assert_eq!(status, 409, "{again}");

        std::fs::write(docs.join("wiki.jsonl"), second_version()).unwrap();
        let (status, refreshed) = app
            .moderator_api(
                Method::POST,
                "/api/v1/docs/sources/wiki/refresh",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{refreshed}");
        assert_eq!(
            (
                &refreshed["changed"],
                &refreshed["moved"],
                &refreshed["removed"]
            ),
            (&json!(1), &json!(1), &json!(1)),
            "{refreshed}"
        );

        let (status, _) = app
            .moderator_api(
                Method::DELETE,
                "/api/v1/docs/sources/wiki",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 204);
        let (status, _) = app
            .moderator_api(
                Method::POST,
                "/api/v1/docs/sources/wiki/refresh",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 404);
    }
}

/// A documentation site of the test's own: each path answers with its status, type and body.
fn serve_site_on(
    port: u16,
    pages: Vec<(&'static str, &'static str, &'static str, Vec<u8>)>,
) -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    listener.set_nonblocking(true).unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut request = vec![0u8; 4096];
            let read = stream.read(&mut request).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&request[..read]).into_owned();
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let (status, kind, body) = pages
                .iter()
                .find(|(at, ..)| *at == path)
                .map(|(_, status, kind, body)| (*status, *kind, body.clone()))
                .unwrap_or(("404 Not Found", "text/plain", b"gone".to_vec()));
            let extra = if status.starts_with("302") {
                format!("location: {}\r\n", String::from_utf8_lossy(&body))
            } else {
                String::new()
            };
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n{extra}connection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_is_read_from_its_sitemap_on_its_own_host_only() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let port = {
            let sitemap = "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                <url><loc>http://127.0.0.1:PORT/install.html</loc></url>\
                <url><loc>http://127.0.0.1:PORT/away.html</loc></url>\
                <url><loc>http://127.0.0.1:PORT/huge.html</loc></url>\
                <url><loc>http://127.0.0.1:PORT/logo.png</loc></url>\
                <url><loc>http://127.0.0.1:PORT/missing.html</loc></url>\
                <url><loc>https://elsewhere.example/page.html</loc></url></urlset>";
            let port = free_port();
            let sitemap = sitemap.replace("PORT", &port.to_string());
            let install = "<html><head><title>Install</title></head><body><nav>Menu</nav><main>\
                <h1>Install</h1><p>First steps.</p><h2 id=\"opam\">With opam</h2>\
                <pre>opam install mirage</pre><h2>On <em>ARM</em></h2><p>Cross compile.</p>\
                <script>alert(1)</script></main></body></html>";
            let pages = vec![
                (
                    "/sitemap.xml",
                    "200 OK",
                    "application/xml",
                    sitemap.into_bytes(),
                ),
                (
                    "/install.html",
                    "200 OK",
                    "text/html; charset=utf-8",
                    install.as_bytes().to_vec(),
                ),
                (
                    "/away.html",
                    "302 Found",
                    "text/html",
                    b"https://elsewhere.example/".to_vec(),
                ),
                (
                    "/huge.html",
                    "200 OK",
                    "text/html",
                    vec![b'x'; 6 * 1024 * 1024],
                ),
                (
                    "/logo.png",
                    "200 OK",
                    "image/png",
                    vec![0x89, b'P', b'N', b'G'],
                ),
            ];
            serve_site_on(port, pages)
        };
        let sitemap = format!("http://127.0.0.1:{port}/sitemap.xml");

        let refused = app.cli(&["docs", "add", "site", "--sitemap", &sitemap]);
        let said = String::from_utf8_lossy(&refused.stderr).into_owned();
        assert!(
            !refused.status.success() && said.contains("private network"),
            "{said}"
        );

        let output = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
            .args(["docs", "add", "site", "--sitemap", &sitemap])
            .env("FAQTORY_DATABASE_URL", &app.database_url)
            .env("FAQTORY_DATA_DIR", &app.data_dir)
            .env("FAQTORY_ALLOW_PRIVATE_WEBHOOKS", "on")
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "{said}");
        assert!(said.contains("3 sections: 3 added"), "{said}");
        assert!(said.contains("away.html: could not fetch it"), "{said}");
        assert!(said.contains("huge.html: more than 5 MB"), "{said}");
        assert!(said.contains("logo.png: not an HTML page"), "{said}");
        assert!(
            said.contains("missing.html: the site answered 404"),
            "{said}"
        );
        assert!(
            said.contains("elsewhere.example/page.html: not on 127.0.0.1"),
            "{said}"
        );

        let token = admin_token(&app);
        let (status, listed) = app
            .moderator_api(
                Method::GET,
                "/api/v1/docs/sources/site/sections",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{listed}");
        let page = format!("http://127.0.0.1:{port}/install.html");
        let found: Vec<(String, String)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["url"].as_str().unwrap().to_owned(),
                    s["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (page.clone(), "Install".to_owned()),
                (format!("{page}#opam"), "Install › With opam".to_owned()),
                (format!("{page}#on-arm"), "Install › On ARM".to_owned()),
            ]
        );
        assert!(listed[1]["text"]
            .as_str()
            .unwrap()
            .contains("```\nopam install mirage"));
        assert!(!listed.to_string().contains("alert(1)") && !listed.to_string().contains("Menu"));
    }
}
