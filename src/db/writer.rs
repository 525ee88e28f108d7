//! The SQLite writer: one thread, one connection, group commit.
//!
//! Writes queue up while the previous batch commits; the next batch runs them all in one
//! transaction, each in its own savepoint so one failing write does not undo the others, and
//! answers every caller only after the commit. Many small writes then share one commit.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::Connection;
use tokio::sync::{mpsc, oneshot};

use super::connection::ConnectError;
use super::connection::DbConnection;
use crate::error::AppError;

const QUEUE_CAPACITY: usize = 8_192;
const MAX_BATCH: usize = 512;

trait WriteJob: Send {
    /// Runs inside the batch transaction, in a savepoint of its own.
    fn run(&mut self, conn: &mut DbConnection);
    /// Answers the caller once the batch's fate is known.
    fn finish(self: Box<Self>, commit: Result<(), &diesel::result::Error>);
}

struct Job<T, F> {
    work: Option<F>,
    outcome: Option<Result<T, AppError>>,
    reply: oneshot::Sender<Result<T, AppError>>,
}

impl<T, F> WriteJob for Job<T, F>
where
    T: Send,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send,
{
    fn run(&mut self, conn: &mut DbConnection) {
        if let Some(work) = self.work.take() {
            self.outcome = Some(conn.transaction(work));
        }
    }

    fn finish(self: Box<Self>, commit: Result<(), &diesel::result::Error>) {
        let answer = match (commit, self.outcome) {
            (_, Some(Err(refused))) => Err(refused),
            (Ok(()), Some(Ok(value))) => Ok(value),
            (Err(error), _) if crate::error::storage_is_down(error) => Err(AppError::StorageDown {
                context: "committing a batch of writes",
                detail: error.to_string(),
            }),
            (Err(error), _) => Err(AppError::internal("committing a batch of writes", error)),
            (Ok(()), None) => Err(AppError::internal(
                "committing a batch of writes",
                "the write was never run",
            )),
        };
        // The caller may have gone away (client disconnected); the write stands regardless.
        let _ = self.reply.send(answer);
    }
}

/// How much group commit is happening: writes per batch = `writes / batches`.
#[derive(Default)]
pub struct WriterStats {
    pub batches: AtomicU64,
    pub writes: AtomicU64,
    /// Told each batch's size, once someone wants to know (metrics).
    batch_sizes: OnceLock<Box<dyn Fn(usize) + Send + Sync>>,
}

impl WriterStats {
    /// `observe` is told the size of every batch committed from now on; the first caller wins.
    pub fn observe_batch_sizes(&self, observe: impl Fn(usize) + Send + Sync + 'static) {
        let _ = self.batch_sizes.set(Box::new(observe));
    }
}

pub struct WriteQueue {
    sender: mpsc::Sender<Box<dyn WriteJob>>,
    stats: Arc<WriterStats>,
}

impl WriteQueue {
    /// Takes over `conn` as the one writer; its automatic checkpoints are turned off, so the
    /// caller runs a checkpointer (see `checkpointer`).
    pub fn start(mut conn: DbConnection) -> Result<Self, ConnectError> {
        conn.batch_execute("PRAGMA wal_autocheckpoint = 0")
            .map_err(ConnectError::Check)?;
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let stats = Arc::new(WriterStats::default());
        let thread_stats = Arc::clone(&stats);
        std::thread::Builder::new()
            .name("faqtory-db-writer".into())
            .spawn(move || write_loop(conn, receiver, &thread_stats))
            .map_err(ConnectError::WriterThread)?;
        Ok(Self { sender, stats })
    }

    pub fn stats(&self) -> &WriterStats {
        &self.stats
    }

    /// A handle that lets a helper thread notice when the writer is gone.
    pub fn stats_handle(&self) -> std::sync::Weak<WriterStats> {
        Arc::downgrade(&self.stats)
    }

    pub async fn submit<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Job {
            work: Some(work),
            outcome: None,
            reply,
        });
        self.sender
            .send(job)
            .await
            .map_err(|_| AppError::internal("queueing a write", "the writer has stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("waiting for a write", "the writer has stopped"))?
    }
}

fn write_loop(
    mut conn: DbConnection,
    mut receiver: mpsc::Receiver<Box<dyn WriteJob>>,
    stats: &WriterStats,
) {
    while let Some(first) = receiver.blocking_recv() {
        let mut batch = vec![first];
        // Writes that arrive while the batch runs join it, so the batch grows with the load and
        // the commit waits only until the writer has caught up (or the batch is full).
        let commit = conn.transaction::<(), diesel::result::Error, _>(|conn| {
            let mut next = 0;
            while next < batch.len() {
                batch[next].run(conn);
                next += 1;
                while batch.len() < MAX_BATCH {
                    match receiver.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
            }
            Ok(())
        });
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats
            .writes
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        if let Some(observe) = stats.batch_sizes.get() {
            observe(batch.len());
        }
        if let Err(error) = &commit {
            tracing::error!(%error, jobs = batch.len(), "a batch of writes failed to commit");
        }
        for job in batch {
            job.finish(commit.as_ref().map(|_| ()));
        }
    }
}
