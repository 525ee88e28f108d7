//! Reading the audit log.

use std::collections::HashMap;

use crate::db::{self, modlog::Entry, modlog::Filter, Db};
use crate::domain::EventStatus;
use crate::error::AppError;

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 500;

pub async fn list(db: &Db, mut filter: Filter) -> Result<Vec<Entry>, AppError> {
    if !(1..=MAX_LIMIT).contains(&filter.limit) {
        return Err(
            crate::domain::Invalid::new("limit", format!("`limit` is 1 to {MAX_LIMIT}.")).into(),
        );
    }
    filter.moderator = filter.moderator.map(|name| name.trim().to_lowercase());
    db.read(move |conn| db::modlog::list(conn, &filter)).await
}

/// The audit log page: the entries, the text of the questions they are about, and the choices of
/// its filters.
pub struct AuditLog {
    pub entries: Vec<Entry>,
    /// Question texts by id, for the entries about a question.
    pub questions: HashMap<i64, String>,
    pub events: Vec<String>,
    pub moderators: Vec<String>,
}

pub async fn page(db: &Db, filter: Filter) -> Result<AuditLog, AppError> {
    let entries = list(db, filter).await?;
    db.read(move |conn| {
        let ids: Vec<i64> = entries
            .iter()
            .filter_map(|entry| entry.question_id)
            .collect();
        let questions = db::questions::by_ids(conn, &ids)?
            .into_iter()
            .map(|question| (question.id, question.body))
            .collect();
        let mut events: Vec<String> = db::events::list_with_status(conn, &EventStatus::ALL)?
            .into_iter()
            .map(|event| event.slug)
            .collect();
        events.sort();
        let moderators = db::moderators::list(conn)?
            .into_iter()
            .map(|moderator| moderator.username)
            .collect();
        Ok(AuditLog {
            entries,
            questions,
            events,
            moderators,
        })
    })
    .await
}
