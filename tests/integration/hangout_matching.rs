//! What a new team met at its first hangout: every question names the project, so everything
//! looked alike. The duplicates view must propose only true pairs, before and after a merge (and
//! the API the same groups); the ask form must suggest nothing that only shares the project's
//! name, with the project's old FAQ imported. With the tiny model, whose words of one meaning
//! share a direction and every hangout question has the project's.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::meaning::{embedded, spawn_with_model, vectors_held};
use crate::similar::{similar, suggested, suggested_all};
use crate::support::{backends, browser, hidden_value, location, TestApp};
use crate::tiny_model::{self, scratch_dir};

const DEADLINE: Duration = Duration::from_secs(30);

struct Hangout {
    pi: i64,
    pi_again: i64,
    cloud: i64,
    cloud_again: i64,
    dns: i64,
    debug: i64,
}

async fn ask_the_hangout(app: &TestApp) -> Hangout {
    let ask = |text: &'static str| async move { app.ask_api(&browser(), "hangout", text).await };
    let hangout = Hangout {
        pi: ask("Can MirageOS unikernels run on a Raspberry Pi?").await,
        pi_again: ask("Does a Raspberry Pi board boot a MirageOS unikernel?").await,
        cloud: ask("How do I deploy a MirageOS unikernel to AWS?").await,
        cloud_again: ask("What is the way to deploy unikernels on Amazon EC2?").await,
        dns: ask("Is MirageOS ready for running a DNS server?").await,
        debug: ask("How do I debug a MirageOS unikernel that crashes?").await,
    };
    // The most voted of a pair is the one a merge keeps.
    for id in [hangout.pi, hangout.cloud] {
        assert_eq!(app.vote_api(&browser(), id, true).await.status(), 200);
    }
    hangout
}

async fn groups_api(app: &TestApp, token: &str) -> Value {
    let (status, groups) = app
        .moderator_api(
            Method::GET,
            "/api/v1/events/hangout/duplicates",
            token,
            json!(null),
        )
        .await;
    assert_eq!(status, 200, "{groups}");
    groups
}

/// The groups once every question has its vector (they come within moments).
async fn settled_groups(app: &TestApp, token: &str, expected: &Value) -> Value {
    let started = Instant::now();
    loop {
        let groups = groups_api(app, token).await;
        if &groups == expected || started.elapsed() > DEADLINE {
            return groups;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duplicates_view_proposes_only_true_pairs_before_and_after_a_merge() {
    for backend in backends() {
        let source = scratch_dir("model");
        let model = tiny_model::build(&source);
        let app = spawn_with_model(&backend, Some(&model)).await;
        app.create_event("hangout", &[]);
        let hangout = ask_the_hangout(&app).await;
        let token = app.api_token("host");
        embedded(&app).await;
        vectors_held(&app, 6).await;

        let pairs = json!([
            [hangout.pi, hangout.pi_again],
            [hangout.cloud, hangout.cloud_again]
        ]);
        assert_eq!(
            settled_groups(&app, &token, &pairs).await,
            pairs,
            "{}: the two true pairs, the kept (most voted) first, and nothing that only names \
             the project",
            app.backend
        );

        // The page offers the same groups, each ready to merge into its first.
        let host = app.signed_in_moderator("mona").await;
        let (status, page) = app.get_text(&host, "/mod/e/hangout/duplicates").await;
        assert_eq!(status, 200);
        assert_eq!(
            page.matches("<section class=\"cluster\">").count(),
            2,
            "{page}"
        );
        assert!(page.contains(&format!("Merge the ticked into #{}", hangout.pi)));
        assert!(!page.contains("running a DNS server") && !page.contains("that crashes"));

        // Merging the Raspberry Pi pair leaves the cloud pair as it was and pulls nothing into
        // the question kept.
        let csrf = hidden_value(&page, "csrf").unwrap();
        let merged = host
            .post(app.url("/mod/e/hangout/merge"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", "/mod/e/hangout/duplicates"),
                ("into", &hangout.pi.to_string()),
                ("ids", &hangout.pi_again.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(merged.status(), 303);
        let (_, after) = app.get_text(&host, &location(&merged)).await;
        assert!(
            after.contains(&format!("Merged #{} ", hangout.pi_again)),
            "the page says what was merged, with its undo: {after}"
        );
        let cloud_only = json!([[hangout.cloud, hangout.cloud_again]]);
        assert_eq!(settled_groups(&app, &token, &cloud_only).await, cloud_only);
        assert_eq!(after.matches("<section class=\"cluster\">").count(), 1);

        assert_eq!(
            browser()
                .get(app.url("/api/v1/events/hangout/duplicates"))
                .send()
                .await
                .unwrap()
                .status(),
            401,
            "moderators only"
        );
        let (status, _) = app
            .moderator_api(
                Method::GET,
                "/api/v1/events/nowhere/duplicates",
                &token,
                json!(null),
            )
            .await;
        assert_eq!(status, 404);
        let _ = (hangout.dns, hangout.debug);
        let _ = std::fs::remove_dir_all(source);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ask_form_suggests_nothing_that_only_shares_the_projects_name() {
    let old_faq = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/mirageos/faq.jsonl"
    );
    for backend in backends() {
        let source = scratch_dir("model");
        let model = tiny_model::build(&source);
        let app = spawn_with_model(&backend, Some(&model)).await;
        let imported = app.cli(&["import-faq", old_faq]);
        assert!(imported.status.success());
        app.create_event("hangout", &[]);
        let hangout = ask_the_hangout(&app).await;
        embedded(&app).await;
        // Four old entries and six questions: what all of them share is known only once every
        // vector is in.
        vectors_held(&app, 10).await;
        // The indexer applies changes in order: once the last question asked is found, all are.
        let last = "How do I debug a MirageOS unikernel that crashes?";
        suggested(&app, "hangout", last, hangout.debug).await;

        // The other cloud question shares few rare words with this one: it is suggested by
        // meaning, once the vectors are in.
        let cloud = "Can I deploy a unikernel on Amazon EC2?";
        let found = suggested_all(
            &app,
            "hangout",
            cloud,
            &[hangout.cloud, hangout.cloud_again],
        )
        .await;
        let ids: Vec<i64> = found.iter().map(|s| s["id"].as_i64().unwrap()).collect();
        assert_eq!(
            ids.len(),
            2,
            "{}: the two cloud questions and nothing else: {found:?}",
            app.backend
        );

        // Questions the hangout and the old FAQ hold nothing like: nothing is suggested, though
        // all of them name MirageOS.
        for unrelated in [
            "How do I debug my MirageOS unikernel with gdb?",
            "Which Raspberry Pi board runs MirageOS best?",
        ] {
            let found = similar(&app, "hangout", unrelated).await;
            let faq: Vec<&Value> = found.iter().filter(|s| s["answered"] == true).collect();
            assert!(
                faq.is_empty(),
                "{unrelated}: old FAQ entries suggested: {faq:?}"
            );
        }
        let debugging = similar(
            &app,
            "hangout",
            "How do I debug my MirageOS unikernel with gdb?",
        )
        .await;
        assert_eq!(
            debugging
                .iter()
                .map(|s| s["id"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            [hangout.debug],
            "only the debugging question: {debugging:?}"
        );

        // An old FAQ entry that does answer is shown as answered, not with a vote count.
        let asker = browser();
        let page = app
            .ask_form(&asker, "hangout", "Is MirageOS production ready?", "")
            .await
            .text()
            .await
            .unwrap();
        let start = page.find("These look similar").expect("suggested");
        let suggestions = &page[start..start + page[start..].find("</ul>").unwrap()];
        assert!(
            suggestions.contains("Is MirageOS &#39;production ready&#39;?")
                || suggestions.contains("production ready"),
            "{suggestions}"
        );
        assert!(
            suggestions.contains("<span class=\"meta\">answered</span>"),
            "{suggestions}"
        );
        assert!(!suggestions.contains("0 votes"), "{suggestions}");
        let _ = std::fs::remove_dir_all(source);
    }
}
