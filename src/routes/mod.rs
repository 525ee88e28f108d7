//! The HTTP front, in one folder per capability (the same names as in `app`): handlers extract
//! and validate, call one `app` function, and render HTML or JSON. A capability's page and API
//! handlers sit side by side. `table` lists every route; `openapi` documents the JSON ones; what
//! the handlers stand on (errors, extractors, guards, state) is in `web`, below them.

pub(crate) mod accounts;
pub mod api_types;
pub(crate) mod asking;
pub(crate) mod docs;
pub(crate) mod events;
pub(crate) mod faq;
pub(crate) mod insights;
pub(crate) mod live;
pub(crate) mod moderation;
pub(crate) mod openapi;
pub(crate) mod operations;
pub(crate) mod outreach;
pub(crate) mod polls;
pub(crate) mod recording;
pub mod table;

use actix_web::web;

use crate::web::responses::errors;

/// Request bodies above this get 413: a transcript's file may be large, anything else is small.
pub fn body_limit_for(path: &str, recording_limit: usize) -> usize {
    if recording::audio_api::is_upload(path) || recording::page::is_audio_upload(path) {
        recording_limit
    } else if recording::transcript_api::is_upload(path) || recording::page::is_upload(path) {
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
        .service(web::scope("/api").default_service(web::to(table::api_not_found)))
        .default_service(web::to(table::page_not_found));
}
