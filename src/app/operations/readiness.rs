//! Whether this instance can serve: the database answers and its schema is current.

use crate::db::{self, Db};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// The schema is older than this build: `faqtory` has not migrated the database yet.
    MigrationsPending,
}

pub async fn readiness(db: &Db) -> Result<Readiness, AppError> {
    let pending = db
        .read(|conn| {
            db::has_pending_migrations(conn)
                .map_err(|error| AppError::internal("checking migrations", error))
        })
        .await?;
    Ok(if pending {
        Readiness::MigrationsPending
    } else {
        Readiness::Ready
    })
}
