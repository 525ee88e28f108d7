//! Merging duplicates: the arithmetic of distinct voters, exact undo, chains, refusals, answers,
//! and votes arriving while a merge runs.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, hidden_value, location, spawn_app, TestApp};

const PASSWORD: &str = "correct horse battery staple";

async fn merge(app: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    app.moderator_api(
        Method::POST,
        &format!("/api/v1/questions/{id}/merge"),
        token,
        body,
    )
    .await
}

async fn unmerge(app: &TestApp, token: &str, id: i64) -> (u16, Value) {
    app.moderator_api(
        Method::POST,
        &format!("/api/v1/questions/{id}/unmerge"),
        token,
        json!(null),
    )
    .await
}

/// Every question of the event as the export shows it, without the times that change.
async fn snapshot(app: &TestApp, token: &str, slug: &str) -> Vec<Value> {
    let (status, export) = app
        .moderator_api(
            Method::GET,
            &format!("/api/v1/events/{slug}/export"),
            token,
            json!(null),
        )
        .await;
    assert_eq!(status, 200);
    export["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|question| {
            let mut question = question.clone();
            question["updated_at"] = Value::Null;
            if let Some(answer) = question.get_mut("answer").filter(|a| !a.is_null()) {
                answer["updated_at"] = Value::Null;
            }
            question
        })
        .collect()
}

fn find(snapshot: &[Value], id: i64) -> &Value {
    snapshot.iter().find(|q| q["id"] == id).unwrap()
}

fn follow_token(asked: &Value) -> String {
    asked["follow_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merges_count_each_voter_once_flatten_chains_and_undo_exactly() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("curator");
        app.create_event("call", &[]);
        app.create_event("other", &[]);
        let a = app
            .ask_api(&browser(), "call", "How do I build a unikernel for Xen?")
            .await;
        let asker_b = browser();
        let asked_b: Value = app
            .post_question(
                &asker_b,
                "call",
                json!({"body": "What are the steps to target Xen?"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let b = asked_b["id"].as_i64().unwrap();
        let c = app
            .ask_api(&browser(), "call", "Is there a guide for Xen builds?")
            .await;
        let elsewhere = app
            .ask_api(&browser(), "other", "A question of another event?")
            .await;
        // Questions that do not exist are "not found", never a server error.
        for (source, into) in [(a, 0), (999_999, a)] {
            let (status, error) = merge(&app, &token, source, json!({"into": into})).await;
            assert_eq!(
                status, 404,
                "{}: {source} into {into}: {error}",
                app.backend
            );
        }
        let voters: Vec<reqwest::Client> = (0..4).map(|_| browser()).collect();
        for (voter, question) in [(0, a), (0, b), (1, b), (2, a), (3, c)] {
            assert_eq!(
                app.vote_api(&voters[voter], question, true).await.status(),
                200
            );
        }
        for (id, labels) in [(a, json!(["xen"])), (b, json!(["build"]))] {
            let (status, _) = app
                .moderator_api(
                    Method::PATCH,
                    &format!("/api/v1/questions/{id}"),
                    &token,
                    json!({ "labels": labels }),
                )
                .await;
            assert_eq!(status, 200);
        }
        let before = snapshot(&app, &token, "call").await;

        let (status, canonical) = merge(&app, &token, b, json!({ "into": a })).await;
        assert_eq!(status, 200, "{canonical}");
        assert_eq!(canonical["id"], a);
        assert_eq!(
            canonical["vote_count"], 3,
            "{}: voter 0 voted for both and counts once",
            app.backend
        );
        let listed = app.questions(&browser(), "call").await;
        assert!(
            listed.iter().all(|q| q["id"] != b),
            "merged questions leave the list"
        );
        let merged = snapshot(&app, &token, "call").await;
        assert_eq!(find(&merged, b)["status"], "merged");
        assert_eq!(find(&merged, b)["merged_into"], a);
        assert_eq!(find(&merged, a)["labels"], json!(["build", "xen"]));

        // Chains flatten; cycles and other events are refused.
        let (status, canonical) = merge(&app, &token, a, json!({ "into": c })).await;
        assert_eq!(status, 200, "{canonical}");
        assert_eq!(canonical["id"], c);
        assert_eq!(canonical["vote_count"], 4);
        let chained = snapshot(&app, &token, "call").await;
        assert_eq!(find(&chained, b)["merged_into"], c, "b now points at c");
        for (into, why) in [(b, "a cycle through b"), (c, "itself")] {
            let (status, error) = merge(&app, &token, c, json!({ "into": into })).await;
            assert_eq!(
                (status, error["field"].as_str()),
                (422, Some("into")),
                "{why}: {error}"
            );
        }
        let (status, error) = merge(&app, &token, elsewhere, json!({ "into": c })).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (422, Some("into")),
            "{error}"
        );
        let (status, _) = merge(&app, &token, b, json!({ "into": c })).await;
        assert_eq!(status, 409, "already merged");

        // Undone newest first, each merge gives back exactly what was there.
        assert_eq!(unmerge(&app, &token, a).await.0, 200);
        assert_eq!(snapshot(&app, &token, "call").await, merged);
        assert_eq!(unmerge(&app, &token, b).await.0, 200);
        assert_eq!(snapshot(&app, &token, "call").await, before);
        assert_eq!(unmerge(&app, &token, b).await.0, 409, "not merged any more");

        // Votes on a merged question count for the canonical one, once per voter.
        assert_eq!(merge(&app, &token, b, json!({ "into": a })).await.0, 200);
        let again: Value = app
            .vote_api(&voters[1], b, true)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (again["id"].as_i64(), again["vote_count"].as_i64()),
            (Some(a), Some(3))
        );
        let through_merged: Value = app
            .vote_api(&voters[3], b, true)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(through_merged["vote_count"], 4);
        let withdrawn: Value = app
            .vote_api(&voters[0], a, false)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            withdrawn["vote_count"], 3,
            "withdrawing takes the voter off the group"
        );

        // The asker of the merged question sees where it went.
        let token_b = follow_token(&asked_b);
        let follow: Value = browser()
            .get(app.url(&format!("/api/v1/follow/{token_b}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            (follow["status"].as_str(), follow["merged_into"].as_i64()),
            (Some("merged"), Some(a))
        );
        let (_, page) = app
            .get_text(&browser(), &format!("/follow/{token_b}"))
            .await;
        assert!(page.contains(&format!("href=\"/e/call#q-{a}\"")), "{page}");
        assert!(page.contains("How do I build a unikernel for Xen?"));
        let (_, event_page) = app.get_text(&asker_b, "/e/call").await;
        assert!(
            event_page.contains(&format!("merged into <a href=\"#q-{a}\">#{a}</a>")),
            "the asker's own question, on the event page: {event_page}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_is_never_dropped_by_a_merge() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("curator");
        app.create_event("call", &[]);
        let answered = app
            .ask_api(&browser(), "call", "Does it run on ARM64 boards?")
            .await;
        let open = app
            .ask_api(&browser(), "call", "Can I use it on a Raspberry Pi 4?")
            .await;
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{answered}/answer"),
                &token,
                json!({"answer_md": "Yes, on **ARM64**."}),
            )
            .await;
        assert_eq!(status, 200);
        let before = snapshot(&app, &token, "call").await;

        let (status, error) = merge(&app, &token, answered, json!({ "into": open })).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (422, Some("keep_answer_of")),
            "{error}"
        );

        let (status, canonical) = merge(
            &app,
            &token,
            answered,
            json!({ "into": open, "keep_answer_of": answered }),
        )
        .await;
        assert_eq!(status, 200, "{canonical}");
        assert_eq!(canonical["status"], "answered");
        let merged = snapshot(&app, &token, "call").await;
        assert_eq!(
            find(&merged, open)["answer"]["answer_md"],
            "Yes, on **ARM64**."
        );
        assert!(find(&merged, answered)["answer"].is_null());
        crate::faq_search::found(&app.base, "raspberry arm64", open).await;
        // The merged question's FAQ address leads to the canonical entry, which lists it.
        let moved = browser()
            .get(app.url(&format!("/faq/{answered}")))
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 301);
        let canonical_url = moved.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            canonical_url.starts_with(&format!("/faq/{open}-")),
            "{canonical_url}"
        );
        let (_, entry) = app.get_text(&browser(), &canonical_url).await;
        assert!(entry.contains("Also asked as") && entry.contains("Does it run on ARM64 boards?"));
        // Found by the words of the merged question too: its text is an alternative phrasing.
        crate::faq_search::found(&app.base, "boards", open).await;

        assert_eq!(unmerge(&app, &token, answered).await.0, 200);
        assert_eq!(snapshot(&app, &token, "call").await, before);
        crate::faq_search::found(&app.base, "arm64 boards", answered).await;

        // Left with the merged question, the answer stays there and comes back with it.
        let (status, _) = merge(
            &app,
            &token,
            answered,
            json!({ "into": open, "keep_answer_of": open }),
        )
        .await;
        assert_eq!(status, 200);
        let kept = snapshot(&app, &token, "call").await;
        assert_eq!(
            find(&kept, answered)["answer"]["answer_md"],
            "Yes, on **ARM64**."
        );
        assert!(find(&kept, open)["answer"].is_null());
        assert_eq!(unmerge(&app, &token, answered).await.0, 200);
        assert_eq!(snapshot(&app, &token, "call").await, before);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_cast_while_a_merge_runs_are_neither_lost_nor_doubled() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("curator");
        app.create_event("call", &[]);
        let a = app
            .ask_api(&browser(), "call", "Will there be a 1.0 release soon?")
            .await;
        let b = app
            .ask_api(&browser(), "call", "When is version 1.0 coming out?")
            .await;
        let warm_up = app
            .ask_api(&browser(), "call", "A question to get a voter cookie?")
            .await;
        let voters: Vec<reqwest::Client> = (0..40).map(|_| browser()).collect();
        // Each voter's identity first (it is set on the first vote), so that a voter's two
        // concurrent votes below are one person's.
        for voter in &voters {
            assert_eq!(app.vote_api(voter, warm_up, true).await.status(), 200);
        }
        let mut votes = Vec::new();
        for (n, voter) in voters.iter().enumerate() {
            // Some vote for one, some for the other, every fourth for both.
            let targets: Vec<i64> = match n % 4 {
                0 => vec![a, b],
                1 | 2 => vec![a],
                _ => vec![b],
            };
            for question in targets {
                let app = &app;
                votes.push(async move { app.vote_api(voter, question, true).await.status() });
            }
        }
        let merging = merge(&app, &token, b, json!({ "into": a }));
        let (statuses, (status, _)) = tokio::join!(join_all(votes), merging);
        assert_eq!(status, 200);
        assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
        let count = app.vote_count(a, "call").await;
        assert_eq!(count, 40, "{}: every voter once", app.backend);
        assert_eq!(unmerge(&app, &token, b).await.0, 200);
        assert_eq!(app.vote_count(a, "call").await, 30);
        assert_eq!(app.vote_count(b, "call").await, 20);
    }
}

/// Polls the futures together (each awaits its own request while the others proceed) and
/// collects their outputs in order.
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(done) => *output = Some(done),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_merge_and_unmerge_from_the_dashboard_without_javascript() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("call", &[]);
        app.add_moderator("curator", PASSWORD, false);
        let a = app
            .ask_api(
                &browser(),
                "call",
                "Is there a Matrix room for the project?",
            )
            .await;
        let b = app
            .ask_api(&browser(), "call", "Where do people chat about it?")
            .await;
        let curator = browser();
        assert_eq!(
            app.sign_in(&curator, "curator", PASSWORD).await.status(),
            303
        );
        let (_, page) = app.get_text(&curator, "/mod/e/call").await;
        assert!(page.contains(&format!("action=\"/mod/q/{b}/merge\"")));
        let csrf = hidden_value(&page, "csrf").unwrap();
        let back = "/mod/e/call?tab=live&sort=votes";
        let url = app.url(&format!("/mod/q/{b}/merge"));

        let refused = curator
            .post(&url)
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", back),
                ("into", "the chat one"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let refused = refused.text().await.unwrap();
        assert!(
            refused.contains("value=\"the chat one\""),
            "what was typed stays"
        );
        assert!(refused.contains("Give the number of the question"));

        // The picker offers every question by number and text; what it fills in is accepted.
        let picked = format!("#{a} · Is there a Matrix room for the project?");
        assert!(page.contains("<datalist id=\"merge-targets\">"));
        assert!(page.contains(&format!("value=\"{picked}\"")), "{page}");
        let merged = curator
            .post(&url)
            .form(&[("csrf", csrf.as_str()), ("back", back), ("into", &picked)])
            .send()
            .await
            .unwrap();
        assert_eq!(merged.status(), 303, "{}", app.backend);
        assert_eq!(location(&merged), format!("{back}&merged={b}#q-{a}"));
        let (_, page) = app.get_text(&curator, &location(&merged)).await;
        assert!(
            page.contains(&format!(
                "Merged #{b} “Where do people chat about it?” into #{a} “Is there a Matrix room for the project?”."
            )),
            "the page says what was merged: {page}"
        );
        assert!(
            page.contains("action=\"/mod/e/call/unmerge\""),
            "with its undo"
        );
        assert!(page.contains("1 merged here"), "{page}");
        assert!(page.contains(&format!("action=\"/mod/q/{b}/unmerge\"")));
        assert!(
            page.contains(&format!("list=\"merge-targets\" data-merge-self=\"{a}\"")),
            "the page's script keeps a row's own question out of its picker"
        );
        // An address naming what is not merged (or is not a question) says nothing.
        let (status, odd) = app
            .get_text(
                &curator,
                &format!("{back}&merged={a},x,-1,99999999999999999999"),
            )
            .await;
        assert_eq!(status, 200);
        assert!(!odd.contains("just-done"));

        let (_, log) = app.get_text(&curator, "/mod/log").await;
        assert!(
            log.contains(&format!("#{b}</a> into #{a}")),
            "merged #b into #a, in words: {log}"
        );
        assert!(
            log.contains(&format!("action=\"/mod/q/{b}/unmerge\"")),
            "undo from the audit log"
        );
        // Undo from the notice; a second undo (another tab) finds nothing left to take back.
        for _ in 0..2 {
            let unmerged = curator
                .post(app.url("/mod/e/call/unmerge"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("back", back),
                    ("ids", &b.to_string()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(unmerged.status(), 303);
        }
        let listed = app.questions(&browser(), "call").await;
        assert_eq!(listed.len(), 2, "both listed again");

        // Ticked questions merge into one in a single move.
        let c = app
            .ask_api(&browser(), "call", "Is there an IRC channel too?")
            .await;
        let bulk = app.url("/mod/e/call/merge");
        let nothing = curator
            .post(&bulk)
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", back),
                ("into", &a.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(nothing.status(), 422);
        assert!(nothing.text().await.unwrap().contains("Tick the questions"));
        let ticked = curator
            .post(&bulk)
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", back),
                ("ids", &b.to_string()),
                ("ids", &c.to_string()),
                ("into", &a.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(ticked.status(), 303, "{}", app.backend);
        let listed = app.questions(&browser(), "call").await;
        assert_eq!(listed.len(), 1, "b and c merged into a");
        let (_, page) = app.get_text(&curator, &location(&ticked)).await;
        assert!(page.contains("2 merged here"));
        assert!(
            page.contains(&format!("Merged 2 questions into #{a}")),
            "{page}"
        );
    }
}
