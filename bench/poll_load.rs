//! A crowd answering one poll: PARTICIPANTS (5,000) people, each with the voter identity a look
//! at the event hands out, answer one multiple-choice poll at random moments within WINDOW_SECONDS (30),
//! through a real `faqtory serve` (SQLite by default), while the presenter screen follows as its
//! script does: on each `poll` frame of its stream it re-reads the presenter page (at most every
//! 300 ms). Prints answers per second, the latency of an answer (p50, p99, max), and how long
//! after the last answer was acknowledged the presenter's page showed the final count.
//!
//! cargo build --release && ulimit -n 16384 &&
//! cargo run --release --example bench_poll_load
//!
//! Two instances on PostgreSQL behind nginx (answers spread over both, the presenter on one):
//! bench/instances.sh 2 -- target/release/examples/bench_poll_load

#[path = "common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{faqtory_binary, summary, BoxError, ServeProcess};

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The presenter re-reads at most this often (`data-live-refresh-gap` on its page).
const PRESENTER_GAP: Duration = Duration::from_millis(300);

fn cli(
    settings: &[(&str, &std::ffi::OsStr)],
    args: &[&str],
    input: Option<&str>,
) -> Result<String, BoxError> {
    use std::io::Write;
    let mut child = std::process::Command::new(faqtory_binary()?)
        .args(args)
        .env("RUST_LOG", "warn")
        .envs(settings.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(text.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The event, a moderator and their token, made with the command line on the database.
fn prepare(settings: &[(&str, &std::ffi::OsStr)]) -> Result<String, BoxError> {
    cli(settings, &["migrate"], None)?;
    cli(
        settings,
        &["event", "create", "--slug", "bench", "--title", "Poll load"],
        None,
    )?;
    cli(
        settings,
        &["moderator", "add", "bench", "--password-stdin"],
        Some("correct horse battery staple\n"),
    )?;
    cli(
        settings,
        &["moderator", "token", "create", "bench", "--label", "bench"],
        None,
    )
}

/// When the presenter read its page, and the count of answers it showed.
type PresenterRead = (Instant, Option<u64>);

/// The page's "N answers", when it shows one.
fn answers_on(page: &str) -> Option<u64> {
    let end = page.find(" answers")?;
    let start = page[..end].rfind(|c: char| !c.is_ascii_digit())? + 1;
    page[start..end].parse().ok()
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let participants = knob("PARTICIPANTS", 5_000);
    let seconds = knob("WINDOW_SECONDS", 30) as u64;
    let work = tempfile_dir()?;
    let proxy = std::env::var("FAQTORY_PROXY_URL").ok();
    let (base, token, _server) = match &proxy {
        Some(base) => {
            let url = std::env::var("FAQTORY_DATABASE_URL")?;
            let settings = [
                ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&url)),
                ("FAQTORY_DATA_DIR", work.as_os_str()),
            ];
            (base.clone(), prepare(&settings)?, None)
        }
        None => {
            let url = format!("sqlite://{}/faqtory.db", work.display());
            let settings = [
                ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&url)),
                ("FAQTORY_DATA_DIR", work.as_os_str()),
                ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
            ];
            let token = prepare(&settings)?;
            let server = ServeProcess::start(&settings)?;
            (server.base.clone(), token, Some(server))
        }
    };
    let admin = reqwest::Client::new();
    let poll: serde_json::Value = admin
        .post(format!("{base}/api/v1/events/bench/polls"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"kind": "choice", "prompt": "Which format?",
            "options": ["Docs", "Q&A", "Roadmap", "Demo"], "results": "live"}),
        )
        .send()
        .await?
        .json()
        .await?;
    let poll_id = poll["id"].as_i64().ok_or("no poll id")?;
    admin
        .post(format!("{base}/api/v1/polls/{poll_id}/open"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await?;
    let link: serde_json::Value = admin
        .post(format!("{base}/api/v1/events/bench/presenter-link"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await?
        .json()
        .await?;
    let presenter_url = link["url"].as_str().ok_or("no presenter link")?.to_owned();

    println!("poll load: {participants} participants answering within {seconds} s, at {base}");
    // Each participant looks at the event first, which hands out their voter identity.
    let mut people = Vec::with_capacity(participants);
    for _ in 0..participants {
        // Idle connections are dropped before the server's keep-alive (5 s) would close them
        // under a request, as a browser's are.
        people.push(
            reqwest::Client::builder()
                .cookie_store(true)
                .pool_idle_timeout(Duration::from_secs(4))
                .build()?,
        );
    }
    let looked = Instant::now();
    let mut looks = tokio::task::JoinSet::new();
    let gate = Arc::new(tokio::sync::Semaphore::new(64));
    for person in &people {
        let (person, url, gate) = (
            person.clone(),
            format!("{base}/api/v1/events"),
            gate.clone(),
        );
        looks.spawn(async move {
            let _slot = gate.acquire_owned().await;
            person.get(url).send().await.map(|_| ())
        });
    }
    while let Some(done) = looks.join_next().await {
        done??;
    }
    println!(
        "  {participants} voter identities handed out in {:.1} s",
        looked.elapsed().as_secs_f64()
    );

    // The presenter: its stream, and a re-read of its page after frames, as its script does.
    // Every read is kept with what it showed.
    let reads: Arc<std::sync::Mutex<Vec<PresenterRead>>> = Arc::default();
    let stop = Arc::new(tokio::sync::Notify::new());
    let presenter = {
        let (reads, stop) = (reads.clone(), stop.clone());
        let client = reqwest::Client::new();
        let presenter_url = presenter_url.clone();
        tokio::spawn(async move {
            let mut stream = client.get(format!("{presenter_url}/live")).send().await?;
            let mut last_read = Instant::now() - PRESENTER_GAP;
            let mut buffer = String::new();
            loop {
                let chunk = tokio::select! {
                    chunk = stream.chunk() => chunk?,
                    () = stop.notified() => return Ok::<(), BoxError>(()),
                };
                let Some(chunk) = chunk else {
                    return Err("the presenter's stream ended".into());
                };
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                let mut framed = false;
                while let Some(end) = buffer.find("\n\n") {
                    framed |= buffer[..end].contains("event: poll");
                    buffer.drain(..end + 2);
                }
                if !framed {
                    continue;
                }
                let wait = PRESENTER_GAP.saturating_sub(last_read.elapsed());
                tokio::time::sleep(wait).await;
                last_read = Instant::now();
                let page = client.get(&presenter_url).send().await?.text().await?;
                reads
                    .lock()
                    .map_err(|_| "poisoned")?
                    .push((Instant::now(), answers_on(&page)));
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Every participant answers once at a random moment of the window.
    let start = Instant::now();
    let last_ack = Arc::new(AtomicU64::new(0));
    let mut answers = tokio::task::JoinSet::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for (at, person) in people.iter().enumerate() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(seed % (seconds * 1_000));
        let choice = at % 4;
        let (person, url, last_ack) = (
            person.clone(),
            format!("{base}/api/v1/polls/{poll_id}/answer"),
            last_ack.clone(),
        );
        answers.spawn(async move {
            tokio::time::sleep_until((start + delay).into()).await;
            let sent = Instant::now();
            let response = person
                .post(url)
                .json(&serde_json::json!({ "choices": [choice] }))
                .send()
                .await?;
            let took = sent.elapsed();
            if !response.status().is_success() {
                return Err::<Duration, BoxError>(
                    format!("an answer got {}", response.status()).into(),
                );
            }
            last_ack.fetch_max(start.elapsed().as_micros() as u64, Ordering::Relaxed);
            Ok(took)
        });
    }
    let mut timings = Vec::with_capacity(participants);
    let mut failed = 0;
    while let Some(done) = answers.join_next().await {
        match done? {
            Ok(took) => timings.push(took),
            Err(error) => {
                failed += 1;
                if failed <= 3 {
                    eprintln!("  {error}");
                }
            }
        }
    }
    let window = Duration::from_micros(last_ack.load(Ordering::Relaxed));
    println!(
        "  {} answers acknowledged ({failed} failed) over {:.1} s: {:.0} answers/s",
        timings.len(),
        window.as_secs_f64(),
        timings.len() as f64 / window.as_secs_f64()
    );
    let acknowledged = timings.len();
    summary("answer", timings);
    // Time for the last frames to arrive and be read.
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.notify_one();
    if let Ok(Err(error)) = presenter.await {
        println!("  presenter: {error}");
    }
    let total = acknowledged as u64;
    let shown = reads
        .lock()
        .map_err(|_| "poisoned")?
        .iter()
        .find(|(_, count)| *count == Some(total))
        .map(|(at, _)| *at);
    match shown {
        Some(at) => println!(
            "  presenter showed all {total} answers {:.0} ms after the last was acknowledged",
            at.saturating_duration_since(start + window).as_secs_f64() * 1_000.0
        ),
        None => println!("  presenter: never showed the final count of {total}"),
    }
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf, BoxError> {
    let dir = std::env::temp_dir().join(format!("faqtory-poll-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
