//! Prometheus metrics in the text exposition format: requests by route and status, latency
//! histograms per route, and what the public recorded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use super::AppState;

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bucket, bound) in self.counts.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Default)]
struct HttpStats {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    http: Mutex<HttpStats>,
    pub questions_asked: AtomicU64,
    pub votes_cast: AtomicU64,
    pub votes_withdrawn: AtomicU64,
}

impl Metrics {
    fn observe(&self, route: String, method: String, status: u16, seconds: f64) {
        if let Ok(mut http) = self.http.lock() {
            *http
                .requests
                .entry((route.clone(), method, status))
                .or_default() += 1;
            http.latency.entry(route).or_default().observe(seconds);
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Ok(http) = self.http.lock() {
            out.push_str(
                "# HELP faqtory_http_requests_total HTTP requests by route, method and status.\n",
            );
            out.push_str("# TYPE faqtory_http_requests_total counter\n");
            for ((route, method, status), count) in &http.requests {
                let _ = writeln!(
                    out,
                    "faqtory_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {count}",
                    escape(route),
                    escape(method)
                );
            }
            out.push_str("# HELP faqtory_http_request_duration_seconds Time to answer HTTP requests, by route.\n");
            out.push_str("# TYPE faqtory_http_request_duration_seconds histogram\n");
            for (route, histogram) in &http.latency {
                let route = escape(route);
                for (bound, count) in BUCKETS.iter().zip(histogram.counts) {
                    let _ = writeln!(
                        out,
                        "faqtory_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                    );
                }
                let _ = writeln!(
                    out,
                    "faqtory_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    histogram.count
                );
                let _ = writeln!(
                    out,
                    "faqtory_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    histogram.sum
                );
                let _ = writeln!(
                    out,
                    "faqtory_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    histogram.count
                );
            }
        }
        for (name, help, value) in [
            (
                "faqtory_questions_asked_total",
                "Questions the public submitted.",
                &self.questions_asked,
            ),
            (
                "faqtory_votes_cast_total",
                "Upvotes recorded.",
                &self.votes_cast,
            ),
            (
                "faqtory_votes_withdrawn_total",
                "Upvotes withdrawn.",
                &self.votes_withdrawn,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        out
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Records each request under its route pattern, so `/e/{slug}` is one series, not one per event.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let response = next.call(req).await?;
    if let Some(state) = state {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        state.metrics.observe(
            route,
            method,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}
