//! Webhook deliveries under a burst: 1,000 answers given at once through the API to a
//! `faqtory serve` process with a generic webhook hearing of answers and FAQ entries (2,000
//! deliveries) to a local receiver. Prints how fast the answers were taken, how soon every
//! delivery had arrived, the delay from an answer's acknowledgement to its delivery, and whether
//! any delivery came twice. With RESTART=1 the server is killed (`kill -9`) as soon as the last
//! answer is acknowledged and started again on the same database: the report then says how long
//! after the restart the queue was empty, and whether anything was lost.
//!
//! cargo build --release && cargo run --release --example bench_webhook_burst [-- DATABASE_URL]
//!
//! Knobs: ANSWERS (1000), IN_FLIGHT (64), RESTART (0).

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::burst::{all_of, answer_all, knob, prepare};
use common::{summary, BoxError, ServeProcess};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A delivery the receiver got: its id, what it told, about which question, and when.
struct Arrival {
    delivery: String,
    kind: String,
    question: i64,
    at: Instant,
}

/// A local receiver that answers 200 to everything and notes each arrival.
async fn start_receiver() -> Result<(String, Arc<Mutex<Vec<Arrival>>>), BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let arrivals: Arc<Mutex<Vec<Arrival>>> = Arc::default();
    let kept = arrivals.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let Some((headers, body)) = read_request(&mut stream).await else {
                    return;
                };
                let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                kept.lock()
                    .map(|mut arrivals| {
                        arrivals.push(Arrival {
                            delivery: headers
                                .get("x-faqtory-delivery")
                                .cloned()
                                .unwrap_or_default(),
                            kind: parsed["type"].as_str().unwrap_or_default().to_owned(),
                            question: parsed["question"]["id"].as_i64().unwrap_or(0),
                            at: Instant::now(),
                        })
                    })
                    .ok();
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    Ok((url, arrivals))
}

async fn read_request(
    stream: &mut tokio::net::TcpStream,
) -> Option<(HashMap<String, String>, String)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|length| length.parse().ok())
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Some((
        headers,
        String::from_utf8_lossy(&buffer[header_end..]).to_string(),
    ))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let answers = knob("ANSWERS", 1_000);
    let in_flight = knob("IN_FLIGHT", 64);
    let restart = knob("RESTART", 0) == 1;
    let work = std::env::temp_dir().join(format!("faqtory-bench.webhooks-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let database_url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}/faqtory.db", work.display()));
    let settings = [
        ("FAQTORY_DATABASE_URL", std::ffi::OsStr::new(&database_url)),
        ("FAQTORY_DATA_DIR", work.as_os_str()),
        ("FAQTORY_RATE_LIMITS", std::ffi::OsStr::new("off")),
        ("FAQTORY_ALLOW_PRIVATE_WEBHOOKS", std::ffi::OsStr::new("on")),
    ];
    let token = prepare(&settings)?;
    let (receiver_url, arrivals) = start_receiver().await?;
    let mut server = ServeProcess::start(&settings)?;
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let created = http
        .post(format!("{base}/api/v1/webhooks"))
        .bearer_auth(&token)
        .json(&json!({
            "url": receiver_url,
            "format": "generic",
            "events": ["question.answered", "faq.published"],
        }))
        .send()
        .await?;
    if created.status() != 201 {
        return Err(format!("webhook not created: {}", created.text().await?).into());
    }

    let asks: Vec<_> = (0..answers)
        .map(|n| {
            let http = http.clone();
            let url = format!("{base}/api/v1/events/burst/questions");
            async move {
                let reply: Value = http
                    .post(url)
                    .json(&json!({ "body": format!("Burst question number {n}?") }))
                    .send()
                    .await
                    .ok()?
                    .json()
                    .await
                    .ok()?;
                reply["id"].as_i64()
            }
        })
        .collect();
    let ids: Vec<i64> = all_of(asks, in_flight)
        .await
        .into_iter()
        .flatten()
        .collect();
    println!("{} questions asked", ids.len());

    let started = Instant::now();
    let acknowledged = answer_all(&http, &base, &token, ids.iter().copied(), in_flight).await;

    let mut restarted_at = None;
    if restart {
        let before = arrivals.lock().map(|got| got.len()).unwrap_or(0);
        drop(server);
        println!(
            "killed the server (-9) with {before} of {} deliveries received",
            2 * acknowledged.len()
        );
        restarted_at = Some(Instant::now());
        server = ServeProcess::start(&settings)?;
    }

    let expected = 2 * acknowledged.len();
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let distinct = arrivals
            .lock()
            .map(|got| {
                got.iter()
                    .map(|arrival| arrival.delivery.as_str())
                    .collect::<std::collections::HashSet<_>>()
                    .len()
            })
            .unwrap_or(0);
        if distinct >= expected || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = arrivals.lock().map_err(|_| "receiver poisoned")?;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for arrival in got.iter() {
        *seen.entry(arrival.delivery.as_str()).or_default() += 1;
    }
    let twice = seen.values().filter(|&&count| count > 1).count();
    let last = got.iter().map(|arrival| arrival.at).max();
    println!(
        "deliveries: {} of {expected} arrived ({} sent twice); the last {:.2} s after the first answer was sent ({:.0} deliveries/s)",
        seen.len(),
        twice,
        last.map_or(f64::NAN, |last| (last - started).as_secs_f64()),
        seen.len() as f64 / last.map_or(f64::NAN, |last| (last - started).as_secs_f64()),
    );
    if let (Some(restarted_at), Some(last)) = (restarted_at, last) {
        println!(
            "after the restart, the queue was empty {:.2} s later",
            last.saturating_duration_since(restarted_at).as_secs_f64()
        );
    }
    let delays: Vec<Duration> = got
        .iter()
        .filter(|arrival| arrival.kind == "question.answered")
        .filter_map(|arrival| {
            acknowledged
                .get(&arrival.question)
                .map(|acked| arrival.at.saturating_duration_since(*acked))
        })
        .collect();
    summary("answer acknowledged → its delivery", delays);
    drop(got);
    drop(server);
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
