//! The HTTP front: handlers extract and validate, call one `app` function, and render HTML or
//! JSON.

pub mod api;
mod api_types;
mod errors;
mod moderation;
mod ops;
mod pages;
mod visitor;

use actix_web::web;

pub use errors::{ApiError, PageError};

/// Request bodies above this get 413.
pub fn errors_body_limit() -> usize {
    errors::BODY_LIMIT_BYTES
}

/// Every route of the site.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(errors::form_config())
        .app_data(errors::path_config())
        .app_data(errors::query_config())
        .service(
            web::scope("/api")
                .app_data(errors::json_config())
                .app_data(errors::api_path_config())
                .app_data(errors::api_query_config())
                .configure(api::configure)
                .default_service(web::to(errors::api_not_found)),
        )
        .configure(ops::configure)
        .configure(moderation::configure)
        .configure(pages::configure)
        .default_service(web::to(errors::page_not_found));
}
