//! Mail under a burst: 1,000 questions asked with an address each to a `faqtory serve` process
//! whose SMTP server is a local sink; every asker confirms from the mail; then 1,000 answers are
//! given at once through the API. Prints how soon every confirmation had arrived, how fast the
//! answers were taken, how soon every "answered" letter had arrived, the delay from an answer's
//! acknowledgement to its letter, and whether any letter came twice. With RESTART=kill the server
//! is killed (`kill -9`) as soon as the last answer is acknowledged, with RESTART=term stopped
//! (SIGTERM, which lets the batch under way finish), and started again on the same database: the
//! report then says how long after the restart the last letter came, and whether any was lost
//! or sent twice.
//!
//! cargo build --release && cargo run --release --example bench_mail_burst [-- DATABASE_URL]
//!
//! Knobs: ANSWERS (1000), IN_FLIGHT (64), RESTART (none, kill or term).

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::burst::{all_of, answer_all, knob, prepare};
use common::{summary, BoxError, ServeProcess};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A letter the sink took: to whom, what it told, its confirmation token, and when.
struct Letter {
    to: String,
    subject: String,
    confirm_token: Option<String>,
    at: Instant,
}

type Letters = Arc<Mutex<Vec<Letter>>>;

/// An SMTP server that takes every message (just enough of RFC 5321 for one client) and notes
/// each one.
async fn start_sink() -> Result<(u16, Letters), BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let letters: Letters = Arc::default();
    let kept = letters.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_session(stream, kept.clone()));
        }
    });
    Ok((port, letters))
}

async fn serve_session(stream: tokio::net::TcpStream, letters: Letters) -> Option<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader);
    writer.write_all(b"220 sink\r\n").await.ok()?;
    let mut to = String::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.ok()? == 0 {
            return Some(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("RCPT TO:") {
            to = line.trim_end()[8..]
                .trim()
                .trim_matches(|c| c == '<' || c == '>')
                .to_owned();
        }
        let reply: &[u8] = if command.starts_with("DATA") {
            writer.write_all(b"354 go on\r\n").await.ok()?;
            let mut message = String::new();
            loop {
                let mut line = String::new();
                if lines.read_line(&mut line).await.ok()? == 0 {
                    return Some(());
                }
                if line == ".\r\n" {
                    break;
                }
                message.push_str(&line);
            }
            let letter = read_letter(&to, &message);
            letters.lock().ok()?.push(letter);
            b"250 taken\r\n"
        } else if command.starts_with("QUIT") {
            writer.write_all(b"221 bye\r\n").await.ok()?;
            return Some(());
        } else {
            b"250 ok\r\n"
        };
        writer.write_all(reply).await.ok()?;
    }
}

fn read_letter(to: &str, message: &str) -> Letter {
    let subject = message
        .lines()
        .find_map(|line| line.strip_prefix("Subject: "))
        .unwrap_or_default()
        .to_owned();
    let confirm_token = message.split("/mail/confirm/").nth(1).map(|rest| {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    });
    Letter {
        to: to.to_owned(),
        subject,
        confirm_token,
        at: Instant::now(),
    }
}

/// Waits until `count` letters whose subject starts with `kind` arrived (ten minutes at most);
/// when the last of them came.
async fn letters_of(letters: &Letters, kind: &str, count: usize) -> Option<Instant> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let (arrived, last) = letters
            .lock()
            .map(|got| {
                let of_kind: Vec<&Letter> = got
                    .iter()
                    .filter(|letter| letter.subject.starts_with(kind))
                    .collect();
                (of_kind.len(), of_kind.iter().map(|letter| letter.at).max())
            })
            .unwrap_or((0, None));
        if arrived >= count || Instant::now() > deadline {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn asker(n: usize) -> String {
    format!("asker-{n}@example.org")
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let answers = knob("ANSWERS", 1_000);
    let in_flight = knob("IN_FLIGHT", 64);
    let restart = std::env::var("RESTART").unwrap_or_default();
    let work = std::env::temp_dir().join(format!("faqtory-bench.mail-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let database_url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}/faqtory.db", work.display()));
    let (port, letters) = start_sink().await?;
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let settings = [
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&database_url)),
        ("FAQTORY_DATA_DIR", work.as_os_str()),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
        ("FAQTORY_SMTP_URL", std::ffi::OsStr::new(&smtp_url)),
        (
            "FAQTORY_MAIL_FROM",
            std::ffi::OsStr::new("Bench <bench@example.org>"),
        ),
    ];
    let token = prepare(&settings)?;
    let mut server = ServeProcess::start(&settings)?;
    let base = server.base.clone();
    let http = reqwest::Client::new();

    let started = Instant::now();
    let asks: Vec<_> = (0..answers)
        .map(|n| {
            let http = http.clone();
            let url = format!("{base}/api/v1/events/burst/questions");
            async move {
                let reply: Value = http
                    .post(url)
                    .json(&json!({
                        "body": format!("Burst question number {n}?"),
                        "notify_email": asker(n),
                    }))
                    .send()
                    .await
                    .ok()?
                    .json()
                    .await
                    .ok()?;
                Some((asker(n), reply["id"].as_i64()?))
            }
        })
        .collect();
    let question_of: HashMap<String, i64> = all_of(asks, in_flight)
        .await
        .into_iter()
        .flatten()
        .collect();
    let confirmed_by = letters_of(&letters, "Confirm", question_of.len()).await;
    println!(
        "{} questions asked with an address; every confirmation letter arrived {:.2} s after the first question was sent",
        question_of.len(),
        confirmed_by.map_or(f64::NAN, |last| (last - started).as_secs_f64())
    );
    let tokens: Vec<String> = letters
        .lock()
        .map_err(|_| "sink poisoned")?
        .iter()
        .filter_map(|letter| letter.confirm_token.clone())
        .collect();
    let confirming: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let http = http.clone();
            let url = format!("{base}/mail/confirm/{token}");
            async move {
                http.post(url)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            }
        })
        .collect();
    let confirmed = all_of(confirming, in_flight)
        .await
        .into_iter()
        .filter(|ok| *ok)
        .count();
    println!("{confirmed} addresses confirmed");

    let started = Instant::now();
    let acknowledged = answer_all(
        &http,
        &base,
        &token,
        question_of.values().copied(),
        in_flight,
    )
    .await;

    let mut restarted_at = None;
    if restart == "kill" || restart == "term" {
        let before = letters
            .lock()
            .map(|got| {
                got.iter()
                    .filter(|letter| letter.subject.starts_with("Answered"))
                    .count()
            })
            .unwrap_or(0);
        if restart == "term" {
            server.terminate()?;
        } else {
            drop(server);
        }
        println!(
            "stopped the server ({restart}) with {before} of {} answered letters received",
            acknowledged.len()
        );
        restarted_at = Some(Instant::now());
        server = ServeProcess::start(&settings)?;
    }

    let last = letters_of(&letters, "Answered", acknowledged.len()).await;
    let got = letters.lock().map_err(|_| "sink poisoned")?;
    let answered: Vec<&Letter> = got
        .iter()
        .filter(|letter| letter.subject.starts_with("Answered"))
        .collect();
    let mut per_asker: HashMap<&str, usize> = HashMap::new();
    for letter in &answered {
        *per_asker.entry(letter.to.as_str()).or_default() += 1;
    }
    let twice = per_asker.values().filter(|&&count| count > 1).count();
    let seconds = last.map_or(f64::NAN, |last| (last - started).as_secs_f64());
    println!(
        "answered letters: {} of {} askers told ({twice} told twice); the last {seconds:.2} s after the first answer was sent ({:.0} letters/s)",
        per_asker.len(),
        acknowledged.len(),
        per_asker.len() as f64 / seconds,
    );
    if let (Some(restarted_at), Some(last)) = (restarted_at, last) {
        println!(
            "after the restart, the last letter came {:.2} s later",
            last.saturating_duration_since(restarted_at).as_secs_f64()
        );
    }
    let delays: Vec<Duration> = answered
        .iter()
        .filter_map(|letter| {
            let question = question_of.get(&letter.to)?;
            acknowledged
                .get(question)
                .map(|acked| letter.at.saturating_duration_since(*acked))
        })
        .collect();
    summary("answer acknowledged → its letter", delays);
    drop(got);
    drop(server);
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
