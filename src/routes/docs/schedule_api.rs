//! `PUT /api/v1/docs/sources/{name}/schedule`, for admins: how often a source is refreshed by
//! itself.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::docs::schedule;
use crate::web::extract::json_object::JsonObject;
use crate::web::extract::whole_number::optional_whole_number;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::put(
        "/api/v1/docs/sources/{name}/schedule",
        Access::Admin,
        web::to(set_schedule),
    )]
}

#[derive(Deserialize, ToSchema)]
pub struct ScheduleRequest {
    /// Minutes from one refresh to the next (5 to 43200); `null`: refreshed on demand only.
    #[schema(minimum = 5, maximum = 43200)]
    #[serde(default, deserialize_with = "optional_whole_number")]
    pub refresh_every_minutes: Option<i64>,
}

/// Sets how often the source is refreshed by itself; the next refresh counts from the last.
#[utoipa::path(
    put, tag = "docs", path = "/api/v1/docs/sources/{name}/schedule",
    params(("name" = String, Path, description = "The source's name")),
    request_body = ScheduleRequest,
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn set_schedule(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
    body: JsonObject<ScheduleRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    schedule::set(&state.db, &name, body.refresh_every_minutes).await?;
    Ok(HttpResponse::NoContent().finish())
}
