//! The FAQ taken to a documentation site: `faqtory faq export` as Markdown and HTML, and
//! `GET /faq.md`.

use std::collections::HashMap;
use std::path::Path;

use reqwest::Method;
use serde_json::json;

use crate::faq_search::answered;
use crate::support::{backends, browser, spawn_app, TestApp};

const SITE: &str = "https://ask.example.org";
const NASTY_QUESTION: &str = "Is <script>alert(1)</script> *safe* in [docs](x) {#id}?";
const NASTY_ANSWER: &str =
    "Mostly. <img src=x onerror=alert(2)><script>alert(4)</script> See [the guide](https://mirage.io/docs) \
     and never [this](javascript:alert(3)).";

async fn label(app: &TestApp, token: &str, id: i64, labels: &[&str]) {
    let (status, reply) = app
        .moderator_api(
            Method::PATCH,
            &format!("/api/v1/questions/{id}"),
            token,
            json!({ "labels": labels }),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
}

fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES),
    );
    out
}

/// Every link `href="file#anchor"` between the exported files leads to a file that has that id.
fn links_resolve(files: &HashMap<String, String>, rendered: &HashMap<String, String>) {
    for (name, html) in rendered {
        for (at, _) in html.match_indices("href=\"") {
            let target = &html[at + 6..];
            let target = &target[..target.find('"').unwrap()];
            if target.starts_with("http") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            assert!(files.contains_key(file), "{name} links to {target}");
            if !anchor.is_empty() {
                assert!(
                    rendered[file].contains(&format!("id=\"{anchor}\"")),
                    "{name} links to {target}: {}",
                    rendered[file]
                );
            }
        }
    }
}

fn read_dir(dir: &Path) -> HashMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().into_string().unwrap(),
                std::fs::read_to_string(entry.path()).unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faq_exports_as_markdown_and_html_pages_whose_links_hold() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("host");
        app.create_event(
            "call",
            &[
                "--recording-url",
                "https://www.youtube.com/watch?v=abc",
                "--labels",
                "roadmap, index",
            ],
        );
        let nasty = answered(&app, &token, "call", NASTY_QUESTION, NASTY_ANSWER).await;
        let roadmap = answered(&app, &token, "call", "When is 1.0?", "In **May**.").await;
        let plain = answered(&app, &token, "call", "Is there a chat?", "Yes, on Matrix.").await;
        label(&app, &token, nasty, &["roadmap"]).await;
        label(&app, &token, roadmap, &["roadmap"]).await;
        let indexed = answered(&app, &token, "call", "What is indexed?", "Answers.").await;
        label(&app, &token, indexed, &["index"]).await;

        let out = app.data_dir.join("faq-site");
        let out_arg = out.to_str().unwrap();
        let output = app.cli(&[
            "--base-url",
            SITE,
            "faq",
            "export",
            "--format",
            "markdown",
            "--out",
            out_arg,
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let files = read_dir(&out);
        let mut names: Vec<&str> = files.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "SUMMARY.md",
                "index-2.md",
                "index.md",
                "more-answers.md",
                "roadmap.md"
            ],
            "a label called `index` does not overwrite the index"
        );
        let rendered: HashMap<String, String> = files
            .iter()
            .map(|(name, text)| (name.clone(), markdown_to_html(text)))
            .collect();
        links_resolve(&files, &rendered);

        let roadmap_page = &rendered["roadmap.md"];
        assert!(roadmap_page.contains("<h1>roadmap</h1>"), "{roadmap_page}");
        assert!(
            roadmap_page.contains(&format!(
                "<h2 id=\"faq-{nasty}\">Is &lt;script&gt;alert(1)&lt;/script&gt; *safe* in [docs](x) {{#id}}?</h2>"
            )),
            "the question shown as asked: {roadmap_page}"
        );
        assert!(!roadmap_page.contains("<script"), "{roadmap_page}");
        assert!(!roadmap_page.contains("<img"), "{roadmap_page}");
        assert!(
            !roadmap_page.contains("onerror") && !roadmap_page.contains("alert(4)"),
            "raw HTML the answer's page leaves out is not shown as text either: {roadmap_page}"
        );
        assert!(!roadmap_page.contains("javascript:"), "{roadmap_page}");
        assert!(roadmap_page.contains("href=\"https://mirage.io/docs\""));
        assert!(roadmap_page.contains("<strong>May</strong>"));
        assert!(
            roadmap_page.contains("href=\"https://www.youtube.com/watch?v=abc&amp;t=62\""),
            "the moment in the recording: {roadmap_page}"
        );
        assert!(roadmap_page.contains(&format!("href=\"{SITE}/faq/{roadmap}-when-is-1-0\"")));
        assert!(roadmap_page.contains(&format!("href=\"{SITE}/e/call\"")));
        assert!(rendered["more-answers.md"].contains(&format!("id=\"faq-{plain}\"")));
        assert!(rendered["index-2.md"].contains(&format!("id=\"faq-{indexed}\"")));
        assert!(files["SUMMARY.md"].contains("[roadmap](roadmap.md)"));

        let html_out = app.data_dir.join("faq-html");
        let output = app.cli(&[
            "--base-url",
            SITE,
            "faq",
            "export",
            "--format",
            "html",
            "--out",
            html_out.to_str().unwrap(),
        ]);
        assert!(output.status.success());
        let pages = read_dir(&html_out);
        let mut names: Vec<&str> = pages.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "index-2.html",
                "index.html",
                "more-answers.html",
                "roadmap.html"
            ]
        );
        links_resolve(&pages, &pages);
        let roadmap_html = &pages["roadmap.html"];
        assert!(roadmap_html.contains(&format!("<section id=\"faq-{nasty}\">")));
        assert!(roadmap_html.contains("&lt;script&gt;alert(1)"));
        assert!(!roadmap_html.contains("<script"), "{roadmap_html}");
        assert!(!roadmap_html.contains("onerror"), "{roadmap_html}");
        assert!(!roadmap_html.contains("javascript:"), "{roadmap_html}");

        // The same Markdown from the site, following new answers.
        let response = browser().get(app.url("/faq.md")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/markdown; charset=utf-8"
        );
        let document = markdown_to_html(&response.text().await.unwrap());
        assert!(
            document.contains(&format!("<h3 id=\"faq-{nasty}\">")),
            "{document}"
        );
        assert!(document.contains(&format!("href=\"{}/faq/{roadmap}-when-is-1-0\"", app.base)));
        assert!(!document.contains("<script"));
        let later = answered(&app, &token, "call", "Is it fast?", "Very.").await;
        let (_, document) = app.get_text(&browser(), "/faq.md").await;
        assert!(
            document.contains(&format!("{{#faq-{later}}}")),
            "nothing stale after a change: {document}"
        );
    }
}
