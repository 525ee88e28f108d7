//! Reading the audit log.

use crate::db::{self, modlog::Entry, modlog::Filter, Db};
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
