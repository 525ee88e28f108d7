//! Insights: the topics a community keeps raising, across all events. Questions and searches
//! that found nothing are grouped by meaning into topics (`placing` puts each new one in the
//! closest topic or a new one; `regroup` groups everything afresh and maps old topics onto the
//! new groups, so ids and moderators' changes last); `moves` are what moderators change by hand;
//! `overview` counts each topic's demand, trend and coverage for the team's page and the API;
//! `digest` tells a week's or a month's topics to the moderators and webhooks that ask.

pub mod basis;
pub mod digest;
pub mod digest_readers;
pub mod docs_cover;
pub mod export_csv;
pub mod faq_draft;
pub mod members;
pub mod moves;
pub mod next_event;
pub mod overview;
pub mod placing;
pub mod regroup;
pub mod sources;
pub mod summary;
pub mod topic_refs;

use std::sync::Arc;

use crate::db::{locks, Db};
use crate::error::AppError;

/// One placement or regrouping at a time: on this instance by a mutex, across instances of a
/// deployment by an advisory lock.
#[derive(Clone, Default)]
pub struct TopicWork {
    gate: Arc<tokio::sync::Mutex<()>>,
}

/// Held while topics are being changed.
pub struct TopicsHeld {
    _here: tokio::sync::OwnedMutexGuard<()>,
    _everywhere: locks::ExclusiveLock,
}

impl TopicWork {
    /// The right to change topics, waiting for this instance's other work; `None` when another
    /// instance is at it.
    pub async fn hold(&self, db: &Db) -> Result<Option<TopicsHeld>, AppError> {
        let here = Arc::clone(&self.gate).lock_owned().await;
        Self::hold_everywhere(here, db).await
    }

    /// The right to change topics, or `None` at once when anyone is at it (a page placing new
    /// questions never waits for a regrouping).
    pub async fn try_hold(&self, db: &Db) -> Result<Option<TopicsHeld>, AppError> {
        let Ok(here) = Arc::clone(&self.gate).try_lock_owned() else {
            return Ok(None);
        };
        Self::hold_everywhere(here, db).await
    }

    async fn hold_everywhere(
        here: tokio::sync::OwnedMutexGuard<()>,
        db: &Db,
    ) -> Result<Option<TopicsHeld>, AppError> {
        let db = db.clone();
        let everywhere = tokio::task::spawn_blocking(move || db.try_exclusive_lock(locks::TOPICS))
            .await
            .map_err(|error| AppError::internal("locking topics", error))??;
        Ok(everywhere.map(|everywhere| TopicsHeld {
            _here: here,
            _everywhere: everywhere,
        }))
    }
}
