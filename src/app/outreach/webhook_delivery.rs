//! Sends queued webhook deliveries: each due one is claimed (so that no other instance sends it
//! too), its body made in the webhook's format, posted, and its outcome kept; a failure is tried
//! again later, twice as long after each, until it is given up after [`MAX_ATTEMPTS`]. The
//! queue is in the database, so a restart picks up where the last run stopped. Delivered rows
//! are kept for the log [`KEEP_DELIVERED`] long, then deleted.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use crate::app::clock::Clock;
use crate::app::now;
use crate::app::outreach::retry::{backoff, send_until_stopped};
use crate::app::outreach::webhook_bodies::{render, sign};
use crate::app::outreach::webhooks::Happening;
use tokio::sync::watch;

use crate::bus::Bus;
use crate::db::webhooks::{self as stored, Attempted, DeliveryRow, WebhookRow};
use crate::db::Db;
use crate::domain::{is_private, WebhookFormat};
use chrono::NaiveDateTime;

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claimed delivery is left to its instance before another may take it (or this
/// one, after a restart): longer than an attempt may take.
const LEASE: chrono::Duration = chrono::Duration::seconds(30);
/// The receiver's time to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// A whole attempt's time, finding the receiver's address included.
const ATTEMPT_LIMIT: Duration = Duration::from_secs(20);
/// Deliveries claimed, and sent together, at once.
const BATCH: i64 = 32;
/// How long a delivered row stays in the log.
pub const KEEP_DELIVERED: chrono::Duration = chrono::Duration::days(30);
/// How often delivered rows past [`KEEP_DELIVERED`] are looked for: a write, so not on every
/// look at the queue.
const PRUNE_EVERY: chrono::Duration = chrono::Duration::hours(1);

pub struct WebhookSender {
    db: Db,
    public_base: String,
    /// Whether receivers on this machine or private networks may be posted to.
    allow_private: bool,
    /// The wait before the second attempt; each later one waits twice as long.
    retry_base: chrono::Duration,
    /// A client per receiver host and the address it was checked at: making one (TLS roots
    /// and all) costs far more than a delivery.
    clients: Mutex<HashMap<(String, SocketAddr), reqwest::Client>>,
    /// What attempts and deliveries are dated by; tests move it forward.
    clock: Clock,
    /// When delivered rows are next pruned.
    next_prune: Mutex<NaiveDateTime>,
}

/// Receivers whose clients are kept; past this the cache starts again.
const KEPT_CLIENTS: usize = 256;

impl WebhookSender {
    pub fn new(
        db: Db,
        public_base: String,
        allow_private: bool,
        retry_base: chrono::Duration,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            public_base,
            allow_private,
            retry_base,
            clients: Mutex::default(),
            next_prune: Mutex::new(clock.now()),
            clock,
        }
    }

    /// Sends deliveries as they fall due until `stop` says so (see `retry::send_until_stopped`).
    pub async fn run(self, bus: Bus, stop: watch::Receiver<bool>) {
        send_until_stopped("webhook deliveries", bus, stop, || self.send_due()).await;
    }

    /// Sends what is due now; returns how many were tried.
    async fn send_due(&self) -> Result<usize, crate::error::AppError> {
        let at = self.clock.now();
        self.prune_if_due(at).await?;
        // A read first: claiming takes the writer, which an idle queue should not.
        let next = self.db.read(stored::next_due).await?;
        if next.is_none_or(|due| due > at) {
            return Ok(0);
        }
        let claimed = self
            .db
            .write(move |conn| stored::claim_due(conn, at, at + LEASE, BATCH))
            .await?;
        let tried = claimed.len();
        // Together: a slow receiver holds up none of the others, and the batch ends well within
        // its lease (each attempt within TIMEOUT).
        let judged: Vec<Judged> =
            futures_util::future::join_all(claimed.iter().map(|(delivery, webhook)| async move {
                let outcome = tokio::time::timeout(ATTEMPT_LIMIT, self.attempt(delivery, webhook))
                    .await
                    .unwrap_or_else(|_| Outcome::Failed {
                        status: None,
                        error: "the attempt took too long".into(),
                    });
                self.judge(delivery, outcome)
            }))
            .await;
        self.db
            .write(move |conn| {
                for attempt in &judged {
                    stored::record_attempt(
                        conn,
                        &Attempted {
                            id: attempt.id,
                            state: attempt.state,
                            attempts: attempt.attempts,
                            next_attempt_at: attempt.next_attempt_at,
                            status: attempt.status,
                            error: attempt.error.as_deref(),
                            delivered_at: attempt.delivered_at,
                        },
                    )?;
                }
                Ok(())
            })
            .await?;
        Ok(tried)
    }

    /// Deletes delivered rows older than [`KEEP_DELIVERED`], at most every [`PRUNE_EVERY`].
    async fn prune_if_due(&self, at: NaiveDateTime) -> Result<(), crate::error::AppError> {
        {
            let mut next = self.next_prune.lock().map_err(|_| {
                crate::error::AppError::internal("pruning webhook rows", "poisoned")
            })?;
            if at < *next {
                return Ok(());
            }
            *next = at + PRUNE_EVERY;
        }
        let before = at - KEEP_DELIVERED;
        let pruned = self
            .db
            .write(move |conn| stored::prune_delivered(conn, before))
            .await?;
        if pruned > 0 {
            tracing::info!(
                pruned,
                "deleted delivered webhook rows past their keeping time"
            );
        }
        Ok(())
    }

    fn judge(&self, delivery: &DeliveryRow, outcome: Outcome) -> Judged {
        let attempts = delivery.attempts + 1;
        let at = self.clock.now();
        match outcome {
            Outcome::Delivered(status) => Judged {
                id: delivery.id,
                state: stored::DELIVERED,
                attempts,
                next_attempt_at: at,
                status: Some(status),
                error: None,
                delivered_at: Some(at),
            },
            Outcome::Failed { status, error } => {
                let gave_up = attempts >= MAX_ATTEMPTS;
                Judged {
                    id: delivery.id,
                    state: if gave_up {
                        stored::FAILED
                    } else {
                        stored::PENDING
                    },
                    attempts,
                    next_attempt_at: at + backoff(self.retry_base, attempts),
                    status,
                    error: Some(error),
                    delivered_at: None,
                }
            }
            Outcome::Refused(error) => Judged {
                id: delivery.id,
                state: stored::FAILED,
                attempts,
                next_attempt_at: at,
                status: None,
                error: Some(error),
                delivered_at: None,
            },
        }
    }

    async fn attempt(&self, delivery: &DeliveryRow, webhook: &WebhookRow) -> Outcome {
        let Ok(happening) = serde_json::from_str::<Happening>(&delivery.body) else {
            return Outcome::Refused("the queued happening could not be read".into());
        };
        let Ok(url) = url::Url::parse(&webhook.url) else {
            return Outcome::Refused("the webhook's address is not a URL".into());
        };
        let format = webhook.format.parse().unwrap_or(WebhookFormat::Generic);
        let body = render(format, &happening, &self.public_base);
        let client = match self.client_for(&url).await {
            Ok(client) => client,
            Err(outcome) => return outcome,
        };
        let timestamp = now().and_utc().timestamp().to_string();
        let mut request = client
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "faqtory-webhooks")
            .header("x-faqtory-event", happening.kind.as_str())
            .header("x-faqtory-delivery", delivery.id.to_string());
        if format == WebhookFormat::Generic {
            request = request.header("x-faqtory-timestamp", &timestamp).header(
                "x-faqtory-signature",
                format!("sha256={}", sign(&webhook.secret, &timestamp, &body)),
            );
        }
        match request.body(body).send().await {
            Ok(response) if response.status().is_success() => {
                Outcome::Delivered(i32::from(response.status().as_u16()))
            }
            Ok(response) => Outcome::Failed {
                status: Some(i32::from(response.status().as_u16())),
                error: format!("the receiver answered {}", response.status()),
            },
            Err(error) => Outcome::Failed {
                status: None,
                error: format!("could not post: {}", without_url(&error)),
            },
        }
    }

    /// A client that connects to the address checked here, so that a name cannot point
    /// somewhere else between the check and the connection.
    async fn client_for(&self, url: &url::Url) -> Result<reqwest::Client, Outcome> {
        let host = url.host_str().unwrap_or_default().to_owned();
        let port = url.port_or_known_default().unwrap_or(443);
        let lookup_host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let addresses: Vec<SocketAddr> =
            match tokio::net::lookup_host((lookup_host.as_str(), port)).await {
                Ok(found) => found.collect(),
                Err(error) => {
                    return Err(Outcome::Failed {
                        status: None,
                        error: format!("could not find {host}: {error}"),
                    })
                }
            };
        let Some(first) = addresses.first().copied() else {
            return Err(Outcome::Failed {
                status: None,
                error: format!("{host} has no address"),
            });
        };
        if !self.allow_private && addresses.iter().any(|address| is_private(address.ip())) {
            return Err(Outcome::Refused(format!(
                "{host} is on this machine or a private network (FAQTORY_ALLOW_PRIVATE_WEBHOOKS is off)"
            )));
        }
        let key = (lookup_host, first);
        if let Some(client) = self
            .clients
            .lock()
            .ok()
            .and_then(|clients| clients.get(&key).cloned())
        {
            return Ok(client);
        }
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&key.0, first)
            .build()
            .map_err(|error| Outcome::Failed {
                status: None,
                error: format!("could not make a client: {error}"),
            })?;
        if let Ok(mut clients) = self.clients.lock() {
            if clients.len() >= KEPT_CLIENTS {
                clients.clear();
            }
            clients.insert(key, client.clone());
        }
        Ok(client)
    }
}

enum Outcome {
    Delivered(i32),
    /// Worth trying again.
    Failed {
        status: Option<i32>,
        error: String,
    },
    /// Never worth trying again.
    Refused(String),
}

struct Judged {
    id: i64,
    state: &'static str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    status: Option<i32>,
    error: Option<String>,
    delivered_at: Option<NaiveDateTime>,
}

/// The error without the receiver's URL, which may carry a token (Slack's and Discord's do).
fn without_url(error: &reqwest::Error) -> String {
    let mut error_text = error.to_string();
    if let Some(url) = error.url() {
        error_text = error_text.replace(url.as_str(), "the receiver");
    }
    error_text
}
