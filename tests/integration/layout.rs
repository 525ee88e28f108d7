//! Every page as people see it, at a phone's and a laptop's size, with realistic content (long
//! words, long labels, 200 questions, a table in an answer): nothing wider than the screen, no
//! serious accessibility finding. The dashboard shows at least 8 Live rows on a laptop; the
//! presenter view fits each stream size with the join address on one line. Screenshots go to
//! `target/tmp/layout/`.

use std::path::PathBuf;

use reqwest::Method;
use serde_json::json;

use crate::accessibility::violations;
use crate::browser::{axe_source, chromedriver, sign_in};
use crate::support::{backends, browser, spawn_app, TestApp};
use crate::webdriver::{Browser, Driver};

const PHONE: (u32, u32) = (390, 844);
const LAPTOP: (u32, u32) = (1366, 768);
const STREAM_SIZES: [(u32, u32); 3] = [(1280, 720), (1366, 768), (1920, 1080)];
const PASSWORD: &str = "correct horse battery";
const LONG_WORD: &str = "Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some-more";

fn screenshot(name: &str, size: (u32, u32), backend: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("layout")
        .join(format!("{name}-{}x{}-{backend}.png", size.0, size.1))
}

/// What a realistic session leaves behind, and the addresses it makes.
struct Seeded {
    follow_url: String,
    presenter_url: String,
    faq_entry: i64,
}

async fn seed(app: &TestApp) -> Seeded {
    app.create_event(
        "design",
        &[
            "--premoderation",
            "--starts-at",
            "2099-03-04T18:30:00Z",
            "--recording-url",
            "https://example.org/recording.mp4",
            "--description",
            "The monthly community hangout: roadmap, releases, and whatever you ask.",
            "--labels",
            "roadmap, security, documentation-and-tutorials",
        ],
    );
    let token = app.api_token("seeder");
    let moderate = |method: Method, path: String, body: serde_json::Value| {
        let token = token.clone();
        async move {
            let (status, reply) = app.moderator_api(method, &path, &token, body).await;
            assert!(status < 300, "{path}: {status} {reply}");
        }
    };
    let asked: serde_json::Value = app
        .post_question(
            &browser(),
            "design",
            json!({"body": format!("Does {LONG_WORD} break the layout on a phone?"), "author_name": "Someone-with-a-rather-long-name"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let first = asked["id"].as_i64().unwrap();
    let follow_url = asked["follow_url"].as_str().unwrap().to_owned();
    let mut ids = vec![first];
    for n in 1..200 {
        let body = format!(
            "Question {n}: how does the release process handle plugins, themes and the migration of old data?"
        );
        ids.push(app.ask_api(&browser(), "design", &body).await);
    }
    // All but the last ten are approved; the rest wait in Pending.
    for id in &ids[..190] {
        moderate(
            Method::POST,
            format!("/api/v1/questions/{id}/approve"),
            json!({}),
        )
        .await;
    }
    moderate(
        Method::PATCH,
        format!("/api/v1/questions/{first}"),
        json!({"labels": ["documentation-and-tutorials", "security", "roadmap"]}),
    )
    .await;
    let table = "| Backend | When to use it | Configuration key |\n|---|---|---|\n\
                 | SQLite | one instance, the default | FAQTORY_DATABASE_URL=sqlite://data/faqtory.db |\n\
                 | PostgreSQL | several instances behind a load balancer | FAQTORY_DATABASE_URL=postgres://faqtory@db/faqtory |";
    moderate(
        Method::POST,
        format!("/api/v1/questions/{first}/answer"),
        json!({"answer_md": format!("It depends on the backend:\n\n{table}\n\nAnd {LONG_WORD}."), "recording_offset": "12:34"}),
    )
    .await;
    moderate(
        Method::POST,
        format!("/api/v1/questions/{}/on-screen", ids[1]),
        json!({}),
    )
    .await;
    // Bursts of fresh voters from one address, for the dashboard's "votes look automated" and,
    // once discounted, "automated votes discounted".
    for burst_on in [ids[1], ids[4]] {
        for _ in 0..faqtory::app::asking::automated_votes::BurstRule::default().votes_per_minute {
            app.vote_api(&browser(), burst_on, true).await;
        }
    }
    moderate(
        Method::POST,
        format!("/api/v1/questions/{}/automated-votes-discount", ids[4]),
        json!({}),
    )
    .await;
    moderate(
        Method::POST,
        format!("/api/v1/questions/{}/merge", ids[3]),
        json!({"into": ids[2]}),
    )
    .await;
    moderate(
        Method::POST,
        format!("/api/v1/questions/{}/reject", ids[195]),
        json!({"reason": format!("Off topic: {LONG_WORD}")}),
    )
    .await;
    // A transcript, for the recording's review page: a long turn, a long word, many speakers.
    let mut captions = String::from("WEBVTT\n");
    for n in 0..12 {
        captions.push_str(&format!(
            "\n00:{n:02}:00.000 --> 00:{n:02}:30.000\n<v Speaker {n} with a long name>Question {n}: how does the release \
             process handle plugins, themes and the migration of old data? It handles them in order, {LONG_WORD}.\n"
        ));
    }
    let uploaded = browser()
        .put(app.url("/api/v1/events/design/transcript"))
        .header("content-type", "text/vtt")
        .bearer_auth(&token)
        .body(captions)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 200);
    // Searches that find nothing, for the search-misses page.
    for query in [
        LONG_WORD,
        "kubernetes operator helm chart",
        "windows installer msi",
    ] {
        app.get(&browser(), &format!("/faq?q={query}")).await;
    }
    let (status, link) = app
        .moderator_api(
            Method::POST,
            "/api/v1/events/design/presenter-link",
            &token,
            json!({}),
        )
        .await;
    assert_eq!(status, 201);
    Seeded {
        follow_url,
        presenter_url: link["url"].as_str().unwrap().to_owned(),
        faq_entry: first,
    }
}

/// The page now is no wider than the window. (With a phone's emulation the layout viewport
/// grows to fit wide content, so `innerWidth` proves nothing; the root's client width does.)
async fn fits_the_width(page: &Browser) -> Result<(), String> {
    let widths = page
        .run(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            json!([]),
        )
        .await;
    let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    if scroll <= client {
        Ok(())
    } else {
        Err(format!("{scroll} px wide in a {client} px window"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_a_laptop() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("layout checks skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let seeded = seed(&app).await;
        app.add_moderator("admin", PASSWORD, true);
        let follow_path = seeded
            .follow_url
            .strip_prefix(&app.url(""))
            .unwrap()
            .to_owned();
        let public_pages = [
            ("home", "/".to_owned()),
            ("event", "/e/design".to_owned()),
            ("event-answered", "/e/design?sort=answered".to_owned()),
            ("faq", "/faq".to_owned()),
            ("faq-search", "/faq?q=backend".to_owned()),
            ("faq-entry", format!("/faq/{}", seeded.faq_entry)),
            ("follow", follow_path),
            ("sign-in", "/sign-in".to_owned()),
        ];
        let moderator_pages = [
            ("mod-events", "/mod".to_owned()),
            ("dashboard-live", "/mod/e/design?tab=live".to_owned()),
            ("dashboard-pending", "/mod/e/design?tab=pending".to_owned()),
            (
                "dashboard-answered",
                "/mod/e/design?tab=answered".to_owned(),
            ),
            (
                "dashboard-rejected",
                "/mod/e/design?tab=rejected".to_owned(),
            ),
            ("focus", "/mod/e/design/focus".to_owned()),
            ("settings", "/mod/e/design/settings".to_owned()),
            ("duplicates", "/mod/e/design/duplicates".to_owned()),
            ("recording", "/mod/e/design/recording".to_owned()),
            ("audit-log", "/mod/log".to_owned()),
            ("search-misses", "/mod/searches".to_owned()),
            ("new-event", "/mod/events/new".to_owned()),
            ("account", "/mod/account".to_owned()),
            ("moderators", "/mod/admin/moderators".to_owned()),
        ];
        let mut problems = Vec::new();
        for size in [PHONE, LAPTOP] {
            let page = driver.session(size.0, size.1).await;
            let mut check = |name: &'static str, found: Result<(), String>| {
                if let Err(problem) = found {
                    problems.push(format!("{name} at {}x{}: {problem}", size.0, size.1));
                }
            };
            for (name, path) in &public_pages {
                page.goto(&app.url(path)).await;
                page.screenshot(&screenshot(name, size, app.backend)).await;
                check(name, fits_the_width(&page).await);
                check(name, axe_clean(&page, &axe).await);
            }
            sign_in(&page, &app, "admin", PASSWORD).await;
            for (name, path) in &moderator_pages {
                page.goto(&app.url(path)).await;
                page.screenshot(&screenshot(name, size, app.backend)).await;
                check(name, fits_the_width(&page).await);
                check(name, axe_clean(&page, &axe).await);
            }
            if size == LAPTOP {
                // Dark mode keeps its contrast (axe checks colours too).
                page.prefer_dark().await;
                for (name, path) in [
                    ("dark-event", "/e/design".to_owned()),
                    ("dark-faq-entry", format!("/faq/{}", seeded.faq_entry)),
                    ("dark-dashboard", "/mod/e/design?tab=pending".to_owned()),
                ] {
                    page.goto(&app.url(&path)).await;
                    page.screenshot(&screenshot(name, size, app.backend)).await;
                    check(name, axe_clean(&page, &axe).await);
                }
                page.goto(&app.url("/mod/e/design?tab=live")).await;
                let visible = page
                    .run(
                        "return Array.prototype.filter.call(document.querySelectorAll('ol.moderation > li'),\
                           function (row) { var r = row.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }).length;",
                        json!([]),
                    )
                    .await;
                let visible = visible.as_i64().unwrap();
                eprintln!("{}: {visible} whole Live rows at 1366x768", app.backend);
                if visible < 8 {
                    problems.push(format!(
                        "the Live tab shows {visible} whole rows at 1366x768"
                    ));
                }
            }
            page.close().await;
        }
        // The stream's sizes, and a phone (someone opening the link from a chat).
        for size in STREAM_SIZES.into_iter().chain([PHONE]) {
            let page = driver.session(size.0, size.1).await;
            page.goto(&seeded.presenter_url).await;
            page.wait_for("#next-up li").await;
            page.screenshot(&screenshot("presenter", size, app.backend))
                .await;
            let mut check = |found: Result<(), String>| {
                if let Err(problem) = found {
                    problems.push(format!("presenter at {}x{}: {problem}", size.0, size.1));
                }
            };
            check(fits_the_width(&page).await);
            if size != PHONE {
                check(presenter_fits(&page).await);
            }
            page.close().await;
        }
        assert!(problems.is_empty(), "{}: {problems:#?}", app.backend);
    }
}

async fn axe_clean(page: &Browser, axe: &str) -> Result<(), String> {
    let found = violations(page, axe).await;
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("{found:?}"))
    }
}

/// Nothing below the bottom of the stream, and the join address on one line.
async fn presenter_fits(page: &Browser) -> Result<(), String> {
    let facts = page
        .run(
            "var address = document.querySelector('.join-address');\
             var line = parseFloat(getComputedStyle(address).lineHeight);\
             return [document.documentElement.scrollHeight, document.documentElement.clientHeight,\
                     address.getBoundingClientRect().height, line];",
            json!([]),
        )
        .await;
    let number = |i: usize| facts[i].as_f64().unwrap();
    let (scroll, client, address, line) = (number(0), number(1), number(2), number(3));
    if scroll > client {
        return Err(format!("{scroll} px tall in a {client} px window"));
    }
    if address > line * 1.5 {
        return Err(format!(
            "the join address takes {address} px, lines are {line} px"
        ));
    }
    Ok(())
}
