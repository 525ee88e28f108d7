//! How errors look: an HTML page for browsers, `{"error", "field", "message"}` for the API.
//! Extractor failures (bad JSON, bad form encoding, oversized bodies, bad path parameters) are
//! turned into the same shapes, so nothing a client sends produces a bare 500.

use actix_web::error::{JsonPayloadError, UrlencodedError};
use actix_web::http::header::{self, ContentType};
use actix_web::{web, HttpResponse, ResponseError};
use serde::Serialize;

use crate::error::AppError;
use crate::views::error_page::error_page;

pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct PageError(#[from] pub AppError);

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `invalid`, `not_found`, `event_closed`, `rate_limited`, …
    pub error: String,
    /// The request field at fault, when one is.
    pub field: Option<String>,
    /// Words fit to show a person.
    pub message: String,
}

fn log(error: &AppError) {
    if error.is_server_error() {
        tracing::error!(error = %error, "request failed");
    }
}

fn with_retry_after(builder: &mut actix_web::HttpResponseBuilder, error: &AppError) {
    if let Some(seconds) = error.retry_after_secs() {
        builder.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    if let AppError::MethodNotAllowed { allowed } = error {
        builder.insert_header((header::ALLOW, allowed.as_str()));
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        log(&self.0);
        let mut builder = HttpResponse::build(self.0.status());
        with_retry_after(&mut builder, &self.0);
        builder.json(ErrorBody {
            error: self.0.code().to_owned(),
            field: self.0.field().map(str::to_owned),
            message: self.0.public_message(),
        })
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        log(&self.0);
        let heading = match &self.0 {
            AppError::NotFound { .. } => "Not found",
            AppError::RateLimited { .. } => "Slow down a little",
            AppError::Forbidden { .. } => "Not allowed",
            AppError::PayloadTooLarge { .. } => "Too much at once",
            AppError::Unavailable { .. } | AppError::StorageDown { .. } => "Back in a moment",
            AppError::Database { .. } | AppError::Internal { .. } => "Something went wrong",
            _ => "That did not work",
        };
        let mut builder = HttpResponse::build(self.0.status());
        with_retry_after(&mut builder, &self.0);
        builder
            .content_type(ContentType::html())
            .body(error_page(heading, &self.0.public_message()).into_string())
    }
}

pub(crate) fn json_error(error: JsonPayloadError) -> AppError {
    match error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            AppError::PayloadTooLarge {
                limit_bytes: BODY_LIMIT_BYTES,
            }
        }
        JsonPayloadError::ContentType => AppError::BadRequest {
            code: "json_required",
            message: "Send a JSON body with `Content-Type: application/json`.".into(),
        },
        JsonPayloadError::Deserialize(error) => {
            let message = error.to_string();
            match missing_field(&message) {
                Some(field) => AppError::Invalid(crate::domain::Invalid {
                    field,
                    message: format!("`{field}` is required."),
                }),
                None => AppError::BadRequest {
                    code: "bad_json",
                    message: format!("The JSON body could not be read: {message}"),
                },
            }
        }
        other => AppError::BadRequest {
            code: "bad_json",
            message: format!("The request body could not be read: {other}"),
        },
    }
}

/// serde names a missing field in its message; the API contract names it in `field`.
fn missing_field(message: &str) -> Option<&'static str> {
    ["body", "author_name"]
        .into_iter()
        .find(|field| message.contains(&format!("missing field `{field}`")))
}

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(BODY_LIMIT_BYTES)
        .error_handler(|error, _req| ApiError(json_error(error)).into())
}

pub fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(BODY_LIMIT_BYTES)
        .error_handler(|error, _req| {
            let app_error = match error {
                UrlencodedError::Overflow { .. } => AppError::PayloadTooLarge {
                    limit_bytes: BODY_LIMIT_BYTES,
                },
                UrlencodedError::ContentType => AppError::BadRequest {
                    code: "form_required",
                    message: "This address takes a web form.".into(),
                },
                _ => AppError::BadRequest {
                    code: "bad_form",
                    message: "We could not read what was sent (it was not valid text). Please go back and try again.".into(),
                },
            };
            PageError(app_error).into()
        })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|_, _| PageError(AppError::NotFound { what: "page" }).into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|_, _| {
        PageError(AppError::BadRequest {
            code: "bad_query",
            message: "The address has parameters we could not read.".into(),
        })
        .into()
    })
}

pub fn api_path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|_, _| ApiError(AppError::NotFound { what: "resource" }).into())
}

pub fn api_query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _| {
        ApiError(AppError::BadRequest {
            code: "bad_query",
            message: format!("The query string could not be read: {error}"),
        })
        .into()
    })
}

/// The one multipart form (a transcript upload) may be as large as a transcript; its handler says
/// what went wrong when it cannot be read.
pub fn multipart_config() -> actix_multipart::form::MultipartFormConfig {
    let limit = crate::transcript::MAX_BYTES + BODY_LIMIT_BYTES;
    actix_multipart::form::MultipartFormConfig::default()
        .total_limit(limit)
        .memory_limit(limit)
}
