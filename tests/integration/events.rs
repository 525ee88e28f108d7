use crate::support::{backends, browser, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_created_on_the_command_line_is_listed_and_has_a_page() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event(
            "mirage-call",
            &[
                "--description",
                "Monthly call",
                "--starts-at",
                "2030-01-02T17:00:00Z",
            ],
        );

        let (status, home) = app.get_text(&app.client, "/").await;
        assert_eq!(status, 200);
        assert!(
            home.contains("Hangout mirage-call"),
            "{}: home lists the event",
            app.backend
        );
        assert!(home.contains("href=\"/e/mirage-call\""));

        let events = app.events().await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["slug"], "mirage-call");
        assert_eq!(events[0]["status"], "open");
        assert_eq!(events[0]["starts_at"], "2030-01-02T17:00:00Z");
        assert_eq!(events[0]["question_count"], 0);

        let (status, page) = app.get_text(&app.client, "/e/mirage-call").await;
        assert_eq!(status, 200);
        assert!(page.contains("Monthly call"));
        assert!(page.contains("No open questions — be the first to ask."));

        let listing = app.cli(&["event", "list"]);
        assert!(String::from_utf8_lossy(&listing.stdout).contains("mirage-call"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_an_event_refuses_bad_slugs_and_duplicates() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let bad = app.cli(&["event", "create", "--slug", "Not A Slug", "--title", "x"]);
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("slug"));

        app.create_event("twice", &[]);
        let again = app.cli(&["event", "create", "--slug", "twice", "--title", "Again"]);
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_lists_live_then_open_then_closed_and_hides_drafts_and_archives() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        for slug in [
            "open-one",
            "live-one",
            "closed-one",
            "draft-one",
            "archived-one",
        ] {
            app.create_event(slug, &[]);
        }
        app.set_status("live-one", "live");
        app.set_status("closed-one", "closed");
        app.set_status("draft-one", "draft");
        app.set_status("archived-one", "archived");

        let events = app.events().await;
        let slugs: Vec<&str> = events.iter().map(|e| e["slug"].as_str().unwrap()).collect();
        assert_eq!(
            slugs,
            ["live-one", "open-one", "closed-one"],
            "{}",
            app.backend
        );

        let (_, home) = app.get_text(&app.client, "/").await;
        let live = home.find("Hangout live-one").unwrap();
        let open = home.find("Hangout open-one").unwrap();
        let closed = home.find("Hangout closed-one").unwrap();
        assert!(live < open && open < closed);
        assert!(!home.contains("draft-one") && !home.contains("archived-one"));

        assert_eq!(app.get(&app.client, "/e/draft-one").await.status(), 404);
        assert_eq!(app.get(&app.client, "/e/archived-one").await.status(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_events_are_404_on_both_fronts() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let client = browser();
        assert_eq!(app.get(&client, "/e/nothing-here").await.status(), 404);
        assert_eq!(app.get(&client, "/e/NOT%20A%20SLUG").await.status(), 404);
        let api = app
            .get(&client, "/api/v1/events/nothing-here/questions")
            .await;
        assert_eq!(api.status(), 404);
        let body: serde_json::Value = api.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_sort_by_votes_then_age_or_newest_first() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("sorting", &[]);
        let first = app
            .ask_api(&app.client, "sorting", "The first question of the day?")
            .await;
        let second = app
            .ask_api(&app.client, "sorting", "The second question of the day?")
            .await;
        let third = app
            .ask_api(&app.client, "sorting", "The third question of the day?")
            .await;
        app.vote_api(&browser(), third, true).await;

        let top: Vec<i64> = app
            .questions(&app.client, "sorting")
            .await
            .iter()
            .map(|q| q["id"].as_i64().unwrap())
            .collect();
        assert_eq!(top, [third, first, second], "{}", app.backend);

        let new: Vec<serde_json::Value> = app
            .get(&app.client, "/api/v1/events/sorting/questions?sort=new")
            .await
            .json()
            .await
            .unwrap();
        let new: Vec<i64> = new.iter().map(|q| q["id"].as_i64().unwrap()).collect();
        assert_eq!(new, [third, second, first]);

        let bad = app
            .get(
                &app.client,
                "/api/v1/events/sorting/questions?sort=sideways",
            )
            .await;
        assert_eq!(bad.status(), 422);
        let body: serde_json::Value = bad.json().await.unwrap();
        assert_eq!(body["field"], "sort");

        let (_, page) = app.get_text(&app.client, "/e/sorting?sort=new").await;
        assert!(page.contains("just now</time>"), "relative times");
        assert!(
            page.contains(" UTC\" data-relative"),
            "the absolute time on hover"
        );
        let pos = |text: &str| page.find(text).unwrap();
        assert!(pos("The third question") < pos("The second question"));
        assert!(pos("The second question") < pos("The first question"));
    }
}
