use crate::support::{backends, browser, hidden_value, location, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_vote_per_voter_and_withdrawing_takes_it_back() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("votes", &[]);
        let id = app
            .ask_api(&app.client, "votes", "Which release comes next?")
            .await;

        // A vote minted by the vote itself does not count: the identity comes with looking.
        let stranger = browser()
            .post(app.url(&format!("/api/v1/questions/{id}/vote")))
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(stranger.status(), 403, "{}", app.backend);
        let error: serde_json::Value = stranger.json().await.unwrap();
        assert_eq!(error["error"], "no_voter");
        assert!(error["message"].as_str().unwrap().contains("Reload"));
        assert_eq!(app.vote_count(id, "votes").await, 0);

        let alice = browser();
        let looked = app.get(&alice, "/api/v1/events/votes/questions").await;
        let cookie = looked
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .find(|value| value.starts_with("faqtory_voter="))
            .expect("looking at the event hands out a voter cookie");
        let first = app.vote_api(&alice, id, true).await;
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(cookie.contains("Max-Age=34560000"), "long-lived: {cookie}");
        assert!(!cookie.contains("Secure"), "plain http here: {cookie}");
        let first: serde_json::Value = first.json().await.unwrap();
        assert_eq!(
            first,
            serde_json::json!({"id": id, "vote_count": 1, "voted": true})
        );
        let again = app.vote_api(&alice, id, true).await;
        assert_eq!(again.status(), 200);
        let again: serde_json::Value = again.json().await.unwrap();
        assert_eq!(
            again["vote_count"], 1,
            "{}: the same cookie counts once",
            app.backend
        );

        let bob = browser();
        let bobs: serde_json::Value = app.vote_api(&bob, id, true).await.json().await.unwrap();
        assert_eq!(bobs["vote_count"], 2, "another cookie counts");

        let listed = app.questions(&alice, "votes").await;
        assert_eq!(listed[0]["voted"], true);
        assert_eq!(app.questions(&browser(), "votes").await[0]["voted"], false);

        let withdrawn: serde_json::Value =
            app.vote_api(&alice, id, false).await.json().await.unwrap();
        assert_eq!(
            withdrawn,
            serde_json::json!({"id": id, "vote_count": 1, "voted": false})
        );
        let twice: serde_json::Value = app.vote_api(&alice, id, false).await.json().await.unwrap();
        assert_eq!(twice["vote_count"], 1, "withdrawing twice changes nothing");
        assert_eq!(app.vote_count(id, "votes").await, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_voters_voting_at_once_make_exactly_fifty() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("crowd", &[]);
        let id = app
            .ask_api(&app.client, "crowd", "Can everyone vote at once?")
            .await;
        let mut voters = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let url = app.url(&format!("/api/v1/questions/{id}/vote"));
            let page = app.url("/e/crowd");
            voters.spawn(async move {
                let voter = browser();
                voter.get(&page).send().await.unwrap();
                // Each voter clicks twice, as impatient people do.
                for _ in 0..2 {
                    let response = voter
                        .post(&url)
                        .header("content-type", "application/json")
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 200);
                }
            });
        }
        while let Some(outcome) = voters.join_next().await {
            outcome.unwrap();
        }
        assert_eq!(app.vote_count(id, "crowd").await, 50, "{}", app.backend);
    }
}

/// Votes arriving together are counted together (one transaction); each is still answered on
/// its own, and a refused one costs the others nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_refused_in_a_crowd_spoil_no_one_elses() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("mixed", &[]);
        app.create_event("mixed-premoderated", &["--premoderation"]);
        let listed = app
            .ask_api(&app.client, "mixed", "Is this one listed?")
            .await;
        let pending = app
            .ask_api(
                &app.client,
                "mixed-premoderated",
                "Is this one still waiting?",
            )
            .await;
        let mut voters = tokio::task::JoinSet::new();
        for _ in 0..40 {
            let vote_on = |id: i64| app.url(&format!("/api/v1/questions/{id}/vote"));
            let urls = [
                (vote_on(listed), 200),
                (vote_on(pending), 409),
                (vote_on(999_999), 404),
            ];
            let page = app.url("/e/mixed");
            voters.spawn(async move {
                let voter = browser();
                voter.get(&page).send().await.unwrap();
                for (url, expected) in &urls {
                    let answer = voter
                        .post(url)
                        .header("content-type", "application/json")
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(answer.status(), *expected, "{url}");
                }
            });
        }
        while let Some(outcome) = voters.join_next().await {
            outcome.unwrap();
        }
        assert_eq!(app.vote_count(listed, "mixed").await, 40, "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voting_works_with_a_plain_form_and_returns_to_the_question() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("form-votes", &[]);
        let id = app
            .ask_api(
                &app.client,
                "form-votes",
                "Does voting work without JavaScript?",
            )
            .await;

        let voter = browser();
        let (_, page) = app.get_text(&voter, "/e/form-votes?sort=new").await;
        let csrf = hidden_value(&page, "csrf").unwrap_or_default();
        assert!(page.contains("aria-pressed=\"false\""));
        let response = voter
            .post(app.url(&format!("/e/form-votes/q/{id}/vote")))
            .form(&[("csrf", csrf.as_str()), ("action", "up"), ("sort", "new")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{}", app.backend);
        assert_eq!(
            location(&response),
            format!("/e/form-votes?sort=new#q-{id}")
        );

        let (_, page) = app.get_text(&voter, "/e/form-votes").await;
        assert!(page.contains("aria-pressed=\"true\""), "shown as voted");
        assert!(page.contains("value=\"withdraw\""));
        assert_eq!(app.vote_count(id, "form-votes").await, 1);

        let response = voter
            .post(app.url(&format!("/e/form-votes/q/{id}/vote")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", "withdraw"),
                ("sort", "top"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(app.vote_count(id, "form-votes").await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_on_missing_pending_or_closed_questions_are_refused_clearly() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("refusals", &["--premoderation"]);
        let missing = app.vote_api(&browser(), 999_999, true).await;
        assert_eq!(missing.status(), 404);

        let pending = app
            .ask_api(&app.client, "refusals", "Is this waiting for approval?")
            .await;
        let response = app.vote_api(&browser(), pending, true).await;
        assert_eq!(response.status(), 409, "{}", app.backend);
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["error"], "not_votable");

        app.create_event("finished", &[]);
        let id = app
            .ask_api(&app.client, "finished", "Will voting stop at the end?")
            .await;
        app.set_status("finished", "closed");
        let response = app.vote_api(&browser(), id, true).await;
        assert_eq!(response.status(), 409);
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["error"], "voting_closed");

        app.create_event("drafted", &[]);
        let hidden = app
            .ask_api(&app.client, "drafted", "Is a draft event invisible?")
            .await;
        app.set_status("drafted", "draft");
        let response = app.vote_api(&browser(), hidden, true).await;
        assert_eq!(response.status(), 404, "drafts do not exist for the public");

        let bad_id = app.vote_api(&browser(), 0, true).await;
        assert_eq!(bad_id.status(), 404, "no question 0");
        let not_a_number = browser()
            .post(app.url("/api/v1/questions/abc/vote"))
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(not_a_number.status(), 404);
        let wrong_method = app.get(&browser(), "/api/v1/questions/abc/vote").await;
        assert_eq!(
            wrong_method.status(),
            405,
            "the address takes POST and DELETE"
        );
    }
}
