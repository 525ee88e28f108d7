//! Live updates under load: 5,000 Server-Sent Events subscribers on one event while a new
//! question a second and 200 votes a second arrive for 60 s, through a real `faqtory serve`
//! process. Subscribers behave like the event page: a frame that carries its row is put in place,
//! anything else (a frame without a row, `event`, `resync`) makes them read the whole page, which
//! is counted. Prints delivery latency of questions (asked → frame seen) and of votes (sent → a
//! count that includes it seen), whether every subscriber ended with the exact final counts, the
//! full-page reads during the run, `/healthz` latency during the run, and the server's peak memory.
//!
//! cargo build --release && ulimit -n 16384 &&
//! cargo run --release --example bench_live_load [-- DATABASE_URL]
//!
//! Behind a proxy, against instances started by `bench/instances.sh` (which sets
//! FAQTORY_PROXY_URL, FAQTORY_INSTANCE_URLS, FAQTORY_INSTANCE_PIDS and FAQTORY_DATABASE_URL):
//! bench/instances.sh 2 -- env SUBSCRIBERS=10000 target/release/examples/bench_live_load
//!
//! Faults: FAULT is a shell command run halfway through (with the variables above), such as
//! FAULT='kill -9 ${FAQTORY_INSTANCE_PIDS%% *}' (one of two instances) or
//! FAULT='pg_ctlcluster 15 main restart'. Subscribers whose stream is cut then behave like the
//! page: reconnect after a second and re-read the page; the report says how many were cut, how
//! soon each was following again, and whether any acknowledged vote is missing.
//!
//! Knobs: SUBSCRIBERS (5000), MEASURED (200: subscribers that time what they see; the others
//! only react, so that the load generator leaves the server its share of the machine),
//! VOTES_PER_SECOND (200), QUESTIONS_PER_SECOND (1), SECONDS (60), QUESTIONS (20, asked before the
//! run), VOTERS (1000).

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

/// Where the load goes: a server of the benchmark's own, or instances behind a proxy.
enum Target {
    Own(ServeProcess),
    Proxied {
        base: String,
        instances: Vec<String>,
        pids: Vec<u32>,
    },
}

impl Target {
    fn base(&self) -> &str {
        match self {
            Target::Own(server) => &server.base,
            Target::Proxied { base, .. } => base,
        }
    }

    /// Each instance's own address (its metrics are its own).
    fn instances(&self) -> Vec<String> {
        match self {
            Target::Own(server) => vec![server.base.clone()],
            Target::Proxied { instances, .. } => instances.clone(),
        }
    }

    fn peak_memory_mib(&self) -> Vec<Option<f64>> {
        match self {
            Target::Own(server) => vec![server.peak_memory_mib()],
            Target::Proxied { pids, .. } => pids
                .iter()
                .map(|pid| {
                    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
                    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
                    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
                    Some(kib / 1024.0)
                })
                .collect(),
        }
    }
}

/// The instances `bench/instances.sh` started, when it runs this benchmark.
fn proxied() -> Option<Target> {
    let base = std::env::var("FAQTORY_PROXY_URL").ok()?;
    let list = |name: &str| -> Vec<String> {
        std::env::var(name)
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    Some(Target::Proxied {
        base,
        instances: list("FAQTORY_INSTANCE_URLS"),
        pids: list("FAQTORY_INSTANCE_PIDS")
            .iter()
            .filter_map(|pid| pid.parse().ok())
            .collect(),
    })
}

/// Creates the event with the command line on the instances' database.
fn create_event_for(database_url: &str, data_dir: &std::path::Path) -> Result<(), BoxError> {
    let created = std::process::Command::new(faqtory_binary()?)
        .args(["event", "create", "--slug", "bench", "--title", "Live load"])
        .env("RUST_LOG", "warn")
        .env("FAQTORY_DATABASE_URL", database_url)
        .env("FAQTORY_DATA_DIR", data_dir)
        .output()?;
    if !created.status.success() {
        return Err(String::from_utf8_lossy(&created.stderr).into_owned().into());
    }
    Ok(())
}

/// Creates the event with the command line, then starts the server.
fn start_server(database_url: &str, data_dir: &std::path::Path) -> Result<ServeProcess, BoxError> {
    let settings = [
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(database_url)),
        ("FAQTORY_DATA_DIR", data_dir.as_os_str()),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
    ];
    let migrated = std::process::Command::new(faqtory_binary()?)
        .arg("migrate")
        .env("RUST_LOG", "warn")
        .envs(settings)
        .output()?;
    if !migrated.status.success() {
        return Err(String::from_utf8_lossy(&migrated.stderr)
            .into_owned()
            .into());
    }
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

/// What one subscriber saw and did.
#[derive(Default)]
struct Subscriber {
    /// Whether it timed what it saw (see MEASURED).
    measured: bool,
    votes: Seen,
    /// When each question's frame arrived.
    questions: HashMap<i64, Instant>,
    /// Whole-page reads that frames made it do.
    page_reads: usize,
    /// When it had re-read the page after its stream was cut (FAULT) or it was told to resync.
    resynced: Vec<Instant>,
}

/// How the page's script behaves when its stream is cut: wait the `retry` the server sent,
/// connect again, and re-read the page.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

#[derive(serde::Deserialize)]
struct QuestionFrame {
    id: i64,
    row: Option<String>,
}

async fn subscribe(
    client: reqwest::Client,
    url: String,
    page: String,
    measured: bool,
    ready: Arc<tokio::sync::Barrier>,
    stop: Arc<tokio::sync::Notify>,
    reconnect: bool,
) -> Result<Subscriber, String> {
    let mut seen = Subscriber {
        measured,
        ..Subscriber::default()
    };
    let mut waiting = Some(ready);
    let stopped = stop.notified();
    tokio::pin!(stopped);
    let mut cut = false;
    loop {
        if cut {
            tokio::select! {
                () = tokio::time::sleep(RECONNECT_AFTER) => {}
                () = &mut stopped => return Ok(seen),
            }
        }
        let response = tokio::select! {
            response = client.get(&url).send() => response,
            () = &mut stopped => return Ok(seen),
        };
        let response = match response {
            Ok(response) if response.status().is_success() => response,
            Ok(_) | Err(_) if cut => continue,
            Ok(response) => return Err(format!("the stream answered {}", response.status())),
            Err(error) => return Err(error.to_string()),
        };
        if cut {
            read_page(&client, &page).await?;
            seen.resynced.push(Instant::now());
        }
        match follow(
            response,
            &client,
            &page,
            &mut seen,
            &mut waiting,
            &mut stopped,
        )
        .await?
        {
            StreamEnd::Stopped => return Ok(seen),
            StreamEnd::Cut(_) if reconnect => cut = true,
            StreamEnd::Cut(why) => return Err(why),
        }
    }
}

enum StreamEnd {
    Stopped,
    Cut(String),
}

/// Reads one stream's frames until it ends or the run stops.
async fn follow(
    mut response: reqwest::Response,
    client: &reqwest::Client,
    page: &str,
    seen: &mut Subscriber,
    waiting: &mut Option<Arc<tokio::sync::Barrier>>,
    stopped: &mut std::pin::Pin<&mut tokio::sync::futures::Notified<'_>>,
) -> Result<StreamEnd, String> {
    let measured = seen.measured;
    let mut buffer = String::new();
    loop {
        let chunk = tokio::select! {
            chunk = response.chunk() => chunk,
            () = stopped.as_mut() => return Ok(StreamEnd::Stopped),
        };
        let chunk = match chunk {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(StreamEnd::Cut("the stream ended".into())),
            Err(error) => return Ok(StreamEnd::Cut(error.to_string())),
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
            let event = lines.next().and_then(|line| line.strip_prefix("event: "));
            let data = lines.next().and_then(|line| line.strip_prefix("data: "));
            if !measured {
                // Behaves like the page without timing anything: the load generator shares the
                // machine, so most subscribers only look for what would make them read the page.
                let reads_page = match event {
                    Some("votes") | None => false,
                    Some("question") => data.is_some_and(|data| !data.contains("\"row\":")),
                    Some(_) => true,
                };
                if reads_page {
                    read_page(client, page).await?;
                    seen.page_reads += 1;
                    if event == Some("resync") {
                        seen.resynced.push(Instant::now());
                    }
                }
                continue;
            }
            match (event, data) {
                (Some("votes"), Some(data)) => {
                    let counts: Vec<Count> =
                        serde_json::from_str(data).map_err(|e| e.to_string())?;
                    for count in counts {
                        let history = seen.votes.entry(count.id).or_default();
                        if history.last().is_none_or(|(last, _)| count.votes > *last) {
                            history.push((count.votes, arrived));
                        }
                    }
                }
                (Some("question"), Some(data)) => {
                    let question: QuestionFrame =
                        serde_json::from_str(data).map_err(|e| e.to_string())?;
                    seen.questions.entry(question.id).or_insert(arrived);
                    if question.row.is_none() {
                        read_page(client, page).await?;
                        seen.page_reads += 1;
                    }
                }
                (Some(event), _) => {
                    read_page(client, page).await?;
                    seen.page_reads += 1;
                    if event == "resync" {
                        seen.resynced.push(Instant::now());
                    }
                }
                (None, _) => {}
            }
        }
    }
}

/// After a fault: how many subscribers were cut or told to resync, and how soon they had re-read
/// the page, and whether any acknowledged vote is missing from the final counts (each voter votes
/// once per question, so a question's count is at least the votes acknowledged on it).
fn report_fault(
    fault_at: Instant,
    seen_by: &[Subscriber],
    cast: &[(i64, i64, Instant)],
    finals: &HashMap<i64, i64>,
) {
    let cut: Vec<Duration> = seen_by
        .iter()
        .filter_map(|seen| seen.resynced.first())
        .map(|resynced| resynced.saturating_duration_since(fault_at))
        .collect();
    println!(
        "subscribers cut or told to resync after the fault: {} of {}",
        cut.len(),
        seen_by.len()
    );
    summary(
        "time from the fault until such a subscriber had re-read the page",
        cut,
    );
    let mut acknowledged: HashMap<i64, i64> = HashMap::new();
    for (id, _, _) in cast {
        *acknowledged.entry(*id).or_default() += 1;
    }
    let missing: i64 = acknowledged
        .iter()
        .map(|(id, votes)| (votes - finals.get(id).copied().unwrap_or(0)).max(0))
        .sum();
    println!(
        "acknowledged votes: {}; missing from the final counts: {missing}",
        cast.len()
    );
}

/// Reads the page as the browser does: a 503 (the database away for a moment) is tried again
/// after the `Retry-After` it names.
async fn read_page(client: &reqwest::Client, page: &str) -> Result<(), String> {
    for _ in 0..PAGE_TRIES {
        let response = client
            .get(page)
            .header("accept-encoding", "br")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|value| value.to_str().ok()?.parse().ok())
                .unwrap_or(1);
            tokio::time::sleep(Duration::from_secs(wait)).await;
            continue;
        }
        response
            .error_for_status()
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        return Ok(());
    }
    Err(format!("{page} stayed unavailable"))
}

const PAGE_TRIES: usize = 5;

/// Whole event pages the instances have served.
/// Event pages each instance has served; `None` for one that does not answer (killed by FAULT).
async fn pages_served(client: &reqwest::Client, instances: &[String]) -> Vec<Option<u64>> {
    let mut served = Vec::new();
    for base in instances {
        let metrics = match client.get(format!("{base}/metrics")).send().await {
            Ok(response) => response.text().await.ok(),
            Err(_) => None,
        };
        served.push(metrics.map(|metrics| {
            metrics
                .lines()
                .filter(|line| {
                    line.starts_with("faqtory_http_requests_total{")
                        && line.contains("route=\"/e/{slug}\"")
                })
                .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
                .sum::<u64>()
        }));
    }
    served
}

/// Pages served between two readings, by the instances that answered both times.
fn pages_served_between(before: &[Option<u64>], after: &[Option<u64>]) -> u64 {
    before
        .iter()
        .zip(after)
        .filter_map(|(before, after)| Some(after.as_ref()? - before.as_ref()?))
        .sum()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let subscribers = knob("SUBSCRIBERS", 5_000);
    let measured = knob("MEASURED", 200).min(subscribers);
    let voters = knob("VOTERS", 1_000);
    let per_second = knob("VOTES_PER_SECOND", 200);
    let questions_per_second = knob("QUESTIONS_PER_SECOND", 1);
    let seconds = knob("SECONDS", 60);
    let questions = knob("QUESTIONS", 20);
    let fault = std::env::var("FAULT")
        .ok()
        .filter(|command| !command.trim().is_empty());
    let data_dir = std::env::temp_dir().join(format!("faqtory-live-load-{}", std::process::id()));
    std::fs::create_dir_all(&data_dir)?;
    let server = match proxied() {
        Some(target) => {
            let database_url = std::env::var("FAQTORY_DATABASE_URL")?;
            create_event_for(&database_url, &data_dir)?;
            target
        }
        None => {
            let database_url = match std::env::args().nth(1) {
                Some(url) if !url.is_empty() => url,
                _ => format!("sqlite://{}/bench.db", data_dir.display()),
            };
            Target::Own(start_server(&database_url, &data_dir)?)
        }
    };
    println!(
        "serving on {} ({} instances)",
        server.base(),
        server.instances().len()
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(subscribers + 64)
        .build()?;
    let mut ids = Vec::new();
    for n in 0..questions {
        let asked: serde_json::Value = client
            .post(format!("{}/api/v1/events/bench/questions", server.base()))
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
    for n in 0..subscribers {
        streams.spawn(subscribe(
            client.clone(),
            format!("{}/live/e/bench", server.base()),
            format!("{}/e/bench", server.base()),
            n < measured,
            ready.clone(),
            stop.clone(),
            fault.is_some(),
        ));
    }
    ready.wait().await;
    println!(
        "{subscribers} subscribers connected in {:.0} ms",
        connecting.elapsed().as_secs_f64() * 1000.0
    );

    let mut pool = Vec::with_capacity(voters);
    for _ in 0..voters {
        // Each voter votes every few seconds: closing idle connections before the server's
        // keep-alive (5 s) does keeps a request from racing the server's close.
        let voter = reqwest::Client::builder()
            .cookie_store(true)
            .pool_idle_timeout(Duration::from_secs(3))
            .build()?;
        voter
            .get(format!("{}/api/v1/events", server.base()))
            .send()
            .await?;
        pool.push(voter);
    }
    let reads_before = pages_served(&client, &server.instances()).await;
    // New questions at their own pace, each timed from its sending.
    let asking = {
        let (client, base) = (client.clone(), server.base().to_owned());
        let count = questions_per_second * seconds;
        tokio::spawn(async move {
            let mut pace =
                tokio::time::interval(Duration::from_secs(1) / questions_per_second.max(1) as u32);
            let mut asked = Vec::new();
            for n in 0..count {
                pace.tick().await;
                let sent = Instant::now();
                let reply = client
                    .post(format!("{base}/api/v1/events/bench/questions"))
                    .json(&serde_json::json!({ "body": format!("A question asked during the run, number {n}?") }))
                    .send()
                    .await;
                let id = match reply {
                    Ok(reply) => reply
                        .json::<serde_json::Value>()
                        .await
                        .ok()
                        .and_then(|v| v["id"].as_i64()),
                    Err(_) => None,
                };
                if let Some(id) = id {
                    asked.push((id, sent));
                }
            }
            asked
        })
    };
    // The health check, timed all along.
    let probing = {
        let (client, base) = (client.clone(), server.base().to_owned());
        let run_for = Duration::from_secs(seconds as u64);
        tokio::spawn(async move {
            let mut pace = tokio::time::interval(Duration::from_millis(100));
            let mut timings = Vec::new();
            let started = Instant::now();
            while started.elapsed() < run_for {
                pace.tick().await;
                let sent = Instant::now();
                if client.get(format!("{base}/healthz")).send().await.is_ok() {
                    timings.push(sent.elapsed());
                }
            }
            timings
        })
    };

    // The fault, halfway through.
    let faulting = fault.clone().map(|command| {
        let halfway = Duration::from_secs(seconds as u64) / 2;
        tokio::spawn(async move {
            tokio::time::sleep(halfway).await;
            let at = Instant::now();
            let shell = command.clone();
            let ran = tokio::task::spawn_blocking(move || {
                std::process::Command::new("sh")
                    .args(["-c", &shell])
                    .status()
            })
            .await;
            println!(
                "fault at {:.1} s: `{command}` ({ran:?})",
                halfway.as_secs_f64()
            );
            at
        })
    });

    // Votes at a steady pace from a pool of voters, each of whom got its identity by looking at
    // the events before the run; no voter votes twice for one question. Only the vote is timed.
    let total = per_second * seconds;
    let mut pace = tokio::time::interval(Duration::from_secs(1) / per_second as u32);
    let mut votes = tokio::task::JoinSet::new();
    let started = Instant::now();
    for n in 0..total {
        pace.tick().await;
        let (voter, round) = (n % voters, n / voters);
        let id = ids[(voter + round) % questions];
        let url = format!("{}/api/v1/questions/{id}/vote", server.base());
        let voter = pool[voter].clone();
        votes.spawn(async move {
            let sent = Instant::now();
            let response = voter
                .post(url)
                .header("content-type", "application/json")
                .send()
                .await
                .map_err(|error| format!("not sent: {error}"))?;
            let status = response.status();
            let reply: serde_json::Value = response
                .json()
                .await
                .map_err(|error| format!("{status}: {error}"))?;
            match (reply["id"].as_i64(), reply["vote_count"].as_i64()) {
                (Some(id), Some(count)) => Ok((id, count, sent)),
                _ => Err(format!("{status}: {reply}")),
            }
        });
    }
    let mut cast = Vec::new();
    let mut refused: HashMap<String, usize> = HashMap::new();
    while let Some(done) = votes.join_next().await {
        match done? {
            Ok(vote) => cast.push(vote),
            Err(why) => *refused.entry(why.chars().take(120).collect()).or_default() += 1,
        }
    }
    let voting = started.elapsed();
    let asked = asking.await?;
    let health = probing.await?;
    let fault_at = match faulting {
        Some(faulting) => Some(faulting.await?),
        None => None,
    };
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
    let reads_after = pages_served(&client, &server.instances()).await;
    let reads_during = pages_served_between(&reads_before, &reads_after);

    let listed: Vec<serde_json::Value> = client
        .get(format!("{}/api/v1/events/bench/questions", server.base()))
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
        .filter(|seen| seen.measured)
        .filter(|seen| {
            finals.iter().all(|(id, count)| {
                *count == 0
                    || seen.votes.get(id).and_then(|h| h.last()).map(|(c, _)| *c) == Some(*count)
            })
        })
        .count();

    let mut latencies = Vec::with_capacity(cast.len() * seen_by.len());
    let mut never = 0usize;
    let mut question_latencies = Vec::new();
    let mut questions_never = 0usize;
    for seen in seen_by.iter().filter(|seen| seen.measured) {
        for (id, sent) in &asked {
            match seen.questions.get(id) {
                Some(arrived) => question_latencies.push(arrived.saturating_duration_since(*sent)),
                None => questions_never += 1,
            }
        }
        for (id, count, sent) in &cast {
            let Some(history) = seen.votes.get(id) else {
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
    for (why, count) in &refused {
        println!("votes not counted: {count} × {why}");
    }
    println!(
        "measured subscribers with the exact final counts: {exact}/{measured} ({failed} of {subscribers} failed)"
    );
    println!(
        "{} questions asked during the run; deliveries: {} seen, {questions_never} never seen",
        asked.len(),
        question_latencies.len()
    );
    summary(
        "delivery latency (question asked → its frame seen)",
        question_latencies,
    );
    println!(
        "vote deliveries: {} seen, {never} never seen",
        latencies.len()
    );
    summary("delivery latency (vote sent → count seen)", latencies);
    let page_reads: usize = seen_by.iter().map(|seen| seen.page_reads).sum();
    println!(
        "whole-page reads during the run: {reads_during} served by the server, {page_reads} made by frames"
    );
    summary("/healthz during the run", health);
    if let Some(fault_at) = fault_at {
        report_fault(fault_at, &seen_by, &cast, &finals);
    }
    for (n, peak) in peak.iter().enumerate() {
        match peak {
            Some(mib) => println!("instance {} peak memory (VmHWM): {mib:.1} MiB", n + 1),
            None => println!("instance {} peak memory: unknown", n + 1),
        }
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&data_dir);
    Ok(())
}
