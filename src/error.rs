//! One error type for every use case. The HTML front renders it as a page, the JSON front as
//! `{"error", "field", "message"}`; both pick the status code from [`AppError::status`].

use actix_web::http::StatusCode;

use crate::domain::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// A page of something this site is not set up to do (mail without SMTP): 404, with why.
    #[error("{message}")]
    NotOffered { message: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("sign-in required")]
    Unauthorized,
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("too many requests; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("the request body is larger than {}", readable_size(*limit_bytes))]
    PayloadTooLarge { limit_bytes: usize },
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// The address exists, but not for this method; `allowed` lists the ones it takes.
    #[error("this address takes {allowed} only")]
    MethodNotAllowed { allowed: String },
    /// Not now, but soon (the server is shutting down).
    #[error("{message}")]
    Unavailable { message: String },
    /// The database cannot be reached, or cannot take writes (restarting, disk full): nothing
    /// was done, and the same request will work once it is back.
    #[error("{context}: {detail}")]
    StorageDown {
        context: &'static str,
        detail: String,
    },
    #[error("{context}: {source}")]
    Database {
        context: &'static str,
        #[source]
        source: diesel::result::Error,
    },
    #[error("{context}: {message}")]
    Internal {
        context: &'static str,
        message: String,
    },
}

impl AppError {
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn internal(context: &'static str, error: impl std::fmt::Display) -> Self {
        Self::Internal {
            context,
            message: error.to_string(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound { .. } | AppError::NotOffered { .. } => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Unavailable { .. } | AppError::StorageDown { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Database { .. } | AppError::Internal { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// A stable, machine-readable name for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid",
            AppError::NotFound { .. } => "not_found",
            AppError::NotOffered { .. } => "not_offered",
            AppError::Unauthorized => "unauthorized",
            AppError::Conflict { code, .. }
            | AppError::Forbidden { code, .. }
            | AppError::BadRequest { code, .. } => code,
            AppError::RateLimited { .. } => "rate_limited",
            AppError::MethodNotAllowed { .. } => "method_not_allowed",
            AppError::PayloadTooLarge { .. } => "payload_too_large",
            AppError::Unavailable { .. } | AppError::StorageDown { .. } => "unavailable",
            AppError::Database { .. } | AppError::Internal { .. } => "internal",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Invalid(invalid) => Some(invalid.field),
            _ => None,
        }
    }

    /// What the user is told. Internal details stay in the logs.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Invalid(invalid) => invalid.message.clone(),
            AppError::NotFound { what } => format!("That {what} does not exist."),
            AppError::Unauthorized => {
                "Sign in, or send a moderator's API token as `Authorization: Bearer …`.".to_owned()
            }
            AppError::Database { .. } | AppError::Internal { .. } => {
                "Something went wrong on our side; please try again.".to_owned()
            }
            AppError::StorageDown { .. } => {
                "Our database is unavailable just now, so nothing was done or saved. Please try again in a few seconds.".to_owned()
            }
            AppError::RateLimited { retry_after_secs } => format!(
                "You are going a little fast. Please wait {retry_after_secs} seconds and try again."
            ),
            other => other.to_string(),
        }
    }

    pub fn is_server_error(&self) -> bool {
        self.status().is_server_error()
    }

    /// How many seconds a client should wait before trying again, when waiting helps.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable { .. } | AppError::StorageDown { .. } => {
                Some(STORAGE_RETRY_AFTER_SECS)
            }
            _ => None,
        }
    }

    /// A failed query: [`AppError::StorageDown`] when the database is away or full (the request
    /// may simply be repeated), [`AppError::Database`] otherwise.
    pub fn from_query(context: &'static str, source: diesel::result::Error) -> Self {
        if storage_is_down(&source) {
            AppError::StorageDown {
                context,
                detail: source.to_string(),
            }
        } else {
            AppError::Database { context, source }
        }
    }
}

/// Long enough for a database restart or a cleared disk, short enough for a person waiting.
pub const STORAGE_RETRY_AFTER_SECS: u64 = 5;

/// Whether a query failed because the database cannot be used right now rather than because of
/// the query: the connection is gone (PostgreSQL restarting or shutting down) or SQLite cannot
/// write (disk full, I/O error). diesel does not pass PostgreSQL's SQLSTATE on, so the
/// server's own words are matched.
pub fn storage_is_down(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    const OUTAGE_WORDS: [&str; 9] = [
        "terminating connection",
        "server closed the connection",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "no connection to the server",
        "connection to server",
        "database or disk is full",
        "disk i/o error",
    ];
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        )
        | Error::BrokenTransactionManager => true,
        Error::DatabaseError(_, information) => {
            let message = information.message().to_ascii_lowercase();
            OUTAGE_WORDS.iter().any(|words| message.contains(words))
        }
        Error::RollbackErrorOnCommit {
            rollback_error,
            commit_error,
        } => storage_is_down(commit_error) || storage_is_down(rollback_error),
        _ => false,
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(source: diesel::result::Error) -> Self {
        AppError::from_query("database query", source)
    }
}

/// Names the query that failed, so a log line says what was being done.
pub trait QueryContext<T> {
    fn context(self, context: &'static str) -> Result<T, AppError>;
}

impl<T> QueryContext<T> for Result<T, diesel::result::Error> {
    fn context(self, context: &'static str) -> Result<T, AppError> {
        self.map_err(|source| AppError::from_query(context, source))
    }
}

/// A byte count as people say it: "20 MB", "2 GB", "512 bytes".
pub fn readable_size(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    const GB: usize = 1024 * MB;
    if bytes >= GB && bytes % GB == 0 {
        format!("{} GB", bytes / GB)
    } else if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{bytes} bytes")
    }
}
