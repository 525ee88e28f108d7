//! The presenter view: its secret link (made on the settings page or through the API, shown
//! once, retired by a new one), what it shows, and its live stream.

use reqwest::Method;
use serde_json::json;

use crate::live::Sse;
use crate::support::{backends, browser, hidden_value, location, spawn_app, TestApp};

/// Makes a link through the settings form and reads it off the page it is shown on, once.
async fn link_from_settings(app: &TestApp, client: &reqwest::Client, slug: &str) -> String {
    let (status, settings) = app
        .get_text(client, &format!("/mod/e/{slug}/settings"))
        .await;
    assert_eq!(status, 200);
    let csrf = hidden_value(&settings, "csrf").unwrap();
    let response = client
        .post(app.url(&format!("/mod/e/{slug}/presenter")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/mod/e/{slug}/settings#presenter")
    );
    let (_, shown) = app
        .get_text(client, &format!("/mod/e/{slug}/settings"))
        .await;
    let start = shown
        .find("class=\"presenter-link\" href=\"")
        .expect("the new link is shown")
        + "class=\"presenter-link\" href=\"".len();
    let link = shown[start..start + shown[start..].find('"').unwrap()].to_owned();
    let (_, again) = app
        .get_text(client, &format!("/mod/e/{slug}/settings"))
        .await;
    assert!(!again.contains(&link), "the link is shown once only");
    assert!(again.contains("A presenter link exists"));
    link
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_presenter_view_shows_the_question_on_screen_and_the_next_five() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("show", &[]);
        let client = app.signed_in_moderator("pia").await;
        let link = link_from_settings(&app, &client, "show").await;
        let path = link
            .strip_prefix(&app.url(""))
            .expect("a link to this site")
            .to_owned();

        let (status, empty) = app.get_text(&browser(), &path).await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(empty.contains("The next question comes up in a moment."));
        assert!(empty.contains("<svg"), "a QR code to join");
        let address = app.url("/e/show").replace("http://", "");
        assert!(
            empty.contains(&format!("class=\"join-address\">{address}<")),
            "the address to type, without its scheme"
        );

        let mut ids = Vec::new();
        for n in 0..7 {
            let body = format!("Question number {n} <script>alert({n})</script>?");
            let id = app
                .post_question(
                    &browser(),
                    "show",
                    json!({"body": body, "author_name": "Grace"}),
                )
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()["id"]
                .as_i64()
                .unwrap();
            for _ in 0..n {
                app.vote_api(&browser(), id, true).await;
            }
            ids.push(id);
        }
        let token = app.api_token("mod");
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{}/on-screen", ids[2]),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200);

        let (_, page) = app.get_text(&browser(), &path).await;
        let on_screen =
            &page[page.find("id=\"on-screen\"").unwrap()..page.find("id=\"next-up\"").unwrap()];
        assert!(on_screen.contains("Question number 2"), "{on_screen}");
        assert!(on_screen.contains("Grace"));
        assert!(on_screen.contains(">2</span> votes"), "{on_screen}");
        let next = &page[page.find("id=\"next-up\"").unwrap()..];
        let order: Vec<usize> = [6, 5, 4, 3, 1]
            .iter()
            .map(|n| {
                next.find(&format!("Question number {n} "))
                    .expect("in the next five")
            })
            .collect();
        assert!(
            order.windows(2).all(|pair| pair[0] < pair[1]),
            "by votes: {order:?}"
        );
        assert!(!next.contains("Question number 0 "), "five only");
        assert!(!page.contains("<script>alert"), "texts are escaped");

        let (_, transparent) = app
            .get_text(&browser(), &format!("{path}?transparent=1"))
            .await;
        assert!(transparent.contains("class=\"presenter transparent\""));

        // Focus mode, for the moderator running the call: the same question, and one form that
        // puts the top of the next five on screen.
        let (status, focus) = app.get_text(&client, "/mod/e/show/focus").await;
        assert_eq!(status, 200);
        let on_screen = &focus[focus.find("id=\"focus-on-screen\"").unwrap()..];
        assert!(on_screen.contains("Question number 2"));
        let move_on = format!(
            "id=\"move-on\" method=\"post\" action=\"/mod/q/{}/on-screen\"",
            ids[6]
        );
        assert!(focus.contains(&move_on), "{focus}");
        let csrf = hidden_value(&focus, "csrf").unwrap();
        let moved = client
            .post(app.url(&format!("/mod/q/{}/on-screen", ids[6])))
            .form(&[("csrf", csrf.as_str()), ("back", "/mod/e/show/focus")])
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 303);
        assert_eq!(location(&moved), format!("/mod/e/show/focus#q-{}", ids[6]));
        let (_, focus) = app.get_text(&client, "/mod/e/show/focus").await;
        let on_screen = &focus[focus.find("id=\"focus-on-screen\"").unwrap()
            ..focus.find("id=\"focus-next\"").unwrap()];
        assert!(on_screen.contains("Question number 6"), "{on_screen}");
        assert_eq!(
            app.get(&browser(), "/mod/e/show/focus").await.status(),
            303,
            "moderators only"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_link_retires_the_old_one_and_bad_links_find_nothing() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("links", &[]);
        let client = app.signed_in_moderator("pia").await;
        let first = link_from_settings(&app, &client, "links").await;
        let token = app.api_token("mod");
        let (status, body) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/links/presenter-link",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let second = body["url"].as_str().unwrap().to_owned();
        assert_ne!(first, second);
        let path = |link: &str| link.strip_prefix(&app.url("")).unwrap().to_owned();
        assert_eq!(
            app.get_text(&browser(), &path(&first)).await.0,
            404,
            "{}",
            app.backend
        );
        assert_eq!(app.get_text(&browser(), &path(&second)).await.0, 200);
        assert_eq!(
            app.get_text(&browser(), &format!("{}/live", path(&first)))
                .await
                .0,
            404
        );
        for bad in [
            "/present/nothing",
            "/present/%00",
            "/present/0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(app.get_text(&browser(), bad).await.0, 404, "{bad}");
        }
        let (status, _) = app
            .moderator_api(
                Method::POST,
                "/api/v1/events/missing/presenter-link",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_presenter_stream_carries_the_events_changes() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("early", &[]);
        let client = app.signed_in_moderator("pia").await;
        let link = link_from_settings(&app, &client, "early").await;
        let mut stream = Sse::open(&browser(), &format!("{link}/live")).await;
        let id = app
            .ask_api(&browser(), "early", "What comes first on stream?")
            .await;
        stream
            .until(|event, data| event == "question" && data["id"] == id)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_that_is_over_has_nothing_on_screen() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("mod");
        for (slug, over) in [("closing", "closed"), ("archiving", "archived")] {
            app.create_event(slug, &[]);
            let id = app
                .ask_api(&browser(), slug, "What is on screen after the call?")
                .await;
            let (status, _) = app
                .moderator_api(
                    Method::POST,
                    &format!("/api/v1/questions/{id}/on-screen"),
                    &token,
                    json!({}),
                )
                .await;
            assert_eq!(status, 200);
            let (_, live) = app.get_text(&browser(), &format!("/e/{slug}")).await;
            assert!(live.contains("on screen now"), "{}", app.backend);

            app.set_status_through_server(slug, over).await;
            let (_, page) = app.get_text(&browser(), &format!("/e/{slug}")).await;
            assert!(
                !page.contains("on screen now"),
                "{} {over}: the header and the list show nothing on screen",
                app.backend
            );
            let client = app.signed_in_moderator(&format!("mo-{slug}")).await;
            let (_, focus) = app.get_text(&client, &format!("/mod/e/{slug}/focus")).await;
            assert!(focus.contains("Nothing is on screen."), "{focus}");
            // Opened again, it stays off: a moderator puts the next question up.
            app.set_status_through_server(slug, "open").await;
            let (_, reopened) = app.get_text(&browser(), &format!("/e/{slug}")).await;
            assert!(!reopened.contains("on screen now"));
        }
        let client = app.signed_in_moderator("lea").await;
        let (_, log) = app.get_text(&client, "/mod/log?event=closing").await;
        assert!(log.contains("put on screen"), "the log keeps what happened");
    }
}
