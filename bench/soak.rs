//! Memory under a long mix of traffic with hostile input: a `faqtory serve` process (rate limits
//! on, as deployed) takes page views, new voters and their votes, questions with injection
//! payloads and oversized text, FAQ searches, failed sign-ins under random names and addresses
//! it has never seen, and requests for pages that do not exist; its resident memory is printed
//! every minute and at the end, with the peak.
//!
//! `cargo run --release --example bench_soak -- [SECONDS] [WORKERS]`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/mod.rs"]
mod common;

use common::{faqtory_binary, ServeProcess};

const HOSTILE: [&str; 8] = [
    "<script>alert(1)</script> is this safe?",
    "\"><img src=x onerror=alert(1)> how about this one?",
    "javascript:alert(document.cookie) and links?",
    "' OR 1=1; DROP TABLE questions; -- is SQL escaped?",
    "\u{202e}reversed text and zero\u{200b}width joiners?",
    "{{7*7}} ${7*7} <%= 7*7 %> templates anyone?",
    "../../../../etc/passwd as a question?",
    "A question with a NUL \u{0} inside it, does it pass?",
];

fn cli(dir: &std::path::Path, database_url: &str, args: &[&str]) -> Result<(), String> {
    let status = std::process::Command::new(faqtory_binary().map_err(|e| e.to_string())?)
        .args(args)
        .env("FAQTORY_DATABASE_URL", database_url)
        .env("FAQTORY_DATA_DIR", dir)
        .env("RUST_LOG", "warn")
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("faqtory {args:?} failed"))
    }
}

/// One round of a visitor's and an attacker's requests; errors (refusals) are part of the mix.
async fn round(base: &str, n: u64) -> Result<(), reqwest::Error> {
    let visitor = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    visitor.get(format!("{base}/e/soak")).send().await?;
    let listed: serde_json::Value = visitor
        .get(format!("{base}/api/v1/events/soak/questions?sort=new"))
        .send()
        .await?
        .json()
        .await
        .unwrap_or_default();
    if let Some(id) = listed.get(n as usize % 20).and_then(|q| q["id"].as_i64()) {
        visitor
            .post(format!("{base}/api/v1/questions/{id}/vote"))
            .header("content-type", "application/json")
            .send()
            .await?;
    }
    let hostile = HOSTILE[n as usize % HOSTILE.len()];
    let body = if n % 7 == 0 {
        format!("{hostile} {}", "long ".repeat(1_000))
    } else {
        format!("{hostile} (number {n})")
    };
    visitor
        .post(format!("{base}/api/v1/events/soak/questions"))
        .header("content-type", "application/json")
        .json(&serde_json::json!({"body": body, "author_name": hostile}))
        .send()
        .await?;
    visitor
        .get(format!("{base}/faq"))
        .query(&[("q", format!("{hostile} release {n}"))])
        .send()
        .await?;
    visitor
        .get(format!("{base}/api/v1/events/soak/similar"))
        .query(&[("q", format!("how do I {hostile}"))])
        .send()
        .await?;
    let page = visitor
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    visitor
        .post(format!("{base}/sign-in"))
        .form(&[
            ("username", format!("nobody{n}").as_str()),
            ("password", "not the password"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await?;
    visitor
        .get(format!("{base}/no/such/page/{n}"))
        .send()
        .await?;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(600);
    let workers: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(4);
    let dir = std::env::temp_dir().join(format!("faqtory-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database_url = format!("sqlite://{}/soak.db", dir.display());
    cli(&dir, &database_url, &["migrate"])?;
    cli(
        &dir,
        &database_url,
        &["event", "create", "--slug", "soak", "--title", "Soak test"],
    )?;
    let server = ServeProcess::start(&[
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&database_url)),
        ("FAQTORY_DATA_DIR", dir.as_os_str()),
    ])?;
    let base = Arc::new(server.base.clone());
    println!(
        "soak: {seconds} s, {workers} workers; memory at start {:.0} MiB",
        server.memory_now_mib().unwrap_or(f64::NAN)
    );
    let rounds = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let (base, rounds, failures) = (base.clone(), rounds.clone(), failures.clone());
        tasks.spawn(async move {
            while Instant::now() < deadline {
                let n = rounds.fetch_add(1, Ordering::Relaxed);
                if round(&base, n).await.is_err() {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    let started = Instant::now();
    let mut next_report = Duration::from_secs(60);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if started.elapsed() >= next_report {
            println!(
                "  {:>4} s: {} rounds, memory {:.0} MiB ({}; peak {:.0})",
                started.elapsed().as_secs(),
                rounds.load(Ordering::Relaxed),
                server.memory_now_mib().unwrap_or(f64::NAN),
                server.memory_parts(),
                server.peak_memory_mib().unwrap_or(f64::NAN)
            );
            next_report += Duration::from_secs(60);
        }
    }
    while tasks.join_next().await.is_some() {}
    let health = reqwest::get(format!("{base}/healthz")).await?.status();
    println!(
        "end: {} rounds ({} cut short), memory {:.0} MiB ({}), peak {:.0} MiB, /healthz {health}",
        rounds.load(Ordering::Relaxed),
        failures.load(Ordering::Relaxed),
        server.memory_now_mib().unwrap_or(f64::NAN),
        server.memory_parts(),
        server.peak_memory_mib().unwrap_or(f64::NAN)
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
