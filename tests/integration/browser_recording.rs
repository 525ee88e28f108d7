//! In headless Chromium: after the call, a moderator uploads the captions on the recording page,
//! accepts two proposals as drafted and corrects a third, and the FAQ shows all three.

use std::path::PathBuf;

use crate::browser::{chromedriver, press_keys, sign_in};
use crate::recording::CALL;
use crate::support::{backends, browser, spawn_app};
use crate::webdriver::{Browser, Driver};

fn screenshot(name: &str, backend: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("{name}-{backend}.png"))
}

async fn accept_row(page: &Browser, question: i64) {
    page.click_on(&format!(
        "#q-{question} form.accept .moves button[type=submit]"
    ))
    .await;
    page.wait_until(
        "the accepted question shows as answered",
        &format!(
            "var row = document.getElementById('q-{question}'); \
             return !!row && row.querySelector('.meta').textContent.indexOf('answered') !== -1;"
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_turns_the_recording_into_faq_answers_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("browser journeys skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event(
            "hangout",
            &["--recording-url", "https://www.youtube.com/watch?v=abc"],
        );
        let ask = |body: &'static str| {
            let app = &app;
            async move { app.ask_api(&browser(), "hangout", body).await }
        };
        let release = ask("When is the next release planned?").await;
        let tls = ask("Do Let's Encrypt TLS certificates work?").await;
        let xen = ask("Is the Xen network driver any faster now?").await;
        let captions =
            std::env::temp_dir().join(format!("faqtory-captions-{release}-{}.vtt", app.backend));
        std::fs::write(&captions, CALL).unwrap();
        app.add_moderator("maria", "correct horse battery", false);

        let page = driver.session(1366, 768).await;
        sign_in(&page, &app, "maria", "correct horse battery").await;
        page.goto(&app.url("/mod/e/hangout")).await;
        page.click_on("a[href='/mod/e/hangout/recording']").await;
        let file = page.wait_for("#transcript-file").await;
        page.type_into(&file, captions.to_str().unwrap()).await;
        page.click_on("#transcript button[type=submit]").await;
        page.wait_until(
            "the captions are in",
            "return document.body.textContent.indexOf('Brought in 7 cues') !== -1;",
        )
        .await;
        page.screenshot(&screenshot("recording-review-laptop", app.backend))
            .await;

        // By keys: the first row (the release, at 0:06) selected, its moment ten seconds later;
        // the draft follows, and Enter in the moment field would still accept.
        press_keys(&page, &["j", "]"]).await;
        page.wait_until(
            "the moment moved ten seconds on",
            &format!(
                "var field = document.getElementById('at-{release}');                  return !!field && field.value === '0:16'                    && document.body.textContent.indexOf('not saved until you accept') !== -1;"
            ),
        )
        .await;
        page.run(
            "document.getElementById(arguments[0]).scrollIntoView(); return true;",
            serde_json::json!([format!("q-{release}")]),
        )
        .await;
        page.screenshot(&screenshot("recording-moved-laptop", app.backend))
            .await;
        press_keys(&page, &["["]).await;
        page.wait_until(
            "back where it was proposed",
            &format!(
                "var field = document.getElementById('at-{release}');                  return !!field && field.value === '0:06';"
            ),
        )
        .await;

        // Two as drafted, one corrected in its box.
        accept_row(&page, tls).await;
        accept_row(&page, release).await;
        page.run(
            "document.getElementById(arguments[0]).value = arguments[1]; return true;",
            serde_json::json!([
                format!("answer-{xen}"),
                "Yes: the rewritten driver is faster and uses less memory."
            ]),
        )
        .await;
        accept_row(&page, xen).await;

        // The FAQ lists the three (the index catches up within moments: reload until it has).
        page.goto(&app.url("/faq")).await;
        page.wait_until(
            "the FAQ lists the three answered questions",
            "var text = document.body.textContent; \
             var all = ['When is the next release planned?', \"Do Let's Encrypt TLS certificates work?\", \
                        'Is the Xen network driver any faster now?'] \
               .every(function (q) { return text.indexOf(q) !== -1; }); \
             if (!all) { location.reload(); } return all;",
        )
        .await;
        page.goto(&app.url(&format!("/faq/{xen}"))).await;
        page.wait_until(
            "the corrected answer is the entry's, with what was said",
            "var text = document.body.textContent; \
             return text.indexOf('rewritten driver is faster and uses less memory') !== -1 \
               && text.indexOf('From the recording') !== -1;",
        )
        .await;
        page.screenshot(&screenshot("recording-faq-laptop", app.backend))
            .await;
        page.close().await;

        let phone = driver.session(390, 844).await;
        sign_in(&phone, &app, "maria", "correct horse battery").await;
        phone.goto(&app.url("/mod/e/hangout/recording")).await;
        phone.wait_for("ol.recording-review").await;
        assert_eq!(
            phone
                .run(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    serde_json::json!([])
                )
                .await,
            serde_json::json!(true),
            "nothing wider than the phone"
        );
        phone
            .screenshot(&screenshot("recording-review-phone", app.backend))
            .await;
        // A row with what was said open: the cues' times, the highlight, the nudges.
        phone
            .run(
                "var said = document.querySelector('ol.recording-review details.said');                  said.open = true; said.parentNode.scrollIntoView(); return true;",
                serde_json::json!([]),
            )
            .await;
        assert_eq!(
            phone
                .run(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    serde_json::json!([])
                )
                .await,
            serde_json::json!(true),
            "a row with what was said open fits the phone too"
        );
        phone
            .screenshot(&screenshot("recording-row-phone", app.backend))
            .await;
        phone.close().await;
        let _ = std::fs::remove_file(&captions);
    }
}
