//! Mail as people meet it in Chromium: an asker on a phone (and a laptop) leaves an address with
//! the question, opens the confirmation link from the mail and confirms, sees the follow page say
//! so, and a voter finds the form for their votes; axe-core checks each page. Screenshots go to
//! `target/tmp/browser/`.

use crate::accessibility::violations;
use crate::browser::{axe_source, chromedriver};
use crate::inbox::Inbox;
use crate::support::{backends, spawn_app_with};
use crate::webdriver::{Browser, Driver};

async fn checked(page: &Browser, axe: &str, name: &str, backend: &str) {
    let shot = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("mail-{name}-{backend}.png"));
    page.screenshot(&shot).await;
    let found = violations(page, axe).await;
    assert!(found.is_empty(), "{name}: {found:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_asker_leaves_an_address_and_confirms_it_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("mail journey skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let Some(inbox) = Inbox::from_env("mail journey") else {
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let settings = inbox.settings();
        let app = spawn_app_with(&backend, |config| config.mail = Some(settings)).await;
        app.create_event("call", &[]);
        for (name, (width, height)) in [("phone", (390, 844)), ("laptop", (1366, 768))] {
            let page = driver.session(width, height).await;
            page.goto(&app.url("/e/call")).await;
            let body = page.wait_for("#ask-body").await;
            page.click(&body).await;
            page.type_into(&body, &format!("Can I hear back by email on a {name}?"))
                .await;
            let email = Inbox::address(name);
            let field = page.wait_for("#ask-email").await;
            page.type_into(&field, &email).await;
            checked(&page, &axe, &format!("ask-{name}"), app.backend).await;
            page.click_on("section.ask button[type=submit]").await;
            page.wait_for("#just-asked a.follow-link").await;
            let follow = page
                .run(
                    "return document.querySelector('#just-asked a.follow-link').href;",
                    serde_json::json!([]),
                )
                .await;

            let mail = inbox.wait_for(&email, 1).await;
            page.goto(&mail[0].link("/mail/confirm/")).await;
            page.wait_for("form button.primary").await;
            checked(&page, &axe, &format!("confirm-{name}"), app.backend).await;
            page.click_on("form button.primary").await;
            page.wait_until(
                "the address is confirmed",
                "return document.querySelector('h1').textContent === 'Email confirmed';",
            )
            .await;
            checked(&page, &axe, &format!("confirmed-{name}"), app.backend).await;

            page.goto(follow.as_str().unwrap()).await;
            page.wait_for("#mail").await;
            page.wait_until(
                "the follow page says mail is on its way",
                "return document.querySelector('#mail').textContent.includes('You gave an address');",
            )
            .await;
            checked(&page, &axe, &format!("follow-{name}"), app.backend).await;

            page.goto(&app.url("/e/call")).await;
            page.click_on("p.notify-votes a").await;
            page.wait_for("#notify-email").await;
            checked(&page, &axe, &format!("voter-{name}"), app.backend).await;
            page.close().await;
        }
    }
}
