//! Moderators' sessions live on the server: a copied cookie opens nothing once its session ended
//! (signed out, idle, too old, ended from the account page or by an admin).

use chrono::Duration;
use faqtory::app::clock::Clock;

use crate::support::{backends, browser, hidden_value, location, spawn_app_with, TestApp};

const PASSWORD: &str = "correct horse battery staple";

/// Signs in with a fresh browser; returns it and a copy of its session cookie.
async fn signed_in(app: &TestApp, name: &str, user_agent: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .unwrap();
    let response = app.sign_in(&client, name, PASSWORD).await;
    assert_eq!(response.status(), 303, "{}", app.backend);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("faqtory_session="))
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_owned();
    (client, cookie)
}

/// What a copy of the cookie opens: 200 while the session lives, a redirect to sign in after.
async fn replay(app: &TestApp, cookie: &str) -> u16 {
    browser()
        .get(app.url("/mod"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn post_form(app: &TestApp, client: &reqwest::Client, path: &str) -> reqwest::Response {
    let (_, page) = app.get_text(client, "/mod/account").await;
    let csrf = hidden_value(&page, "csrf").unwrap();
    client
        .post(app.url(path))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copied_cookie_opens_nothing_after_sign_out() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |_| {}).await;
        app.add_moderator("ada", PASSWORD, false);
        let (ada, cookie) = signed_in(&app, "ada", "Firefox/130 (X11; Linux)").await;
        assert_eq!(replay(&app, &cookie).await, 200, "{}", app.backend);

        let (_, page) = app.get_text(&ada, "/mod").await;
        let csrf = hidden_value(&page, "csrf").unwrap();
        let out = ada
            .post(app.url("/sign-out"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        assert_eq!(replay(&app, &cookie).await, 303, "the copy is refused");
        let api = browser()
            .get(app.url("/api/v1/modlog"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 401, "and so is the API");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_and_when_old() {
    for backend in backends() {
        let clock = Clock::default();
        let app = {
            let clock = clock.clone();
            spawn_app_with(&backend, move |config| config.clock = clock).await
        };
        app.add_moderator("ada", PASSWORD, false);

        let (_, idle) = signed_in(&app, "ada", "Firefox/130").await;
        clock.advance(Duration::hours(11));
        assert_eq!(
            replay(&app, &idle).await,
            200,
            "{}: 11 h idle is fine",
            app.backend
        );
        clock.advance(Duration::hours(12) + Duration::minutes(1));
        assert_eq!(replay(&app, &idle).await, 303, "12 h without use ends it");

        let (_, busy) = signed_in(&app, "ada", "Firefox/130").await;
        for _ in 0..65 {
            clock.advance(Duration::hours(11));
            assert_eq!(replay(&app, &busy).await, 200, "used every 11 h");
        }
        clock.advance(Duration::hours(11));
        assert_eq!(
            replay(&app, &busy).await,
            303,
            "however used, 30 days end it"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_see_their_sessions_and_end_them_and_admins_end_others() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |_| {}).await;
        app.add_moderator("ada", PASSWORD, false);
        app.add_moderator("root", PASSWORD, true);
        let laptop_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36";
        let phone_agent =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Safari/604.1";
        let (laptop, laptop_cookie) = signed_in(&app, "ada", laptop_agent).await;
        let (_, phone_cookie) = signed_in(&app, "ada", phone_agent).await;

        let (status, account) = app.get_text(&laptop, "/mod/account").await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(account.contains("Chrome on Linux"), "{account}");
        assert!(account.contains("Safari on iPhone"));
        assert!(account.contains("127.0.0.1"), "where from");
        let this = account
            .find("this browser")
            .expect("this session is marked");
        assert!(account[..this].contains("Chrome on Linux"));

        // Sign the phone out from the laptop.
        let phone_row = account.find("Safari on iPhone").unwrap();
        let action = &account[phone_row..];
        let start = action.find("action=\"/mod/account/sessions/").unwrap();
        let path = action[start + 8..].split('"').next().unwrap().to_owned();
        let ended = post_form(&app, &laptop, &path).await;
        assert_eq!(ended.status(), 303);
        assert_eq!(replay(&app, &phone_cookie).await, 303, "the phone is out");
        assert_eq!(replay(&app, &laptop_cookie).await, 200, "the laptop is not");

        // An admin signs Ada out everywhere.
        let (admin, _) = signed_in(&app, "root", laptop_agent).await;
        let (_, moderators) = app.get_text(&admin, "/mod/admin/moderators").await;
        assert!(moderators.contains("action=\"/mod/admin/moderators/ada/sessions/end\""));
        let csrf = hidden_value(&moderators, "csrf").unwrap();
        let ended = admin
            .post(app.url("/mod/admin/moderators/ada/sessions/end"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(ended.status(), 303);
        assert_eq!(
            replay(&app, &laptop_cookie).await,
            303,
            "ended by the admin"
        );
        let refused = app.get(&laptop, "/mod/account").await;
        assert_eq!(refused.status(), 303);
        assert!(location(&refused).starts_with("/sign-in"));

        // Signing out everywhere ends this browser too.
        let (again, again_cookie) = signed_in(&app, "ada", laptop_agent).await;
        let (_, other_cookie) = signed_in(&app, "ada", phone_agent).await;
        let everywhere = post_form(&app, &again, "/mod/account/sessions/end-all").await;
        assert_eq!(everywhere.status(), 303);
        assert_eq!(replay(&app, &again_cookie).await, 303);
        assert_eq!(replay(&app, &other_cookie).await, 303);
    }
}
