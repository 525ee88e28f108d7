//! The vote use case without HTTP: how many votes a second the storage layer takes, with
//! CONCURRENCY votes in flight, on a fresh SQLite database (or the PostgreSQL URL given).
//!
//! cargo run --release --example bench_vote_path -- [DATABASE_URL] [SECONDS] [CONCURRENCY] [normal|full]
//!
//! The last argument is SQLite's `--durability`: what one sync per commit costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use faqtory::app::asking::automated_votes::BurstRule;
use faqtory::app::asking::ballot::{Ballot, VoteAction};
use faqtory::app::asking::vote::VoteQueue;
use faqtory::app::{self, asking::ask::AskInput, events::lifecycle::NewEventInput};
use faqtory::db::{DatabaseUrl, Durability};
use faqtory::domain::{EventSlug, EventTitle, Token};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::env::temp_dir().join(format!("faqtory-vote-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = match args.first() {
        Some(url) if !url.is_empty() => url.clone(),
        _ => format!("sqlite://{}/bench.db", dir.display()),
    };
    let seconds: u64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(5);
    let concurrency: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(64);
    let durability = match args.get(3).map(String::as_str) {
        Some("full") => Durability::Full,
        _ => Durability::Normal,
    };

    let db = faqtory::startup::open_database_with(&DatabaseUrl::parse(&url)?, durability).await?;
    // The real bus: on PostgreSQL every vote is also relayed to other instances.
    let bus = faqtory::bus::Bus::start(&DatabaseUrl::parse(&url)?)?;
    app::events::lifecycle::create_event(
        &db,
        NewEventInput {
            slug: EventSlug::parse("bench")?,
            title: EventTitle::parse("Benchmark")?,
            description: String::new(),
            starts_at: None,
            premoderation: false,
            recording_url: None,
            labels: Vec::new(),
            status: faqtory::domain::EventStatus::Open,
        },
    )
    .await?;
    let mut ids = Vec::new();
    for n in 0..1_000 {
        let input = AskInput::parse(&format!("Benchmark question number {n}?"), None, None)?;
        ids.push(
            app::asking::ask::ask(&db, &bus, "bench", input)
                .await?
                .question_id,
        );
    }
    let voters: Vec<_> = (0..10_000)
        .map(|_| Token::generate().map(|t| t.hash()))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{e}"))?;
    let ids = Arc::new(ids);
    let voters = Arc::new(voters);
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    let votes = VoteQueue::start(db.clone(), bus.clone());
    for worker in 0..concurrency {
        let (votes, ids, voters, done) = (votes.clone(), ids.clone(), voters.clone(), done.clone());
        tasks.spawn(async move {
            let mut n = worker * 7_919;
            while Instant::now() < deadline {
                n = n
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let question = ids[(n >> 33) % ids.len()];
                let ballot = Ballot::own_network(voters[(n >> 17) % voters.len()].clone());
                let rule = BurstRule::default();
                if votes
                    .cast(question, ballot, VoteAction::Upvote, rule)
                    .await
                    .is_ok()
                {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let counted = done.load(Ordering::Relaxed);
    println!(
        "{} votes in {seconds} s: {:.0} votes/s at {concurrency} in flight ({durability:?} durability)",
        counted,
        counted as f64 / seconds as f64
    );
    if let Some(stats) = db.writer_stats() {
        let batches = stats.batches.load(Ordering::Relaxed);
        let writes = stats.writes.load(Ordering::Relaxed);
        println!(
            "group commit: {writes} writes in {batches} transactions ({:.1} each)",
            writes as f64 / batches.max(1) as f64
        );
    }
    if std::env::var_os("KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
