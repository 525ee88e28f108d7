//! What the burst benchmarks share (webhooks, mail): knobs, the `faqtory` command line against
//! the benchmark's database, and many requests with a bounded number in flight.

use std::sync::Arc;

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
