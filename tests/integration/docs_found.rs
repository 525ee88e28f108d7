//! Documentation where people look: the ask form's suggestions ("Already in the documentation"),
//! FAQ search beside FAQ entries (page, API, embed, filterable), "this answers my question",
//! opening a section (and a removed one leading where its content went), and an event's figure
//! of how many of its questions the documentation answers. Text from docs is escaped everywhere.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::meaning::spawn_with_model;
use crate::support::{backends, browser, hidden_value, location, spawn_app, TestApp};
use crate::tiny_model::{self, scratch_dir};

const ARM: &str = "https://wiki.example/arm64";
const INSTALL: &str = "https://wiki.example/install";

fn line(url: &str, title: &str, section: &str, text: &str) -> String {
    json!({ "url": url, "title": title, "section": section, "text": text }).to_string()
}

fn wiki(with_sd_card: bool) -> String {
    let mut lines = vec![
        line(
            ARM,
            "MirageOS on ARM64",
            "MirageOS on ARM64",
            "Unikernels run on 64-bit ARM boards such as the Raspberry Pi 3.",
        ),
        line(
            INSTALL,
            "Installing",
            "With opam",
            "Install the mirage tool with opam: opam install mirage. You need OCaml 4.12.",
        ),
        line(
            INSTALL,
            "Installing",
            "Hostile <script>alert(1)</script> heading",
            "Firewall rules <img src=x onerror=alert(2)> for the hypervisor bridge, where 1 < 2.",
        ),
    ];
    if with_sd_card {
        lines.push(line(
            ARM,
            "MirageOS on ARM64",
            "SD Card",
            "Partition the SD card in two: a FAT boot partition and an ext4 root partition.",
        ));
    } else {
        // The SD card advice moved to a page of its own, word for word.
        lines.push(line(
            "https://wiki.example/sd-card",
            "Preparing the SD card",
            "SD Card",
            "Partition the SD card in two: a FAT boot partition and an ext4 root partition.",
        ));
    }
    lines.join("\n")
}

fn admin_token(app: &TestApp) -> String {
    app.add_moderator("admin", "correct horse battery staple", true);
    let output = app.cli(&["moderator", "token", "create", "admin", "--label", "tests"]);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Adds (or refreshes) the wiki and waits until this instance can search what was read.
async fn wiki_searchable(app: &TestApp, token: &str, args: &[&str]) {
    let output = app.cli(args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let started = Instant::now();
    loop {
        let (status, listed) = app
            .moderator_api(Method::GET, "/api/v1/docs/sources", token, json!({}))
            .await;
        assert_eq!(status, 200, "{listed}");
        if listed[0]["indexed"] == true {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never indexed: {listed}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn get_json(app: &TestApp, path: &str, query: &[(&str, &str)]) -> Value {
    let response = browser()
        .get(app.url(path))
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path} {query:?}");
    response.json().await.unwrap()
}

/// Asks for suggestions until the question `id` is among them (the index follows writes within
/// moments).
async fn suggested_with(app: &TestApp, text: &str, id: i64) -> Value {
    let started = Instant::now();
    loop {
        let found = get_json(app, "/api/v1/events/call/similar", &[("q", text)]).await;
        let listed = found
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["id"] == id && item.get("kind").is_none());
        if listed {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{text:?} never suggested question {id}: {found}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn docs_in(items: &[Value]) -> Vec<&Value> {
    items.iter().filter(|item| item["kind"] == "doc").collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn askers_and_visitors_find_the_section_that_answers_and_the_team_sees_the_figure() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = admin_token(&app);
        app.create_event("call", &[]);
        let file = app.data_dir.join("wiki.jsonl");
        std::fs::write(&file, wiki(true)).unwrap();
        let path = file.to_str().unwrap().to_owned();
        wiki_searchable(&app, &token, &["docs", "add", "wiki", "--jsonl", &path]).await;
        let asked = app
            .ask_api(
                &browser(),
                "call",
                "Partitions for the SD card of a Pi board?",
            )
            .await;
        app.ask_api(&browser(), "call", "Will there be a conference in Berlin?")
            .await;

        // Under the ask form: the section first, marked as documentation; questions keep their shape.
        let similar = suggested_with(&app, "How do I partition the SD card?", asked).await;
        let items = similar.as_array().unwrap();
        assert_eq!(items[0]["kind"], "doc", "{similar}");
        assert_eq!(items[0]["title"], "MirageOS on ARM64 › SD Card");
        assert_eq!(items[0]["url"], format!("{ARM}#sd-card"));
        assert!(items[0]["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<mark>"));
        let question = items
            .iter()
            .find(|item| item["id"] == asked && item.get("kind").is_none())
            .unwrap_or_else(|| panic!("the asked question is suggested too: {similar}"));
        assert!(question.get("body").is_some() && question.get("vote_count").is_some());
        let section_id = items[0]["id"].as_i64().unwrap();
        // Nothing in the docs answers it: no section shown.
        let unrelated = get_json(
            &app,
            "/api/v1/events/call/similar",
            &[("q", "Will there be a conference in Berlin next year?")],
        )
        .await;
        assert!(
            docs_in(unrelated.as_array().unwrap()).is_empty(),
            "{unrelated}"
        );

        // The FAQ search lists it beside entries, filterable.
        let found = get_json(&app, "/api/v1/faq", &[("q", "SD card partition")]).await;
        let hits = found["hits"].as_array().unwrap();
        assert_eq!(docs_in(hits)[0]["id"], section_id, "{found}");
        assert_eq!(found["close"], true, "a section that answers is an answer");
        let only_faq = get_json(
            &app,
            "/api/v1/faq",
            &[("q", "SD card partition"), ("kind", "faq")],
        )
        .await;
        assert!(docs_in(only_faq["hits"].as_array().unwrap()).is_empty());
        let only_docs = get_json(
            &app,
            "/api/v1/faq",
            &[("q", "SD card partition"), ("kind", "doc")],
        )
        .await;
        assert_eq!(
            docs_in(only_docs["hits"].as_array().unwrap()).len(),
            only_docs["hits"].as_array().unwrap().len()
        );
        let (status, page) = app.get_text(&browser(), "/faq?q=SD+card+partition").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("In the documentation") && page.contains(&format!("/d/{section_id}")),
            "{page}"
        );
        let (status, embedded) = app
            .get_text(&browser(), "/embed/faq?q=SD+card+partition")
            .await;
        assert_eq!(status, 200);
        assert!(embedded.contains(&format!("/d/{section_id}")), "{embedded}");
        let (status, markdown) = app
            .get_text(&browser(), "/faq.md?q=SD+card+partition")
            .await;
        assert_eq!(status, 200);
        assert!(
            markdown.contains("## In the documentation")
                && markdown.contains(&format!("- [MirageOS on ARM64 › SD Card](<{ARM}#sd-card>)")),
            "{markdown}"
        );

        // Text from the docs is escaped wherever it shows.
        let hostile = get_json(&app, "/api/v1/faq", &[("q", "firewall hypervisor bridge")]).await;
        let hostile_doc = docs_in(hostile["hits"].as_array().unwrap())[0].clone();
        assert!(
            hostile_doc["title"]
                .as_str()
                .unwrap()
                .starts_with("Installing › Hostile"),
            "{hostile_doc}"
        );
        let snippet = hostile_doc["snippet_html"].as_str().unwrap();
        assert!(
            !snippet.contains("<img")
                && !snippet.contains("onerror")
                && snippet.contains("1 &lt; 2"),
            "{snippet}"
        );
        let (_, page) = app
            .get_text(&browser(), "/faq?q=firewall+hypervisor+bridge")
            .await;
        assert!(
            !page.contains("<script>alert(1)") && !page.contains("<img src=x"),
            "{page}"
        );

        // Without JavaScript the ask form shows the section before sending.
        let client = browser();
        let response = app
            .ask_form(&client, "call", "How should I partition the SD card?", "")
            .await;
        assert_eq!(response.status(), 200);
        let form = response.text().await.unwrap();
        assert!(form.contains("Already in the documentation"), "{form}");
        assert!(form.contains("This answers my question"));
        assert_eq!(
            hidden_value(&form, "docs_shown"),
            Some(section_id.to_string())
        );

        // "This answers my question" is counted; nothing is asked.
        let said = client
            .post(app.url(&format!("/api/v1/docs/sections/{section_id}/answered")))
            .json(&json!({ "event": "call" }))
            .send()
            .await
            .unwrap();
        assert_eq!(said.status(), 200);
        let said: Value = said.json().await.unwrap();
        assert_eq!(said["answered"], 1);
        let missing = client
            .post(app.url("/api/v1/docs/sections/999999/answered"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
        // Asked anyway, after seeing it.
        let csrf = app.csrf_token(&client, "call").await;
        let sent = client
            .post(app.url("/e/call/ask"))
            .form(&[
                ("body", "How should I partition the SD card, really?"),
                ("csrf", &csrf),
                ("anyway", "1"),
                ("docs_shown", &format!("{section_id},not-a-number")),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 303);
        // Opening it goes to the section on its site, counted.
        let opened = client
            .get(app.url(&format!("/d/{section_id}?e=call")))
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), 303);
        assert_eq!(location(&opened), format!("{ARM}#sd-card"));
        let nowhere = client.get(app.url("/d/not-a-number")).send().await.unwrap();
        assert_eq!(nowhere.status(), 404);

        // The event's figure: the SD card questions are answered in the docs, Berlin is not.
        let coverage = get_json(&app, "/api/v1/events/call/docs-coverage", &[]).await;
        assert_eq!(coverage["questions"], 3, "{coverage}");
        assert_eq!(coverage["answered_in_docs"], 2, "{coverage}");
        assert_eq!(coverage["askers_answered"], 1);
        assert_eq!(coverage["asked_anyway"], 1);
        assert_eq!(coverage["opened"], 1);
        assert_eq!(
            coverage["uncovered"][0]["body"],
            "Will there be a conference in Berlin?"
        );

        // A moderator sees the section beside the question and answers with it.
        let moderator = app.signed_in_moderator("host").await;
        let (status, dashboard) = app.get_text(&moderator, "/mod/e/call?tab=live").await;
        assert_eq!(status, 200);
        assert!(dashboard.contains("In the docs: "), "{dashboard}");
        assert!(
            dashboard.contains("<strong>2 of 3</strong> questions are answered in the docs"),
            "the event's figure: {dashboard}"
        );
        let csrf = hidden_value(&dashboard, "csrf").unwrap();
        let answered = moderator
            .post(app.url(&format!("/mod/q/{asked}/answer-with-doc")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", "/mod/e/call?tab=live"),
                ("section", &section_id.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answered.status(), 303);
        // The FAQ entry links the section and quotes it.
        let entry = reqwest::get(app.url(&format!("/faq/{asked}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            entry.contains(&format!("href=\"{ARM}#sd-card\"")),
            "{entry}"
        );
        assert!(entry.contains("<blockquote>"), "{entry}");
        let (status, refused) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{asked}/answer-with-doc"),
                &token,
                json!({ "section_id": 424242 }),
            )
            .await;
        assert_eq!(status, 404, "{refused}");
        let coverage = get_json(&app, "/api/v1/events/call/docs-coverage", &[]).await;
        assert_eq!(coverage["answered_with_docs"], 1, "{coverage}");

        // The team's report: the section asked about anyway, the questions no section covers.
        app.ask_api(
            &browser(),
            "call",
            "=HYPERLINK(\"x\") What colour are the t-shirts?",
        )
        .await;
        let (status, report) = app
            .moderator_api(Method::GET, "/api/v1/docs/report", &token, json!({}))
            .await;
        assert_eq!(status, 200, "{report}");
        assert!(
            report["sections_searchable"].as_u64().unwrap() > 0,
            "{report}"
        );
        let used = &report["sections"][0];
        assert_eq!(used["id"], section_id, "asked about anyway first: {report}");
        assert_eq!(
            (
                &used["asked_anyway"],
                &used["answered"],
                &used["opened"],
                &used["answered_with"]
            ),
            (&json!(1), &json!(1), &json!(1), &json!(1)),
            "{report}"
        );
        assert_eq!(used["title"], "MirageOS on ARM64 › SD Card");
        let gaps: Vec<&str> = report["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|gap| gap["body"].as_str().unwrap())
            .collect();
        assert!(
            gaps.contains(&"Will there be a conference in Berlin?"),
            "{report}"
        );
        assert!(
            !gaps.iter().any(|body| body.contains("SD card")),
            "covered questions are not gaps: {report}"
        );
        assert_eq!(report["events"][0]["slug"], "call");
        assert_eq!(report["events"][0]["questions"], 4, "{report}");
        assert_eq!(report["events"][0]["answered_in_docs"], 2, "{report}");
        let (status, csv) = app
            .moderator_api(
                Method::GET,
                "/api/v1/docs/report?format=csv",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
        let csv = csv.as_str().unwrap();
        assert!(csv.starts_with("kind,id,title_or_question,url"), "{csv}");
        assert!(
            csv.contains(&format!(
                "section,{section_id},MirageOS on ARM64 › SD Card,{ARM}#sd-card,wiki,"
            )),
            "{csv}"
        );
        assert!(
            csv.contains("gap,") && csv.contains("\"'=HYPERLINK("),
            "formulas are inert: {csv}"
        );
        let (status, _) = app
            .moderator_api(
                Method::GET,
                "/api/v1/docs/report?format=xml",
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 422);
        let (status, page) = app.get_text(&moderator, "/mod/docs").await;
        assert_eq!(status, 200);
        assert!(page.contains("<strong>2 of 4</strong>"), "{page}");
        assert!(
            page.contains("Will there be a conference in Berlin?"),
            "{page}"
        );
        let (status, _) = app.get_text(&browser(), "/mod/docs").await;
        assert_ne!(status, 200, "the report is for the team");

        // The section moves: it is found at its new place, and the old link leads there.
        std::fs::write(&file, wiki(false)).unwrap();
        wiki_searchable(&app, &token, &["docs", "refresh", "wiki"]).await;
        let moved = get_json(
            &app,
            "/api/v1/events/call/similar",
            &[("q", "How do I partition the SD card?")],
        )
        .await;
        assert_eq!(
            moved[0]["title"], "Preparing the SD card › SD Card",
            "{moved}"
        );
        assert_ne!(moved[0]["id"], section_id);
        // The figure, worked out again (not kept from before the move), points at the new place.
        let coverage = get_json(&app, "/api/v1/events/call/docs-coverage", &[]).await;
        let sections: Vec<&Value> = coverage["covered"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|covered| {
                covered["section"]["id"]
                    .as_i64()
                    .map(|_| &covered["section"])
            })
            .collect();
        assert!(!sections.is_empty(), "{coverage}");
        assert!(
            sections.iter().all(|section| section["id"] != section_id
                && section["title"] == "Preparing the SD card › SD Card"),
            "{coverage}"
        );
        let old_link = client
            .get(app.url(&format!("/d/{section_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(location(&old_link), "https://wiki.example/sd-card#sd-card");
    }
}

async fn metric(app: &TestApp, name: &str) -> Option<f64> {
    let (_, body) = app.get_text(&browser(), "/metrics").await;
    body.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sections_are_found_by_meaning_when_no_word_is_shared() {
    for backend in backends() {
        let source = scratch_dir("docs-model");
        let model = tiny_model::build(&source);
        let app = spawn_with_model(&backend, Some(&model)).await;
        let token = admin_token(&app);
        app.create_event("call", &[]);
        let file = app.data_dir.join("manual.jsonl");
        let manual = [
            line(
                "https://manual.example/vehicles",
                "Vehicles",
                "Mending",
                "Mend a broken automobile.",
            ),
            line(
                "https://manual.example/accounts",
                "Accounts",
                "Lost credentials",
                "Recover lost credentials.",
            ),
            line(
                "https://manual.example/storage",
                "Storage",
                "Datastore",
                "The datastore keeps storage.",
            ),
        ]
        .join("\n");
        std::fs::write(&file, manual).unwrap();
        let path = file.to_str().unwrap().to_owned();
        wiki_searchable(&app, &token, &["docs", "add", "manual", "--jsonl", &path]).await;
        let started = Instant::now();
        while metric(&app, "faqtory_doc_vectors_held").await < Some(3.0) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the sections' vectors never came into memory"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }

        // Not a word in common with the section, yet it answers.
        let similar = get_json(
            &app,
            "/api/v1/events/call/similar",
            &[("q", "How do I fix my car?")],
        )
        .await;
        let docs = docs_in(similar.as_array().unwrap());
        assert_eq!(docs.len(), 1, "{similar}");
        assert_eq!(docs[0]["title"], "Vehicles › Mending");
        assert!(docs[0]["meaning"].as_f64().unwrap() > 0.5, "{similar}");
        let found = get_json(&app, "/api/v1/faq", &[("q", "forgot my password")]).await;
        let docs = docs_in(found["hits"].as_array().unwrap());
        assert_eq!(docs.len(), 1, "{found}");
        assert_eq!(docs[0]["title"], "Accounts › Lost credentials");
        // Nothing about cats in the manual.
        let unrelated = get_json(
            &app,
            "/api/v1/events/call/similar",
            &[("q", "Can I bring my kitten?")],
        )
        .await;
        assert!(
            docs_in(unrelated.as_array().unwrap()).is_empty(),
            "{unrelated}"
        );
    }
}
