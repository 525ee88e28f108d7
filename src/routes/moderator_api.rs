//! The moderator API under `/api/v1`: Bearer token, or the session cookie with `X-CSRF-Token` for
//! writes (see `auth::guard`).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::errors::{ApiError, ErrorBody};
use super::table::{Access, RouteSpec};
use crate::app::{self, modlog};
use crate::db::modlog::Filter;
use crate::web::AppState;

pub(super) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/api/v1/modlog",
        Access::Moderator,
        web::to(list_modlog),
    )]
}

#[derive(Deserialize, IntoParams)]
pub struct ModlogQuery {
    /// Only this event's entries (its slug)
    pub event: Option<String>,
    /// Only this moderator's actions (username)
    pub moderator: Option<String>,
    /// Only this action, e.g. `moderator.add`
    pub action: Option<String>,
    /// At most this many entries, newest first (1 to 500; default 100)
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ModlogEntryJson {
    pub id: i64,
    pub action: String,
    /// Who did it; null when done from the command line.
    pub moderator: Option<String>,
    pub event: Option<String>,
    pub question_id: Option<i64>,
    pub reason: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The audit log: every moderator action, newest first.
#[utoipa::path(
    get, path = "/api/v1/modlog",
    params(ModlogQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = [ModlogEntryJson]),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
pub async fn list_modlog(
    state: web::Data<AppState>,
    query: web::Query<ModlogQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let filter = Filter {
        event_slug: query.event,
        moderator: query.moderator,
        action: query.action,
        limit: query.limit.unwrap_or(modlog::DEFAULT_LIMIT),
    };
    let entries = app::modlog::list(&state.db, filter).await?;
    let body: Vec<ModlogEntryJson> = entries
        .into_iter()
        .map(|entry| ModlogEntryJson {
            id: entry.id,
            action: entry.action,
            moderator: entry.moderator,
            event: entry.event,
            question_id: entry.question_id,
            reason: entry.reason,
            before: entry.before_value,
            after: entry.after_value,
            created_at: entry.created_at.and_utc(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
