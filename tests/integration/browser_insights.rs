//! Topics across events in Chromium: the team's page after a few calls, at laptop and phone
//! sizes, a topic opened and renamed from its own page. Screenshots and axe-core's findings on
//! each. Screenshots go to `target/tmp/browser/`.

use reqwest::Method;
use serde_json::json;

use crate::accessibility::violations;
use crate::browser::{axe_source, chromedriver, shot, sign_in};
use crate::support::{backends, browser, free_port, spawn_app_with, TestApp};
use crate::webdriver::Driver;

/// Three monthly calls: Docker keeps coming back and grows, the licence was answered once.
async fn three_calls(app: &TestApp, token: &str) {
    let calls = [
        (
            "october-call",
            vec![
                "Which licence covers the code?",
                "How do I run faqtory in Docker?",
            ],
        ),
        (
            "november-call",
            vec![
                "Is there a Docker image for faqtory?",
                "Can I use the licence for commercial code?",
                "Does it support <script>alert(1)</script> single sign-on with SAML?",
            ],
        ),
        (
            "december-call",
            vec![
                "Running faqtory with docker compose",
                "Docker compose file for faqtory",
                "Docker image tags for faqtory releases",
                "SAML single sign-on setup",
            ],
        ),
    ];
    for (slug, questions) in calls {
        app.create_event(slug, &[]);
        for body in questions {
            let id = app.ask_api(&browser(), slug, body).await;
            if body.starts_with("Which licence") {
                let (status, _) = app
                    .moderator_api(
                        Method::POST,
                        &format!("/api/v1/questions/{id}/answer"),
                        token,
                        json!({"answer_md": "MIT."}),
                    )
                    .await;
                assert_eq!(status, 200);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_sees_its_topics_and_renames_one() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("insights journey skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        // Mail is offered (to no server: nothing is sent here), so the digest form shows.
        let nowhere = faqtory::config::MailSettings {
            smtp_url: format!("smtp://127.0.0.1:{}", free_port()),
            smtp_password: None,
            from: "Project Q&A <qa@example.org>".into(),
            retry_base: chrono::Duration::seconds(60),
        };
        let app = spawn_app_with(&backend, |config| config.mail = Some(nowhere)).await;
        app.add_moderator("root", "correct horse battery staple", false);
        let output = app.cli(&["moderator", "token", "create", "root", "--label", "tests"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        three_calls(&app, &token).await;

        let laptop = driver.session(1366, 768).await;
        sign_in(&laptop, &app, "root", "correct horse battery staple").await;
        laptop.goto(&app.url("/mod/insights")).await;
        laptop.wait_for("ol.topics li.topic").await;
        let found = violations(&laptop, &axe).await;
        assert!(
            found.is_empty(),
            "{}: insights page: {found:?}",
            app.backend
        );
        laptop
            .screenshot(&shot("insights-laptop", app.backend))
            .await;
        let first = laptop
            .find("ol.topics li.topic a.topic-label")
            .await
            .unwrap();
        let label = laptop.text(&first).await;
        assert!(
            label.contains("docker"),
            "{}: the Docker topic leads: {label}",
            app.backend
        );
        assert!(laptop
            .find("svg.trend-chart rect.trend-bar")
            .await
            .is_some());

        let email = laptop.find("input#digest-email").await.unwrap();
        laptop.type_into(&email, "root@example.org").await;
        laptop
            .click_on("form.digest-form button[value='save']")
            .await;
        laptop
            .wait_until(
                "the digest is asked for",
                "return document.querySelector('#digest [role=status]') !== null;",
            )
            .await;
        laptop
            .run(
                "document.querySelector('#digest').scrollIntoView();",
                json!([]),
            )
            .await;
        laptop
            .screenshot(&shot("insights-digest-laptop", app.backend))
            .await;
        let first = laptop
            .find("ol.topics li.topic a.topic-label")
            .await
            .unwrap();
        laptop.click(&first).await;
        laptop.wait_for("form[action$='/rename'] input#label").await;
        let found = violations(&laptop, &axe).await;
        assert!(found.is_empty(), "{}: topic page: {found:?}", app.backend);
        laptop
            .screenshot(&shot("insights-topic-laptop", app.backend))
            .await;
        laptop
            .run(
                "document.querySelector('#next').scrollIntoView();",
                json!([]),
            )
            .await;
        laptop
            .screenshot(&shot("insights-topic-actions-laptop", app.backend))
            .await;
        let name = laptop.find("input#label").await.unwrap();
        laptop.type_into(&name, "Running in containers").await;
        laptop.click_on("form[action$='/rename'] button").await;
        laptop
            .wait_until(
                "the topic is renamed",
                "return document.querySelector('h1').textContent === 'Running in containers';",
            )
            .await;

        let phone = driver.session(390, 844).await;
        sign_in(&phone, &app, "root", "correct horse battery staple").await;
        phone.goto(&app.url("/mod/insights")).await;
        phone.wait_for("ol.topics li.topic").await;
        let overflow = phone
            .run(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                json!([]),
            )
            .await;
        assert_eq!(
            overflow,
            json!(false),
            "{}: the page fits a phone",
            app.backend
        );
        let found = violations(&phone, &axe).await;
        assert!(
            found.is_empty(),
            "{}: insights on a phone: {found:?}",
            app.backend
        );
        phone.screenshot(&shot("insights-phone", app.backend)).await;
        phone
            .run(
                "document.querySelector('#digest').scrollIntoView();",
                json!([]),
            )
            .await;
        phone
            .screenshot(&shot("insights-digest-phone", app.backend))
            .await;
        phone.click_on("ol.topics li.topic a.topic-label").await;
        phone.wait_for("form[action$='/rename']").await;
        phone
            .screenshot(&shot("insights-topic-phone", app.backend))
            .await;
        laptop.close().await;
        phone.close().await;
    }
}
