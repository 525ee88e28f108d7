//! The event page during a call: the question on screen first, answered questions in their own
//! tab, the start time written out, and a calendar entry to download.

use reqwest::Method;
use serde_json::json;

use crate::support::{backends, browser, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn during_a_call_the_question_on_screen_leads_and_answered_ones_have_their_own_tab() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event(
            "call",
            &[
                "--starts-at",
                "2099-01-02T17:00:00Z",
                "--description",
                "Monthly; bring questions",
            ],
        );
        let ask = |body: &'static str| {
            let app = &app;
            async move { app.ask_api(&browser(), "call", body).await }
        };
        let shown = ask("Which question is on screen right now?").await;
        let answered = ask("Was this one answered already?").await;
        let waiting = ask("Is this one still waiting for its turn?").await;
        let token = app.api_token("host");
        for (path, body) in [
            (format!("/api/v1/questions/{shown}/on-screen"), json!({})),
            (
                format!("/api/v1/questions/{answered}/answer"),
                json!({"answer_md": "Yes, **last month**."}),
            ),
        ] {
            let (status, _) = app.moderator_api(Method::POST, &path, &token, body).await;
            assert_eq!(status, 200, "{}: {path}", app.backend);
        }
        assert!(app
            .cli(&["event", "set-status", "call", "live"])
            .status
            .success());

        let (_, page) = app.get_text(&browser(), "/e/call").await;
        let pinned = page.find("id=\"on-screen-now\"").unwrap();
        let form = page.find("id=\"ask-body\"").unwrap();
        let list = page.find("id=\"questions\"").unwrap();
        assert!(
            pinned < form && form < list,
            "on screen, then the form, then the list"
        );
        assert!(page[pinned..form].contains("Which question is on screen right now?"));
        assert!(page.contains("Answered (1)"), "{}", app.backend);
        assert!(page[list..].contains(&format!("id=\"q-{waiting}\"")));
        assert!(
            !page.contains(&format!("id=\"q-{answered}\"")),
            "answered ones wait in their tab"
        );
        assert!(
            page.contains("class=\"ask compact\""),
            "the form waits as one line"
        );
        // On air before its scheduled start: no "starts in" beside "live now".
        assert!(page.contains("live now"));
        assert!(page.contains("scheduled for <time datetime=\"2099-01-02T17:00:00Z\" data-local>Friday 2 January 2099, 17:00 UTC</time>"), "{page}");
        assert!(!page.contains("starts in"));

        let (_, answered_tab) = app.get_text(&browser(), "/e/call?sort=answered").await;
        assert!(answered_tab.contains("<strong>last month</strong>"));
        assert!(!answered_tab.contains(&format!("id=\"q-{waiting}\"")));

        let calendar = browser().get(app.url("/e/call.ics")).send().await.unwrap();
        assert_eq!(calendar.status(), 200);
        assert_eq!(
            calendar.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
        let text = calendar.text().await.unwrap();
        assert!(text.contains("BEGIN:VEVENT"), "{text}");
        assert!(text.contains("DTSTART:20990102T170000Z"), "{text}");
        assert!(text.contains("SUMMARY:Hangout call"), "{text}");
        assert!(
            text.contains("Monthly\\; bring questions"),
            "text escaped: {text}"
        );
        assert!(text.contains(&format!("{}/e/call", app.url(""))));

        // Labels lead to the questions that carry them.
        let (status, _) = app
            .moderator_api(
                Method::PATCH,
                &format!("/api/v1/questions/{waiting}"),
                &token,
                json!({"labels": ["roadmap"]}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, page) = app.get_text(&browser(), "/e/call").await;
        assert!(
            page.contains("href=\"/e/call?sort=top&amp;label=roadmap\""),
            "a label links to its list"
        );
        let (_, filtered) = app.get_text(&browser(), "/e/call?label=roadmap").await;
        let list = filtered.find("id=\"questions\"").unwrap();
        assert!(filtered[list..].contains(&format!("id=\"q-{waiting}\"")));
        assert!(
            !filtered[list..].contains(&format!("id=\"q-{shown}\"")),
            "only the labelled"
        );
        assert!(filtered.contains("show all"));

        app.create_event("unscheduled", &[]);
        let (status, page) = app.get_text(&browser(), "/e/unscheduled").await;
        assert_eq!(status, 200);
        assert!(!page.contains(".ics"), "nothing to add without a start");
        let (status, _) = app.get_text(&browser(), "/e/unscheduled.ics").await;
        assert_eq!(status, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_that_finds_nothing_offers_to_ask_it_at_the_event_taking_questions() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (_, page) = app.get_text(&browser(), "/faq?q=kubernetes+helm").await;
        assert!(page.contains("Nothing found"), "{}", app.backend);
        assert!(!page.contains("Ask it at"), "no event takes questions");

        app.create_event("next", &[]);
        let (_, page) = app
            .get_text(&browser(), "/faq?q=kubernetes+%3Cb%3Ehelm%3C%2Fb%3E")
            .await;
        let link = "/e/next?ask=kubernetes+%3Cb%3Ehelm%3C%2Fb%3E#ask-body";
        assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
        assert!(page.contains("Ask it at Hangout next"));

        let (status, event) = app.get_text(&browser(), link).await;
        assert_eq!(status, 200);
        assert!(
            event.contains("kubernetes &lt;b&gt;helm&lt;/b&gt;</textarea>"),
            "the search, typed in for them (escaped)"
        );
        assert!(
            !event.contains("class=\"ask compact\""),
            "and the form open"
        );
    }
}
