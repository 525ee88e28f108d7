//! Prometheus metrics, kept and written by the `prometheus-client` crate (OpenMetrics text):
//! requests by route, method and status, latency histograms per route, what the public recorded,
//! and what only the moment of a scrape knows (open streams, the writer's group commits, questions
//! waiting for a vector).

use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::web::responses::page_cache::Lookup;

/// What the exposition is served as.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PageLabels {
    page: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

/// Each route's latency histogram gets the same buckets.
#[derive(Clone)]
struct LatencyBuckets;

impl MetricConstructor<Histogram> for LatencyBuckets {
    fn new_metric(&self) -> Histogram {
        Histogram::new(BUCKETS)
    }
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, LatencyBuckets>,
    pages: Family<PageLabels, Counter>,
    /// Frames written to live streams (heartbeats not counted).
    pub frames_sent: Counter,
    /// How many writes each of the SQLite writer's transactions carried.
    pub write_batch_sizes: Histogram,
    /// How many votes each vote transaction counted (both backends).
    pub vote_batch_sizes: Histogram,
    pub questions_asked: Counter,
    pub votes_cast: Counter,
    pub votes_withdrawn: Counter,
    pub poll_answers: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "faqtory_http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        let latency = Family::new_with_constructor(LatencyBuckets);
        registry.register(
            "faqtory_http_request_duration_seconds",
            "Time to answer HTTP requests, by route",
            latency.clone(),
        );
        let pages = Family::<PageLabels, Counter>::default();
        registry.register(
            "faqtory_cached_pages_served",
            "Pages rendered once for everyone, by page and by how they were served: hit (from \
             memory), miss (rendered now), personal (from memory with a reader's part put in)",
            pages.clone(),
        );
        let counter = |registry: &mut Registry, name: &str, help: &str| {
            let counter = Counter::default();
            registry.register(name, help, counter.clone());
            counter
        };
        let write_batch_sizes =
            Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]);
        registry.register(
            "faqtory_db_write_batch_size",
            "Writes per transaction of the SQLite writer (group commit)",
            write_batch_sizes.clone(),
        );
        let vote_batch_sizes =
            Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0]);
        registry.register(
            "faqtory_vote_batch_size",
            "Votes counted per transaction (votes that arrive together are committed together)",
            vote_batch_sizes.clone(),
        );
        Self {
            frames_sent: counter(
                &mut registry,
                "faqtory_live_frames_sent",
                "Frames written to live streams, heartbeats aside",
            ),
            write_batch_sizes,
            vote_batch_sizes,
            questions_asked: counter(
                &mut registry,
                "faqtory_questions_asked",
                "Questions the public submitted",
            ),
            votes_cast: counter(&mut registry, "faqtory_votes_cast", "Upvotes recorded"),
            votes_withdrawn: counter(
                &mut registry,
                "faqtory_votes_withdrawn",
                "Upvotes withdrawn",
            ),
            poll_answers: counter(
                &mut registry,
                "faqtory_poll_answers",
                "Answers to polls recorded (a changed answer too)",
            ),
            registry,
            requests,
            latency,
            pages,
        }
    }
}

/// What is read from the rest of the process when metrics are asked for.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FallbackLabels {
    /// `stored` or `live` (see `meaning::catalog::Use`).
    model_use: &'static str,
    reason: &'static str,
}

pub struct Readings {
    /// The SQLite writer's transactions and the writes they carried (group commit).
    pub db_writes: Option<(u64, u64)>,
    /// Open live streams on this instance.
    pub live_subscribers: i64,
    /// Questions waiting for a vector, when this instance embeds.
    pub embeddings_pending: Option<i64>,
    /// Vectors this instance holds in memory, when matching by meaning.
    pub vectors_held: Option<i64>,
    /// Documentation sections' vectors this instance holds in memory, when matching by meaning.
    pub doc_vectors_held: Option<i64>,
    /// Documentation sections this instance can search by words.
    pub doc_sections_searchable: i64,
    /// Requests answered by words because their text could not be embedded in time: by the
    /// model's use, the reason, and how many.
    pub meaning_fallbacks: Vec<(&'static str, crate::meaning::Fallback, u64)>,
    /// Letters in the mail queue, and those of them that failed before, when this site sends
    /// mail.
    pub mail_waiting: Option<(i64, i64)>,
}

impl Metrics {
    pub(super) fn observe(&self, route: &'static str, method: String, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route })
            .observe(seconds);
    }

    pub fn count_page(&self, page: &'static str, lookup: Lookup) {
        self.pages
            .get_or_create(&PageLabels {
                page,
                outcome: lookup.as_str(),
            })
            .inc();
    }

    /// The exposition: what was counted, then what `readings` say now.
    pub fn render(&self, readings: &Readings) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        encode_registry(&mut out, &self.registry)?;
        let mut now = Registry::default();
        if let Some((batches, writes)) = readings.db_writes {
            now.register(
                "faqtory_db_write_batches",
                "Transactions the SQLite writer committed",
                ConstCounter::new(batches),
            );
            now.register(
                "faqtory_db_writes",
                "Writes those transactions carried (group commit)",
                ConstCounter::new(writes),
            );
        }
        now.register(
            "faqtory_live_subscribers",
            "Open live streams (Server-Sent Events) on this instance",
            ConstGauge::new(readings.live_subscribers),
        );
        if let Some(pending) = readings.embeddings_pending {
            now.register(
                "faqtory_embeddings_pending",
                "Questions waiting for a vector of the current model",
                ConstGauge::new(pending),
            );
        }
        if let Some(held) = readings.vectors_held {
            now.register(
                "faqtory_vectors_held",
                "Stored vectors this instance holds in memory to rank by meaning",
                ConstGauge::new(held),
            );
        }
        if let Some(held) = readings.doc_vectors_held {
            now.register(
                "faqtory_doc_vectors_held",
                "Documentation sections' vectors this instance holds in memory",
                ConstGauge::new(held),
            );
        }
        now.register(
            "faqtory_doc_sections_searchable",
            "Documentation sections this instance can search by words",
            ConstGauge::new(readings.doc_sections_searchable),
        );
        if !readings.meaning_fallbacks.is_empty() {
            let fallbacks = Family::<FallbackLabels, Counter>::default();
            for (model_use, reason, times) in &readings.meaning_fallbacks {
                fallbacks
                    .get_or_create(&FallbackLabels {
                        model_use,
                        reason: reason.label(),
                    })
                    .inc_by(*times);
            }
            now.register(
                "faqtory_meaning_fallbacks",
                "Requests answered by words alone because their text could not be embedded in \
                 time (busy: every slot taken; slow: past the wait; failed: the encoder failed)",
                fallbacks,
            );
        }
        if let Some((waiting, retrying)) = readings.mail_waiting {
            now.register(
                "faqtory_mail_waiting",
                "Letters in the mail queue: not yet sent, or waiting to be tried again",
                ConstGauge::new(waiting),
            );
            now.register(
                "faqtory_mail_retrying",
                "Letters in the mail queue that could not be sent yet and wait to be tried again",
                ConstGauge::new(retrying),
            );
        }
        encode_registry(&mut out, &now)?;
        encode_eof(&mut out)?;
        Ok(out)
    }
}
