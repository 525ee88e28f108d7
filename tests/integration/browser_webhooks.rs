//! The admin's webhooks page in Chromium: adding one through the form, its secret shown once,
//! the delivery log, at phone and laptop sizes, with axe-core's findings. Screenshots go to
//! `target/tmp/browser/`.

use crate::accessibility::violations;
use crate::browser::{axe_source, chromedriver, sign_in};
use crate::support::{backends, browser, spawn_app_with};
use crate::webdriver::Driver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_webhook_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("webhooks page journey skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let app = spawn_app_with(&backend, |config| config.allow_private_webhooks = true).await;
        app.add_moderator("root", "correct horse battery staple", true);
        app.create_event("call", &[]);
        for (name, (width, height)) in [("phone", (390, 844)), ("laptop", (1366, 768))] {
            let page = driver.session(width, height).await;
            sign_in(&page, &app, "root", "correct horse battery staple").await;
            page.goto(&app.url("/mod/admin/webhooks")).await;
            let url = page.wait_for("#webhook-url").await;
            page.type_into(&url, &format!("http://127.0.0.1:9/{name}"))
                .await;
            page.click_on("form[action='/mod/admin/webhooks'] button[type=submit]")
                .await;
            page.wait_until(
                "the secret is shown",
                "var n = document.querySelector('.notice.success code'); return !!n && n.textContent.length >= 32;",
            )
            .await;
            app.ask_api(&browser(), "call", &format!("Asked while on the {name}?"))
                .await;
            page.wait_until(
                "the delivery shows in the log after a reload",
                "if (!document.querySelector('.deliveries')) { location.reload(); return false; } return true;",
            )
            .await;
            let shot = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("browser")
                .join(format!("webhooks-{name}-{}.png", app.backend));
            page.screenshot(&shot).await;
            let found = violations(&page, &axe).await;
            assert!(found.is_empty(), "{name}: {found:#?}");
            page.close().await;
        }
    }
}
