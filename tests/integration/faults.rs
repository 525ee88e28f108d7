//! Faults under load, small: an instance killed while votes are in flight, and a PostgreSQL
//! restart (on a server of the test's own). What a client was told is saved is there afterwards;
//! while the database is away the answer is 503 with `Retry-After`, never a 500; afterwards the
//! instances write again, listen again, and tell their pages to resync.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::live::Sse;
use crate::own_postgres::OwnPostgres;
use crate::support::{backends, browser, browser_from, spawn_app, Backend, TestApp};

const QUESTIONS: usize = 8;
const VOTERS: usize = 24;

/// Each voter has an address of its own, as a crowd does (a limit on new voters per address
/// would otherwise refuse most of them).
fn voter(n: usize) -> reqwest::Client {
    browser_from(IpAddr::V4(Ipv4Addr::new(127, 0, 2, 1 + n as u8)))
}

#[tokio::test]
async fn votes_a_killed_instance_acknowledged_are_all_kept() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("killed", &[]);
        let mut questions = Vec::new();
        for n in 0..QUESTIONS {
            let body = format!("Does vote number {n} survive a crash?");
            questions.push(app.ask_api(&browser(), "killed", &body).await);
        }
        let data_dir =
            std::env::temp_dir().join(format!("faqtory-test-killed-{}", std::process::id()));
        let doomed = app.serve_process(&data_dir);

        // Every voter votes on every question in turn; each acknowledgement is reported.
        let (acknowledged_tx, mut acknowledged) = mpsc::unbounded_channel();
        let mut voting = Vec::new();
        for n in 0..VOTERS {
            let (client, base, questions) = (voter(n), doomed.base.clone(), questions.clone());
            let acknowledged_tx = acknowledged_tx.clone();
            voting.push(tokio::spawn(async move {
                if client
                    .get(format!("{base}/api/v1/events"))
                    .send()
                    .await
                    .is_err()
                {
                    return client;
                }
                for question in questions {
                    let vote = client
                        .post(format!("{base}/api/v1/questions/{question}/vote"))
                        .header("content-type", "application/json")
                        .send()
                        .await;
                    match vote {
                        Ok(response) if response.status() == 200 => {
                            let _ = acknowledged_tx.send((n, question));
                        }
                        Ok(response) => {
                            assert!(
                                !response.status().is_server_error(),
                                "{}",
                                response.status()
                            );
                        }
                        Err(_) => break,
                    }
                }
                client
            }));
        }
        drop(acknowledged_tx);

        // Killed once a third of the votes are in, with the rest on their way.
        let mut kept = Vec::new();
        while kept.len() < QUESTIONS * VOTERS / 3 {
            kept.push(acknowledged.recv().await.expect("votes are acknowledged"));
        }
        doomed.stop("-KILL").await;
        let mut clients = Vec::new();
        for voter in voting {
            clients.push(voter.await.unwrap());
        }
        while let Some(vote) = acknowledged.recv().await {
            kept.push(vote);
        }

        // Seen through the surviving instance: every acknowledged vote, counted and remembered.
        let listed = app.questions(&browser(), "killed").await;
        for question in &questions {
            let acknowledged = kept.iter().filter(|(_, q)| q == question).count();
            let count = listed
                .iter()
                .find(|listed| listed["id"] == *question)
                .and_then(|listed| listed["vote_count"].as_i64())
                .expect("the question is listed");
            assert!(
                count as usize >= acknowledged && count as usize <= VOTERS,
                "{}: question {question} has {count} votes, {acknowledged} acknowledged",
                app.backend
            );
        }
        for (n, client) in clients.iter().enumerate() {
            let seen = app.questions(client, "killed").await;
            for (_, question) in kept.iter().filter(|(voter, _)| *voter == n) {
                let listed = seen
                    .iter()
                    .find(|listed| listed["id"] == *question)
                    .unwrap();
                assert_eq!(
                    listed["voted"], true,
                    "{}: voter {n} lost its vote on {question}",
                    app.backend
                );
            }
        }
        let _ = std::fs::remove_dir_all(&data_dir);
    }
}

/// Waits until `attempt` stops answering 503, which must come with `Retry-After`.
async fn until_available(what: &str, mut attempt: impl AsyncFnMut() -> reqwest::Response) {
    for _ in 0..600 {
        let response = attempt().await;
        if response.status() != 503 {
            assert!(
                response.status().is_success(),
                "{what}: {}",
                response.status()
            );
            return;
        }
        assert!(response.headers().contains_key("retry-after"), "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: still unavailable after a minute");
}

async fn ask_through(app: &TestApp, body: &str) -> reqwest::Response {
    app.post_question(&browser(), "restart", serde_json::json!({ "body": body }))
        .await
}

#[tokio::test]
async fn a_postgresql_restart_answers_503_then_recovers_and_resyncs_pages() {
    // Runs where the PostgreSQL tests run (the server's programs are installed there).
    if !backends()
        .iter()
        .any(|backend| matches!(backend, Backend::Postgres { .. }))
    {
        return;
    }
    let postgres = OwnPostgres::start().await;
    let backend = Backend::Postgres {
        server: postgres.url(),
    };
    let app = spawn_app(&backend).await;
    let other = app.second_instance(&backend).await;
    app.create_event("restart", &[]);
    let question = app
        .ask_api(&browser(), "restart", "Before the restart?")
        .await;
    let mut live = Sse::open(&browser(), &app.url("/live/e/restart")).await;
    // A voter who has its identity from before.
    let voter = browser();
    assert_eq!(app.vote_api(&voter, question, true).await.status(), 200);

    postgres.stop().await;
    // Writes and reads that need the database: 503 with Retry-After, never 500.
    let asked = ask_through(&app, "While the database is away?").await;
    let status = asked.status();
    let retry_after = asked.headers().get("retry-after").cloned();
    let refused: serde_json::Value = asked.json().await.unwrap();
    assert_eq!(status, 503, "{refused}");
    assert_eq!(refused["error"], "unavailable", "{refused}");
    assert_eq!(retry_after.unwrap(), "5");
    let vote = app.vote_api(&voter, question, false).await;
    assert_eq!(vote.status(), 503);
    assert!(vote.headers().contains_key("retry-after"));
    let listed = app
        .get(&browser(), "/api/v1/events/restart/questions")
        .await;
    assert_eq!(listed.status(), 503);
    let page = app.get(&browser(), "/e/restart").await;
    assert!(
        page.status() == 503 || page.status() == 200,
        "{}",
        page.status()
    );

    postgres.start_again().await;
    // Both instances write again (each pooled connection the restart cut is replaced).
    until_available("asking on the first instance", || {
        ask_through(&app, "After the restart, here?")
    })
    .await;
    until_available("asking on the second instance", || {
        ask_through(&other, "After the restart, there?")
    })
    .await;
    // Reads too, on every pooled connection: none the restart cut is handed out again.
    for _ in 0..20 {
        let listed = app
            .get(&browser(), "/api/v1/events/restart/questions")
            .await;
        assert_eq!(listed.status(), 200);
    }
    // The first instance's listener reconnected, so its pages are told to resync, then hear the
    // second instance again.
    live.until(|event, _| event == "resync").await;
    let heard = ask_through(&other, "Heard across instances again?").await;
    assert_eq!(heard.status(), 201);
    let heard: serde_json::Value = heard.json().await.unwrap();
    live.until(|event, data| event == "question" && data["id"] == heard["id"])
        .await;
}
