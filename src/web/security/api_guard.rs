//! How the JSON API resists cross-site requests without CSRF tokens: a write must declare a JSON
//! body (`Content-Type: application/json`) or carry an `Authorization` header — a cross-site page
//! can send neither without a CORS preflight, which we never grant — and when the browser names
//! an `Origin` it must be this site.

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::error::AppError;
use crate::web::state::AppState;

pub fn check_write(req: &HttpRequest, state: &AppState) -> Result<(), AppError> {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !json && !req.headers().contains_key(header::AUTHORIZATION) {
        return Err(AppError::BadRequest {
            code: "json_required",
            message: "API writes need `Content-Type: application/json` (an empty body is fine) \
                      or an `Authorization` header."
                .into(),
        });
    }
    check_origin(req, state)
}

/// A browser's `Origin`, when it names one, must be this site.
pub fn check_origin(req: &HttpRequest, state: &AppState) -> Result<(), AppError> {
    if crate::web::security::origin::is_this_site(req, state) == Some(false) {
        return Err(AppError::Forbidden {
            code: "cross_origin",
            message: "Requests from other sites are not accepted.".into(),
        });
    }
    Ok(())
}
