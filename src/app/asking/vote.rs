use std::collections::BTreeSet;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Semaphore};

use crate::app::asking::automated_votes::BurstRule;
use crate::app::asking::vote_batch::VoteRequest;
use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::Db;
use crate::error::AppError;

use crate::app::asking::ballot::{Ballot, VoteAction, VoteState};

/// Waiting votes taken into one batch at most.
const MAX_BATCH: usize = 512;
/// Votes waiting for a batch at most; a caller beyond waits for room.
const QUEUE_CAPACITY: usize = 8_192;
/// Times a batch is tried again when PostgreSQL chose it to break a deadlock (with a merge, say).
const DEADLOCK_RETRIES: usize = 3;

/// Where votes are cast. Votes that arrive while earlier ones are being counted are counted
/// together in one transaction (see [`crate::app::asking::vote_batch`]), and each caller is answered once that
/// transaction has committed: a vote is never acknowledged before it is stored.
#[derive(Clone)]
pub struct VoteQueue {
    sender: mpsc::Sender<Pending>,
}

struct Pending {
    request: VoteRequest,
    reply: oneshot::Sender<Result<VoteState, AppError>>,
}

impl VoteQueue {
    /// Starts the task that counts batches; it ends when the last handle is dropped.
    pub fn start(db: Db, bus: Bus) -> Self {
        Self::start_observed(db, bus, |_| {})
    }

    /// The same, telling `observe` the size of every batch counted (for metrics).
    pub fn start_observed(
        db: Db,
        bus: Bus,
        observe: impl Fn(usize) + Send + Sync + 'static,
    ) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        // SQLite's one writer commits the batches in turn, so a second batch in flight only has
        // to be ready when the first commits; PostgreSQL commits batches side by side.
        let in_flight = if db.writer_stats().is_some() { 2 } else { 4 };
        let counter = BatchCounter {
            db,
            bus,
            observe: Arc::new(observe),
        };
        tokio::spawn(counter.run(receiver, in_flight));
        Self { sender }
    }

    /// Upvotes or withdraws. A vote is a fact about (question, voter); the count of a question is
    /// the number of distinct voters over it and everything merged into it, so a voter counts once
    /// per group, and voting on a merged question counts for its canonical one. Idempotent:
    /// upvoting twice or withdrawing a vote that is not there changes nothing. A new vote that
    /// makes a burst from its network flags the burst (see [`crate::app::asking::automated_votes`]).
    pub async fn cast(
        &self,
        question_id: i64,
        ballot: Ballot,
        action: VoteAction,
        burst_rule: BurstRule,
    ) -> Result<VoteState, AppError> {
        let (reply, answer) = oneshot::channel();
        let request = VoteRequest {
            question_id,
            ballot,
            action,
            burst_rule,
        };
        let shutting_down = || AppError::Unavailable {
            message: "The server is shutting down; vote again in a moment.".into(),
        };
        self.sender
            .send(Pending { request, reply })
            .await
            .map_err(|_| shutting_down())?;
        answer.await.map_err(|_| shutting_down())?
    }
}

/// The task behind a [`VoteQueue`].
struct BatchCounter {
    db: Db,
    bus: Bus,
    observe: Arc<dyn Fn(usize) + Send + Sync>,
}

impl BatchCounter {
    async fn run(self, mut receiver: mpsc::Receiver<Pending>, in_flight: usize) {
        let slots = Arc::new(Semaphore::new(in_flight));
        loop {
            // A slot first: while every batch in flight waits for its commit, votes gather in the
            // queue and the next batch takes them all.
            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                return;
            };
            let Some(first) = receiver.recv().await else {
                return;
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(pending) => batch.push(pending),
                    Err(_) => break,
                }
            }
            (self.observe)(batch.len());
            let (db, bus) = (self.db.clone(), self.bus.clone());
            tokio::spawn(async move {
                count_batch(&db, &bus, batch).await;
                drop(slot);
            });
        }
    }
}

async fn count_batch(db: &Db, bus: &Bus, batch: Vec<Pending>) {
    let (requests, replies): (Vec<VoteRequest>, Vec<_>) = batch
        .into_iter()
        .map(|pending| (pending.request, pending.reply))
        .unzip();
    let requests = Arc::new(requests);
    let mut tries = 0;
    let outcomes = loop {
        let requests = Arc::clone(&requests);
        let counted = db
            .write(move |conn| crate::app::asking::vote_batch::count_all(conn, &requests))
            .await;
        match counted {
            Err(error) if tries < DEADLOCK_RETRIES && is_deadlock(&error) => tries += 1,
            other => break other,
        }
    };
    let outcomes = match outcomes {
        Ok(outcomes) => outcomes,
        Err(failed) => {
            tracing::error!(error = %failed, votes = replies.len(), "a batch of votes failed");
            replies
                .iter()
                .map(|_| Err(told_each_voter(&failed)))
                .collect()
        }
    };
    let changed: BTreeSet<(i64, i64)> = outcomes
        .iter()
        .flatten()
        .filter(|counted| counted.changed)
        .map(|counted| (counted.event_id, counted.state.question_id))
        .collect();
    bus.publish_all(
        changed.into_iter().map(|(event_id, question_id)| {
            Notice::question(event_id, question_id, NoticeKind::Voted)
        }),
    );
    for (reply, outcome) in replies.into_iter().zip(outcomes) {
        // The voter may have gone away (disconnected); the vote stands regardless.
        let _ = reply.send(outcome.map(|counted| counted.state));
    }
}

/// The batch's failure as each of its voters is told it (an error holding a diesel error cannot
/// be cloned): waiting helps when the database is away, not otherwise.
fn told_each_voter(failed: &AppError) -> AppError {
    match failed {
        AppError::StorageDown { context, detail } => AppError::StorageDown {
            context,
            detail: detail.clone(),
        },
        AppError::Unavailable { message } => AppError::Unavailable {
            message: message.clone(),
        },
        other => AppError::internal("counting a batch of votes", other),
    }
}

/// PostgreSQL broke a deadlock by failing this transaction; trying again is expected of us.
fn is_deadlock(error: &AppError) -> bool {
    match error {
        AppError::Database { source, .. } => match source {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::SerializationFailure,
                _,
            ) => true,
            diesel::result::Error::DatabaseError(_, information) => {
                information.message().contains("deadlock detected")
            }
            _ => false,
        },
        _ => false,
    }
}
