//! The recording through a real server: a three-hour call (about 2,000 cues, QMSum meetings one
//! after another) uploaded to an event of 100 questions, then
//!
//! 1. without a model: the upload, and proposals for the 100 questions end to end (HTTP);
//! 2. with the model (`FAQTORY_BENCH_MODEL=DIR`): the transcript read by meaning in the
//!    background while `/healthz` is asked all along, the progress as the page shows it, the time
//!    per cue, then proposals by words and meaning.
//!
//! `cargo build --release && cargo run --release --example bench_recording_load`

#[path = "common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{
    fresh_db, model_dir, moderator_token, open_event, summary, timed_get, BoxError, ServeProcess,
};
use faqtory::app::asking::question_import;
use faqtory::db::Db;

const CUES: usize = 2_000;
const QUESTIONS: usize = 100;

#[derive(serde::Deserialize)]
struct Meeting {
    meeting_id: String,
    questions: Vec<Question>,
}

#[derive(serde::Deserialize)]
struct Question {
    query: String,
}

/// A WebVTT call of about `CUES` cues, and `QUESTIONS` questions asked about its meetings and
/// the ones after (as bench_transcript_quality takes them).
fn long_call() -> Result<(String, Vec<String>), BoxError> {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/qmsum");
    let mut cues: Vec<faqtory::transcript::Cue> = Vec::new();
    let mut questions = Vec::new();
    for line in std::fs::read_to_string(format!("{data}/meetings.jsonl"))?.lines() {
        if cues.len() >= CUES && questions.len() >= QUESTIONS {
            break;
        }
        let meeting: Meeting = serde_json::from_str(line)?;
        questions.extend(meeting.questions.into_iter().map(|question| question.query));
        if cues.len() >= CUES {
            continue;
        }
        let file = std::fs::read(format!("{data}/vtt/{}.vtt", meeting.meeting_id))?;
        let transcript = faqtory::transcript::parse(&file).map_err(|error| error.to_string())?;
        let shift = cues.last().map_or(0, |cue| cue.end_ms);
        cues.extend(transcript.cues.into_iter().map(|mut cue| {
            cue.start_ms += shift;
            cue.end_ms += shift;
            cue
        }));
    }
    cues.truncate(CUES);
    questions.truncate(QUESTIONS);
    let mut vtt = String::from("WEBVTT\n\n");
    for cue in &cues {
        let speaker = cue
            .speaker
            .as_deref()
            .map(|name| format!("<v {}>", name.replace(['<', '>', '&'], " ")))
            .unwrap_or_default();
        let text = cue
            .text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        vtt.push_str(&format!(
            "{} --> {}\n{speaker}{text}\n\n",
            faqtory::transcript::format_timestamp(cue.start_ms),
            faqtory::transcript::format_timestamp(cue.end_ms)
        ));
    }
    Ok((vtt, questions))
}

/// An event of the questions and a moderator token, in a fresh database under `dir`.
async fn prepare(dir: &Path, questions: &[String]) -> Result<(Db, String), BoxError> {
    let db = fresh_db(dir).await?;
    open_event(&db, "call", "A three-hour call").await?;
    let batch = questions
        .iter()
        .filter_map(|text| question_import::parse_record(text, None, None, None).ok())
        .collect();
    let outcome = question_import::import_batch(&db, "call", batch).await?;
    println!(
        "{} questions asked ({} already there)",
        outcome.imported, outcome.already_there
    );
    let token = moderator_token(&db).await?;
    Ok((db, token))
}

/// Uploads the call and asks for the proposals; prints both times.
async fn upload_and_propose(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    vtt: &str,
    label: &str,
) -> Result<(), BoxError> {
    let began = Instant::now();
    let uploaded: serde_json::Value = client
        .put(format!("{base}/api/v1/events/call/transcript"))
        .bearer_auth(token)
        .header("content-type", "text/vtt")
        .body(vtt.to_owned())
        .send()
        .await?
        .json()
        .await?;
    println!(
        "{label}: upload of {} cues ({:.0} minutes) in {:.0} ms",
        uploaded["cues"],
        uploaded["duration_secs"].as_f64().unwrap_or(0.0) / 60.0,
        began.elapsed().as_secs_f64() * 1000.0
    );
    propose(client, base, token, label).await
}

async fn propose(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    label: &str,
) -> Result<(), BoxError> {
    let began = Instant::now();
    let proposals: serde_json::Value = client
        .get(format!("{base}/api/v1/events/call/recording/proposals"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    println!(
        "{label}: {} proposals for {QUESTIONS} questions in {:.0} ms (HTTP, end to end)",
        proposals.as_array().map_or(0, Vec::len),
        began.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

async fn progress(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> Result<(i64, i64), BoxError> {
    let progress: serde_json::Value = client
        .get(format!("{base}/api/v1/events/call/transcript/meaning"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    Ok((
        progress["embedded"].as_i64().unwrap_or(0),
        progress["cues"].as_i64().unwrap_or(0),
    ))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let (vtt, questions) = long_call()?;
    let client = reqwest::Client::new();
    let root = std::env::temp_dir().join(format!("faqtory-recording-{}", std::process::id()));

    // 1. Words only.
    let dir = root.join("words");
    let (_db, token) = prepare(&dir, &questions).await?;
    let database_url = format!("sqlite://{}/bench.db", dir.display());
    let server_dir = dir.join("server");
    let server = ServeProcess::start(&[
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&database_url)),
        ("FAQTORY_DATA_DIR", server_dir.as_os_str()),
        ("FAQTORY_MODEL", std::ffi::OsStr::new("off")),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
    ])?;
    upload_and_propose(&client, &server.base, &token, &vtt, "words only").await?;
    drop(server);

    // 2. With the model: read by meaning in the background.
    let Some(model) = model_dir() else {
        println!("(set FAQTORY_BENCH_MODEL to time reading the call by meaning)");
        let _ = std::fs::remove_dir_all(&root);
        return Ok(());
    };
    let dir = root.join("meaning");
    let (_db, token) = prepare(&dir, &questions).await?;
    let database_url = format!("sqlite://{}/bench.db", dir.display());
    let server_dir = dir.join("server");
    let server = ServeProcess::start(&[
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&database_url)),
        ("FAQTORY_DATA_DIR", server_dir.as_os_str()),
        ("FAQTORY_MODEL", model.as_os_str()),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
    ])?;
    let base = server.base.clone();
    // The questions get their vectors first (they are what asking waits on).
    loop {
        let metrics = client
            .get(format!("{base}/metrics"))
            .send()
            .await?
            .text()
            .await?;
        if metrics
            .lines()
            .any(|line| line == "faqtory_embeddings_pending 0")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    upload_and_propose(
        &client,
        &base,
        &token,
        &vtt,
        "with the model, before reading",
    )
    .await?;
    let started = Instant::now();
    let mut health = Vec::new();
    let mut last_report = Instant::now();
    loop {
        health.push(timed_get(&client, &format!("{base}/healthz")).await?);
        if health.len() % 25 == 0 {
            let (embedded, cues) = progress(&client, &base, &token).await?;
            if last_report.elapsed() > Duration::from_secs(10) {
                println!(
                    "  {:>4.0} s: {embedded} of {cues} cues",
                    started.elapsed().as_secs_f64()
                );
                last_report = Instant::now();
            }
            if cues > 0 && embedded >= cues {
                let took = started.elapsed().as_secs_f64();
                println!(
                    "read by meaning in the background: {cues} cues in {took:.1} s ({:.1} ms a cue)",
                    took * 1000.0 / cues as f64
                );
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    summary("GET /healthz while reading the call", health);
    propose(&client, &base, &token, "with the model, once read").await?;
    propose(&client, &base, &token, "with the model, again").await?;
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
    Ok(())
}
