//! What surrounds the search: searches that found nothing, for moderators; the Atom feed.

use serde_json::Value;

use crate::faq_search::{answered, found, search_api};
use crate::support::{backends, browser, hidden_value, location, spawn_app};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_that_find_nothing_become_questions_for_an_upcoming_event() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("host");
        app.create_event("hangout", &[]);
        let id = answered(&app, &token, "hangout", "Is there a mailing list?", "Yes.").await;
        found(&app.base, "mailing", id).await;

        assert_eq!(
            search_api(&app.base, "Is there a mailing list").await["total"],
            1
        );
        for query in ["quantum teleportation", "Quantum  Teleportation!"] {
            assert_eq!(search_api(&app.base, query).await["total"], 0);
        }
        let page = app
            .get_text(&browser(), "/faq?q=quantum+teleportation")
            .await
            .1;
        assert!(page.contains("Nothing found"));
        let typing = browser()
            .get(app.url("/faq?q=zzyzx+half+typed"))
            .header("x-faqtory-fragment", "1")
            .send()
            .await
            .unwrap();
        assert_eq!(typing.status(), 200);
        let fragment = typing.text().await.unwrap();
        assert!(!fragment.contains("<html"), "only the results: {fragment}");

        let host = browser();
        assert_eq!(app.sign_in(&host, "host", PASSWORD).await.status(), 303);
        let (_, misses) = app.get_text(&host, "/mod/searches").await;
        assert!(misses.contains("quantum teleportation"), "{misses}");
        assert!(misses.contains(">3</span> searches"), "{misses}");
        assert!(!misses.contains("zzyzx"), "typing is not counted");
        assert!(
            !misses.contains("is there a mailing list"),
            "what was found is not listed"
        );

        // Other misses may be listed first (searches made while the index caught up).
        let row = misses
            .find("<strong>quantum teleportation</strong>")
            .unwrap();
        let marker = "action=\"/mod/searches/";
        let start = row + misses[row..].find(marker).unwrap() + marker.len();
        let miss_id: String = misses[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let csrf = hidden_value(&misses, "csrf").unwrap();
        let url = app.url(&format!("/mod/searches/{miss_id}/ask"));
        let short = host
            .post(&url)
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "Qubits?"),
                ("event", "hangout"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(short.status(), 422);
        let refused = short.text().await.unwrap();
        assert!(
            refused.contains("value=\"Qubits?\""),
            "what was typed stays"
        );
        assert!(refused.contains("role=\"alert\""));

        let added = host
            .post(&url)
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "Does MirageOS support quantum teleportation?"),
                ("event", "hangout"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 303, "{}", app.backend);
        assert_eq!(location(&added), "/mod/e/hangout");
        let listed = app.questions(&browser(), "hangout").await;
        assert!(listed.iter().any(
            |q| q["body"] == "Does MirageOS support quantum teleportation?"
                && q["status"] == "approved"
        ));
        let (_, misses) = app.get_text(&host, "/mod/searches").await;
        assert!(!misses.contains("quantum teleportation"), "handled");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_nothing_answers_closely_says_so_and_offers_the_next_event() {
    let old_faq = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/mirageos/faq.jsonl"
    );
    for backend in backends() {
        let app = spawn_app(&backend).await;
        assert!(app.cli(&["import-faq", old_faq]).status.success());
        let token = app.api_token("host");
        app.create_event("spring", &["--starts-at", "2020-03-01T17:00:00Z"]);
        let debug = answered(
            &app,
            &token,
            "spring",
            "How do I debug a MirageOS unikernel?",
            "Build it for the unix target and run it under gdb.",
        )
        .await;
        // The project's answers, most of them about unikernels: the word tells them apart
        // no more than the project's name does.
        for (question, answer) in [
            (
                "Can a unikernel get its address by DHCP?",
                "Yes, with the DHCP client.",
            ),
            ("How big is a unikernel image?", "A few megabytes."),
            ("How fast does a unikernel boot?", "In milliseconds."),
        ] {
            answered(&app, &token, "spring", question, answer).await;
        }
        app.create_event("far", &["--starts-at", "2099-06-01T17:00:00Z"]);
        app.create_event("next", &["--starts-at", "2098-01-01T17:00:00Z"]);
        found(&app.base, "gdb", debug).await;

        // Every hit shares only the project's words: the page says nothing answers closely and
        // offers to ask at the event taking questions next (not the older one still open).
        let loose = "how do i put my unikernel on amazon";
        let result = search_api(&app.base, loose).await;
        assert!(
            result["total"].as_u64().unwrap() > 0,
            "loose hits: {result}"
        );
        assert_eq!(result["close"], false, "{}: {result}", app.backend);
        let (_, page) = app
            .get_text(&browser(), "/faq?q=how+do+i+put+my+unikernel+on+amazon")
            .await;
        assert!(
            page.contains("Nothing here answers “how do i put my unikernel on amazon” closely."),
            "{page}"
        );
        assert!(page.contains("Loosely related"));
        assert!(
            page.contains("href=\"/e/next?ask=how+do+i+put+my+unikernel+on+amazon#ask-body\">Ask it at Hangout next</a>"),
            "{page}"
        );
        let host = app.signed_in_moderator("mona").await;
        let (_, misses) = app.get_text(&host, "/mod/searches").await;
        assert!(misses.contains(loose), "moderators hear of it: {misses}");

        // A search an entry answers says nothing of the kind.
        let close = search_api(&app.base, "debugging a unikernel with gdb").await;
        assert_eq!(close["close"], true, "{close}");
        assert_eq!(close["hits"][0]["id"], debug);
        let (_, page) = app
            .get_text(&browser(), "/faq?q=debugging+a+unikernel+with+gdb")
            .await;
        assert!(
            !page.contains("closely") && !page.contains("Ask it at"),
            "{page}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_is_valid_atom_with_the_newest_answers() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("host");
        app.create_event("hangout", &[]);
        answered(
            &app,
            &token,
            "hangout",
            "Tom & Jerry's <question>: does it work?",
            "**Yes.** <script>alert(1)</script>",
        )
        .await;
        let second = answered(&app, &token, "hangout", "And the second one?", "Also yes.").await;

        let response = browser()
            .get(app.url("/faq/feed.atom"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml"));
        let xml = response.text().await.unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|error| panic!("{error}: {xml}"));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().name(), "feed");
        assert_eq!(
            feed.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for required in ["id", "title", "updated"] {
            assert!(
                feed.children().any(|n| n.has_tag_name(required)),
                "feed {required}"
            );
        }
        let entries: Vec<_> = feed
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .collect();
        assert_eq!(entries.len(), 2);
        let text_of = |entry: &roxmltree::Node, name: &str| {
            entry
                .children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(text_of(&entries[0], "id").ends_with(&format!("/faq/{second}-and-the-second-one")));
        assert_eq!(
            text_of(&entries[1], "title"),
            "Tom & Jerry's <question>: does it work?"
        );
        let content = text_of(&entries[1], "content");
        assert!(content.contains("<strong>Yes.</strong>") && !content.contains("<script"));
        let listed: Value = browser()
            .get(app.url("/api/v1/faq"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed["total"], 2);
    }
}
