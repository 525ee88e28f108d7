//! Live updates over Server-Sent Events: what each audience is told, across two instances, and
//! streams ending when the server stops. Frames are awaited with a generous deadline (a missing
//! frame fails the test; nothing here measures speed).

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{backends, browser, spawn_app, Backend};

/// Long enough that only a frame that never comes fails a test, even on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(20);

/// A Server-Sent Events reader: frames as (event name, JSON data).
pub struct Sse {
    response: reqwest::Response,
    buffer: String,
}

impl Sse {
    pub async fn open(client: &reqwest::Client, url: &str) -> Sse {
        let response = client
            .get(url)
            .header("accept", "text/event-stream")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{url}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        let mut sse = Sse {
            response,
            buffer: String::new(),
        };
        // The opening frame says how soon to reconnect: the stream is subscribed from here on.
        let opening = tokio::time::timeout(DEADLINE, sse.raw_frame())
            .await
            .expect("an opening frame")
            .expect("an opening frame");
        assert!(opening.starts_with("retry: "), "{opening:?}");
        sse
    }

    /// The next frame's text, `None` when the stream ends.
    async fn raw_frame(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame = self.buffer[..end].to_owned();
                self.buffer.drain(..end + 2);
                return Some(frame);
            }
            let chunk = self.response.chunk().await.unwrap()?;
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// The next event frame (comments such as heartbeats skipped), within the deadline.
    pub async fn next(&mut self) -> Option<(String, Value)> {
        tokio::time::timeout(DEADLINE, self.next_event())
            .await
            .expect("a live frame within the deadline")
    }

    async fn next_event(&mut self) -> Option<(String, Value)> {
        loop {
            let frame = self.raw_frame().await?;
            let mut event = None;
            let mut data = None;
            for line in frame.lines() {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = Some(name.to_owned());
                } else if let Some(text) = line.strip_prefix("data: ") {
                    data = Some(serde_json::from_str(text).unwrap());
                }
            }
            if let (Some(event), Some(data)) = (event, data) {
                return Some((event, data));
            }
        }
    }

    /// Reads until a frame satisfies `wanted`, returning it and everything read before it.
    pub async fn until(
        &mut self,
        wanted: impl Fn(&str, &Value) -> bool,
    ) -> ((String, Value), Vec<(String, Value)>) {
        let mut before = Vec::new();
        let search = async {
            loop {
                let (event, data) = self.next_event().await.expect("the stream stays open");
                if wanted(&event, &data) {
                    return (event, data);
                }
                before.push((event, data));
            }
        };
        let found = tokio::time::timeout(DEADLINE, search)
            .await
            .expect("the awaited live frame within the deadline");
        (found, before)
    }
}

/// A `votes` frame's count for one question, if it carries one.
fn count_in(event: &str, data: &Value, id: i64) -> Option<i64> {
    if event != "votes" {
        return None;
    }
    data.as_array()?
        .iter()
        .find(|entry| entry["id"] == id)
        .and_then(|entry| entry["votes"].as_i64())
}

fn is_question(event: &str, data: &Value, id: i64, status: &str) -> bool {
    event == "question" && data["id"] == id && data["status"] == status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_stream_carries_new_questions_votes_and_answers() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("live", &[]);
        let token = app.api_token("mod");
        let mut stream = Sse::open(&browser(), &app.url("/live/e/live")).await;
        let (_, metrics) = app.get_text(&browser(), "/metrics").await;
        assert!(metrics.contains("faqtory_live_subscribers 1"), "{metrics}");

        let id = app
            .ask_api(&browser(), "live", "Will there be a <b>recording</b>?")
            .await;
        let ((_, asked), _) = stream
            .until(|event, data| is_question(event, data, id, "approved"))
            .await;
        assert_eq!(asked["new"], true, "{}", app.backend);
        assert_eq!(asked["votes"], 0);
        // The row itself, rendered once for everyone: escaped, no token, nobody's marks.
        let row = asked["row"].as_str().expect("a row for the page to put in");
        assert!(
            row.starts_with(&format!("<li class=\"question\" id=\"q-{id}\"")),
            "{row}"
        );
        assert!(
            row.contains("Will there be a &lt;b&gt;recording&lt;/b&gt;?"),
            "{row}"
        );
        assert!(
            !row.contains("csrf") && !row.contains("aria-pressed=\"true\""),
            "{row}"
        );
        assert_eq!(asked["answered"], 0);
        assert_eq!(asked["awaiting"], 0);
        let (_, metrics) = app.get_text(&browser(), "/metrics").await;
        assert!(
            metrics
                .lines()
                .any(|line| line.starts_with("faqtory_live_frames_sent_total ")
                    && !line.ends_with(" 0")),
            "{metrics}"
        );

        for _ in 0..3 {
            assert_eq!(app.vote_api(&browser(), id, true).await.status(), 200);
        }
        // However the votes were coalesced, the last count arrives.
        stream
            .until(|event, data| count_in(event, data, id) == Some(3))
            .await;

        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{id}/answer"),
                &token,
                json!({"answer_md": "Yes, on the event page.", "recording_offset": "1:02"}),
            )
            .await;
        assert_eq!(status, 200);
        let ((_, answered), _) = stream
            .until(|event, data| is_question(event, data, id, "answered"))
            .await;
        assert_eq!(answered["new"], false);
        assert_eq!(answered["votes"], 3);
        assert_eq!(answered["answered"], 1);
        let row = answered["row"].as_str().unwrap();
        assert!(row.contains("Yes, on the event page."), "{row}");
        assert!(
            row.contains("sort=answered") || !row.contains("sort="),
            "{row}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_questions_reach_moderators_only() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("premod", &["--premoderation"]);
        let moderator = app.signed_in_moderator("mia").await;
        let mut public = Sse::open(&browser(), &app.url("/live/e/premod")).await;
        let mut moderators = Sse::open(&moderator, &app.url("/mod/live/e/premod")).await;

        let hidden = app
            .ask_api(&browser(), "premod", "A question nobody approves?")
            .await;
        let shown = app
            .ask_api(&browser(), "premod", "A question that gets approved?")
            .await;
        moderators
            .until(|event, data| is_question(event, data, hidden, "pending"))
            .await;
        moderators
            .until(|event, data| is_question(event, data, shown, "pending"))
            .await;

        let token = app.api_token("mod");
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{shown}/approve"),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, before) = public
            .until(|event, data| is_question(event, data, shown, "approved"))
            .await;
        assert!(
            before
                .iter()
                .all(|(_, data)| data["id"] != hidden && data["id"] != shown),
            "{}: the public heard of a pending question: {before:?}",
            app.backend
        );
        let ((_, approved), _) = moderators
            .until(|event, data| is_question(event, data, shown, "approved"))
            .await;
        assert!(
            approved.get("row").is_none(),
            "moderators' pages re-read: {approved}"
        );

        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{hidden}/reject"),
                &token,
                json!({"reason": "off topic, and private"}),
            )
            .await;
        assert_eq!(status, 200);
        let ((_, removed), _) = public
            .until(|event, data| is_question(event, data, hidden, "rejected"))
            .await;
        assert!(removed.get("row").is_none(), "{removed}");
        assert!(!removed.to_string().contains("private"), "{removed}");
        assert_eq!(removed["awaiting"], 0, "{removed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_exist_only_for_what_their_reader_may_see() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("draft", &[]);
        app.set_status("draft", "draft");
        let (status, _) = app.get_text(&browser(), "/live/e/draft").await;
        assert_eq!(status, 404, "{}: drafts have no public stream", app.backend);
        let (status, _) = app.get_text(&browser(), "/live/e/missing").await;
        assert_eq!(status, 404);
        let response = browser()
            .get(app.url("/mod/live/e/draft"))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 200, "moderators' stream needs a sign-in");
        let moderator = app.signed_in_moderator("mia").await;
        Sse::open(&moderator, &app.url("/mod/live/e/draft")).await;
        let long = "a".repeat(10_000);
        for nasty in [
            "%00",
            "%3Cscript%3E",
            "..%2F..%2Fetc",
            "%FF%FE",
            long.as_str(),
        ] {
            for base in ["/live/e/", "/mod/live/e/", "/mod/e/", "/present/"] {
                let (status, _) = app.get_text(&moderator, &format!("{base}{nasty}")).await;
                assert!(
                    matches!(status, 404 | 414 | 431),
                    "{}: {base}{nasty:.40} answered {status}",
                    app.backend
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merge_tells_both_questions_and_the_group_count() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("merge", &[]);
        let token = app.api_token("mod");
        let first = app
            .ask_api(&browser(), "merge", "How do I install it on Linux?")
            .await;
        let second = app
            .ask_api(&browser(), "merge", "Linux install instructions?")
            .await;
        let both = browser();
        for (voter, question) in [(&both, first), (&both, second), (&browser(), second)] {
            assert_eq!(app.vote_api(voter, question, true).await.status(), 200);
        }
        let mut stream = Sse::open(&browser(), &app.url("/live/e/merge")).await;
        let (status, body) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{second}/merge"),
                &token,
                json!({"into": first}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        // Both come in one flush, in either order.
        let ((_, merged), before) = stream
            .until(|event, data| is_question(event, data, second, "merged"))
            .await;
        assert_eq!(merged["merged_into"], first, "{}", app.backend);
        let canonical = match before
            .into_iter()
            .find(|(event, data)| event == "question" && data["id"] == first)
        {
            Some((_, canonical)) => canonical,
            None => {
                stream
                    .until(|event, data| event == "question" && data["id"] == first)
                    .await
                    .0
                     .1
            }
        };
        assert_eq!(canonical["votes"], 2, "two distinct voters over the group");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_on_one_instance_reaches_a_subscriber_of_the_other() {
    for backend in backends() {
        if !matches!(backend, Backend::Postgres { .. }) {
            continue;
        }
        let first = spawn_app(&backend).await;
        first.create_event("pair", &[]);
        let second = first.second_instance(&backend).await;
        let mut stream = Sse::open(&browser(), &second.url("/live/e/pair")).await;

        let id = first
            .ask_api(&browser(), "pair", "Do both servers agree?")
            .await;
        stream
            .until(|event, data| is_question(event, data, id, "approved"))
            .await;
        assert_eq!(first.vote_api(&browser(), id, true).await.status(), 200);
        stream
            .until(|event, data| count_in(event, data, id) == Some(1))
            .await;

        // And back the other way.
        let mut on_first = Sse::open(&browser(), &first.url("/live/e/pair")).await;
        assert_eq!(second.vote_api(&browser(), id, true).await.status(), 200);
        on_first
            .until(|event, data| count_in(event, data, id) == Some(2))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_the_server_ends_live_streams() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    app.create_event("stop", &[]);
    let data_dir = std::env::temp_dir().join(format!("faqtory-live-stop-{}", std::process::id()));
    let server = app.serve_process(&data_dir);
    let mut stream = Sse::open(&browser(), &format!("{}/live/e/stop", server.base)).await;
    let stopping = tokio::spawn(server.stop("-TERM"));
    assert!(
        stream.next().await.is_none(),
        "the stream ends instead of holding the shutdown"
    );
    stopping.await.unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
}
