//! SQLite only: copies the write-ahead log back into the database from a thread of its own, so the
//! writer never pauses a batch of votes to do it (SQLite's automatic checkpoint runs inside the
//! commit that crosses the threshold).

use std::sync::atomic::Ordering;
use std::sync::Weak;
use std::time::Duration;

use diesel::connection::SimpleConnection;

use super::connection::ConnectError;
use super::connection::ConnectionManager;
use super::writer::WriterStats;

const INTERVAL: Duration = Duration::from_millis(250);

/// Runs until the writer it watches is gone.
pub fn start(manager: &ConnectionManager, writer: Weak<WriterStats>) -> Result<(), ConnectError> {
    let mut conn = manager.establish()?;
    std::thread::Builder::new()
        .name("faqtory-db-checkpoint".into())
        .spawn(move || {
            let mut checkpointed_at = 0;
            loop {
                std::thread::sleep(INTERVAL);
                let Some(stats) = writer.upgrade() else {
                    return;
                };
                let batches = stats.batches.load(Ordering::Relaxed);
                drop(stats);
                if batches == checkpointed_at {
                    continue;
                }
                // PASSIVE never blocks the writer or readers; what it cannot copy now it copies
                // next time.
                if let Err(error) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)") {
                    tracing::warn!(%error, "WAL checkpoint failed; retrying later");
                    continue;
                }
                checkpointed_at = batches;
            }
        })
        .map_err(ConnectError::WriterThread)?;
    Ok(())
}
