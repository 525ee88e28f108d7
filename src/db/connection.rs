use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};

/// One connection type for both backends; the URL scheme picks the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// Applied to every SQLite connection: WAL lets reads run beside the writer, the busy timeout
/// covers another process (a CLI command) holding the lock, and a larger page cache plus
/// memory-mapped reads keep vote indexes (random inserts) off the disk. How commits reach the disk
/// is [`Durability`]'s.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
PRAGMA cache_size = -32768;
PRAGMA mmap_size = 268435456;";

/// Applied to every PostgreSQL connection. diesel prepares each statement once per connection,
/// and after five runs PostgreSQL may switch to one generic plan that ignores the values bound:
/// chosen while the votes table is small, that plan scans whole tables for `= ANY($1)` lookups
/// ever after (votes through the storage path: 3,100 a second with it, 4,500 without).
const POSTGRES_SETTINGS: &str = "SET plan_cache_mode = force_custom_plan;";

/// Where the data lives, parsed from `sqlite://path`, `sqlite:path`, a plain path, or
/// `postgres://…` / `postgresql://…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, ConnectError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        if path.is_empty() || path.contains("://") {
            return Err(ConnectError::BadUrl {
                given: raw.to_owned(),
            });
        }
        Ok(Self::Sqlite(path.to_owned()))
    }

    /// The URL with any password replaced, fit for logs and error messages.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{path}"),
            DatabaseUrl::Postgres(raw) => match url::Url::parse(raw) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    // set_password only fails for URLs that cannot have one.
                    let _ = parsed.set_password(Some("***"));
                    parsed.to_string()
                }
                _ => raw.clone(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("`{given}` is not a database URL: use sqlite://PATH, a file path, or postgres://…")]
    BadUrl { given: String },
    #[error("cannot open the database at {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: diesel::ConnectionError,
    },
    #[error("cannot prepare the connection to {target}: {source}")]
    Pragmas {
        target: String,
        #[source]
        source: diesel::result::Error,
    },
    #[error("cannot migrate the database at {target}: {message}")]
    Migrations { target: String, message: String },
    #[error("cannot fill the connection pool for {target}: {message}")]
    Pool { target: String, message: String },
    #[error("cannot start the database writer thread: {0}")]
    WriterThread(#[source] std::io::Error),
    #[error("database check failed: {0}")]
    Check(#[source] diesel::result::Error),
}

/// What a commit promises on SQLite (PostgreSQL's own setting, `synchronous_commit`, is left as the
/// server has it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// `synchronous = NORMAL` with WAL: a crash of the process loses nothing; an OS crash or a
    /// power cut can lose the last commits (never the database's consistency).
    #[default]
    Normal,
    /// `synchronous = FULL`: every commit is on the disk before it is acknowledged, at the cost of
    /// a sync per commit.
    Full,
}

impl Durability {
    fn pragma(self) -> &'static str {
        match self {
            Durability::Normal => "PRAGMA synchronous = NORMAL;",
            Durability::Full => "PRAGMA synchronous = FULL;",
        }
    }
}

/// Makes connections of the right variant for r2d2, reporting the backend's own error.
pub struct ConnectionManager {
    url: DatabaseUrl,
    durability: Durability,
}

impl ConnectionManager {
    pub fn with_durability(url: DatabaseUrl, durability: Durability) -> Self {
        Self { url, durability }
    }

    pub fn establish(&self) -> Result<DbConnection, ConnectError> {
        let connect_error = |source| ConnectError::Connect {
            target: self.url.redacted(),
            source,
        };
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(connect_error)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .and_then(|()| conn.batch_execute(self.durability.pragma()))
                    .map_err(|source| ConnectError::Pragmas {
                        target: self.url.redacted(),
                        source,
                    })?;
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url).map_err(connect_error)?;
                conn.batch_execute(POSTGRES_SETTINGS)
                    .map_err(|source| ConnectError::Pragmas {
                        target: self.url.redacted(),
                        source,
                    })?;
                Ok(DbConnection::Postgres(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        self.establish()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        diesel::r2d2::R2D2Connection::ping(conn).map_err(ConnectError::Check)
    }

    /// Checked when a connection goes back to the pool, so a dead one is dropped then rather
    /// than pinged before every use (a round trip on every vote).
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_picks_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/faqtory.db").unwrap(),
            DatabaseUrl::Sqlite("./data/faqtory.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("data/x.db").unwrap(),
            DatabaseUrl::Sqlite("data/x.db".into())
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[derive(diesel::QueryableByName)]
    struct Synchronous {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }

    #[test]
    fn durability_sets_how_sqlite_syncs() {
        let dir = std::env::temp_dir().join(format!("faqtory-durability-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (durability, expected) in [(Durability::Normal, 1), (Durability::Full, 2)] {
            let path = dir.join(format!("{durability:?}.db"));
            let url = DatabaseUrl::Sqlite(path.to_string_lossy().into_owned());
            let connection = ConnectionManager::with_durability(url, durability).establish();
            let Ok(DbConnection::Sqlite(mut conn)) = connection else {
                panic!("a SQLite connection");
            };
            let found: Vec<Synchronous> =
                diesel::RunQueryDsl::load(diesel::sql_query("PRAGMA synchronous"), &mut conn)
                    .unwrap();
            assert_eq!(found[0].synchronous, expected, "{durability:?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn redaction_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://me:secret@localhost/db").unwrap();
        assert!(!url.redacted().contains("secret"));
    }

    #[test]
    fn a_bad_postgres_url_reports_the_real_error() {
        let url = DatabaseUrl::parse("postgres://nobody@127.0.0.1:1/none").unwrap();
        let error = ConnectionManager::with_durability(url, Durability::default())
            .establish()
            .err()
            .unwrap();
        let text = error.to_string();
        assert!(text.contains("127.0.0.1"), "{text}");
        assert!(
            text.len() > "cannot open the database at postgres://nobody@127.0.0.1:1/none: ".len(),
            "{text}"
        );
    }
}
