//! The embeds in Chromium, on a page served from another local origin (`localhost` against the
//! app's `127.0.0.1`: another site, so our cookies there are third-party): the frames size
//! themselves, a visitor votes and asks inside one and searches in the other, and a page that
//! is not made for framing stays empty in a frame. Screenshots go to `target/tmp/browser/`.

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::browser::chromedriver;
use crate::faq_search::{answered, found};
use crate::support::{backends, browser, free_port, spawn_app_with};
use crate::webdriver::Driver;

/// Serves `page` for every request on `port`, as a project's own site would serve its docs.
fn serve_host_page(port: u16, page: String) {
    tokio::spawn(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let page = page.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embeds_on_another_site_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("embed journey skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let host_port = free_port();
        let project_site = format!("http://localhost:{host_port}");
        let app = spawn_app_with(&backend, |config| {
            config.embed_origins = vec![project_site.clone()];
        })
        .await;
        let token = app.api_token("host");
        app.create_event("call", &[]);
        let existing = app
            .ask_api(&browser(), "call", "Will there be a 1.0 release soon?")
            .await;
        let entry = answered(&app, &token, "call", "Does it run on ARM64?", "Yes.").await;
        found(&app.base, "arm64", entry).await;
        serve_host_page(
            host_port,
            format!(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                 <title>Project docs</title></head>\
                 <body style=\"font-family:sans-serif;margin:1rem\"><h1>Project docs</h1>\
                 <iframe id=\"event\" data-faqtory title=\"Questions\" src=\"{app}/embed/e/call\" \
                 style=\"width:100%;border:1px solid #ccc\"></iframe>\
                 <iframe id=\"faq\" data-faqtory title=\"FAQ\" src=\"{app}/embed/faq\" \
                 style=\"width:100%;border:1px solid #ccc\"></iframe>\
                 <iframe id=\"refused\" title=\"Not for frames\" src=\"{app}/e/call\"></iframe>\
                 <script src=\"{app}/assets/embed.js\"></script></body></html>",
                app = app.base
            ),
        );

        for (name, (width, height)) in [("phone", (390, 844)), ("laptop", (1366, 768))] {
            let page = driver.session(width, height).await;
            page.goto(&format!("{project_site}/")).await;
            page.wait_until(
                "embed.js sizes both frames to their pages",
                "return ['event', 'faq'].every(function (id) { \
                   var frame = document.getElementById(id); \
                   return frame.style.height !== '' && frame.getBoundingClientRect().height > 160; })",
            )
            .await;
            let shot = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("browser")
                .join(format!("embed-{name}-{}.png", app.backend));
            page.screenshot(&shot).await;

            // A page not made for framing stays empty there.
            let refused = page.wait_for("#refused").await;
            page.enter_frame(&refused).await;
            assert_eq!(
                page.run("return document.querySelector('main') === null;", json!([]))
                    .await,
                json!(true),
                "{}: the event page itself refuses to be framed",
                app.backend
            );
            page.leave_frame().await;
            page.close().await;
        }

        let page = driver.session(1366, 768).await;
        page.goto(&format!("{project_site}/")).await;
        let frame = page.wait_for("#event").await;
        page.enter_frame(&frame).await;
        page.click_on(&format!("#q-{existing} .vote-button")).await;
        page.wait_until(
            "the vote shows as cast and the server has answered",
            &format!(
                "var b = document.querySelector('#q-{existing} .vote-button'); \
                 return !!b && b.getAttribute('aria-pressed') === 'true' \
                   && b.closest('form').dataset.busy !== '1';"
            ),
        )
        .await;
        assert_eq!(app.vote_count(existing, "call").await, 1, "{}", app.backend);

        let body = page.wait_for("#embed-body").await;
        page.type_into(&body, "Asked inside the project's docs?")
            .await;
        page.click_on("form.embed-ask button[type=submit]").await;
        page.wait_until(
            "the frame says the question is in",
            "var n = document.querySelector('.notice'); \
             return !!n && n.textContent.indexOf('Your question is in') >= 0;",
        )
        .await;
        page.leave_frame().await;
        let questions = app.questions(&browser(), "call").await;
        assert!(
            questions
                .iter()
                .any(|question| question["body"] == "Asked inside the project's docs?"),
            "{}: {questions:?}",
            app.backend
        );

        let frame = page.wait_for("#faq").await;
        page.enter_frame(&frame).await;
        let search = page.wait_for("#embed-q").await;
        page.type_into(&search, "arm64\n").await;
        page.wait_until(
            "the search's hit, opening in a new tab",
            &format!(
                "var a = document.querySelector('ol.embed-hits a[href*=\"/faq/{entry}-\"]'); \
                 return !!a && a.target === '_blank';"
            ),
        )
        .await;
        page.leave_frame().await;
        page.close().await;
    }
}
