//! Duplicates at scale: similar-question suggestions while typing, through HTTP, on an event of
//! 5,000 questions (MedQuAD's questions), and merging a 50-question group that 10,000 voters
//! voted on, then undoing it.
//!
//! cargo run --release --example bench_duplicates_load [-- DATABASE_URL]

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{ms, summary, BoxError};
use faqtory::app::asking::automated_votes::BurstRule;
use faqtory::app::asking::ballot::{Ballot, VoteAction};
use faqtory::app::asking::vote::VoteQueue;
use faqtory::app::{self, asking::question_import};
use faqtory::config::Config;
use faqtory::db::{self, DatabaseUrl};
use faqtory::domain::{EventSlug, EventStatus, EventTitle, QuestionStatus, Token};
use faqtory::startup::{open_database, Application};

const QUESTIONS: usize = 5_000;
const GROUP: usize = 50;
const VOTERS: usize = 10_000;

#[derive(serde::Deserialize)]
struct Pair {
    question: String,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let dir = std::env::temp_dir().join(format!("faqtory-dupload-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = match std::env::args().nth(1) {
        Some(url) if !url.is_empty() => url,
        _ => format!("sqlite://{}/bench.db", dir.display()),
    };
    let url = DatabaseUrl::parse(&url)?;
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/medquad/medquad_qa.jsonl"
    );
    let mut texts: Vec<String> = Vec::new();
    for line in std::fs::read_to_string(file)?.lines() {
        let pair: Pair = serde_json::from_str(line)?;
        if !texts.contains(&pair.question) {
            texts.push(pair.question);
        }
        if texts.len() == QUESTIONS {
            break;
        }
    }

    let db = open_database(&url)
        .await
        .map_err(|error| error.to_string())?;
    let bus = faqtory::bus::Bus::start(&url)?;
    app::events::lifecycle::create_event(
        &db,
        app::events::lifecycle::NewEventInput {
            slug: EventSlug::parse("bench")?,
            title: EventTitle::parse("Duplicates at scale")?,
            description: String::new(),
            starts_at: None,
            premoderation: false,
            recording_url: None,
            labels: Vec::new(),
            status: EventStatus::Live,
        },
    )
    .await?;
    let batch: Vec<_> = texts
        .iter()
        .filter_map(|text| question_import::parse_record(text, None, None, None).ok())
        .collect();
    question_import::import_batch(&db, "bench", batch).await?;

    let application = Application::build(Config::for_local(url, dir.join("served")))
        .await
        .map_err(|error| error.to_string())?;
    let base = application.public_base().to_owned();
    let server = tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::new();
    let similar = |text: String| {
        let client = client.clone();
        let url = format!("{base}/api/v1/events/bench/similar");
        async move {
            client
                .get(url)
                .query(&[("q", text.as_str())])
                .send()
                .await?
                .json::<Vec<serde_json::Value>>()
                .await
        }
    };
    let started = Instant::now();
    // Indexed when the last question imported suggests itself.
    let last = texts[QUESTIONS - 1]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    while !similar(last.clone())
        .await?
        .iter()
        .any(|hit| hit["body"].as_str() == Some(last.as_str()))
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "{QUESTIONS} questions imported and indexed in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // What someone typing sends: the first words of a question, growing.
    let mut typed = Vec::new();
    for text in texts.iter().step_by(QUESTIONS / 250) {
        let words: Vec<&str> = text.split_whitespace().collect();
        for cut in [3, 5, 7, 9] {
            typed.push(words[..cut.min(words.len())].join(" "));
        }
    }
    let mut timings = Vec::with_capacity(typed.len());
    for text in typed {
        let began = Instant::now();
        similar(text).await?;
        timings.push(began.elapsed());
    }
    summary(
        "GET /api/v1/events/{slug}/similar while typing (HTTP)",
        timings,
    );

    // A group of 50 that 10,000 voters voted on, one to three of them each.
    let group: Vec<i64> = db
        .read(|conn| {
            let event = db::events::find_by_slug(conn, "bench")?
                .ok_or(faqtory::error::AppError::NotFound { what: "event" })?;
            db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)
        })
        .await?
        .iter()
        .take(GROUP)
        .map(|question| question.id)
        .collect();
    let started = Instant::now();
    let queue = VoteQueue::start(db.clone(), bus.clone());
    let mut votes = 0;
    for voter in 0..VOTERS {
        let hash = Token::generate().map_err(|error| error.to_string())?.hash();
        for pick in 0..(1 + voter % 3) {
            let question = group[(voter * 7 + pick * 13) % GROUP];
            let ballot = Ballot::own_network(hash.clone());
            let rule = BurstRule::default();
            queue
                .cast(question, ballot, VoteAction::Upvote, rule)
                .await?;
            votes += 1;
        }
    }
    println!(
        "{votes} votes by {VOTERS} voters on {GROUP} questions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let moderator = app::accounts::moderators::add_moderator(
        &db,
        None,
        faqtory::domain::Username::parse("bench")?,
        &faqtory::domain::Password::parse("correct horse battery staple")?,
        faqtory::domain::Role::Moderator,
    )
    .await?;
    let canonical = group[0];
    let started = Instant::now();
    app::moderation::merge::merge_many(
        &db,
        &bus,
        moderator.id,
        group[1..].to_vec(),
        canonical,
        None,
    )
    .await?;
    let at_once = started.elapsed();
    let count = db
        .read(move |conn| db::questions::vote_count(conn, canonical))
        .await?;
    println!(
        "merging the {GROUP}-question group at once (the dashboard's ticked merge): {:.1} ms; it counts {count} voters (of {VOTERS})",
        ms(at_once)
    );
    let started = Instant::now();
    for &question in group[1..].iter().rev() {
        app::moderation::merge::unmerge(&db, &bus, moderator.id, question).await?;
    }
    println!(
        "undoing those {} merges one by one: {:.1} ms",
        GROUP - 1,
        ms(started.elapsed())
    );
    let mut merges = Vec::new();
    let started = Instant::now();
    for &question in &group[1..] {
        let began = Instant::now();
        app::moderation::merge::merge(&db, &bus, moderator.id, question, canonical, None).await?;
        merges.push(began.elapsed());
    }
    let whole = started.elapsed();
    let count = db
        .read(move |conn| db::questions::vote_count(conn, canonical))
        .await?;
    println!(
        "merging the group ({} merges): {:.1} ms in all; the canonical question counts {count} voters (of {VOTERS})",
        GROUP - 1,
        ms(whole)
    );
    summary("one merge into the growing group", merges);
    let mut unmerges = Vec::new();
    for &question in group[1..].iter().rev() {
        let began = Instant::now();
        app::moderation::merge::unmerge(&db, &bus, moderator.id, question).await?;
        unmerges.push(began.elapsed());
    }
    summary("one unmerge", unmerges);
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
