//! The HTTP front: handlers extract and validate, call one `app` function, and render HTML or
//! JSON.

mod accounts;
pub mod api;
mod api_types;
mod calendars;
mod crawlers;
mod curation;
mod curation_api;
mod dashboard;
mod embed;
mod errors;
mod event_admin;
pub mod event_page;
mod events_api;
mod faq;
pub mod faq_pages;
mod focus;
mod json_object;
mod live;
mod mail;
mod merge;
mod moderation;
mod moderator_api;
mod ops;
mod pages;
mod participation;
mod presenter;
mod recording_api;
mod recording_moment;
mod recording_page;
mod respond;
mod search_misses;
mod sessions;
mod similar;
pub mod table;
mod transcript_api;
mod typed_text;
mod visitor;
mod webhooks_api;
mod webhooks_page;
mod whole_number;

use actix_web::web;

pub use errors::{ApiError, PageError};

/// Request bodies above this get 413: a transcript's file may be large, anything else is small.
pub fn body_limit_for(path: &str) -> usize {
    if transcript_api::is_upload(path) || recording_page::is_upload(path) {
        crate::transcript::MAX_BYTES
    } else {
        errors::BODY_LIMIT_BYTES
    }
}

/// Every route of the site, from the route table, and what answers when none matches.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(errors::form_config())
        .app_data(errors::multipart_config())
        .app_data(errors::path_config())
        .app_data(errors::query_config())
        .configure(table::configure)
        .service(web::scope("/api").default_service(web::to(errors::api_not_found)))
        .default_service(web::to(errors::page_not_found));
}
