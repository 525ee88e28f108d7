use crate::support::{backends, browser, hidden_value, location, spawn_app};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_create_edit_and_move_events_in_the_browser() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.add_moderator("org", PASSWORD, false);
        let org = browser();
        assert_eq!(app.sign_in(&org, "org", PASSWORD).await.status(), 303);
        let (_, page) = app.get_text(&org, "/mod/events/new").await;
        let csrf = hidden_value(&page, "csrf").unwrap();
        let create = |slug: &'static str, starts_at: &'static str| {
            let org = org.clone();
            let url = app.url("/mod/events");
            let csrf = csrf.clone();
            async move {
                org.post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("slug", slug),
                        ("title", "Winter <hangout>"),
                        ("description", "Ask us anything"),
                        ("starts_at", starts_at),
                        ("premoderation", "on"),
                        ("recording_url", ""),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };

        let bad = create("Not A Slug", "2026-12-03T17:00").await;
        assert_eq!(bad.status(), 422, "{}", app.backend);
        let page = bad.text().await.unwrap();
        assert!(
            page.contains("value=\"Not A Slug\"") && page.contains("Winter &lt;hangout&gt;"),
            "kept"
        );
        assert!(page.contains("lower-case letters"));

        let created = create("winter", "2026-12-03T17:00").await;
        assert_eq!(created.status(), 303);
        assert_eq!(location(&created), "/mod/e/winter");
        let events = app.events().await;
        assert_eq!(events[0]["starts_at"], "2026-12-03T17:00:00Z");

        let taken = create("winter", "").await;
        assert_eq!(taken.status(), 422);
        assert!(taken.text().await.unwrap().contains("exists already"));

        let save = |starts_at: &'static str| {
            let org = org.clone();
            let url = app.url("/mod/e/winter/settings");
            let csrf = csrf.clone();
            async move {
                org.post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("title", "Winter hangout"),
                        ("description", "Bring questions"),
                        ("starts_at", starts_at),
                        ("recording_url", "https://vimeo.com/42"),
                        ("labels", "roadmap, <b>bold</b>, roadmap"),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };
        let bad_date = save("next tuesday").await;
        assert_eq!(bad_date.status(), 422);
        assert!(bad_date
            .text()
            .await
            .unwrap()
            .contains("value=\"next tuesday\""));
        assert_eq!(save("").await.status(), 303);
        let (_, settings) = app.get_text(&org, "/mod/e/winter/settings").await;
        assert!(settings.contains("value=\"https://vimeo.com/42\""));
        assert!(!settings.contains("checked"), "pre-moderation switched off");
        assert!(
            settings.contains("value=\"&lt;b&gt;bold&lt;/b&gt;, roadmap\""),
            "labels kept once each, escaped"
        );

        let live = org
            .post(app.url("/mod/e/winter/status"))
            .form(&[("csrf", csrf.as_str()), ("status", "live")])
            .send()
            .await
            .unwrap();
        assert_eq!(live.status(), 303);
        let events = app.events().await;
        assert_eq!(events[0]["status"], "live");
        assert_eq!(events[0]["title"], "Winter hangout");
        let sideways = org
            .post(app.url("/mod/e/winter/status"))
            .form(&[("csrf", csrf.as_str()), ("status", "sideways")])
            .send()
            .await
            .unwrap();
        assert_eq!(sideways.status(), 400);

        let winter_log = || async {
            app.get(&org, "/api/v1/modlog?event=winter")
                .await
                .json::<Vec<serde_json::Value>>()
                .await
                .unwrap()
        };
        let log = winter_log().await;
        let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(
            actions,
            ["event.status", "event.labels", "event.edit", "event.create"]
        );
        let edit = &log[2];
        assert_eq!(
            (edit["before"].as_str(), edit["after"].as_str()),
            (
                Some("title “Winter <hangout>”, starts 2026-12-03 17:00 UTC, pre-moderation on, no recording, the description"),
                Some("title “Winter hangout”, no start time, pre-moderation off, recording https://vimeo.com/42, a new description")
            ),
            "the log names what changed: {edit}"
        );

        // Only pre-moderation switched on: the log says so, not "title → the same title".
        let switched = org
            .post(app.url("/mod/e/winter/settings"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("title", "Winter hangout"),
                ("description", "Bring questions"),
                ("starts_at", ""),
                ("premoderation", "on"),
                ("recording_url", "https://vimeo.com/42"),
                ("labels", "<b>bold</b>, roadmap"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(switched.status(), 303);
        let log = winter_log().await;
        assert_eq!(log[0]["action"], "event.edit");
        assert_eq!(log[0]["before"], "pre-moderation off");
        assert_eq!(log[0]["after"], "pre-moderation on");
        let (_, words) = app.get_text(&org, "/mod/log?event=winter").await;
        assert!(
            words.contains("pre-moderation off → pre-moderation on"),
            "{words}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_closed_before_its_date_does_not_say_it_was_held() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("later", &["--starts-at", "2099-12-12T17:00:00Z"]);
        app.set_status_through_server("later", "closed").await;
        let (_, page) = app.get_text(&browser(), "/e/later").await;
        assert!(!page.contains("held "), "{}: {page}", app.backend);
        assert!(page.contains("was planned for"), "{page}");
        assert!(
            !page.contains("Add to calendar"),
            "nothing to put in a calendar for an event that will not take place"
        );
    }
}
