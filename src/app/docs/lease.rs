//! A refresh's hold on its source: taken before reading, renewed as the reading goes (with how
//! far it got, for the admin page on any instance), given back at the end. A refresh that never
//! ends (its instance stopped) loses the lease when it lapses.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::app::now;
use crate::db::doc_refresh_lease as lease;
use crate::db::docs::{self as stored, DocSourceRow};
use crate::db::Db;
use crate::docs::progress::ReadProgress;
use crate::error::AppError;

/// Long enough for a slow page or two between renewals; short enough that a source whose
/// instance stopped is refreshed again soon.
const LEASE_MINUTES: i64 = 5;
/// How often a refresh under way writes how far it got.
const TELL_EVERY: Duration = Duration::from_secs(1);

/// This process, among the instances sharing a database.
static INSTANCE: LazyLock<String> = LazyLock::new(|| {
    let mut bytes = [0u8; 4];
    // Without randomness the process id alone still tells this process's refreshes apart.
    let _ = getrandom::fill(&mut bytes);
    format!("{}-{:08x}", std::process::id(), u32::from_le_bytes(bytes))
});
static REFRESHES: AtomicU64 = AtomicU64::new(0);

pub struct Lease<'a> {
    db: &'a Db,
    source_id: i64,
    holder: String,
}

impl<'a> Lease<'a> {
    /// Takes the source's lease, or says that another refresh of it runs.
    pub async fn take(db: &'a Db, source: &DocSourceRow) -> Result<Self, AppError> {
        let holder = format!(
            "{}-{}",
            *INSTANCE,
            REFRESHES.fetch_add(1, Ordering::Relaxed)
        );
        let source_id = source.id;
        let started = now();
        let until = started + chrono::Duration::minutes(LEASE_MINUTES);
        let taken = {
            let holder = holder.clone();
            db.write(move |conn| lease::take(conn, source_id, &holder, started, until))
                .await?
        };
        if !taken {
            return Err(AppError::conflict(
                "refresh_running",
                format!(
                    "`{}` is being refreshed already (the documentation page shows how far it got); try again when that is done.",
                    source.name
                ),
            ));
        }
        Ok(Self {
            db,
            source_id,
            holder,
        })
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Passes each step of the reading to `watch` and, at most every second, to the database
    /// with a renewed lease; ends when the reading does.
    pub async fn follow(
        &self,
        mut watched: watch::Receiver<ReadProgress>,
        mut watch: impl FnMut(ReadProgress),
    ) {
        let mut last_told: Option<Instant> = None;
        while watched.changed().await.is_ok() {
            let progress = *watched.borrow_and_update();
            watch(progress);
            if last_told.is_some_and(|at| at.elapsed() < TELL_EVERY) {
                continue;
            }
            last_told = Some(Instant::now());
            let (source_id, holder) = (self.source_id, self.holder.clone());
            let done = i32::try_from(progress.done).unwrap_or(i32::MAX);
            let total = progress
                .total
                .map(|total| i32::try_from(total).unwrap_or(i32::MAX));
            let until = now() + chrono::Duration::minutes(LEASE_MINUTES);
            let told = self
                .db
                .write(move |conn| lease::renew(conn, source_id, &holder, done, total, until))
                .await;
            if let Err(error) = told {
                tracing::warn!(%error, source_id, "could not record a refresh's progress");
            }
        }
    }

    /// Records why the refresh failed (the sections stay as they were) and gives the lease back.
    pub async fn give_back_failed(self, error: &AppError) {
        let (source_id, holder) = (self.source_id, self.holder);
        let report = format!("The last refresh failed: {}", error.public_message());
        let recorded = self
            .db
            .write(move |conn| {
                stored::record_failure(conn, source_id, &report)?;
                lease::release(conn, source_id, &holder)
            })
            .await;
        if let Err(error) = recorded {
            tracing::warn!(%error, source_id, "could not give back a refresh's lease");
        }
    }
}
