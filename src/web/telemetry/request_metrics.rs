//! The middleware that counts every request into the metrics under the route it took.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::web::state::AppState;

/// Records each request under its route pattern, so `/e/{slug}` is one series, not one per event.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let response = next.call(req).await?;
    if let Some(state) = state {
        let route = response
            .request()
            .app_data::<RoutePattern>()
            .map_or("unmatched", |pattern| pattern.0);
        state.metrics.observe(
            route,
            method,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}

/// The pattern of the route a request took, for metrics: `HttpRequest::match_pattern` would
/// match the path against the table a second time.
#[derive(Debug, Clone, Copy)]
pub struct RoutePattern(pub &'static str);
