use crate::support::{backends, browser, hidden_value, location, spawn_app, TestApp};

const PASSWORD: &str = "correct horse battery staple";

async fn signed_in(app: &TestApp, name: &str, password: &str) -> reqwest::Client {
    let client = browser();
    let response = app.sign_in(&client, name, password).await;
    assert_eq!(response.status(), 303, "{name} signs in on {}", app.backend);
    client
}

async fn csrf(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let (status, page) = app.get_text(client, path).await;
    assert_eq!(status, 200, "{path}");
    hidden_value(&page, "csrf").unwrap()
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_disables_enables_and_resets_moderators_from_the_page() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("root", PASSWORD, true);
        let admin = signed_in(&app, "root", PASSWORD).await;
        let token = csrf(&app, &admin, "/mod/admin/moderators").await;

        let short = post(
            &app,
            &admin,
            "/mod/admin/moderators",
            &[
                ("csrf", &token),
                ("username", "newbie"),
                ("password", "short"),
            ],
        )
        .await;
        assert_eq!(short.status(), 422, "{}", app.backend);
        let page = short.text().await.unwrap();
        assert!(page.contains("value=\"newbie\""), "the name is kept");
        assert!(page.contains("at least 12"));

        let added = post(
            &app,
            &admin,
            "/mod/admin/moderators",
            &[
                ("csrf", &token),
                ("username", "newbie"),
                ("password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(added.status(), 303);
        let duplicate = post(
            &app,
            &admin,
            "/mod/admin/moderators",
            &[
                ("csrf", &token),
                ("username", "NEWBIE"),
                ("password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(duplicate.status(), 422);
        assert!(duplicate.text().await.unwrap().contains("exists already"));

        let newbie = signed_in(&app, "newbie", PASSWORD).await;
        assert_eq!(
            app.get(&newbie, "/mod/admin/moderators").await.status(),
            403,
            "not an admin"
        );

        let disabled = post(
            &app,
            &admin,
            "/mod/admin/moderators/newbie/disable",
            &[("csrf", &token)],
        )
        .await;
        assert_eq!(disabled.status(), 303);
        assert_eq!(
            app.get(&newbie, "/mod").await.status(),
            303,
            "the session ended"
        );
        assert_eq!(
            app.sign_in(&browser(), "newbie", PASSWORD).await.status(),
            401
        );
        post(
            &app,
            &admin,
            "/mod/admin/moderators/newbie/enable",
            &[("csrf", &token)],
        )
        .await;
        let newbie = signed_in(&app, "newbie", PASSWORD).await;

        let reset = post(
            &app,
            &admin,
            "/mod/admin/moderators/newbie/password",
            &[("csrf", &token), ("password", "a fresh start please")],
        )
        .await;
        assert_eq!(reset.status(), 303);
        assert_eq!(
            app.get(&newbie, "/mod").await.status(),
            303,
            "a reset ends the old sessions"
        );
        assert_eq!(
            app.sign_in(&browser(), "newbie", PASSWORD).await.status(),
            401
        );
        signed_in(&app, "newbie", "a fresh start please").await;

        let myself = post(
            &app,
            &admin,
            "/mod/admin/moderators/root/disable",
            &[("csrf", &token)],
        )
        .await;
        assert_eq!(myself.status(), 409, "an admin cannot lock themselves out");

        let forged = admin
            .post(app.url("/mod/admin/moderators"))
            .header("sec-fetch-site", "cross-site")
            .form(&[("csrf", ""), ("username", "sneaky"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        let (_, listing) = app.get_text(&admin, "/mod/admin/moderators").await;
        assert!(listing.contains("newbie") && !listing.contains("sneaky"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_changes_their_own_password_and_other_sessions_end() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("hedy", PASSWORD, false);
        let laptop = signed_in(&app, "hedy", PASSWORD).await;
        let phone = signed_in(&app, "hedy", PASSWORD).await;
        let token = csrf(&app, &laptop, "/mod/account").await;
        let change = |current: &'static str, new: &'static str, repeat: &'static str| {
            let token = token.clone();
            let laptop = laptop.clone();
            let app = &app;
            async move {
                post(
                    app,
                    &laptop,
                    "/mod/account/password",
                    &[
                        ("csrf", token.as_str()),
                        ("current_password", current),
                        ("new_password", new),
                        ("repeat_password", repeat),
                    ],
                )
                .await
            }
        };

        let wrong = change(
            "not my password at all",
            "frequency hopping",
            "frequency hopping",
        )
        .await;
        assert_eq!(wrong.status(), 422, "{}", app.backend);
        assert!(wrong
            .text()
            .await
            .unwrap()
            .contains("not your current password"));
        let differ = change(PASSWORD, "frequency hopping", "frequency hoping").await;
        assert_eq!(differ.status(), 422);
        assert!(differ.text().await.unwrap().contains("differ"));

        let done = change(PASSWORD, "frequency hopping", "frequency hopping").await;
        assert_eq!(done.status(), 303);
        assert_eq!(location(&done), "/mod/account?changed=1");
        assert_eq!(
            app.get(&laptop, "/mod").await.status(),
            200,
            "this session stays"
        );
        assert_eq!(
            app.get(&phone, "/mod").await.status(),
            303,
            "the other one ends"
        );
        signed_in(&app, "hedy", "frequency hopping").await;
    }
}
