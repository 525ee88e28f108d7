//! Polls in the event's export: every answer and up-vote with the counts, a CSV of the counts,
//! and `faqtory import` bringing them back so that export → import → export is the identity; a
//! file with a broken poll is refused whole.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, spawn_app, TestApp};

async fn export(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    browser()
        .get(app.url(&format!("/api/v1/events/backup/export?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn answer(app: &TestApp, who: &reqwest::Client, poll: i64, body: Value) {
    app.get(who, "/api/v1/events").await;
    let response = who
        .post(app.url(&format!("/api/v1/polls/{poll}/answer")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_travel_in_the_export_and_come_back_with_import() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("backup", &[]);
        let token = app.api_token("mona");
        let mut ids = Vec::new();
        for poll in [
            json!({"kind": "choice", "prompt": "=Which format?", "options": ["Docs", "Q&A"], "other": true}),
            json!({"kind": "rating", "prompt": "How was it?", "scale": 10, "low_label": "Meh", "high_label": "Great", "results": "on_reveal"}),
            json!({"kind": "text", "prompt": "What do you want?"}),
            json!({"kind": "words", "prompt": "One word?", "banned_words": ["darn"]}),
            json!({"kind": "ranking", "prompt": "Order these", "options": ["Docs", "API", "UI"]}),
        ] {
            let (status, created) = app
                .moderator_api(Method::POST, "/api/v1/events/backup/polls", &token, poll)
                .await;
            assert_eq!(status, 201);
            let id = created["id"].as_i64().unwrap();
            let open = format!("/api/v1/polls/{id}/open");
            app.moderator_api(Method::POST, &open, &token, json!({}))
                .await;
            ids.push(id);
        }
        let (ann, bob) = (browser(), browser());
        answer(&app, &ann, ids[0], json!({"choices": [1]})).await;
        answer(&app, &bob, ids[0], json!({"other": "Packaging"})).await;
        answer(&app, &ann, ids[1], json!({"rating": 9})).await;
        answer(&app, &ann, ids[2], json!({"text": "More examples"})).await;
        answer(&app, &ann, ids[3], json!({"words": ["Docs", "darn"]})).await;
        answer(&app, &bob, ids[3], json!({"words": ["docs"]})).await;
        answer(&app, &ann, ids[4], json!({"ranking": [1, 0, 2]})).await;
        let (_, texts) = app
            .moderator_api(
                Method::GET,
                &format!("/api/v1/polls/{}/results", ids[2]),
                &token,
                json!({}),
            )
            .await;
        let text_id = texts["texts"][0]["id"].as_i64().unwrap();
        let upvoted = bob
            .post(app.url(&format!(
                "/api/v1/polls/{}/answers/{text_id}/upvote",
                ids[2]
            )))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(upvoted.status(), 200);
        let close = format!("/api/v1/polls/{}/close", ids[1]);
        app.moderator_api(Method::POST, &close, &token, json!({}))
            .await;

        let exported: Value = export(&app, &token, "format=json")
            .await
            .json()
            .await
            .unwrap();
        let polls = exported["polls"].as_array().unwrap();
        assert_eq!(polls.len(), 5, "{exported}");
        assert_eq!(
            polls[0]["tally"],
            json!([{"label": "Docs", "value": 0.0}, {"label": "Q&A", "value": 1.0}, {"label": "Other", "value": 1.0}])
        );
        assert_eq!(polls[1]["state"], "closed");
        assert_eq!(
            polls[1]["tally"][0],
            json!({"label": "average", "value": 9.0})
        );
        assert_eq!(
            polls[2]["answers"][0]["upvoters"].as_array().unwrap().len(),
            1
        );

        let csv = export(&app, &token, "format=csv&part=polls").await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("backup-polls.csv"));
        let csv = csv.text().await.unwrap();
        assert!(
            csv.starts_with("poll,kind,prompt,state,answers,label,value"),
            "{csv}"
        );
        assert!(
            csv.contains("1,choice,'=Which format?,open,2,Q&A,1"),
            "a formula made inert: {csv}"
        );
        assert!(
            csv.contains("3,text,What do you want?,open,1,More examples,1"),
            "{csv}"
        );
        let refused = export(&app, &token, "format=csv&part=answers").await;
        assert_eq!(refused.status(), 422);

        let file = app.data_dir.join("polls-backup.json");
        std::fs::write(&file, serde_json::to_vec(&exported).unwrap()).unwrap();
        let restored = spawn_app(&backend).await;
        let restored_token = restored.api_token("keeper");
        let output = restored.cli(&["import", file.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("5 polls"));
        let mut again: Value = export(&restored, &restored_token, "format=json")
            .await
            .json()
            .await
            .unwrap();
        let mut before = exported.clone();
        again["exported_at"] = Value::Null;
        before["exported_at"] = Value::Null;
        assert_eq!(again["polls"], before["polls"], "{}", restored.backend);

        // A file whose poll answer does not fit its poll is refused whole.
        let mut broken = exported;
        broken["event"]["slug"] = json!("broken");
        broken["questions"] = json!([]);
        broken["polls"][0]["answers"][0]["answer"] = json!({"choices": [7]});
        std::fs::write(&file, serde_json::to_vec(&broken).unwrap()).unwrap();
        let output = restored.cli(&["import", file.to_str().unwrap()]);
        assert!(!output.status.success());
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("poll 1"),
            "{output:?}"
        );
        let (status, _) = restored
            .moderator_api(
                Method::GET,
                "/api/v1/events/broken/export",
                &restored_token,
                json!({}),
            )
            .await;
        assert_eq!(status, 404, "nothing of it was written");
    }
}
