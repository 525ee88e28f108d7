use crate::support::{backends, browser, browser_from, hidden_value, location, spawn_app};

const PASSWORD: &str = "correct horse battery staple";

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .cookies()
        .find(|cookie| cookie.name() == "faqtory_session")
        .map(|cookie| cookie.value().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_adds_moderators_and_guards_passwords() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("ada", PASSWORD, true);

        let short = app.cli_with_input(
            &["moderator", "add", "grace", "--password-stdin"],
            "short\n",
        );
        assert!(!short.status.success());
        assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));

        let no_terminal = app.cli_with_input(&["moderator", "add", "grace"], "");
        assert!(!no_terminal.status.success(), "{}", app.backend);
        assert!(String::from_utf8_lossy(&no_terminal.stderr).contains("--password-stdin"));

        let again = app.cli_with_input(
            &["moderator", "add", "ADA", "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

        let passwd = app.cli_with_input(
            &["moderator", "passwd", "ada", "--password-stdin"],
            "a brand new passphrase\n",
        );
        assert!(passwd.status.success());
        let old = app.sign_in(&browser(), "ada", PASSWORD).await;
        assert_eq!(old.status(), 401, "the old password no longer works");
        let new = app
            .sign_in(&browser(), "ada", "a brand new passphrase")
            .await;
        assert_eq!(new.status(), 303);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_opens_moderation_with_a_fresh_session_and_signing_out_ends_it() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("grace", PASSWORD, false);
        let moderator = browser();

        let anonymous = app.get(&moderator, "/mod").await;
        assert_eq!(anonymous.status(), 303, "{}", app.backend);
        assert_eq!(location(&anonymous), "/sign-in?next=%2Fmod");

        let first = app.sign_in(&moderator, "Grace", PASSWORD).await;
        assert_eq!(first.status(), 303);
        assert_eq!(location(&first), "/mod");
        let first_session = session_cookie(&first).expect("a session cookie");
        let header = first
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("faqtory_session="))
            .unwrap();
        assert!(
            header.contains("HttpOnly") && header.contains("SameSite=Lax"),
            "{header}"
        );

        let (status, home) = app.get_text(&moderator, "/mod").await;
        assert_eq!(status, 200);
        assert!(home.contains("Signed in as <strong>grace</strong>"));

        let second = app.sign_in(&moderator, "grace", PASSWORD).await;
        assert_ne!(
            session_cookie(&second).unwrap(),
            first_session,
            "the session changes at sign-in"
        );

        let csrf = hidden_value(&home, "csrf").unwrap();
        let out = moderator
            .post(app.url("/sign-out"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        assert_eq!(
            app.get(&moderator, "/mod").await.status(),
            303,
            "signed out"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_get_one_generic_message_and_repeated_failures_are_throttled() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("linus", PASSWORD, false);

        let wrong = app
            .sign_in(&browser(), "linus", "not the password at all")
            .await;
        assert_eq!(wrong.status(), 401, "{}", app.backend);
        let wrong_page = wrong.text().await.unwrap();
        let unknown = app.sign_in(&browser(), "nobody", PASSWORD).await;
        assert_eq!(unknown.status(), 401);
        let unknown_page = unknown.text().await.unwrap();
        let message = "That username and password did not work";
        assert!(wrong_page.contains(message) && unknown_page.contains(message));
        assert!(
            wrong_page.contains("value=\"linus\""),
            "the username is kept"
        );
        assert!(
            !wrong_page.contains("not the password at all"),
            "the password is not echoed"
        );

        for _ in 0..4 {
            app.sign_in(&browser(), "linus", "still the wrong one")
                .await;
        }
        let throttled = app.sign_in(&browser(), "linus", PASSWORD).await;
        assert_eq!(
            throttled.status(),
            401,
            "the right password waits after five failures"
        );
        assert!(throttled.text().await.unwrap().contains(message));
    }
}

/// Nobody can keep a moderator out by failing on purpose: 100 wrong passwords for her name from
/// twenty other addresses, and she still signs in at the first try from where she usually does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attack_from_many_addresses_does_not_keep_the_moderator_out() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("ada", PASSWORD, false);
        assert_eq!(app.sign_in(&browser(), "ada", PASSWORD).await.status(), 303);

        for attempt in 0..100u8 {
            let address = std::net::Ipv4Addr::new(127, 0, 1, 2 + attempt % 20);
            let attacker = browser_from(address.into());
            let response = app.sign_in(&attacker, "ada", "a wrong guess").await;
            assert_eq!(response.status(), 401, "{}", app.backend);
        }
        let ada = browser();
        assert_eq!(
            app.sign_in(&ada, "ada", PASSWORD).await.status(),
            303,
            "the moderator gets in first time from her usual address"
        );
        assert_eq!(app.get(&ada, "/mod").await.status(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_moderator_is_signed_out_and_cannot_sign_in() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("margaret", PASSWORD, false);
        let moderator = browser();
        assert_eq!(
            app.sign_in(&moderator, "margaret", PASSWORD).await.status(),
            303
        );
        assert_eq!(app.get(&moderator, "/mod").await.status(), 200);

        let output = app.cli(&["moderator", "disable", "margaret"]);
        assert!(output.status.success());
        assert_eq!(
            app.get(&moderator, "/mod").await.status(),
            303,
            "{}",
            app.backend
        );
        assert_eq!(
            app.sign_in(&browser(), "margaret", PASSWORD).await.status(),
            401
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_checks_csrf_and_never_redirects_off_site() {
    let app = spawn_app(&backends()[0]).await;
    app.add_moderator("barbara", PASSWORD, false);
    let moderator = browser();
    let _ = app.get(&moderator, "/sign-in").await;
    let forged = moderator
        .post(app.url("/sign-in"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("username", "barbara"),
            ("password", PASSWORD),
            ("csrf", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(session_cookie(&forged).is_none());

    let (_, page) = app
        .get_text(&moderator, "/sign-in?next=https://evil.example/")
        .await;
    assert!(page.contains("name=\"next\" value=\"/mod\""));
    let csrf = hidden_value(&page, "csrf").unwrap();
    let response = moderator
        .post(app.url("/sign-in"))
        .form(&[
            ("username", "barbara"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/mod");
}
