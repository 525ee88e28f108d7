//! The database handle the rest of faqtory holds: pooled reads, queued writes, both off the async
//! threads.

use std::sync::Arc;
use std::time::Duration;

use super::checkpointer;
use super::connection::{ConnectError, ConnectionManager, DatabaseUrl, DbConnection, Durability};
use super::locks;
use super::migrations::run_migrations;
use super::writer::{self, WriteQueue};
use crate::error::AppError;

type Pool = r2d2::Pool<ConnectionManager>;

/// The handle every use case gets: runs closures on pooled connections off the async threads.
///
/// On SQLite every write goes through one writer thread that commits concurrent writes together
/// (SQLite has one writer; queueing beats busy-waiting); reads use a pool. On PostgreSQL both
/// are the pool.
#[derive(Clone)]
pub struct Db {
    inner: Arc<DbInner>,
}

struct DbInner {
    url: DatabaseUrl,
    pool: Pool,
    /// One permit per pooled connection, handed out first come, first served: r2d2's own waiting
    /// is not fair, which shows as long tails under load.
    pool_permits: tokio::sync::Semaphore,
    writes: Writes,
}

enum Writes {
    Queue(WriteQueue),
    Pool,
}

impl Db {
    /// Connects, runs pending migrations, and starts the SQLite writer. Reports the real reason a
    /// connection fails rather than a pool time-out.
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> Result<Self, ConnectError> {
        Self::connect_with(url, pool_size, Durability::default())
    }

    pub fn connect_with(
        url: &DatabaseUrl,
        pool_size: u32,
        durability: Durability,
    ) -> Result<Self, ConnectError> {
        let manager = ConnectionManager::with_durability(url.clone(), durability);
        let mut first = manager.establish()?;
        run_migrations(&mut first).map_err(|error| ConnectError::Migrations {
            target: url.redacted(),
            message: error.to_string(),
        })?;
        let writes = match url {
            DatabaseUrl::Sqlite(_) => {
                let queue = WriteQueue::start(first)?;
                checkpointer::start(&manager, queue.stats_handle())?;
                Writes::Queue(queue)
            }
            DatabaseUrl::Postgres(_) => Writes::Pool,
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(0))
            .test_on_check_out(false)
            // Connections are only awaited while new ones are made (the permits queue the rest):
            // when the database is down, a request is told so in seconds rather than held.
            .connection_timeout(Duration::from_secs(3))
            .build(manager)
            .map_err(|error| ConnectError::Pool {
                target: url.redacted(),
                message: error.to_string(),
            })?;
        Ok(Self {
            inner: Arc::new(DbInner {
                url: url.clone(),
                pool,
                pool_permits: tokio::sync::Semaphore::new(pool_size as usize),
                writes,
            }),
        })
    }

    /// Takes a deployment-wide lock (see [`locks`]); `None` when another instance has it.
    pub fn try_exclusive_lock(&self, key: i64) -> Result<Option<locks::ExclusiveLock>, AppError> {
        locks::try_lock(&self.inner.url, key)
    }

    /// Group-commit figures of the SQLite writer; `None` on PostgreSQL.
    pub fn writer_stats(&self) -> Option<&writer::WriterStats> {
        match &self.inner.writes {
            Writes::Queue(queue) => Some(queue.stats()),
            Writes::Pool => None,
        }
    }

    /// Runs a read on a pooled connection on a blocking thread.
    pub async fn read<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.on_pooled_connection(work).await
    }

    /// Runs `work` in a transaction and answers only once that transaction has committed. An
    /// `Err` from `work` rolls back everything it did.
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        match &self.inner.writes {
            Writes::Queue(queue) => queue.submit(work).await,
            Writes::Pool => {
                self.on_pooled_connection(|conn| diesel::Connection::transaction(conn, work))
                    .await
            }
        }
    }

    async fn on_pooled_connection<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let _permit = self
            .inner
            .pool_permits
            .acquire()
            .await
            .map_err(|error| AppError::internal("waiting for a database connection", error))?;
        let pool = self.inner.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|error| AppError::StorageDown {
                context: "taking a database connection",
                detail: error.to_string(),
            })?;
            work(&mut conn)
        })
        .await
        .map_err(|error| AppError::internal("running a database query", error))?
    }
}
