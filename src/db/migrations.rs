use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::connection::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Any fixed number works; it only has to be the same for every faqtory instance.
const POSTGRES_MIGRATION_LOCK: i64 = 0x0066_6171_746f_7279;

/// Applies what is pending; returns the versions applied. On PostgreSQL an advisory lock keeps
/// instances that start together from migrating at the same time.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        DbConnection::Sqlite(conn) => conn.run_pending_migrations(SQLITE)?,
        DbConnection::Postgres(conn) => {
            conn.batch_execute(&format!(
                "SELECT pg_advisory_lock({POSTGRES_MIGRATION_LOCK})"
            ))?;
            let applied = conn
                .run_pending_migrations(POSTGRES)
                .map(|versions| versions.iter().map(ToString::to_string).collect::<Vec<_>>());
            conn.batch_execute(&format!(
                "SELECT pg_advisory_unlock({POSTGRES_MIGRATION_LOCK})"
            ))?;
            return applied;
        }
    };
    Ok(applied.iter().map(ToString::to_string).collect())
}

pub fn has_pending_migrations(conn: &mut DbConnection) -> Result<bool, MigrationError> {
    match conn {
        DbConnection::Sqlite(conn) => conn.has_pending_migration(SQLITE),
        DbConnection::Postgres(conn) => conn.has_pending_migration(POSTGRES),
    }
}
