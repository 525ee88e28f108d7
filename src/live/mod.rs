//! The live hub: turns bus notices into Server-Sent Events frames for the subscribers of each
//! event. One task per process reads the bus, coalesces per event (see `coalesce`), reads the
//! current state of what changed once per flush, and broadcasts frames rendered once for all.
//! Events nobody watches cost nothing: their notices are dropped on arrival.

mod coalesce;
pub mod messages;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::time::Instant;

use crate::app;
use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::questions::Question;
use crate::db::{self, Db};
use crate::views::events::event_parts::live_fragments;
use coalesce::{Coalescer, Dirty, Due};
use messages::ListCounts;
pub use messages::{Audience, LiveMessage};

/// Frames batch up for this long at least between flushes, so a burst of votes on many
/// questions becomes one frame rather than one per vote...
const FLUSH_INTERVAL: Duration = Duration::from_millis(100);
/// ...and longer the more streams there are: every flush writes a frame to each of them, so with
/// thousands of readers the same counts arrive in fewer, fuller frames (at most this far apart,
/// still well within a second).
const LONGEST_FLUSH_INTERVAL: Duration = Duration::from_millis(400);
const STREAMS_PER_EXTRA_MILLISECOND: usize = 25;

/// How long frames batch up with `streams` open.
fn flush_interval(streams: usize) -> Duration {
    let extra = Duration::from_millis((streams / STREAMS_PER_EXTRA_MILLISECOND) as u64);
    (FLUSH_INTERVAL + extra).min(LONGEST_FLUSH_INTERVAL)
}
/// Frames a subscriber may fall behind before it is told to resync instead.
const SUBSCRIBER_BACKLOG: usize = 256;

/// Shared by the handlers; clones share it.
#[derive(Clone)]
pub struct LiveHub {
    inner: Arc<HubInner>,
}

struct HubInner {
    feeds: Mutex<Feeds>,
}

#[derive(Default)]
struct Feeds {
    by_event: HashMap<i64, Feed>,
    /// Shutting down: streams end and no new one starts.
    closed: bool,
}

struct Feed {
    sender: broadcast::Sender<Arc<LiveMessage>>,
    coalescer: Coalescer,
}

pub type Subscription = broadcast::Receiver<Arc<LiveMessage>>;

impl LiveHub {
    /// Starts the hub's task on the current runtime; it ends when the bus is dropped.
    pub fn start(db: Db, bus: &Bus) -> Self {
        let inner = Arc::new(HubInner {
            feeds: Mutex::new(Feeds::default()),
        });
        tokio::spawn(run(Arc::downgrade(&inner), db, bus.subscribe()));
        Self { inner }
    }

    /// Frames for one event from now on; `None` while the server shuts down.
    pub fn subscribe(&self, event_id: i64) -> Option<Subscription> {
        let mut feeds = self.inner.lock();
        if feeds.closed {
            return None;
        }
        let feed = feeds.by_event.entry(event_id).or_insert_with(|| Feed {
            sender: broadcast::channel(SUBSCRIBER_BACKLOG).0,
            coalescer: Coalescer::default(),
        });
        Some(feed.sender.subscribe())
    }

    /// Ends every stream (so a graceful shutdown need not wait for them) and refuses new ones.
    pub fn close(&self) {
        let mut feeds = self.inner.lock();
        feeds.closed = true;
        feeds.by_event.clear();
    }

    /// Open streams, for `/metrics`.
    pub fn subscribers(&self) -> usize {
        self.inner.streams()
    }
}

impl HubInner {
    fn streams(&self) -> usize {
        self.lock()
            .by_event
            .values()
            .map(|feed| feed.sender.receiver_count())
            .sum()
    }

    fn lock(&self) -> MutexGuard<'_, Feeds> {
        // A panic while holding the lock leaves plain maps behind, still usable.
        self.feeds
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn mark(&self, notice: Notice) {
        let mut feeds = self.lock();
        if notice.kind == NoticeKind::Resync {
            for feed in feeds.by_event.values_mut() {
                feed.coalescer.mark(notice);
            }
        } else if let Some(feed) = feeds.by_event.get_mut(&notice.event_id) {
            feed.coalescer.mark(notice);
        }
    }

    fn next_due(&self, now: std::time::Instant) -> Option<std::time::Instant> {
        self.lock()
            .by_event
            .values()
            .filter_map(|feed| feed.coalescer.next_due(now))
            .min()
    }

    /// Takes what is due from every watched event, dropping feeds nobody listens to any more.
    fn take_due(&self, now: std::time::Instant) -> Vec<(i64, Due)> {
        let mut feeds = self.lock();
        feeds
            .by_event
            .retain(|_, feed| feed.sender.receiver_count() > 0);
        feeds
            .by_event
            .iter_mut()
            .map(|(event_id, feed)| (*event_id, feed.coalescer.take_due(now)))
            .filter(|(_, due)| !due.is_empty())
            .collect()
    }

    fn send(&self, event_id: i64, message: LiveMessage) {
        if message.public.is_none() && message.moderators.is_none() && message.presenter.is_none() {
            return;
        }
        if let Some(feed) = self.lock().by_event.get(&event_id) {
            // Nobody listening any more is fine.
            let _ = feed.sender.send(Arc::new(message));
        }
    }
}

async fn run(hub: Weak<HubInner>, db: Db, mut notices: broadcast::Receiver<Notice>) {
    let mut earliest_flush = Instant::now();
    loop {
        let next_due = match hub.upgrade() {
            Some(hub) => hub
                .next_due(std::time::Instant::now())
                .map(|due| Instant::from_std(due).max(earliest_flush)),
            None => return,
        };
        tokio::select! {
            received = notices.recv() => {
                let Some(hub) = hub.upgrade() else { return };
                match received {
                    Ok(notice) => hub.mark(notice),
                    Err(broadcast::error::RecvError::Lagged(_)) => hub.mark(Notice::resync()),
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
            () = sleep_until(next_due) => {
                let Some(hub) = hub.upgrade() else { return };
                flush(&hub, &db).await;
                earliest_flush = Instant::now() + flush_interval(hub.streams());
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

async fn flush(hub: &HubInner, db: &Db) {
    let due = hub.take_due(std::time::Instant::now());
    let ids: Vec<i64> = due
        .iter()
        .flat_map(|(_, due)| due.questions.iter().map(|(id, _)| *id))
        .collect();
    let questions = if ids.is_empty() {
        Ok(HashMap::new())
    } else {
        db.read(move |conn| db::questions::by_ids(conn, &ids))
            .await
            .map(|found| {
                found
                    .into_iter()
                    .map(|question| (question.id, question))
                    .collect::<HashMap<_, _>>()
            })
    };
    let questions = match questions {
        Ok(questions) => questions,
        Err(error) => {
            tracing::warn!(%error, "live updates could not read questions; subscribers resync");
            for (event_id, _) in &due {
                hub.send(*event_id, messages::resync());
            }
            return;
        }
    };
    for (event_id, due) in due {
        if due.resync {
            hub.send(event_id, messages::resync());
        }
        if due.event_changed {
            hub.send(event_id, messages::event_changed());
        }
        let mut counts = Vec::new();
        let mut changed = Vec::new();
        for (id, dirty) in &due.questions {
            let Some(question) = questions.get(id) else {
                continue;
            };
            match dirty {
                Dirty::Voted => counts.push(question),
                Dirty::Changed => changed.push((question, false)),
                Dirty::Asked => changed.push((question, true)),
            }
        }
        if !changed.is_empty() {
            send_changed(hub, db, event_id, &changed).await;
        }
        if !counts.is_empty() {
            hub.send(event_id, messages::votes(&counts));
        }
        for (poll_id, dirty) in &due.polls {
            hub.send(event_id, messages::poll(*poll_id, *dirty == Dirty::Voted));
        }
    }
}

/// Frames for questions that are new or changed: their rows rendered once for the public.
async fn send_changed(hub: &HubInner, db: &Db, event_id: i64, changed: &[(&Question, bool)]) {
    let wanted = changed
        .iter()
        .map(|(question, _)| (*question).clone())
        .collect();
    let rendered = match app::events::page::changed_questions(db, event_id, wanted).await {
        Ok(rendered) => Some(rendered),
        Err(error) => {
            // Without rows the public cannot update in place: their pages re-read instead.
            tracing::warn!(%error, event_id, "live updates could not read changed questions");
            hub.send(event_id, messages::resync());
            None
        }
    };
    let now = app::now();
    for (question, new) in changed {
        let fragments = rendered.as_ref().and_then(|rendered| {
            let listed = rendered
                .questions
                .listed
                .iter()
                .find(|listed| listed.question.id == question.id)?;
            let counts = ListCounts {
                answered: rendered.answered,
                awaiting: rendered.questions.awaiting_moderation,
            };
            Some((live_fragments(&rendered.questions, listed, now), counts))
        });
        let public = fragments
            .as_ref()
            .map(|(fragments, counts)| (fragments, *counts));
        hub.send(event_id, messages::question(question, *new, public));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_batch_up_longer_for_a_crowd_but_never_past_the_longest_wait() {
        assert_eq!(flush_interval(0), FLUSH_INTERVAL);
        assert_eq!(flush_interval(24), FLUSH_INTERVAL);
        assert!(flush_interval(2_500) > FLUSH_INTERVAL);
        assert_eq!(flush_interval(5_000), Duration::from_millis(300));
        assert_eq!(flush_interval(100_000), LONGEST_FLUSH_INTERVAL);
    }
}
