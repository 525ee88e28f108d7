//! What the queues of outgoing messages (webhook deliveries, mail) share: when to try again,
//! and when to look for new work.

use tokio::sync::broadcast;

use crate::bus::{Notice, NoticeKind};

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
