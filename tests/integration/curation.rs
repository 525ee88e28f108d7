use crate::support::{backends, browser, hidden_value, location, spawn_app, TestApp};

const PASSWORD: &str = "correct horse battery staple";

async fn moderator(app: &TestApp) -> reqwest::Client {
    app.add_moderator("mod", PASSWORD, false);
    let client = browser();
    assert_eq!(app.sign_in(&client, "mod", PASSWORD).await.status(), 303);
    client
}

async fn follow_token(
    app: &TestApp,
    asker: &reqwest::Client,
    slug: &str,
    body: &str,
) -> (i64, String) {
    let response = app
        .post_question(asker, slug, serde_json::json!({ "body": body }))
        .await;
    assert_eq!(response.status(), 201);
    let asked: serde_json::Value = response.json().await.unwrap();
    let url = asked["follow_url"].as_str().unwrap();
    (
        asked["id"].as_i64().unwrap(),
        url.rsplit('/').next().unwrap().to_owned(),
    )
}

async fn form_move(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    verb: &str,
    reason: &str,
) -> reqwest::Response {
    let (_, page) = app.get_text(client, "/mod").await;
    let csrf = hidden_value(&page, "csrf").unwrap();
    client
        .post(app.url(&format!("/mod/q/{id}/{verb}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("back", "/mod/e/premod?tab=pending"),
            ("reason", reason),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_approve_reject_and_undo_and_askers_see_why() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("premod", &["--premoderation"]);
        let mod_client = moderator(&app).await;
        let asker = browser();
        let (first, first_token) = follow_token(
            &app,
            &asker,
            "premod",
            "Will the moderators see this first?",
        )
        .await;
        let (second, second_token) =
            follow_token(&app, &asker, "premod", "Is this one going to be rejected?").await;

        let (status, dashboard) = app.get_text(&mod_client, "/mod/e/premod").await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(dashboard.contains("Will the moderators see this first?"));
        assert!(dashboard.contains("Pending <span class=\"count\">2</span>"));
        let (_, public) = app.get_text(&browser(), "/e/premod").await;
        assert!(public.contains("2 awaiting moderation"));
        assert!(
            !public.contains("not accepted"),
            "rejections are the moderators' business"
        );

        let approved = form_move(&app, &mod_client, first, "approve", "").await;
        assert_eq!(approved.status(), 303);
        assert_eq!(
            location(&approved),
            format!("/mod/e/premod?tab=pending#q-{first}")
        );
        let listed = app.questions(&browser(), "premod").await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["id"], first);

        let rejected = form_move(
            &app,
            &mod_client,
            second,
            "reject",
            "Off topic <b>for</b> this call",
        )
        .await;
        assert_eq!(rejected.status(), 303);
        let said = location(&rejected);
        assert!(said.contains(&format!("rejected={second}")), "{said}");
        let (_, dashboard) = app.get_text(&mod_client, &said).await;
        assert!(
            dashboard.contains(&format!(
                "Rejected #{second}: “Is this one going to be rejected?”"
            )),
            "the dashboard says what happened"
        );
        assert!(
            dashboard.contains(&format!("action=\"/mod/q/{second}/restore\"")),
            "with its undo"
        );
        let (_, follow) = app
            .get_text(&browser(), &format!("/follow/{second_token}"))
            .await;
        assert!(follow.contains("not accepted"));
        assert!(
            follow.contains("Off topic &lt;b&gt;for&lt;/b&gt; this call"),
            "the reason, escaped"
        );
        let (_, public) = app.get_text(&browser(), "/e/premod").await;
        assert!(
            public.contains("hidden>0 awaiting moderation"),
            "nothing waits any more"
        );
        assert!(!public.contains("not accepted"));

        let undone = form_move(&app, &mod_client, second, "restore", "").await;
        assert_eq!(undone.status(), 303);
        let followed: serde_json::Value = app
            .get(&browser(), &format!("/api/v1/follow/{second_token}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(followed["status"], "pending", "back to where it was");
        let followed: serde_json::Value = app
            .get(&browser(), &format!("/api/v1/follow/{first_token}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(followed["status"], "approved");

        let again = form_move(&app, &mod_client, first, "approve", "").await;
        assert_eq!(again.status(), 409, "approving twice is refused clearly");

        let log: Vec<serde_json::Value> = app
            .get(&mod_client, "/api/v1/modlog?event=premod")
            .await
            .json()
            .await
            .unwrap();
        let actions: Vec<(&str, &str, &str)> = log
            .iter()
            .filter(|e| e["action"].as_str().unwrap().starts_with("question."))
            .map(|e| {
                (
                    e["action"].as_str().unwrap(),
                    e["before"].as_str().unwrap(),
                    e["after"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                ("question.restore", "rejected", "pending"),
                ("question.reject", "pending", "rejected"),
                ("question.approve", "pending", "approved"),
            ]
        );
        assert_eq!(log[1]["reason"], "Off topic <b>for</b> this call");
        assert_eq!(log[1]["moderator"], "mod");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_moderator_api_approves_and_rejects_with_a_token_or_a_session_and_csrf_header() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("premod", &["--premoderation"]);
        let mod_client = moderator(&app).await;
        let output = app.cli(&["moderator", "token", "create", "mod", "--label", "script"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        let (id, _) =
            follow_token(&app, &browser(), "premod", "Can a script approve this one?").await;

        let approve = |client: reqwest::Client| {
            let url = app.url(&format!("/api/v1/questions/{id}/approve"));
            client.post(url).header("content-type", "application/json")
        };
        let by_token = approve(browser()).bearer_auth(&token).send().await.unwrap();
        assert_eq!(by_token.status(), 200, "{}", app.backend);
        let body: serde_json::Value = by_token.json().await.unwrap();
        assert_eq!(body["status"], "approved");

        let reject_url = app.url(&format!("/api/v1/questions/{id}/reject"));
        let too_long = browser()
            .post(&reject_url)
            .bearer_auth(&token)
            .json(&serde_json::json!({"reason": "x".repeat(501)}))
            .send()
            .await
            .unwrap();
        assert_eq!(too_long.status(), 422);
        let error: serde_json::Value = too_long.json().await.unwrap();
        assert_eq!(error["field"], "reason");

        let no_header = mod_client
            .post(&reject_url)
            .header("sec-fetch-site", "cross-site")
            .json(&serde_json::json!({"reason": "duplicate"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            no_header.status(),
            403,
            "a session cookie alone cannot write"
        );
        let (_, page) = app.get_text(&mod_client, "/mod").await;
        let csrf = hidden_value(&page, "csrf").unwrap();
        let with_header = mod_client
            .post(&reject_url)
            .header("x-csrf-token", csrf)
            .json(&serde_json::json!({"reason": "duplicate"}))
            .send()
            .await
            .unwrap();
        assert_eq!(with_header.status(), 200);
        let body: serde_json::Value = with_header.json().await.unwrap();
        assert_eq!(body["status"], "rejected");
        assert_eq!(body["reject_reason"], "duplicate");

        let missing = browser()
            .post(app.url("/api/v1/questions/999999/approve"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_edit_wording_keeping_the_original_and_put_one_question_on_screen() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("live", &[]);
        let mod_client = moderator(&app).await;
        let first = app
            .ask_api(&browser(), "live", "how do i unikernel???? pls")
            .await;
        let second = app
            .ask_api(&browser(), "live", "What about ARM64 support on Solo5?")
            .await;
        let (_, page) = app.get_text(&mod_client, "/mod/e/live").await;
        let csrf = hidden_value(&page, "csrf").unwrap();
        let post = |path: String, fields: Vec<(&'static str, String)>| {
            let client = mod_client.clone();
            let url = app.url(&path);
            let mut form = vec![
                ("csrf", csrf.clone()),
                ("back", "/mod/e/live?tab=live".to_owned()),
            ];
            form.extend(fields);
            async move { client.post(url).form(&form).send().await.unwrap() }
        };

        let short = post(
            format!("/mod/q/{first}/edit"),
            vec![("body", "too short".into())],
        )
        .await;
        assert_eq!(short.status(), 422, "{}", app.backend);
        let page = short.text().await.unwrap();
        assert!(page.contains(">too short</textarea>"), "the edit as typed");
        assert!(page.contains("too short: at least 10"));

        let edited = post(
            format!("/mod/q/{first}/edit"),
            vec![("body", "How do I build a unikernel?".into())],
        )
        .await;
        assert_eq!(edited.status(), 303);
        let (_, public) = app.get_text(&browser(), "/e/live").await;
        assert!(public.contains("How do I build a unikernel?"));
        assert!(!public.contains("pls"), "the public sees the new wording");
        let (_, dashboard) = app.get_text(&mod_client, "/mod/e/live").await;
        assert!(
            dashboard.contains("how do i unikernel???? pls"),
            "moderators see the original"
        );

        let on = post(format!("/mod/q/{first}/on-screen"), vec![]).await;
        assert_eq!(on.status(), 303);
        let (_, public) = app.get_text(&browser(), "/e/live").await;
        assert_eq!(
            public.matches("on screen now").count(),
            2,
            "pinned above the list, and marked in it"
        );
        let listed = app.questions(&browser(), "live").await;
        assert_eq!(listed.len(), 2);

        let output = app.cli(&["moderator", "token", "create", "mod", "--label", "screen"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        let switched = browser()
            .post(app.url(&format!("/api/v1/questions/{second}/on-screen")))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(switched.status(), 200);
        let body: serde_json::Value = switched.json().await.unwrap();
        assert_eq!(body["on_screen"], true);
        let (_, dashboard) = app.get_text(&mod_client, "/mod/e/live").await;
        assert_eq!(
            dashboard.matches("on screen now").count(),
            1,
            "one per event"
        );
        let second_row = &dashboard[dashboard.find(&format!("id=\"q-{second}\"")).unwrap()..];
        assert!(second_row[..second_row.find("</li>").unwrap()].contains("on screen now"));

        let patched = browser()
            .patch(app.url(&format!("/api/v1/questions/{second}")))
            .bearer_auth(&token)
            .json(&serde_json::json!({"body": "Will Solo5 support ARM64?"}))
            .send()
            .await
            .unwrap();
        assert_eq!(patched.status(), 200);
        let off = post(format!("/mod/q/{second}/off-screen"), vec![]).await;
        assert_eq!(off.status(), 303);
        let (_, public) = app.get_text(&browser(), "/e/live").await;
        assert!(!public.contains("on screen now"));
        assert!(public.contains("Will Solo5 support ARM64?"));

        let log: Vec<serde_json::Value> = app
            .get(&mod_client, "/api/v1/modlog?action=question.edit")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[1]["before"], "how do i unikernel???? pls");
        assert_eq!(log[1]["after"], "How do I build a unikernel?");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_vote_apart_from_the_public_and_sort_by_it() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("priorities", &[]);
        let alice = moderator(&app).await;
        app.add_moderator("bob", PASSWORD, false);
        let bob = browser();
        assert_eq!(app.sign_in(&bob, "bob", PASSWORD).await.status(), 303);
        let popular = app
            .ask_api(
                &browser(),
                "priorities",
                "The question the public likes most?",
            )
            .await;
        let important = app
            .ask_api(
                &browser(),
                "priorities",
                "The question moderators think matters?",
            )
            .await;
        app.vote_api(&browser(), popular, true).await;

        let (_, page) = app.get_text(&alice, "/mod/e/priorities").await;
        let csrf = hidden_value(&page, "csrf").unwrap();
        let vote = |client: reqwest::Client, csrf: String, verb: &'static str| {
            let url = app.url(&format!("/mod/q/{important}/{verb}"));
            async move {
                client
                    .post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("back", "/mod/e/priorities?tab=live&sort=moderators"),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            vote(alice.clone(), csrf.clone(), "mod-vote").await.status(),
            303,
            "{}",
            app.backend
        );
        assert_eq!(
            vote(alice.clone(), csrf.clone(), "mod-vote").await.status(),
            303,
            "twice is once"
        );
        let (_, bob_page) = app.get_text(&bob, "/mod/e/priorities").await;
        let bob_csrf = hidden_value(&bob_page, "csrf").unwrap();
        assert_eq!(vote(bob.clone(), bob_csrf, "mod-vote").await.status(), 303);

        let (_, by_votes) = app
            .get_text(&alice, "/mod/e/priorities?tab=live&sort=votes")
            .await;
        let (_, by_moderators) = app
            .get_text(&alice, "/mod/e/priorities?tab=live&sort=moderators")
            .await;
        let position = |page: &str, id: i64| page.find(&format!("id=\"q-{id}\"")).unwrap();
        assert!(position(&by_votes, popular) < position(&by_votes, important));
        assert!(position(&by_moderators, important) < position(&by_moderators, popular));
        let row = &by_moderators[position(&by_moderators, important)..];
        assert!(
            row.contains("<span class=\"count moderator\">2 mod</span>"),
            "two moderators, counted apart"
        );
        assert!(row.contains("Withdraw my moderator vote"));
        assert_eq!(
            app.vote_count(important, "priorities").await,
            0,
            "the public count is untouched"
        );

        let output = app.cli(&["moderator", "token", "create", "mod", "--label", "votes"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        let withdrawn = browser()
            .delete(app.url(&format!("/api/v1/questions/{important}/moderator-vote")))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), 200);
        let (_, after) = app
            .get_text(&alice, "/mod/e/priorities?tab=live&sort=moderators")
            .await;
        let row = &after[position(&after, important)..];
        assert!(row.contains("<span class=\"count moderator\">1 mod</span>"));
        let log: Vec<serde_json::Value> = app
            .get(&alice, "/api/v1/modlog?action=question.moderator_vote")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            log.len(),
            2,
            "one per moderator, the repeat changed nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_page_lists_filters_and_undoes() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("logged", &[]);
        let mod_client = moderator(&app).await;
        let id = app
            .ask_api(&browser(), "logged", "Will this rejection be undone?")
            .await;
        let (_, page) = app.get_text(&mod_client, "/mod/e/logged").await;
        let csrf = hidden_value(&page, "csrf").unwrap();
        let reject = mod_client
            .post(app.url(&format!("/mod/q/{id}/reject")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", "/mod/e/logged"),
                ("reason", "<i>spam</i>"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(reject.status(), 303);

        let (status, log) = app
            .get_text(&mod_client, "/mod/log?event=logged&action=&moderator=")
            .await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(
            log.contains("data-label=\"What\">rejected"),
            "the action in words"
        );
        assert!(log.contains("Reason: &lt;i&gt;spam&lt;/i&gt;"), "escaped");
        let (_, everything) = app.get_text(&mod_client, "/mod/log").await;
        assert!(
            everything.contains("command line"),
            "the CLI's account change is there too"
        );
        let (_, filtered) = app
            .get_text(&mod_client, "/mod/log?action=question.reject")
            .await;
        assert!(!filtered.contains("data-label=\"What\">added a moderator"));
        assert!(
            filtered.contains("<option value=\"question.reject\" selected>rejected</option>"),
            "the filter is a select that keeps its choice"
        );

        let start = filtered
            .find(&format!("/mod/q/{id}/restore"))
            .expect("an undo button");
        assert!(start > 0);
        let undo = mod_client
            .post(app.url(&format!("/mod/q/{id}/restore")))
            .form(&[("csrf", csrf.as_str()), ("back", "/mod/log")])
            .send()
            .await
            .unwrap();
        assert_eq!(undo.status(), 303);
        assert!(location(&undo).starts_with("/mod/log"));
        assert_eq!(
            app.questions(&browser(), "logged").await.len(),
            1,
            "back in the list"
        );
        assert_eq!(
            app.get(&browser(), "/mod/log").await.status(),
            303,
            "moderators only"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_label_questions_from_the_dashboard_and_the_api() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("labelled", &[]);
        let mod_client = moderator(&app).await;
        let id = app
            .ask_api(
                &browser(),
                "labelled",
                "Which labels will this question get?",
            )
            .await;
        let (_, page) = app.get_text(&mod_client, "/mod/e/labelled").await;
        let csrf = hidden_value(&page, "csrf").unwrap();
        let set = |labels: String| {
            let client = mod_client.clone();
            let url = app.url(&format!("/mod/q/{id}/labels"));
            let csrf = csrf.clone();
            async move {
                client
                    .post(url)
                    .form(&[
                        ("csrf", csrf),
                        ("back", "/mod/e/labelled?tab=live".into()),
                        ("labels", labels),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };
        let too_long = format!("ocaml, {}", "x".repeat(31));
        let refused = set(too_long.clone()).await;
        assert_eq!(refused.status(), 422, "{}", app.backend);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains(&format!("value=\"{too_long}\"")),
            "the labels as typed"
        );

        assert_eq!(set("xen, <b>roadmap</b>, xen".into()).await.status(), 303);
        let (_, public) = app.get_text(&browser(), "/e/labelled").await;
        assert!(
            public.contains(
                "<a class=\"badge label\" href=\"/e/labelled?sort=top&amp;label=xen\">xen</a>"
            ),
            "a label links to the questions with it"
        );
        assert!(public.contains("&lt;b&gt;roadmap&lt;/b&gt;"), "escaped");
        assert_eq!(public.matches("\">xen</a>").count(), 1, "repeats dropped");

        let output = app.cli(&["moderator", "token", "create", "mod", "--label", "labels"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        let patched = browser()
            .patch(app.url(&format!("/api/v1/questions/{id}")))
            .bearer_auth(&token)
            .json(&serde_json::json!({"labels": ["solo5", "arm64"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(patched.status(), 200);
        let (_, public) = app.get_text(&browser(), "/e/labelled").await;
        assert!(
            public.contains(">arm64<") && public.contains(">solo5<") && !public.contains(">xen<")
        );
        let sneaky = browser()
            .patch(app.url(&format!("/api/v1/questions/{id}")))
            .bearer_auth(&token)
            .json(&serde_json::json!({"labels": ["a,b"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(sneaky.status(), 422);
        let empty = browser()
            .patch(app.url(&format!("/api/v1/questions/{id}")))
            .bearer_auth(&token)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), 422);

        let log: Vec<serde_json::Value> = app
            .get(&mod_client, "/api/v1/modlog?action=question.labels")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(log[0]["before"], "<b>roadmap</b>, xen");
        assert_eq!(log[0]["after"], "solo5, arm64");
    }
}
