//! The project's documentation in Chromium: an asker on a phone sees the section that answers
//! what they type and says so (counted); the docs text shows as text; the admin's sources page
//! and the team's report at phone and laptop sizes, with axe-core's findings. Screenshots go to
//! `target/tmp/browser/`.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::accessibility::violations;
use crate::browser::{axe_source, chromedriver, shot, sign_in};
use crate::support::{backends, browser, spawn_app, TestApp};
use crate::webdriver::Driver;

fn wiki() -> String {
    [
        json!({ "url": "https://wiki.example/arm64", "title": "MirageOS on ARM64", "section": "SD Card",
                "text": "Create two partitions on the SD card: a FAT boot partition and an ext4 root partition." }),
        json!({ "url": "https://wiki.example/install", "title": "Installing", "section": "Hostile <img src=x onerror=alert(1)>",
                "text": "Firewall rules for the hypervisor bridge: <script>alert(1)</script> and 1 < 2." }),
    ]
    .map(|line| line.to_string())
    .join("\n")
}

async fn wiki_searchable(app: &TestApp, token: &str) {
    let file = app.data_dir.join("wiki.jsonl");
    std::fs::write(&file, wiki()).unwrap();
    let output = app.cli(&["docs", "add", "wiki", "--jsonl", file.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let started = Instant::now();
    loop {
        let (_, listed) = app
            .moderator_api(Method::GET, "/api/v1/docs/sources", token, json!({}))
            .await;
        if listed[0]["indexed"] == true {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never indexed: {listed}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn askers_see_the_docs_and_the_team_sees_what_they_did_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("documentation journey skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("root", "correct horse battery staple", true);
        let output = app.cli(&["moderator", "token", "create", "root", "--label", "tests"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        app.create_event("call", &[]);
        wiki_searchable(&app, &token).await;
        app.ask_api(&browser(), "call", "Will there be a conference in Berlin?")
            .await;

        // On a phone: the section shows while typing, above the similar questions.
        let phone = driver.session(390, 844).await;
        phone.goto(&app.url("/e/call")).await;
        let body = phone.wait_for("#ask-body").await;
        phone.click(&body).await;
        phone
            .type_into(&body, "How should I partition the SD card?")
            .await;
        let title = phone.wait_for(".similar.docs a.doc-title").await;
        assert_eq!(phone.text(&title).await, "MirageOS on ARM64 › SD Card");
        assert_eq!(
            phone
                .run(
                    "return document.querySelector('.similar.docs .doc-snippet mark') !== null \
                       && document.documentElement.scrollWidth <= window.innerWidth;",
                    json!([])
                )
                .await,
            json!(true),
            "the words typed are marked, nothing is wider than the phone"
        );
        phone.screenshot(&shot("docs-ask-phone", app.backend)).await;
        phone.click_on(".similar.docs button").await;
        phone
            .wait_until(
                "the thanks replaces the button",
                "var t = document.querySelector('.similar.docs .doc-thanks'); return !!t && t.textContent.indexOf('Glad it helped') === 0;",
            )
            .await;
        assert_eq!(
            phone
                .run(
                    "return document.getElementById('ask-body').value;",
                    json!([])
                )
                .await,
            json!("How should I partition the SD card?"),
            "what was typed stays"
        );
        let coverage: Value = browser()
            .get(app.url("/api/v1/events/call/docs-coverage"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(coverage["askers_answered"], 1, "{coverage}");

        // Markup in the docs shows as text.
        phone.goto(&app.url("/e/call")).await;
        let body = phone.wait_for("#ask-body").await;
        phone.click(&body).await;
        phone
            .type_into(&body, "Firewall rules for the hypervisor bridge?")
            .await;
        let hostile = phone.wait_for(".similar.docs a.doc-title").await;
        let shown = phone.text(&hostile).await;
        assert!(shown.starts_with("Installing › Hostile"), "{shown}");
        assert_eq!(
            phone
                .run(
                    "return document.querySelector('.similar.docs img, .similar.docs script') === null;",
                    json!([])
                )
                .await,
            json!(true)
        );
        phone.close().await;

        // The admin's page and the team's report, at both sizes.
        for (name, (width, height)) in [("phone", (390, 844)), ("laptop", (1366, 768))] {
            let page = driver.session(width, height).await;
            sign_in(&page, &app, "root", "correct horse battery staple").await;
            page.goto(&app.url("/mod/admin/docs")).await;
            page.wait_for("#source-wiki").await;
            page.screenshot(&shot(&format!("docs-sources-{name}"), app.backend))
                .await;
            let found = violations(&page, &axe).await;
            assert!(found.is_empty(), "sources page, {name}: {found:#?}");
            page.goto(&app.url("/mod/docs")).await;
            page.wait_for("#gaps").await;
            page.screenshot(&shot(&format!("docs-report-{name}"), app.backend))
                .await;
            let found = violations(&page, &axe).await;
            assert!(found.is_empty(), "report, {name}: {found:#?}");
            page.close().await;
        }
    }
}
