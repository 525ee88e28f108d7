//! What the burst benchmarks share (webhooks, mail): knobs, the `faqtory` command line against
//! the benchmark's database, and many requests with a bounded number in flight.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use super::{faqtory_binary, BoxError};

/// A whole-number setting from the environment.
pub fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Runs `faqtory ARGS` with these settings and `input` on its standard input; its output.
pub fn cli(
    settings: &[(&str, &std::ffi::OsStr)],
    args: &[&str],
    input: &str,
) -> Result<String, BoxError> {
    use std::io::Write;
    let mut child = std::process::Command::new(faqtory_binary()?)
        .args(args)
        .env("RUST_LOG", "warn")
        .envs(settings.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(input.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// An event `burst` and an admin's API token, on a migrated database.
pub fn prepare(settings: &[(&str, &std::ffi::OsStr)]) -> Result<String, BoxError> {
    cli(settings, &["migrate"], "")?;
    cli(
        settings,
        &["event", "create", "--slug", "burst", "--title", "Burst"],
        "",
    )?;
    cli(
        settings,
        &["moderator", "add", "admin", "--admin", "--password-stdin"],
        "correct horse battery staple\n",
    )?;
    cli(
        settings,
        &["moderator", "token", "create", "admin", "--label", "bench"],
        "",
    )
}

/// Runs `requests` with at most `in_flight` at once; returns each one's outcome in order.
pub async fn all_of<F, T>(requests: Vec<F>, in_flight: usize) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let permits = Arc::new(tokio::sync::Semaphore::new(in_flight));
    let mut handles = Vec::with_capacity(requests.len());
    for request in requests {
        let permits = permits.clone();
        handles.push(tokio::spawn(async move {
            let _permit = permits.acquire_owned().await;
            request.await
        }));
    }
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        if let Ok(result) = handle.await {
            results.push(result);
        }
    }
    results
}

/// Answers every question at once through the API (`in_flight` at a time) and prints how fast;
/// when each answer was acknowledged, by question.
pub async fn answer_all(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    ids: impl Iterator<Item = i64>,
    in_flight: usize,
) -> HashMap<i64, Instant> {
    let started = Instant::now();
    let answering: Vec<_> = ids
        .map(|id| {
            let http = http.clone();
            let url = format!("{base}/api/v1/questions/{id}/answer");
            let token = token.to_owned();
            async move {
                let answered = http
                    .post(url)
                    .bearer_auth(token)
                    .json(&serde_json::json!({ "answer_md": format!("Answer number {id}.") }))
                    .send()
                    .await
                    .is_ok_and(|response| response.status().is_success());
                answered.then(|| (id, Instant::now()))
            }
        })
        .collect();
    let acknowledged: HashMap<i64, Instant> = all_of(answering, in_flight)
        .await
        .into_iter()
        .flatten()
        .collect();
    let answered_in = started.elapsed();
    println!(
        "{} answers acknowledged in {:.2} s ({:.0}/s, {in_flight} in flight)",
        acknowledged.len(),
        answered_in.as_secs_f64(),
        acknowledged.len() as f64 / answered_in.as_secs_f64()
    );
    acknowledged
}
