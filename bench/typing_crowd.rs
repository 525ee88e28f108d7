//! A crowd typing questions at once, through a real server: the ask form's suggestions as the
//! page asks for them (after each word, once the typist pauses; never two requests in flight for
//! one typist, and a request that comes due while one is in flight goes when it returns, for the
//! latest text only). The event holds English SE's 1,331 questions; each typist types the titles
//! of its duplicates, a word a second, over and over until the run ends. Three settings: all-MiniLM-L6-v2 for everything,
//! all-mpnet-base-v2 for everything, and MiniLM for live suggestions with MPNet for the rest.
//! Prints, for each: requests, p50/p99/max, the share answered by words because the text could
//! not be embedded in time (busy or slow), the server's CPU per request and its peak memory.
//!
//! cargo build --release && cargo run --release --example bench_typing_crowd -- MINILM_DIR MPNET_DIR [TYPISTS] [SECONDS]

#[path = "common/mod.rs"]
mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use common::english_se;
use common::{fresh_db, ms, open_event, percentile, BoxError, ServeProcess};
use faqtory::app::asking::question_import;
use faqtory::db::{self, Db};

const WORD_EVERY: Duration = Duration::from_secs(1);
/// The ask form's pause before it asks.
const DEBOUNCE: Duration = Duration::from_millis(300);

fn prefixes(title: &str) -> Vec<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    (2..=words.len()).map(|n| words[..n].join(" ")).collect()
}

/// One typist: its texts in order, each due a word after the last, plus the pause.
async fn typist(
    client: reqwest::Client,
    base: String,
    titles: Vec<String>,
    start: Instant,
    stop: Instant,
) -> Result<Vec<Duration>, BoxError> {
    // Its titles again and again, until the run ends.
    let words = ((stop - start).as_secs_f64() / WORD_EVERY.as_secs_f64()).ceil() as usize;
    let due: Vec<(Instant, String)> = titles
        .iter()
        .cycle()
        .flat_map(|title| prefixes(title))
        .take(words)
        .enumerate()
        .map(|(at, text)| (start + WORD_EVERY * at as u32 + DEBOUNCE, text))
        .collect();
    let mut timings = Vec::new();
    let mut next = 0;
    while next < due.len() {
        let now = Instant::now();
        if now >= stop {
            break;
        }
        if due[next].0 > now {
            tokio::time::sleep_until(due[next].0.into()).await;
        }
        // The latest text due by now: those typed while a request was in flight are skipped.
        let now = Instant::now();
        let mut latest = next;
        while latest + 1 < due.len() && due[latest + 1].0 <= now {
            latest += 1;
        }
        let began = Instant::now();
        let response = client
            .get(format!("{base}/api/v1/events/call/similar"))
            .query(&[("q", due[latest].1.as_str())])
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("similar answered {}", response.status()).into());
        }
        response.bytes().await?;
        timings.push(began.elapsed());
        next = latest + 1;
    }
    Ok(timings)
}

async fn fallbacks(client: &reqwest::Client, base: &str) -> Result<f64, BoxError> {
    let text = common::metrics_text(client, base).await?;
    Ok(text
        .lines()
        .filter(|line| line.starts_with("faqtory_meaning_fallbacks_total{model_use=\"live\""))
        .filter_map(|line| line.rsplit_once(' ')?.1.parse::<f64>().ok())
        .sum())
}

/// Waits until every question has a vector of each model named.
async fn all_embedded(db: &Db, models: &[&Path]) -> Result<Duration, BoxError> {
    let started = Instant::now();
    loop {
        let (questions, counts) = db
            .read(|conn| {
                Ok((
                    db::embeddings::question_count(conn)?,
                    db::embeddings::count_by_model(conn)?,
                ))
            })
            .await?;
        let done = models.iter().all(|model| {
            let name = model
                .file_name()
                .map(|name| name.to_string_lossy().into_owned());
            counts.iter().any(|(tag, count)| {
                name.as_deref()
                    .is_some_and(|name| tag.starts_with(&format!("{name}@")))
                    && *count == questions
            })
        });
        if done {
            return Ok(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(3600) {
            return Err("the vectors never came".into());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let (Some(minilm), Some(mpnet)) = (args.next(), args.next()) else {
        return Err("give the all-MiniLM-L6-v2 and all-mpnet-base-v2 folders".into());
    };
    let typists: usize = args.next().map_or(Ok(200), |given| given.parse())?;
    let seconds: u64 = args.next().map_or(Ok(60), |given| given.parse())?;
    let (minilm, mpnet) = (Path::new(&minilm), Path::new(&mpnet));

    let pairs = english_se::pairs()?;
    let texts = english_se::distinct_texts(&pairs);
    let titles: Vec<String> = pairs
        .iter()
        .filter(|pair| pair.is_duplicate())
        .map(|pair| pair.q2_title.trim().to_owned())
        .collect();

    let dir = std::env::temp_dir().join(format!("faqtory-typing-{}", std::process::id()));
    let db = fresh_db(&dir).await?;
    open_event(&db, "call", "Call").await?;
    let batch = texts
        .iter()
        .filter_map(|(_, text)| question_import::parse_record(text, None, None, None).ok())
        .collect();
    question_import::import_batch(&db, "call", batch).await?;
    let database_url = format!("sqlite://{}/bench.db", dir.display());
    println!(
        "{} questions in the event; {typists} typists, a word a second each, for {seconds} s",
        texts.len()
    );

    // MPNet's vectors, made once with both models so that the runs below start from them.
    let settings = [
        ("MiniLM live + MPNet stored", mpnet, minilm),
        ("MPNet for everything", mpnet, mpnet),
        ("MiniLM for everything", minilm, minilm),
    ];
    for (name, stored, live) in settings {
        let server_dir = dir.join("server");
        let server = ServeProcess::start(&[
            ("FAQTORY_DATABASE_URL", OsStr::new(&database_url)),
            ("FAQTORY_DATA_DIR", server_dir.as_os_str()),
            ("FAQTORY_MODEL", stored.as_os_str()),
            ("FAQTORY_LIVE_MODEL", live.as_os_str()),
            ("FAQTORY_RATE_LIMITS", OsStr::new("off")),
        ])?;
        let took = all_embedded(&db, &[stored, live]).await?;
        // The search index catches up in moments; give it those, and the reader the vectors.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(typists)
            .build()?;
        let base = server.base.clone();
        let fallbacks_before = fallbacks(&client, &base).await?;
        let cpu_before = server.cpu_seconds().unwrap_or(f64::NAN);
        let start = Instant::now() + Duration::from_millis(200);
        let stop = start + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for at in 0..typists {
            let own: Vec<String> = titles.iter().skip(at).step_by(typists).cloned().collect();
            // Typists start spread over the first word.
            let offset = WORD_EVERY * at as u32 / typists as u32;
            tasks.push(tokio::spawn(typist(
                client.clone(),
                base.clone(),
                own,
                start + offset,
                stop,
            )));
        }
        let mut timings = Vec::new();
        for task in tasks {
            timings.extend(task.await??);
        }
        let cpu = server.cpu_seconds().unwrap_or(f64::NAN) - cpu_before;
        let by_words = fallbacks(&client, &base).await? - fallbacks_before;
        timings.sort();
        let requests = timings.len();
        println!(
            "{name:<28} {requests} requests ({:.0}/s)   p50 {:.1} ms   p99 {:.1} ms   max {:.1} ms   by words for want of a vector {:.1} %   CPU {:.1} ms a request   peak {:.0} MiB   (vectors ready after {:.0} s)",
            requests as f64 / seconds as f64,
            ms(percentile(&timings, 0.5)),
            ms(percentile(&timings, 0.99)),
            ms(*timings.last().unwrap_or(&Duration::ZERO)),
            100.0 * by_words / requests.max(1) as f64,
            1000.0 * cpu / requests.max(1) as f64,
            server.peak_memory_mib().unwrap_or(f64::NAN),
            took.as_secs_f64(),
        );
        server.terminate()?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
