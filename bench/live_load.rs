//! Live updates under load: 1,000 Server-Sent Events subscribers on one event while 200 votes a
//! second arrive for 30 s, through a real `faqtory serve` process. Prints delivery latency (from
//! a vote being sent to each subscriber seeing a count that includes it), whether every
//! subscriber ended with the exact final counts, and the server's peak memory.
//!
//! cargo build --release && ulimit -n 8192 &&
//! cargo run --release --example bench_live_load [-- DATABASE_URL]
//!
//! Knobs: SUBSCRIBERS (1000), VOTES_PER_SECOND (200), SECONDS (30), QUESTIONS (20).

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{faqtory_binary, summary, BoxError, ServeProcess};

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// What one subscriber saw: per question, each higher count and when it arrived.
type Seen = HashMap<i64, Vec<(i64, Instant)>>;

/// Creates the event with the command line, then starts the server.
fn start_server(database_url: &str, data_dir: &std::path::Path) -> Result<ServeProcess, BoxError> {
    let settings = [
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(database_url)),
        ("FAQTORY_DATA_DIR", data_dir.as_os_str()),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
    ];
    let created = std::process::Command::new(faqtory_binary()?)
        .args(["event", "create", "--slug", "bench", "--title", "Live load"])
        .env("RUST_LOG", "warn")
        .envs(settings)
        .output()?;
    if !created.status.success() {
        return Err(String::from_utf8_lossy(&created.stderr).into_owned().into());
    }
    ServeProcess::start(&settings)
}

#[derive(serde::Deserialize)]
struct Count {
    id: i64,
    votes: i64,
}

async fn subscribe(
    client: reqwest::Client,
    url: String,
    ready: Arc<tokio::sync::Barrier>,
    stop: Arc<tokio::sync::Notify>,
) -> Result<Seen, String> {
    let mut response = client.get(&url).send().await.map_err(|e| e.to_string())?;
    let mut seen: Seen = HashMap::new();
    let mut buffer = String::new();
    let mut waiting = Some(ready);
    let stopped = stop.notified();
    tokio::pin!(stopped);
    loop {
        let chunk = tokio::select! {
            chunk = response.chunk() => chunk.map_err(|e| e.to_string())?,
            () = &mut stopped => return Ok(seen),
        };
        let Some(chunk) = chunk else {
            return Err("the stream ended".into());
        };
        let arrived = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            if let Some(ready) = waiting.take() {
                // The opening frame: subscribed from here on.
                ready.wait().await;
            }
            let mut lines = frame.lines();
            if lines.next() != Some("event: votes") {
                continue;
            }
            let Some(data) = lines.next().and_then(|line| line.strip_prefix("data: ")) else {
                continue;
            };
            let counts: Vec<Count> = serde_json::from_str(data).map_err(|e| e.to_string())?;
            for count in counts {
                let history = seen.entry(count.id).or_default();
                if history.last().is_none_or(|(last, _)| count.votes > *last) {
                    history.push((count.votes, arrived));
                }
            }
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let subscribers = knob("SUBSCRIBERS", 1_000);
    let per_second = knob("VOTES_PER_SECOND", 200);
    let seconds = knob("SECONDS", 30);
    let questions = knob("QUESTIONS", 20);
    let data_dir = std::env::temp_dir().join(format!("faqtory-live-load-{}", std::process::id()));
    std::fs::create_dir_all(&data_dir)?;
    let database_url = match std::env::args().nth(1) {
        Some(url) if !url.is_empty() => url,
        _ => format!("sqlite://{}/bench.db", data_dir.display()),
    };
    let server = start_server(&database_url, &data_dir)?;
    println!(
        "server {} on {}",
        server.base,
        database_url.split('@').next_back().unwrap_or("")
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(subscribers + 64)
        .build()?;
    let mut ids = Vec::new();
    for n in 0..questions {
        let asked: serde_json::Value = client
            .post(format!("{}/api/v1/events/bench/questions", server.base))
            .json(&serde_json::json!({ "body": format!("Load question number {n}, live?") }))
            .send()
            .await?
            .json()
            .await?;
        ids.push(asked["id"].as_i64().ok_or("no id")?);
    }

    let ready = Arc::new(tokio::sync::Barrier::new(subscribers + 1));
    let stop = Arc::new(tokio::sync::Notify::new());
    let connecting = Instant::now();
    let mut streams = tokio::task::JoinSet::new();
    for _ in 0..subscribers {
        streams.spawn(subscribe(
            client.clone(),
            format!("{}/live/e/bench", server.base),
            ready.clone(),
            stop.clone(),
        ));
    }
    ready.wait().await;
    println!(
        "{subscribers} subscribers connected in {:.0} ms",
        connecting.elapsed().as_secs_f64() * 1000.0
    );

    // Votes at a steady pace, each from a new voter: it looks at the events first (which hands it
    // its identity), then votes; only the vote is timed.
    let total = per_second * seconds;
    let mut pace = tokio::time::interval(Duration::from_secs(1) / per_second as u32);
    let mut votes = tokio::task::JoinSet::new();
    let started = Instant::now();
    for n in 0..total {
        pace.tick().await;
        let id = ids[(n * 7 + n / questions) % questions];
        let (events, url) = (
            format!("{}/api/v1/events", server.base),
            format!("{}/api/v1/questions/{id}/vote", server.base),
        );
        votes.spawn(async move {
            let voter = reqwest::Client::builder().cookie_store(true).build().ok()?;
            voter.get(events).send().await.ok()?;
            let sent = Instant::now();
            let reply: serde_json::Value = voter
                .post(url)
                .header("content-type", "application/json")
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            Some((reply["id"].as_i64()?, reply["vote_count"].as_i64()?, sent))
        });
    }
    let mut cast = Vec::new();
    while let Some(done) = votes.join_next().await {
        if let Some(vote) = done? {
            cast.push(vote);
        }
    }
    let voting = started.elapsed();
    // The last counts go out within the coalescing interval; give them ample time.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.notify_waiters();
    let mut seen_by = Vec::new();
    let mut failed = 0;
    while let Some(done) = streams.join_next().await {
        match done? {
            Ok(seen) => seen_by.push(seen),
            Err(error) => {
                failed += 1;
                eprintln!("subscriber failed: {error}");
            }
        }
    }
    let peak = server.peak_memory_mib();

    let listed: Vec<serde_json::Value> = client
        .get(format!("{}/api/v1/events/bench/questions", server.base))
        .send()
        .await?
        .json()
        .await?;
    let finals: HashMap<i64, i64> = listed
        .iter()
        .filter_map(|q| Some((q["id"].as_i64()?, q["vote_count"].as_i64()?)))
        .collect();
    let exact = seen_by
        .iter()
        .filter(|seen| {
            finals.iter().all(|(id, count)| {
                *count == 0 || seen.get(id).and_then(|h| h.last()).map(|(c, _)| *c) == Some(*count)
            })
        })
        .count();

    let mut latencies = Vec::with_capacity(cast.len() * seen_by.len());
    let mut never = 0usize;
    for seen in &seen_by {
        for (id, count, sent) in &cast {
            let Some(history) = seen.get(id) else {
                never += 1;
                continue;
            };
            let at = history.partition_point(|(c, _)| c < count);
            match history.get(at) {
                Some((_, arrived)) => latencies.push(arrived.saturating_duration_since(*sent)),
                None => never += 1,
            }
        }
    }

    println!(
        "{} votes in {:.1} s ({:.0}/s), {} answered",
        total,
        voting.as_secs_f64(),
        cast.len() as f64 / voting.as_secs_f64(),
        cast.len()
    );
    println!("subscribers with the exact final counts: {exact}/{subscribers} ({failed} failed)");
    println!("deliveries: {} seen, {never} never seen", latencies.len());
    summary("delivery latency (vote sent → count seen)", latencies);
    match peak {
        Some(mib) => println!("server peak memory (VmHWM): {mib:.1} MiB"),
        None => println!("server peak memory: unknown (no /proc)"),
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&data_dir);
    Ok(())
}
