//! Merging on the dashboard in Chromium, on a phone and a laptop: a row's picker offers the other
//! questions but not the row's own, the merge says what it did with an undo, and the undo puts
//! the question back; axe-core checks the page with the notice. Screenshots go to
//! `target/tmp/browser/`.

use serde_json::json;

use crate::accessibility::violations;
use crate::browser::{axe_source, chromedriver, sign_in};
use crate::support::{backends, browser, spawn_app};
use crate::webdriver::Driver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_merge_says_what_it_did_and_undoes_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("merge journey skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("hangout", &[]);
        app.add_moderator("maria", "correct horse battery", false);
        for (name, (width, height)) in [("phone", (390, 844)), ("laptop", (1366, 768))] {
            let kept = app
                .ask_api(
                    &browser(),
                    "hangout",
                    &format!("Can MirageOS run on a Raspberry Pi 4 ({name})?"),
                )
                .await;
            let twin = app
                .ask_api(
                    &browser(),
                    "hangout",
                    &format!("Does a Raspberry Pi 4 boot MirageOS unikernels ({name})?"),
                )
                .await;
            let page = driver.session(width, height).await;
            sign_in(&page, &app, "maria", "correct horse battery").await;
            page.goto(&app.url("/mod/e/hangout?tab=live")).await;
            page.click_on(&format!("#q-{twin} details.merge-form summary"))
                .await;
            let into = page.wait_for(&format!("#q-{twin} input[name=into]")).await;
            page.click(&into).await;
            page.wait_until(
                "the picker offers the other question and not the row's own",
                &format!(
                    "var input = document.querySelector('#q-{twin} input[name=into]');\
                     var list = document.getElementById(input.getAttribute('list'));\
                     if (!list) return false;\
                     var values = Array.prototype.map.call(list.options, function (o) {{ return o.value; }});\
                     return values.some(function (v) {{ return v.indexOf('#{kept} ') === 0; }})\
                       && !values.some(function (v) {{ return v.indexOf('#{twin} ') === 0; }});"
                ),
            )
            .await;
            page.type_into(&into, &kept.to_string()).await;
            page.click_on(&format!("#q-{twin} details.merge-form button[type=submit]"))
                .await;
            page.wait_until(
                "the page says what was merged, with its undo",
                &format!(
                    "var notice = document.querySelector('.just-done');\
                     return !!notice && notice.textContent.indexOf('Merged #{twin}') !== -1\
                       && !!notice.querySelector('button[type=submit]')\
                       && !document.getElementById('q-{twin}');"
                ),
            )
            .await;
            let shot = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("browser")
                .join(format!("merge-{name}-{}.png", app.backend));
            page.run("window.scrollTo(0, 0); return true;", json!([]))
                .await;
            page.screenshot(&shot).await;
            let found = violations(&page, &axe).await;
            assert!(found.is_empty(), "{name}: {found:#?}");

            page.click_on(".just-done button[type=submit]").await;
            page.wait_until(
                "the undo puts the question back in the list",
                &format!(
                    "return !!document.getElementById('q-{twin}') && !document.querySelector('.just-done');"
                ),
            )
            .await;
            let listed = app.questions(&browser(), "hangout").await;
            assert!(
                listed.iter().any(|question| question["id"] == twin),
                "{}: listed again after the undo",
                app.backend
            );
            page.close().await;
        }
    }
}
