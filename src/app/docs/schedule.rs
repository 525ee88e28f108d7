//! Sources refreshed by themselves: each with a schedule is read again that many minutes after
//! its last attempt, by whichever instance finds it due first (the lease keeps it to one).

use chrono::NaiveDateTime;

use super::refresh::refresh_source;
use crate::db::docs::{self as stored, DocSourceRow};
use crate::db::Db;
use crate::domain::Invalid;
use crate::error::AppError;

/// From every five minutes to once a month.
pub const EVERY_MINUTES: std::ops::RangeInclusive<i64> = 5..=43_200;

/// Sets how often the source called `name` is refreshed by itself; `None`: on demand only.
pub async fn set(db: &Db, name: &str, every_minutes: Option<i64>) -> Result<(), AppError> {
    let every_minutes = match every_minutes {
        Some(minutes) if EVERY_MINUTES.contains(&minutes) => {
            Some(i32::try_from(minutes).unwrap_or(i32::MAX))
        }
        Some(_) => {
            return Err(AppError::Invalid(Invalid::new(
                "refresh_every_minutes",
                format!(
                    "Refresh every {} to {} minutes (a month), or leave it empty to refresh only on demand.",
                    EVERY_MINUTES.start(),
                    EVERY_MINUTES.end()
                ),
            )));
        }
        None => None,
    };
    let name = name.to_owned();
    db.write(move |conn| {
        let source = stored::source_named(conn, &name)?.ok_or(AppError::NotFound {
            what: "documentation source",
        })?;
        stored::set_schedule(conn, source.id, every_minutes)
    })
    .await
}

/// When the source's schedule next calls for a refresh; `None` without a schedule.
pub fn next_refresh(source: &DocSourceRow) -> Option<NaiveDateTime> {
    let every = source.refresh_every_minutes?;
    let last = source
        .attempted_at
        .or(source.refreshed_at)
        .unwrap_or(source.created_at);
    Some(last + chrono::Duration::minutes(i64::from(every)))
}

/// Refreshes every source due at `now` that no refresh holds, one after another; answers how
/// many were refreshed. A source that cannot be read says so in its report, not here.
pub async fn refresh_due(
    db: &Db,
    now: NaiveDateTime,
    allow_private: bool,
) -> Result<usize, AppError> {
    let due: Vec<String> = db
        .read(stored::sources)
        .await?
        .into_iter()
        .filter(|source| !source.refreshing_at(now))
        .filter(|source| next_refresh(source).is_some_and(|at| at <= now))
        .map(|source| source.name)
        .collect();
    let mut refreshed = 0;
    for name in due {
        match refresh_source(db, &name, allow_private).await {
            Ok(report) => {
                tracing::info!(source = %name, %report, "refreshed documentation on schedule");
                refreshed += 1;
            }
            // Another instance took it first.
            Err(AppError::Conflict { .. }) => {}
            Err(error) => {
                tracing::warn!(source = %name, %error, "a scheduled documentation refresh failed")
            }
        }
    }
    Ok(refreshed)
}
