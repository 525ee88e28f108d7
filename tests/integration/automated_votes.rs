//! Votes that look automated: a burst from one network is flagged on the dashboard, a moderator
//! discounts it (logged) and can count it again; a crowd behind one NAT voting over minutes is not
//! flagged.

use std::net::Ipv4Addr;

use chrono::Duration;
use faqtory::app::asking::automated_votes::BurstRule;
use faqtory::app::clock::Clock;
use reqwest::Method;

use crate::support::{backends, browser, browser_from, hidden_value, spawn_app_with, TestApp};

const BURST: u32 = 10;

fn with_burst_rule(config: &mut faqtory::config::Config) {
    config.burst_rule = BurstRule {
        votes_per_minute: BURST,
    };
}

async fn dashboard(app: &TestApp, moderator: &reqwest::Client) -> String {
    let (status, page) = app.get_text(moderator, "/mod/e/crowd?tab=live").await;
    assert_eq!(status, 200);
    page
}

async fn post_move(
    app: &TestApp,
    moderator: &reqwest::Client,
    question: i64,
    verb: &str,
) -> reqwest::StatusCode {
    let csrf = hidden_value(&dashboard(app, moderator).await, "csrf").unwrap();
    moderator
        .post(app.url(&format!("/mod/q/{question}/{verb}")))
        .form(&[("csrf", csrf.as_str()), ("back", "/mod/e/crowd?tab=live")])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_from_one_network_is_flagged_discounted_and_counted_again() {
    for backend in backends() {
        let app = spawn_app_with(&backend, with_burst_rule).await;
        app.create_event("crowd", &[]);
        let stuffed = app
            .ask_api(&browser(), "crowd", "Will this question be stuffed?")
            .await;
        let honest = app
            .ask_api(&browser(), "crowd", "Is this one voted for by people?")
            .await;
        for n in 1..=3 {
            let person = browser_from(Ipv4Addr::new(127, 0, 3, n).into());
            assert_eq!(app.vote_api(&person, stuffed, true).await.status(), 200);
            assert_eq!(app.vote_api(&person, honest, true).await.status(), 200);
        }
        // A script: a fresh voter per vote, all from one address, within a minute.
        let mut script_voters = Vec::new();
        for _ in 0..BURST + 2 {
            let script = browser();
            assert_eq!(app.vote_api(&script, stuffed, true).await.status(), 200);
            script_voters.push(script);
        }
        assert_eq!(
            app.vote_count(stuffed, "crowd").await,
            15,
            "flagged votes count until discounted"
        );

        let moderator = app.signed_in_moderator("mona").await;
        let page = dashboard(&app, &moderator).await;
        assert!(
            page.contains("12 votes look automated"),
            "{}: {page}",
            app.backend
        );
        assert_eq!(
            page.matches("look automated").count(),
            1,
            "the honest question is not flagged"
        );

        assert_eq!(
            post_move(&app, &moderator, stuffed, "discount-automated").await,
            303
        );
        assert_eq!(app.vote_count(stuffed, "crowd").await, 3, "{}", app.backend);
        let page = dashboard(&app, &moderator).await;
        assert!(page.contains("12 automated votes discounted"), "{page}");
        assert!(!page.contains("look automated"));
        let (_, log) = app.get_text(&moderator, "/mod/log").await;
        assert!(log.contains("discounted automated votes on"), "{log}");

        // Taking back a discounted vote changes nothing; a counted one still counts down.
        let withdrawn = app.vote_api(&script_voters[0], stuffed, false).await;
        assert_eq!(withdrawn.status(), 200);
        assert_eq!(app.vote_count(stuffed, "crowd").await, 3);

        // Undone through the API, then nothing is left to count again.
        let token = app.api_token("tess");
        let path = format!("/api/v1/questions/{stuffed}/automated-votes-discount");
        let (status, question) = app
            .moderator_api(Method::DELETE, &path, &token, serde_json::json!({}))
            .await;
        assert_eq!(status, 200, "{question}");
        assert_eq!(question["vote_count"], 14, "{}", app.backend);
        let (status, refused) = app
            .moderator_api(Method::DELETE, &path, &token, serde_json::json!({}))
            .await;
        assert_eq!(
            (status, refused["error"].as_str()),
            (409, Some("no_automated_votes"))
        );
        assert_eq!(
            post_move(&app, &moderator, honest, "discount-automated").await,
            409
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_behind_one_address_voting_over_minutes_is_not_flagged() {
    for backend in backends() {
        let clock = Clock::default();
        let app = {
            let clock = clock.clone();
            spawn_app_with(&backend, move |config| {
                with_burst_rule(config);
                config.clock = clock;
            })
            .await
        };
        app.create_event("crowd", &[]);
        let question = app
            .ask_api(&browser(), "crowd", "What does the roadmap hold?")
            .await;
        // Forty people behind one conference NAT, most of a burst's worth each minute.
        for _minute in 0..5 {
            for _ in 0..BURST - 2 {
                assert_eq!(app.vote_api(&browser(), question, true).await.status(), 200);
            }
            clock.advance(Duration::minutes(1));
        }
        assert_eq!(app.vote_count(question, "crowd").await, 40);
        let moderator = app.signed_in_moderator("mona").await;
        let page = dashboard(&app, &moderator).await;
        assert!(!page.contains("look automated"), "{}: {page}", app.backend);
    }
}
