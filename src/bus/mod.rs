//! Live notices: "question 42 of event 7 changed". Published after a change commits, delivered to
//! this process's subscribers at once and, on PostgreSQL, to every other instance on the same
//! database through `LISTEN/NOTIFY` (see `relay`). Not durable, and it needs not be: a client that
//! missed something re-reads the current state.

mod generations;
mod notice;
mod relay;
mod wire;

pub use generations::Stamp;
pub use notice::{Notice, NoticeKind};

pub use relay::RelayError;

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::db::DatabaseUrl;

/// Notices waiting for a slow subscriber before it is told to resync instead.
const LOCAL_BACKLOG: usize = 4096;

/// The handle use cases publish on and the live hub subscribes to; clones share it.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<BusInner>,
}

struct BusInner {
    local: broadcast::Sender<Notice>,
    relay: Option<relay::Outbox>,
    generations: generations::Generations,
}

impl Bus {
    /// A bus for this process alone (SQLite: there is one instance per database).
    pub fn in_process() -> Self {
        let (local, _) = broadcast::channel(LOCAL_BACKLOG);
        Self {
            inner: Arc::new(BusInner {
                local,
                relay: None,
                generations: Default::default(),
            }),
        }
    }

    /// The bus for this database: on PostgreSQL it also relays notices between instances. The
    /// relay is listening before this returns, so nothing another instance sends after start-up
    /// is missed.
    pub fn start(url: &DatabaseUrl) -> Result<Self, relay::RelayError> {
        match url {
            DatabaseUrl::Sqlite(_) => Ok(Self::in_process()),
            DatabaseUrl::Postgres(postgres_url) => {
                let (local, _) = broadcast::channel(LOCAL_BACKLOG);
                let (outbox, relay) = relay::Relay::connect(postgres_url)?;
                let inner = Arc::new(BusInner {
                    local,
                    relay: Some(outbox),
                    generations: Default::default(),
                });
                let weak: std::sync::Weak<BusInner> = Arc::downgrade(&inner);
                relay.spawn(weak)?;
                Ok(Self { inner })
            }
        }
    }

    /// Tells this process's subscribers now, and the other instances through the database.
    pub fn publish(&self, notice: Notice) {
        self.inner.generations.count(&notice);
        // No subscriber is not an error: nobody is watching.
        let _ = self.inner.local.send(notice);
        if let Some(relay) = &self.inner.relay {
            relay.push(notice);
        }
    }

    pub fn publish_all(&self, notices: impl IntoIterator<Item = Notice>) {
        for notice in notices {
            self.publish(notice);
        }
    }

    /// What a page about this event was rendered under (see [`Stamp`]).
    pub fn stamp_of_event(&self, event_id: i64) -> Stamp {
        self.inner.generations.of_event(event_id)
    }

    /// What a poll's counted results were worked out under: it moves with every answer, change
    /// of state or moderation of the poll, here or on another instance.
    pub fn stamp_of_poll(&self, poll_id: i64) -> Stamp {
        self.inner.generations.of_poll(poll_id)
    }

    /// What a page of the FAQ (entries, lists, the feed), which shows no votes, was rendered
    /// under.
    pub fn stamp_of_faq(&self) -> Stamp {
        self.inner.generations.of_faq()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.inner.local.subscribe()
    }
}

impl relay::DeliverHere for BusInner {
    /// Delivers a notice that came from another instance to this one's subscribers only.
    fn deliver_here(&self, notice: Notice) {
        self.generations.count(&notice);
        let _ = self.local.send(notice);
    }
}
