//! Matching by meaning at scale, through a real server with the sentence encoder loaded:
//!
//! 1. MedQuAD's 16,407 entries imported; the server starts and embeds them in the background
//!    while `/healthz` is asked all along (is the site still answering?);
//! 2. typos: each entry's question with one edit of each kind (deletion, insertion,
//!    substitution, transposition), the entry in the top 10 of `/api/v1/faq`, and by words alone
//!    in-process;
//! 3. FAQ search latency in-process (the query embedded, then ranked) and through HTTP beside
//!    `/healthz`;
//! 4. similar questions through HTTP on an event of 5,000 questions;
//! 5. answer → findable by meaning (a search sharing no word with the question);
//! 6. the server's peak memory (a `faqtory serve` process: `cargo build --release` first).
//!
//! FAQTORY_BENCH_MODEL=DIR cargo run --release --example bench_meaning_load [-- QUERIES]

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{
    caught_up, entry_ids, fresh_db, import, model_dir, moderator_token, open_event, summary,
    timed_get, with_edit, BoxError, ServeProcess,
};
use faqtory::app::{self, asking::question_import};
use faqtory::search::{index_dir, SearchIndex, SearchRequest};

#[derive(serde::Deserialize)]
struct Pair {
    question: String,
    answer: String,
}

const KINDS: [&str; 4] = ["deletion", "insertion", "substitution", "transposition"];

async fn pending(client: &reqwest::Client, base: &str) -> Result<Option<i64>, BoxError> {
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .text()
        .await?;
    Ok(metrics
        .lines()
        .find_map(|line| line.strip_prefix("faqtory_embeddings_pending "))
        .and_then(|value| value.trim().parse().ok()))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let Some(model) = model_dir() else {
        return Err("set FAQTORY_BENCH_MODEL to a model directory".into());
    };
    let query_count: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(500);
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/medquad/medquad_qa.jsonl"
    );
    let dir = std::env::temp_dir().join(format!("faqtory-meaning-{}", std::process::id()));
    let pairs: Vec<(String, String)> = std::fs::read_to_string(file)?
        .lines()
        .map(|line| serde_json::from_str::<Pair>(line).map(|pair| (pair.question, pair.answer)))
        .collect::<Result<_, _>>()?;
    let db = fresh_db(&dir).await?;
    let (refused, _) = import(&db, &pairs).await?;
    let entries = entry_ids(&db).await?;
    println!("MedQuAD: {} entries ({refused} refused)", entries.len());

    // 1. A `faqtory serve` process embeds everything in the background; /healthz meanwhile.
    let database_url = format!("sqlite://{}/bench.db", dir.display());
    let server_dir = dir.join("server");
    let server = ServeProcess::start(&[
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&database_url)),
        ("FAQTORY_DATA_DIR", server_dir.as_os_str()),
        ("FAQTORY_MODEL", model.as_os_str()),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
    ])?;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut health = Vec::new();
    loop {
        health.push(timed_get(&client, &format!("{base}/healthz")).await?);
        if health.len() % 50 == 0 && pending(&client, &base).await? == Some(0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "embedded {} entries in {:.1} s ({:.1} ms each, one background thread)",
        entries.len(),
        started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64() * 1_000.0 / entries.len() as f64
    );
    summary("GET /healthz while embedding", health);
    println!(
        "server peak memory (VmHWM) after embedding {} entries: {:.0} MiB",
        entries.len(),
        server.peak_memory_mib().unwrap_or(0.0)
    );
    // Wait for the server's own index too.
    loop {
        let probe: serde_json::Value = client
            .get(format!("{base}/api/v1/faq"))
            .query(&[("q", entries[0].1.as_str())])
            .send()
            .await?
            .json()
            .await?;
        if probe["total"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // 2. Typos, each kind.
    let index = SearchIndex::start(db.clone(), &index_dir(&dir))?;
    caught_up(&db, &index).await?;
    let step = (entries.len() / query_count.max(1)).max(1);
    let sample: Vec<&(i64, String)> = entries.iter().step_by(step).take(query_count).collect();
    for (kind, name) in KINDS.iter().enumerate() {
        let (mut served, mut lexical) = (0, 0);
        for (n, (id, question)) in sample.iter().enumerate() {
            let typo = with_edit(question, kind, n);
            let results: serde_json::Value = client
                .get(format!("{base}/api/v1/faq"))
                .query(&[("q", typo.as_str())])
                .send()
                .await?
                .json()
                .await?;
            let hits = results["hits"].as_array().cloned().unwrap_or_default();
            served += usize::from(
                hits.iter()
                    .take(10)
                    .any(|hit| hit["id"].as_i64() == Some(*id)),
            );
            let words = index.search(&SearchRequest {
                text: &typo,
                label: None,
                event: None,
                offset: 0,
                limit: 10,
                meaning: None,
            })?;
            lexical += usize::from(words.hits.iter().any(|hit| hit.id == *id));
        }
        let n = sample.len().max(1) as f64;
        println!(
            "typo ({name:<13}): in the top 10 {:.3} (words + meaning, HTTP), {:.3} (words only)",
            served as f64 / n,
            lexical as f64 / n
        );
    }

    // 3. FAQ search latency: in-process (embedding included), and HTTP beside /healthz.
    let meaning = common::start_meaning(&db, &model).await?;
    common::embedded(&meaning, entries.len()).await?;
    let filters = app::faq::browse::Filters::default();
    let mut in_process = Vec::new();
    for (n, (_, question)) in sample.iter().enumerate() {
        let typo = with_edit(question, n % 4, n);
        let began = Instant::now();
        app::faq::browse::search(
            &db,
            &index,
            None,
            &meaning,
            &typo,
            &filters,
            1,
            app::faq::browse::Settled::StillTyping,
        )
        .await?;
        in_process.push(began.elapsed());
    }
    summary(
        "FAQ search, words + meaning (in-process, query embedded)",
        in_process,
    );
    drop(meaning);
    let (mut health, mut searches) = (Vec::new(), Vec::new());
    for (n, (_, question)) in sample.iter().enumerate() {
        let typo = with_edit(question, n % 4, n);
        health.push(timed_get(&client, &format!("{base}/healthz")).await?);
        let began = Instant::now();
        client
            .get(format!("{base}/api/v1/faq"))
            .query(&[("q", typo.as_str())])
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
        "HTTP, one at a time, interleaved: FAQ search / healthz mean latency ratio {:.1}",
        mean(&searches) / mean(&health)
    );
    summary("HTTP GET /healthz", health);
    summary("HTTP GET /api/v1/faq?q=… (words + meaning)", searches);

    // 4. Similar questions on an event of 5,000 questions.
    open_event(&db, "big", "Five thousand questions").await?;
    let asked: Vec<&String> = entries
        .iter()
        .map(|(_, q)| q)
        .step_by(3)
        .take(5_000)
        .collect();
    for chunk in asked.chunks(500) {
        let batch = chunk
            .iter()
            .filter_map(|text| question_import::parse_record(text, None, None, None).ok())
            .collect();
        question_import::import_batch(&db, "big", batch).await?;
    }
    while pending(&client, &base).await? != Some(0) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut similar = Vec::new();
    for (n, text) in asked.iter().step_by(10).take(query_count).enumerate() {
        let typed: String = with_edit(text, n % 4, n);
        let began = Instant::now();
        client
            .get(format!("{base}/api/v1/events/big/similar"))
            .query(&[("q", typed.as_str())])
            .send()
            .await?
            .bytes()
            .await?;
        similar.push(began.elapsed());
    }
    summary(
        "HTTP GET /api/v1/events/big/similar?q=… (5,000 questions)",
        similar,
    );

    // 5. Answer → findable by meaning, through HTTP.
    let token = moderator_token(&db).await?;
    let mut freshness = Vec::new();
    for n in 0..20 {
        let asked: serde_json::Value = client
            .post(format!("{base}/api/v1/events/big/questions"))
            .json(&serde_json::json!({
                "body": format!("Case {n}: how do I stop my cat from scratching the sofa?")
            }))
            .send()
            .await?
            .json()
            .await?;
        let id = asked["id"].as_i64().ok_or("asking failed")?;
        let answered = client
            .post(format!("{base}/api/v1/questions/{id}/answer"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "answer_md": "Give it a scratching post." }))
            .send()
            .await?;
        if !answered.status().is_success() {
            return Err(format!("answering failed: {}", answered.status()).into());
        }
        let began = Instant::now();
        loop {
            let results: serde_json::Value = client
                .get(format!("{base}/api/v1/faq"))
                .query(&[("q", "kitten damaging couch")])
                .send()
                .await?
                .json()
                .await?;
            let hits = results["hits"].as_array().cloned().unwrap_or_default();
            if hits.iter().any(|hit| hit["id"].as_i64() == Some(id)) {
                break;
            }
            if began.elapsed() > Duration::from_secs(30) {
                return Err("an answer was not findable by meaning within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        freshness.push(began.elapsed());
    }
    summary(
        "answer → findable by meaning (HTTP, 10 ms polling)",
        freshness,
    );
    println!(
        "server peak memory (VmHWM) at the end: {:.0} MiB",
        server.peak_memory_mib().unwrap_or(0.0)
    );
    drop(server);
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
