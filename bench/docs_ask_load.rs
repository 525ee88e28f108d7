//! Ask-form suggestions with the documentation included, through a real server with the
//! sentence encoder loaded: an event of 500 questions (the MirageOS docs questions and MedQuAD's),
//! askers typing each MirageOS question word by word (every prefix of ten characters or more is
//! one `GET /api/v1/events/{slug}/similar`), first without documentation, then with the MirageOS
//! wiki added (182 sections, indexed and embedded). One asker at a time, then eight at once.
//! Prints p50/p99/max of each, and the time to work out the event's docs coverage (what the
//! dashboard does on every load).
//!
//! cargo build --release && FAQTORY_BENCH_MODEL=DIR cargo run --release --example bench_docs_ask_load

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::mirage_wiki::write_wiki_jsonl;
use common::{faqtory_binary, fresh_db, model_dir, open_event, summary, BoxError, ServeProcess};

#[derive(serde::Deserialize)]
struct DocsQuestion {
    question: String,
}

#[derive(serde::Deserialize)]
struct MedQuad {
    question: String,
}

/// What an asker's browser asks while they type: each prefix at a word's end.
fn typed_prefixes(question: &str) -> Vec<String> {
    let mut prefixes = Vec::new();
    for (at, _) in question.match_indices(' ') {
        if at >= 10 {
            prefixes.push(question[..at].to_owned());
        }
    }
    prefixes.push(question.to_owned());
    prefixes
}

async fn metric(client: &reqwest::Client, base: &str, name: &str) -> Result<Option<f64>, BoxError> {
    let text = common::metrics_text(client, base).await?;
    Ok(text
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok()))
}

/// Every prefix of every question, by `askers` at once; each request timed.
async fn typing(
    client: &reqwest::Client,
    base: &str,
    questions: &[String],
    askers: usize,
) -> Result<(Vec<Duration>, usize), BoxError> {
    let prefixes: Vec<String> = questions.iter().flat_map(|q| typed_prefixes(q)).collect();
    let chunks: Vec<Vec<String>> = prefixes
        .chunks(prefixes.len().div_ceil(askers))
        .map(<[String]>::to_vec)
        .collect();
    let mut tasks = Vec::new();
    for chunk in chunks {
        let (client, base) = (client.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut timings = Vec::new();
            let mut with_docs = 0;
            for prefix in chunk {
                let began = Instant::now();
                let items: serde_json::Value = client
                    .get(format!("{base}/api/v1/events/call/similar"))
                    .query(&[("q", prefix.as_str())])
                    .send()
                    .await?
                    .json()
                    .await?;
                timings.push(began.elapsed());
                let docs = items
                    .as_array()
                    .is_some_and(|items| items.iter().any(|item| item["kind"] == "doc"));
                with_docs += usize::from(docs);
            }
            Ok::<_, BoxError>((timings, with_docs))
        }));
    }
    let (mut all, mut with_docs) = (Vec::new(), 0);
    for task in tasks {
        let (timings, docs) = task.await??;
        all.extend(timings);
        with_docs += docs;
    }
    Ok((all, with_docs))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let Some(model) = model_dir() else {
        return Err("set FAQTORY_BENCH_MODEL to a model directory".into());
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs_questions: Vec<String> =
        std::fs::read_to_string(root.join("bench/data/mirage_docs_questions.jsonl"))?
            .lines()
            .map(|line| serde_json::from_str::<DocsQuestion>(line).map(|q| q.question))
            .collect::<Result<_, _>>()?;
    let medquad: Vec<String> =
        std::fs::read_to_string(root.join("../shared/data/medquad/medquad_qa.jsonl"))?
            .lines()
            .take(500 - docs_questions.len())
            .map(|line| serde_json::from_str::<MedQuad>(line).map(|q| q.question))
            .collect::<Result<_, _>>()?;

    let dir = std::env::temp_dir().join(format!("faqtory-docs-ask-{}", std::process::id()));
    let db = fresh_db(&dir).await?;
    open_event(&db, "call", "Hangout").await?;
    drop(db);
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
    for question in docs_questions.iter().chain(&medquad) {
        let response = client
            .post(format!("{base}/api/v1/events/call/questions"))
            .json(&serde_json::json!({ "body": question }))
            .send()
            .await?;
        if response.status() != 201 {
            println!("not asked ({}): {question}", response.status());
        }
    }
    while metric(&client, &base, "faqtory_embeddings_pending").await? != Some(0.0) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "{} questions asked and embedded",
        docs_questions.len() + medquad.len()
    );

    for askers in [1, 8] {
        let (timings, _) = typing(&client, &base, &docs_questions, askers).await?;
        summary(
            &format!("similar, no documentation, {askers} asker(s) typing"),
            timings,
        );
    }

    let wiki = dir.join("wiki.jsonl");
    let sections = write_wiki_jsonl(&wiki)?;
    let added = std::process::Command::new(faqtory_binary()?)
        .args(["docs", "add", "wiki", "--jsonl"])
        .arg(&wiki)
        .env("FAQTORY_DATABASE_URL", &database_url)
        .env("FAQTORY_DATA_DIR", &server_dir)
        .output()?;
    println!("{}", String::from_utf8_lossy(&added.stdout).trim());
    let waiting = Instant::now();
    loop {
        let searchable = metric(&client, &base, "faqtory_doc_sections_searchable").await?;
        let vectors = metric(&client, &base, "faqtory_doc_vectors_held").await?;
        if searchable >= Some(sections as f64) && vectors >= Some(sections as f64) {
            break;
        }
        if waiting.elapsed() > Duration::from_secs(600) {
            return Err(format!("the wiki was never ready: {searchable:?} {vectors:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "wiki searchable and embedded {:.1} s after adding",
        waiting.elapsed().as_secs_f64()
    );
    for askers in [1, 8] {
        let (timings, with_docs) = typing(&client, &base, &docs_questions, askers).await?;
        let requests = timings.len();
        summary(
            &format!("similar with documentation, {askers} asker(s) typing"),
            timings,
        );
        println!("  {with_docs} of {requests} answers showed a section");
    }
    // What the dashboard works out on every load: each question against the sections.
    let mut coverage = Vec::new();
    let mut figure = serde_json::Value::Null;
    for _ in 0..10 {
        let began = Instant::now();
        figure = client
            .get(format!("{base}/api/v1/events/call/docs-coverage"))
            .send()
            .await?
            .json()
            .await?;
        coverage.push(began.elapsed());
    }
    println!(
        "the event's docs coverage (500 questions), worked out: {:.1} ms",
        common::ms(coverage[0])
    );
    summary(
        "the event's docs coverage again, nothing changed",
        coverage[1..].to_vec(),
    );
    println!(
        "  {} of {} questions are answered in the docs",
        figure["answered_in_docs"], figure["questions"]
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
