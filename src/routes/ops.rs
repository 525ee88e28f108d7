//! For operators and browsers' plumbing: health, readiness, metrics, assets, favicon.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::table::{Access, RouteSpec};
use crate::assets;
use crate::db;
use crate::web::AppState;

pub(super) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/healthz", Access::Public, web::to(healthz)),
        RouteSpec::get("/readyz", Access::Public, web::to(readyz)),
        RouteSpec::get("/metrics", Access::Public, web::to(metrics)),
        RouteSpec::get("/favicon.ico", Access::Public, web::to(favicon)),
        RouteSpec::get("/assets/{file}", Access::Public, web::to(asset)),
    ]
}

/// The process is up and answering.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok\n")
}

/// The database answers and every migration is applied.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let check = state
        .db
        .read(|conn| {
            db::has_pending_migrations(conn)
                .map_err(|error| crate::error::AppError::internal("checking migrations", error))
        })
        .await;
    match check {
        Ok(false) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready\n"),
        Ok(true) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("migrations pending\n"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable\n")
        }
    }
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut body = state.metrics.render();
    if let Some(stats) = state.db.writer_stats() {
        use std::sync::atomic::Ordering::Relaxed;
        body.push_str(&format!(
            "# HELP faqtory_db_write_batches_total Transactions the SQLite writer committed.\n\
             # TYPE faqtory_db_write_batches_total counter\n\
             faqtory_db_write_batches_total {}\n\
             # HELP faqtory_db_writes_total Writes those transactions carried (group commit).\n\
             # TYPE faqtory_db_writes_total counter\n\
             faqtory_db_writes_total {}\n",
            stats.batches.load(Relaxed),
            stats.writes.load(Relaxed)
        ));
    }
    body.push_str(&format!(
        "# HELP faqtory_live_subscribers Open live streams (Server-Sent Events) on this instance.\n\
         # TYPE faqtory_live_subscribers gauge\n\
         faqtory_live_subscribers {}\n",
        state.live.subscribers()
    ));
    if let Some(pending) = state.meaning.pending() {
        body.push_str(&format!(
            "# HELP faqtory_embeddings_pending Questions waiting for a vector of the current model.\n\
             # TYPE faqtory_embeddings_pending gauge\n\
             faqtory_embeddings_pending {pending}\n"
        ));
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}

async fn favicon() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, assets::url("icon.svg")))
        .finish()
}

async fn asset(req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    // Unhashed names still work (for tools that link them), but are not cached forever.
    let (found, immutable) = match assets::by_file_name(&file) {
        Some(asset) => (Some(asset), true),
        None => (assets::by_logical_name(&file), false),
    };
    let Some(asset) = found else {
        return HttpResponse::NotFound().finish();
    };
    let etag = format!("\"{}\"", asset.file_name);
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|value| value.as_bytes() == etag.as_bytes())
    {
        return HttpResponse::NotModified().finish();
    }
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, etag))
        .body(asset.body)
}
