//! Notices between instances on one PostgreSQL database: a notifier thread sends what this
//! instance publishes with `pg_notify`, batched; a listener thread receives what the others send
//! and hands it to this instance's subscribers. Each has its own connection outside the pool.
//!
//! diesel can only poll for notifications (there is no way to wait on the socket), so the
//! listener polls every [`POLL`]: a few milliseconds of delay against a second instance, and
//! nothing at all for this instance's own subscribers, who are told directly.

use std::sync::mpsc;
use std::sync::Weak;
use std::time::{Duration, Instant};

use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, RunQueryDsl};

use super::notice::Notice;
use super::wire;

const CHANNEL: &str = "faqtory_live";
const POLL: Duration = Duration::from_millis(20);
/// How often an idle listener checks that its connection is still alive.
const KEEPALIVE: Duration = Duration::from_secs(10);
const RETRY: Duration = Duration::from_secs(1);
/// Notices sent in one go at most (a burst of votes becomes a few payloads).
const BATCH: usize = 2_000;
/// How long the notifier gathers notices before sending (far below the pages' own coalescing).
const LINGER: Duration = Duration::from_millis(10);

/// Where the listener hands what other instances sent: this instance's bus, which the relay
/// only holds weakly so that dropping the bus stops it.
pub(super) trait DeliverHere: Send + Sync {
    fn deliver_here(&self, notice: Notice);
}

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("cannot listen for live notices on PostgreSQL: {0}")]
    Listen(String),
    #[error("cannot start the live relay threads: {0}")]
    Thread(#[from] std::io::Error),
}

/// Where publishing hands notices to the notifier thread.
pub struct Outbox {
    queue: mpsc::Sender<Notice>,
}

impl Outbox {
    pub fn push(&self, notice: Notice) {
        // The notifier only stops when the bus is gone.
        let _ = self.queue.send(notice);
    }
}

/// The threads' side, before they start.
pub struct Relay {
    url: String,
    instance: u64,
    listener: PgConnection,
    outgoing: mpsc::Receiver<Notice>,
}

fn random_instance_id() -> u64 {
    let mut bytes = [0u8; 8];
    // Without randomness the id is only less unique; two instances would drop each other's
    // notices only if they also started in the same nanosecond.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|since| since.as_nanos())
            .unwrap_or_default();
        return nanos as u64 ^ u64::from(std::process::id());
    }
    u64::from_le_bytes(bytes)
}

fn listen(url: &str) -> Result<PgConnection, String> {
    let mut conn = PgConnection::establish(url).map_err(|error| error.to_string())?;
    diesel::sql_query(format!("LISTEN {CHANNEL}"))
        .execute(&mut conn)
        .map_err(|error| error.to_string())?;
    Ok(conn)
}

impl Relay {
    /// Starts listening now (so the caller knows it works); the threads come with [`spawn`].
    pub fn connect(url: &str) -> Result<(Outbox, Self), RelayError> {
        let listener = listen(url).map_err(RelayError::Listen)?;
        let (queue, outgoing) = mpsc::channel();
        Ok((
            Outbox { queue },
            Self {
                url: url.to_owned(),
                instance: random_instance_id(),
                listener,
                outgoing,
            },
        ))
    }

    /// Both threads stop once the bus is dropped.
    pub fn spawn(self, bus: Weak<dyn DeliverHere>) -> Result<(), RelayError> {
        let Relay {
            url,
            instance,
            listener,
            outgoing,
        } = self;
        let notifier_url = url.clone();
        std::thread::Builder::new()
            .name("live-notifier".into())
            .spawn(move || run_notifier(&notifier_url, instance, outgoing))?;
        std::thread::Builder::new()
            .name("live-listener".into())
            .spawn(move || run_listener(&url, instance, listener, bus))?;
        Ok(())
    }
}

fn run_notifier(url: &str, instance: u64, outgoing: mpsc::Receiver<Notice>) {
    let mut conn: Option<PgConnection> = None;
    let mut failed_at: Option<Instant> = None;
    while let Ok(first) = outgoing.recv() {
        // Every NOTIFY takes PostgreSQL's notification queue lock: a short wait turns a burst of
        // votes into one payload instead of one statement each.
        std::thread::sleep(LINGER);
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match outgoing.try_recv() {
                Ok(notice) => batch.push(notice),
                Err(_) => break,
            }
        }
        // While the database is away, notices are dropped rather than queued: subscribers
        // resync when the listeners reconnect.
        if failed_at.is_some_and(|at| at.elapsed() < RETRY) {
            continue;
        }
        for payload in wire::encode(instance, &batch) {
            if let Err(error) = notify(&mut conn, url, &payload) {
                tracing::warn!(%error, "could not relay live notices to other instances");
                conn = None;
                failed_at = Some(Instant::now());
                break;
            }
            failed_at = None;
        }
    }
}

fn notify(conn: &mut Option<PgConnection>, url: &str, payload: &str) -> Result<(), String> {
    if conn.is_none() {
        *conn = Some(PgConnection::establish(url).map_err(|error| error.to_string())?);
    }
    let Some(connection) = conn.as_mut() else {
        return Err("no connection".into());
    };
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANNEL)
        .bind::<Text, _>(payload)
        .execute(connection)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

fn run_listener(url: &str, instance: u64, first: PgConnection, bus: Weak<dyn DeliverHere>) {
    let mut connection = Some(first);
    loop {
        let mut conn = match connection.take() {
            Some(conn) => conn,
            None => match listen(url) {
                Ok(conn) => {
                    // What the others sent while this was away is gone.
                    match bus.upgrade() {
                        Some(bus) => bus.deliver_here(Notice::resync()),
                        None => return,
                    }
                    conn
                }
                Err(error) => {
                    tracing::warn!(%error, "live relay cannot reconnect; retrying");
                    std::thread::sleep(RETRY);
                    if bus.strong_count() == 0 {
                        return;
                    }
                    continue;
                }
            },
        };
        match listen_until_broken(&mut conn, instance, &bus) {
            ListenEnd::BusGone => return,
            ListenEnd::Broken(error) => {
                tracing::warn!(%error, "live relay lost its connection; reconnecting");
            }
        }
    }
}

enum ListenEnd {
    BusGone,
    Broken(String),
}

fn listen_until_broken(
    conn: &mut PgConnection,
    instance: u64,
    bus: &Weak<dyn DeliverHere>,
) -> ListenEnd {
    let mut checked_at = Instant::now();
    loop {
        let mut received = Vec::new();
        for notification in conn.notifications_iter() {
            match notification {
                Ok(notification) => received.push(notification.payload),
                Err(error) => return ListenEnd::Broken(error.to_string()),
            }
        }
        let Some(bus) = bus.upgrade() else {
            return ListenEnd::BusGone;
        };
        for payload in &received {
            match wire::decode(payload) {
                Some((from, notices)) if from != instance => {
                    for notice in notices {
                        bus.deliver_here(notice);
                    }
                }
                Some(_) => {}
                None => tracing::debug!(payload, "ignored a live notice that does not parse"),
            }
        }
        drop(bus);
        if received.is_empty() {
            std::thread::sleep(POLL);
        }
        if checked_at.elapsed() >= KEEPALIVE {
            if let Err(error) = diesel::sql_query("SELECT 1").execute(conn) {
                return ListenEnd::Broken(error.to_string());
            }
            checked_at = Instant::now();
        }
    }
}
