//! The few shapes every HTML handler answers with.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;

use crate::error::AppError;

/// A page that is never cached: it carries a CSRF token and the reader's own state.
pub fn html(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(header::ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markup.into_string())
}

/// The redirect that ends every successful form POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A form that carries nothing but its CSRF token (sign out, disable, end a session…).
#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

/// A moderator form whose CSRF token no longer fits: nothing was changed.
pub fn expired_form() -> AppError {
    AppError::Forbidden {
        code: "csrf",
        message: "This page had expired, so nothing was changed. Go back, reload, and try again: \
                  what you typed is still in the form."
            .into(),
    }
}
