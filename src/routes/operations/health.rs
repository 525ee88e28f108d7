//! For operators and browsers' plumbing: health, readiness, metrics, assets, favicon.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::operations::readiness::{readiness, Readiness};
use crate::assets;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::telemetry::metrics::{Readings, CONTENT_TYPE};
use crate::web::AppState;

pub(crate) fn routes() -> Vec<RouteSpec> {
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
    let check = readiness(&state.db).await;
    match check {
        Ok(Readiness::Ready) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready\n"),
        Ok(Readiness::MigrationsPending) => HttpResponse::ServiceUnavailable()
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
    use std::sync::atomic::Ordering::Relaxed;
    let mail_waiting = if state.offers_mail {
        // A scrape that cannot count the queue still shows the rest.
        crate::app::outreach::mail_letters::waiting(&state.db)
            .await
            .ok()
    } else {
        None
    };
    let meaning = state.meaning();
    let readings = Readings {
        db_writes: state
            .db
            .writer_stats()
            .map(|stats| (stats.batches.load(Relaxed), stats.writes.load(Relaxed))),
        live_subscribers: i64::try_from(state.live.subscribers()).unwrap_or(i64::MAX),
        embeddings_pending: meaning.pending(),
        vectors_held: meaning
            .vectors()
            .map(|vectors| i64::try_from(vectors.len()).unwrap_or(i64::MAX)),
        doc_vectors_held: meaning
            .doc_vectors()
            .map(|vectors| i64::try_from(vectors.len()).unwrap_or(i64::MAX)),
        doc_sections_searchable: i64::try_from(state.docs_index.len()).unwrap_or(i64::MAX),
        meaning_fallbacks: meaning.fallbacks(),
        mail_waiting,
    };
    match state.metrics.render(&readings) {
        Ok(body) => HttpResponse::Ok().content_type(CONTENT_TYPE).body(body),
        Err(error) => {
            tracing::error!(%error, "could not write the metrics");
            HttpResponse::InternalServerError().finish()
        }
    }
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
