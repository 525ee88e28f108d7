//! A recording transcribed by a real server while `/healthz` is asked all along: how the site
//! answers while the speech model works on its threads. Speaks the first WORDS words (600 by
//! default) of a QMSum committee meeting with `espeak-ng`, uploads the WAV to
//! `POST /api/v1/events/{slug}/recording/audio`, follows `GET …/recording/audio` until done, and
//! prints `/healthz` latency before (idle) and during, the time the job took and the server's
//! peak memory.
//!
//! `cargo build --release && cargo run --release --example bench_speech_server -- MODEL_DIR [WORDS]`
//! (MODEL_DIR as `faqtory model fetch --speech` installs it: `<data-dir>/models/whisper`; the
//! server transcribes on its default threads, half the machine's cores.)

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::spoken::{committee_passages, speak_into};
use common::{fresh_db, moderator_token, open_event, summary, timed_get, BoxError, ServeProcess};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    let model = PathBuf::from(args.get(1).ok_or("MODEL_DIR")?);
    let words = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(600);
    let root = std::env::temp_dir().join(format!("faqtory-speech-{}", std::process::id()));
    let wav = root.join("call.wav");
    std::fs::create_dir_all(&root)?;
    let (_, text) = committee_passages(1, words, None)
        .pop()
        .ok_or("no committee meeting in QMSum")?;
    speak_into(&text, &wav);
    let recording = std::fs::read(&wav)?;

    let db = fresh_db(&root).await?;
    open_event(&db, "call", "A committee meeting").await?;
    let token = moderator_token(&db).await?;
    let database_url = format!("sqlite://{}/bench.db", root.display());
    let server_dir = root.join("server");
    std::fs::create_dir_all(server_dir.join("models"))?;
    std::os::unix::fs::symlink(
        std::fs::canonicalize(&model)?,
        server_dir.join("models/whisper"),
    )?;
    let server = ServeProcess::start(&[
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&database_url)),
        ("FAQTORY_DATA_DIR", server_dir.as_os_str()),
        ("FAQTORY_MODEL", std::ffi::OsStr::new("off")),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
    ])?;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let healthz = format!("{base}/healthz");
    let audio = format!("{base}/api/v1/events/call/recording/audio");

    let mut idle = Vec::new();
    for _ in 0..500 {
        idle.push(timed_get(&client, &healthz).await?);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    summary("GET /healthz, idle", idle);

    let began = Instant::now();
    let queued: serde_json::Value = client
        .post(format!("{audio}?name=call.wav"))
        .bearer_auth(&token)
        .body(recording)
        .send()
        .await?
        .json()
        .await?;
    println!(
        "upload read and queued in {:.1} s: {:.0} s of audio",
        began.elapsed().as_secs_f64(),
        queued["audio_seconds"].as_f64().unwrap_or(0.0)
    );
    let mut during = Vec::new();
    let mut last_report = Instant::now();
    let finished = loop {
        during.push(timed_get(&client, &healthz).await?);
        if during.len() % 25 == 0 {
            let state: serde_json::Value = client
                .get(&audio)
                .bearer_auth(&token)
                .send()
                .await?
                .json()
                .await?;
            if last_report.elapsed() > Duration::from_secs(15) {
                println!(
                    "  {:>4.0} s: {}, {} %, {} s left",
                    began.elapsed().as_secs_f64(),
                    state["state"],
                    state["percent"],
                    state["seconds_left"]
                );
                last_report = Instant::now();
            }
            if !matches!(
                state["state"].as_str(),
                Some("preparing" | "queued" | "running")
            ) {
                break state;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let took = began.elapsed().as_secs_f64();
    let audio_secs = finished["audio_seconds"].as_f64().unwrap_or(0.0);
    println!(
        "{}: {audio_secs:.0} s of audio in {took:.0} s through the server ({:.2} min of audio per minute); {}",
        finished["state"],
        audio_secs / took,
        finished["message"]
    );
    summary("GET /healthz while transcribing", during);
    println!(
        "server peak memory: {:.0} MiB",
        server.peak_memory_mib().unwrap_or(f64::NAN)
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
    Ok(())
}
