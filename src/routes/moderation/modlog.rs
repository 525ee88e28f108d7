//! The audit log, as the moderator API (`/api/v1/modlog`: Bearer token, or the session cookie) and
//! as the `/mod/log` page.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::{self, moderation::modlog};
use crate::db::modlog::Filter;
use crate::views::moderation::audit_log::{audit_log_page, AuditLogView};
use crate::web::extract::typed_text::clean;
use crate::web::responses::errors::{ApiError, ErrorBody, PageError};
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::CsrfToken;
use crate::web::AppState;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/api/v1/modlog", Access::Moderator, web::to(list_modlog)),
        RouteSpec::get("/mod/log", Access::Moderator, web::to(audit_log)),
    ]
}

fn filter_of(query: ModlogQuery) -> Filter {
    let blank_is_none = |value: Option<String>| {
        value
            .map(|value| clean(&value, 200))
            .filter(|value| !value.is_empty())
    };
    Filter {
        event_slug: blank_is_none(query.event),
        moderator: blank_is_none(query.moderator),
        action: blank_is_none(query.action),
        limit: query.limit.unwrap_or(modlog::DEFAULT_LIMIT),
    }
}

/// The audit log as a page for moderators, with undo where an action allows it.
async fn audit_log(
    state: web::Data<AppState>,
    query: web::Query<ModlogQuery>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let filter = filter_of(query.into_inner());
    let log = app::moderation::modlog::page(&state.db, filter.clone()).await?;
    let markup = audit_log_page(&AuditLogView {
        log: &log,
        filter: &filter,
        csrf: &csrf.0,
        now: app::now(),
    });
    Ok(html(actix_web::http::StatusCode::OK, markup))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModlogQuery {
    /// Only this event's entries (its slug)
    pub event: Option<String>,
    /// Only this moderator's actions (username)
    pub moderator: Option<String>,
    /// Only this action, e.g. `moderator.add`
    pub action: Option<String>,
    /// At most this many entries, newest first (1 to 500; default 100)
    #[param(minimum = 1, maximum = 500)]
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
    get, tag = "moderation", path = "/api/v1/modlog",
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
    let filter = filter_of(query.into_inner());
    let entries = app::moderation::modlog::list(&state.db, filter).await?;
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
