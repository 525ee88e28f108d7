//! Search at scale on MedQuAD (16,407 health questions and answers): import and rebuild times,
//! index size, search latency in-process and through HTTP (beside `/healthz`), how soon a new
//! answer is findable, and SQLite FTS5 on the same queries.
//!
//! cargo run --release --example bench_search_load [-- QUERIES]

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{caught_up, entry_ids, fresh_db, import, summary, with_typo, BoxError, Fts5};
use faqtory::app;
use faqtory::config::Config;
use faqtory::db::DatabaseUrl;
use faqtory::domain::{plain_text, Password, Role, Username};
use faqtory::search::{self, index_dir, SearchIndex, SearchRequest};
use faqtory::startup::Application;

#[derive(serde::Deserialize)]
struct Pair {
    question: String,
    answer: String,
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.metadata().ok())
                .filter(|meta| meta.is_file())
                .map(|meta| meta.len())
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let query_count: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1_000);
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/medquad/medquad_qa.jsonl"
    );
    let dir = std::env::temp_dir().join(format!("faqtory-load-{}", std::process::id()));
    let pairs: Vec<(String, String)> = std::fs::read_to_string(file)?
        .lines()
        .map(|line| serde_json::from_str::<Pair>(line).map(|pair| (pair.question, pair.answer)))
        .collect::<Result<_, _>>()?;

    let db = fresh_db(&dir).await?;
    let started = Instant::now();
    let (refused, reason) = import(&db, &pairs).await?;
    println!(
        "import: {} entries in {:.1} s ({refused} refused{})",
        pairs.len() - refused,
        started.elapsed().as_secs_f64(),
        reason
            .map(|reason| format!(": {reason}"))
            .unwrap_or_default()
    );

    let started = Instant::now();
    let offline = dir.join("reindexed");
    let reindex_db = db.clone();
    tokio::task::spawn_blocking(move || search::reindex(&reindex_db, &offline, |_, _| {}))
        .await??;
    println!(
        "reindex (faqtory reindex's path): {:.1} s, index {:.1} MiB",
        started.elapsed().as_secs_f64(),
        dir_size(&dir.join("reindexed")) as f64 / 1_048_576.0
    );

    let started = Instant::now();
    let index = SearchIndex::start(db.clone(), &index_dir(&dir))?;
    caught_up(&db, &index).await?;
    println!(
        "build at start (no index yet): {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let entries = entry_ids(&db).await?;
    let step = (entries.len() / query_count.max(1)).max(1);
    let queries: Vec<(i64, String)> = entries
        .iter()
        .step_by(step)
        .take(query_count)
        .enumerate()
        .map(|(n, (id, question))| (*id, with_typo(question, n)))
        .collect();

    let mut timings = Vec::with_capacity(queries.len());
    let mut found = 0;
    for (id, text) in &queries {
        let began = Instant::now();
        let results = index.search(&SearchRequest {
            text,
            label: None,
            event: None,
            offset: 0,
            limit: 10,
            meaning: None,
        })?;
        timings.push(began.elapsed());
        found += usize::from(results.hits.iter().any(|hit| hit.id == *id));
    }
    println!(
        "faqtory, in-process, one typo per query: the asked entry in the top 10 for {found}/{}",
        queries.len()
    );
    summary("faqtory search latency (in-process)", timings);

    let answers: std::collections::HashMap<&str, &str> = pairs
        .iter()
        .map(|(q, a)| (q.as_str(), a.as_str()))
        .collect();
    let rows: Vec<(i64, String, String)> = entries
        .iter()
        .map(|(id, question)| {
            let answer = answers.get(question.as_str()).copied().unwrap_or_default();
            (*id, question.clone(), plain_text(answer))
        })
        .collect();
    let mut fts = Fts5::new(&rows)?;
    let mut timings = Vec::with_capacity(queries.len());
    let mut found = 0;
    for (id, text) in &queries {
        let began = Instant::now();
        let hits = fts.search(text, 1.0, 10)?;
        timings.push(began.elapsed());
        found += usize::from(hits.contains(id));
    }
    println!(
        "SQLite FTS5, same queries: the asked entry in the top 10 for {found}/{}",
        queries.len()
    );
    summary("SQLite FTS5 latency (in-process)", timings);
    drop(fts);

    // Through HTTP: a second instance on the same database with its own index.
    let http_dir = dir.join("http");
    let url = DatabaseUrl::parse(&format!("sqlite://{}/bench.db", dir.display()))?;
    let application = Application::build(Config::for_local(url, http_dir))
        .await
        .map_err(|e| e.to_string())?;
    let base = application.public_base().to_owned();
    let server = tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let probe: serde_json::Value = client
            .get(format!("{base}/api/v1/faq"))
            .query(&[("q", queries[0].1.as_str())])
            .send()
            .await?
            .json()
            .await?;
        if probe["total"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "second instance built its index in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut health = Vec::new();
    let mut searches = Vec::new();
    for (_, text) in &queries {
        let began = Instant::now();
        client
            .get(format!("{base}/healthz"))
            .send()
            .await?
            .bytes()
            .await?;
        health.push(began.elapsed());
        let began = Instant::now();
        client
            .get(format!("{base}/api/v1/faq"))
            .query(&[("q", text.as_str())])
            .send()
            .await?
            .bytes()
            .await?;
        searches.push(began.elapsed());
    }
    let mean = |timings: &[Duration]| {
        timings.iter().sum::<Duration>().as_secs_f64() / timings.len().max(1) as f64
    };
    println!(
        "HTTP, one request at a time, interleaved: search/healthz mean latency ratio {:.1} (throughput ratio {:.3})",
        mean(&searches) / mean(&health),
        mean(&health) / mean(&searches)
    );
    summary("HTTP GET /healthz", health);
    summary("HTTP GET /api/v1/faq?q=…", searches);

    // Freshness: from the answer's 200 to the first search that finds it.
    let moderator = app::accounts::moderators::add_moderator(
        &db,
        None,
        Username::parse("bench")?,
        &Password::parse("correct horse battery staple")?,
        Role::Moderator,
    )
    .await?;
    let (_, token) = app::accounts::api_tokens::create(&db, moderator.id, "bench").await?;
    app::events::lifecycle::create_event(
        &db,
        app::events::lifecycle::NewEventInput {
            slug: faqtory::domain::EventSlug::parse("fresh")?,
            title: faqtory::domain::EventTitle::parse("Freshness")?,
            description: String::new(),
            starts_at: None,
            premoderation: false,
            recording_url: None,
            labels: Vec::new(),
            status: faqtory::domain::EventStatus::Open,
        },
    )
    .await?;
    let mut freshness = Vec::new();
    for n in 0..100 {
        let word = format!("xylofresh{n}probe");
        let asked: serde_json::Value = client
            .post(format!("{base}/api/v1/events/fresh/questions"))
            .json(&serde_json::json!({ "body": format!("Is {word} findable right away?") }))
            .send()
            .await?
            .json()
            .await?;
        let id = asked["id"].as_i64().ok_or("asking failed")?;
        let answered = client
            .post(format!("{base}/api/v1/questions/{id}/answer"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "answer_md": "Yes." }))
            .send()
            .await?;
        if !answered.status().is_success() {
            return Err(format!("answering failed: {}", answered.status()).into());
        }
        let began = Instant::now();
        loop {
            let results: serde_json::Value = client
                .get(format!("{base}/api/v1/faq"))
                .query(&[("q", word.as_str())])
                .send()
                .await?
                .json()
                .await?;
            let hits = results["hits"].as_array().cloned().unwrap_or_default();
            if hits.iter().any(|hit| hit["id"].as_i64() == Some(id)) {
                break;
            }
            if began.elapsed() > Duration::from_secs(30) {
                return Err("an answer was not findable within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        freshness.push(began.elapsed());
    }
    summary(
        "freshness, answer → findable (HTTP, 5 ms polling)",
        freshness,
    );
    println!(
        "peak resident memory of this process: {:.0} MiB",
        common::own_peak_memory_mib()
    );
    server.abort();
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
