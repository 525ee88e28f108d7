use crate::support::{backends, browser, hidden_value, spawn_app, TestApp};

const PASSWORD: &str = "correct horse battery staple";

async fn modlog(app: &TestApp, token: Option<&str>, query: &str) -> reqwest::Response {
    let mut request = browser().get(app.url(&format!("/api/v1/modlog{query}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_from_the_command_line_open_the_moderator_api_until_revoked() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("ops", PASSWORD, false);
        let output = app.cli(&["moderator", "token", "create", "ops", "--label", "exporter"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        assert!(token.starts_with("fqt_") && token.len() == 36, "{token}");

        let response = modlog(&app, Some(&token), "").await;
        assert_eq!(response.status(), 200, "{}", app.backend);
        let entries: Vec<serde_json::Value> = response.json().await.unwrap();
        let actions: Vec<&str> = entries
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["token.create", "moderator.add"], "newest first");
        assert_eq!(
            entries[1]["moderator"],
            serde_json::Value::Null,
            "added from the command line"
        );
        assert_eq!(entries[1]["after"], "ops");
        assert_eq!(entries[0]["moderator"], "ops");

        let filtered: Vec<serde_json::Value> =
            modlog(&app, Some(&token), "?action=moderator.add&limit=5")
                .await
                .json()
                .await
                .unwrap();
        assert_eq!(filtered.len(), 1);
        assert_eq!(modlog(&app, Some(&token), "?limit=0").await.status(), 422);

        for wrong in [
            "",
            "fqt_",
            "fqt_00000000000000000000000000000000",
            "Basic abc",
            &token[4..],
        ] {
            let response = modlog(&app, Some(wrong), "").await;
            assert_eq!(response.status(), 401, "token {wrong:?}");
            let error: serde_json::Value = response.json().await.unwrap();
            assert_eq!(error["error"], "unauthorized");
        }
        assert_eq!(modlog(&app, None, "").await.status(), 401);

        assert!(app.cli(&["moderator", "disable", "ops"]).status.success());
        assert_eq!(
            modlog(&app, Some(&token), "").await.status(),
            401,
            "a disabled moderator's token stops"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_page_shows_a_new_token_once_lists_it_and_revokes_it() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("kim", PASSWORD, false);
        let moderator = browser();
        assert_eq!(app.sign_in(&moderator, "kim", PASSWORD).await.status(), 303);

        let (_, page) = app.get_text(&moderator, "/mod/account").await;
        assert!(page.contains("No tokens yet."));
        let csrf = hidden_value(&page, "csrf").unwrap();
        let empty = moderator
            .post(app.url("/mod/account/tokens"))
            .form(&[("csrf", csrf.as_str()), ("label", "   ")])
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), 422, "{}", app.backend);
        let created = moderator
            .post(app.url("/mod/account/tokens"))
            .form(&[("csrf", csrf.as_str()), ("label", "Laptop <script>")])
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 303);
        assert!(!created
            .headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("fqt_"));

        let (_, page) = app.get_text(&moderator, "/mod/account").await;
        let start = page.find("fqt_").expect("the new token is shown");
        let token: String = page[start..start + 36].to_owned();
        assert!(page.contains("Laptop &lt;script&gt;"));
        let (_, again) = app.get_text(&moderator, "/mod/account").await;
        assert!(!again.contains("fqt_"), "shown only once");
        assert!(again.contains("never"), "not used yet");

        assert_eq!(modlog(&app, Some(&token), "").await.status(), 200);
        let (_, used) = app.get_text(&moderator, "/mod/account").await;
        assert!(!used.contains(">never<"), "last use is listed");

        // The session cookie works for reading the moderator API too.
        assert_eq!(app.get(&moderator, "/api/v1/modlog").await.status(), 200);

        let start = used.find("/mod/account/tokens/").unwrap();
        let end = used[start..].find('"').unwrap() + start;
        let revoke = moderator
            .post(app.url(&used[start..end]))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(revoke.status(), 303);
        assert_eq!(
            modlog(&app, Some(&token), "").await.status(),
            401,
            "revoked"
        );
        let (_, after) = app.get_text(&moderator, "/mod/account").await;
        assert!(after.contains("revoked"));
    }
}
