//! Polls in Chromium: a participant on a phone answers with one tap and changes their mind; the
//! presenter screen, open beside, follows the count over its live stream; the moderator runs the
//! poll from the polls page with the keyboard. Phone and laptop screenshots, and axe-core's
//! findings, on each page. Screenshots go to `target/tmp/browser/`.

use reqwest::Method;
use serde_json::json;

use crate::accessibility::violations;
use crate::browser::{axe_source, chromedriver, press_keys, shot, sign_in};
use crate::support::{backends, spawn_app};
use crate::webdriver::Driver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_is_answered_on_a_phone_and_followed_on_the_presenter_screen() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("polls journey skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("root", "correct horse battery staple", false);
        let output = app.cli(&["moderator", "token", "create", "root", "--label", "tests"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        app.create_event("call", &[]);
        let (status, poll) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/call/polls",
                &token,
                json!({"kind": "choice", "prompt": "What should the <b>next</b> call be?",
                       "options": ["A walk through the docs", "Q&A with the developers", "Roadmap"],
                       "results": "on_reveal"}),
            )
            .await;
        assert_eq!(status, 201);
        let id = poll["id"].as_i64().unwrap();
        let (_, link) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/call/presenter-link",
                &token,
                json!({}),
            )
            .await;
        let presenter_url = link["url"].as_str().unwrap().to_owned();

        // The moderator opens the poll from the polls page with the keyboard.
        let laptop = driver.session(1366, 768).await;
        sign_in(&laptop, &app, "root", "correct horse battery staple").await;
        laptop.goto(&app.url("/mod/e/call/polls")).await;
        laptop.wait_for("ol.poll-admin li.poll-row").await;
        press_keys(&laptop, &["j", "o"]).await;
        laptop
            .wait_until(
                "the poll is open",
                "return !!document.querySelector('li.poll-row form[action$=\"/close\"]');",
            )
            .await;
        let found = violations(&laptop, &axe).await;
        assert!(found.is_empty(), "{}: polls page: {found:?}", app.backend);
        laptop
            .screenshot(&shot("polls-moderator-laptop", app.backend))
            .await;

        // The presenter screen follows.
        let screen = driver.session(1366, 768).await;
        screen.goto(&presenter_url).await;
        screen
            .wait_until(
                "the poll is on screen",
                "return document.body.textContent.indexOf('What should the <b>next</b> call be?') !== -1;",
            )
            .await;

        // A participant on a phone: the event page points to the poll; one tap answers it.
        let phone = driver.session(390, 844).await;
        phone.goto(&app.url("/e/call")).await;
        phone
            .click_on(&format!("#polls-teaser a[href$='#poll-{id}']"))
            .await;
        phone
            .wait_for(&format!("#poll-{id} button.poll-choice"))
            .await;
        let found = violations(&phone, &axe).await;
        assert!(
            found.is_empty(),
            "{}: polls page on a phone: {found:?}",
            app.backend
        );
        phone
            .click_on(&format!("#poll-{id} button.poll-choice[value='1']"))
            .await;
        phone
            .wait_until(
                "thanked, the answer marked",
                "return document.body.textContent.indexOf('Thanks, your answer is in.') !== -1 \
                   && !!document.querySelector('button.poll-choice[value=\"1\"][aria-pressed=\"true\"]') \
                   && document.documentElement.scrollWidth <= window.innerWidth;",
            )
            .await;
        phone
            .screenshot(&shot("polls-answered-phone", app.backend))
            .await;
        // Changing one's mind is one more tap, and counts once.
        phone
            .click_on(&format!("#poll-{id} button.poll-choice[value='2']"))
            .await;
        phone
            .wait_until(
                "the new answer marked",
                "return !!document.querySelector('button.poll-choice[value=\"2\"][aria-pressed=\"true\"]');",
            )
            .await;

        screen
            .wait_until(
                "the presenter counts the answer without a reload",
                "return document.body.textContent.indexOf('1 answer so far') !== -1;",
            )
            .await;
        // Revealed with the keyboard: the presenter shows the bars.
        press_keys(&laptop, &["v"]).await;
        screen
            .wait_until(
                "the results are on screen",
                "return !!document.querySelector('#screen-polls .poll-bars') \
                   && document.body.textContent.indexOf('1 · 100%') !== -1;",
            )
            .await;
        let found = violations(&screen, &axe).await;
        assert!(found.is_empty(), "{}: presenter: {found:?}", app.backend);
        screen
            .screenshot(&shot("polls-presenter-laptop", app.backend))
            .await;
        for page in [phone, screen, laptop] {
            page.close().await;
        }
    }
}
