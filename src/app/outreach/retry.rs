//! What the queues of outgoing messages (webhook deliveries, mail) share: the loop that sends
//! what is due, when to look again, when to try a failure again, and how to stop.

use std::future::Future;
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use crate::bus::{Bus, Notice, NoticeKind};
use crate::error::AppError;

/// How often a queue is looked at for retries that fell due, when no change wakes it sooner.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// Sends batches as they fall due (`send_batch` returns how many it tried) until `stop` says
/// so: at once when `bus` says that something changed (what queues messages), else every
/// [`IDLE_POLL`]. Stopping waits for the batch under way, so that its outcomes are recorded
/// rather than left to a lease that holds them back (and sends them again) after a restart.
pub async fn send_until_stopped<F, Batch>(
    queue: &str,
    bus: Bus,
    mut stop: watch::Receiver<bool>,
    send_batch: F,
) where
    F: Fn() -> Batch,
    Batch: Future<Output = Result<usize, AppError>>,
{
    let mut notices = bus.subscribe();
    while !*stop.borrow() {
        let sent = match send_batch().await {
            Ok(sent) => sent,
            Err(error) => {
                tracing::warn!(%error, queue, "could not take from the queue or record outcomes");
                0
            }
        };
        if sent == 0 {
            tokio::select! {
                () = tokio::time::sleep(IDLE_POLL) => {}
                () = change_heard(&mut notices) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// The longest wait between two attempts.
const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(1);

/// The wait after attempt `attempts`: the base, doubled for each attempt since the first, at
/// most an hour.
pub fn backoff(base: chrono::Duration, attempts: i32) -> chrono::Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    base.checked_mul(1 << doublings)
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF)
}

/// Returns when a notice may have come with something queued: anything but a vote.
pub async fn change_heard(notices: &mut broadcast::Receiver<Notice>) {
    loop {
        match notices.recv().await {
            Ok(notice) if notice.kind == NoticeKind::Voted => {}
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => return,
            // The bus is gone: the timer alone wakes the queue.
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_an_hour() {
        let base = chrono::Duration::seconds(10);
        assert_eq!(backoff(base, 1), chrono::Duration::seconds(10));
        assert_eq!(backoff(base, 2), chrono::Duration::seconds(20));
        assert_eq!(backoff(base, 4), chrono::Duration::seconds(80));
        assert_eq!(backoff(base, 30), MAX_BACKOFF);
    }
}
