//! Topics at the size of years of calls: 20,000 questions over 50 events (MedQuAD's 16,407
//! health questions, the rest as edited copies). Prints the first grouping's time, adding one
//! question (the placement a page load runs), a full regrouping, and then, from a `faqtory
//! serve` process, the insights API and `/mod/insights` over HTTP (p50 and p99 of sequential
//! requests). By words, or by meaning with `FAQTORY_BENCH_MODEL`.
//!
//! cargo build --release && cargo run --release --example bench_topics_load

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{
    embedded, model_dir, moderator_token, ms, open_event, percentile, start_meaning, with_edit,
    BoxError, ServeProcess,
};
use faqtory::app::asking::question_import;
use faqtory::app::insights::placing::place_new;
use faqtory::app::insights::{regroup, TopicWork};
use faqtory::db::{self, DatabaseUrl, Db};
use faqtory::meaning::Meaning;
use faqtory::startup::open_database;

const QUESTIONS: usize = 20_000;
const EVENTS: usize = 50;
const ADDED: usize = 20;
const REQUESTS: usize = 100;

fn medquad_questions() -> Result<Vec<String>, BoxError> {
    let text = std::fs::read_to_string("../shared/data/medquad/medquad_qa.jsonl")?;
    let mut questions: Vec<String> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|row| row["question"].as_str().map(str::to_owned))
        .collect();
    let originals = questions.len();
    let mut seed = 0;
    while questions.len() < QUESTIONS {
        let text = questions[seed % originals].clone();
        questions.push(with_edit(&text, seed % 3, seed));
        seed += 1;
    }
    questions.truncate(QUESTIONS);
    Ok(questions)
}

async fn load(db: &Db) -> Result<(), BoxError> {
    let questions = medquad_questions()?;
    for event in 0..EVENTS {
        open_event(db, &format!("call-{event}"), &format!("Call {event}")).await?;
    }
    let per_event = QUESTIONS / EVENTS;
    for (event, chunk) in questions.chunks(per_event).enumerate() {
        let batch: Vec<_> = chunk
            .iter()
            .filter_map(|text| question_import::parse_record(text, None, None, None).ok())
            .collect();
        question_import::import_batch(db, &format!("call-{}", event.min(EVENTS - 1)), batch)
            .await?;
    }
    Ok(())
}

fn timed(name: &str, took: Duration) {
    println!("{name:<40} {:>9.1} ms", ms(took));
}

fn summary(name: &str, mut timings: Vec<Duration>) {
    timings.sort();
    println!(
        "{name:<40} p50 {:>7.1} ms   p99 {:>7.1} ms   max {:>7.1} ms   ({} requests)",
        ms(percentile(&timings, 0.5)),
        ms(percentile(&timings, 0.99)),
        ms(*timings.last().unwrap_or(&Duration::ZERO)),
        timings.len()
    );
}

async fn get_timed(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
) -> Result<Vec<Duration>, BoxError> {
    let mut timings = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let mut request = client.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let started = Instant::now();
        let response = request.send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        timings.push(started.elapsed());
        if !status.is_success() {
            return Err(format!("{url}: {status} {}", String::from_utf8_lossy(&body)).into());
        }
    }
    Ok(timings)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let work = std::env::temp_dir().join(format!("faqtory-topics-load-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let url = format!("sqlite://{}/faqtory.db", work.display());
    let db = open_database(&DatabaseUrl::parse(&url)?)
        .await
        .map_err(|error| error.to_string())?;
    let started = Instant::now();
    load(&db).await?;
    timed(
        "importing 20,000 questions over 50 events",
        started.elapsed(),
    );
    let token = moderator_token(&db).await?;
    let model = model_dir();
    let meaning = match &model {
        Some(model) => {
            let meaning = start_meaning(&db, model).await?;
            let took = embedded(&meaning, QUESTIONS).await?;
            timed("embedding them", took);
            meaning
        }
        None => Meaning::off(),
    };
    let work_gate = TopicWork::default();

    let started = Instant::now();
    place_new(&db, &meaning, &work_gate).await?;
    timed("first grouping (every question)", started.elapsed());
    let topics = db.read(db::topics::all).await?.len();
    println!("{:<40} {topics:>9}", "topics");

    let mut added = Vec::new();
    for at in 0..ADDED {
        let text = format!("What are the treatments for chronic fatigue, case {at}?");
        let question = question_import::parse_record(&text, None, None, None)?;
        question_import::import_batch(&db, "call-49", vec![question]).await?;
        if let Some(model) = &model {
            let _ = model;
            embedded(&meaning, QUESTIONS + at + 1).await?;
        }
        let started = Instant::now();
        place_new(&db, &meaning, &work_gate).await?;
        added.push(started.elapsed());
    }
    summary("adding one question (placing it)", added);

    let started = Instant::now();
    let row = regroup::start(&db, &meaning, &work_gate, None)
        .await?
        .run(&db, &meaning)
        .await?;
    timed("full regrouping", started.elapsed());
    println!("{:<40} {:>9}", "topics after regrouping", row.topic_count);
    drop(meaning);
    drop(db);

    let model_setting = model
        .as_ref()
        .map_or_else(|| "off".into(), |dir| dir.clone().into_os_string());
    let settings = [
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&url)),
        ("FAQTORY_DATA_DIR", work.as_os_str()),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
        ("FAQTORY_MODEL", model_setting.as_os_str()),
    ];
    let server = ServeProcess::start(&settings)?;
    let api = reqwest::Client::new();
    let api_timings = get_timed(
        &api,
        &format!("{}/api/v1/insights/topics", server.base),
        Some(&token),
    )
    .await?;
    summary("GET /api/v1/insights/topics", api_timings);

    let browser = reqwest::Client::builder().cookie_store(true).build()?;
    let signed_in = browser
        .post(format!("{}/sign-in", server.base))
        .header("origin", &server.base)
        .form(&[
            ("username", "bench"),
            ("password", "correct horse battery staple"),
        ])
        .send()
        .await?;
    if !signed_in.status().is_success() && !signed_in.status().is_redirection() {
        return Err(format!("signing in: {}", signed_in.status()).into());
    }
    let page_timings = get_timed(&browser, &format!("{}/mod/insights", server.base), None).await?;
    summary("GET /mod/insights", page_timings);
    server.terminate()?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
