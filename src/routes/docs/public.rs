//! Documentation sections for askers and readers: `/d/{id}` opens a section (counted), and an
//! asker says a section answers their question (`POST /api/v1/docs/sections/{id}/answered`, or
//! the ask form's `/e/{slug}/docs/{id}/answered` without JavaScript). Nothing is sent to anyone.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app;
use crate::error::AppError;
use crate::web::extract::client_ip::client_ip;
use crate::web::extract::json_object::JsonObject;
use crate::web::extract::typed_text::query_value;
use crate::web::responses::errors::{ApiError, ErrorBody, PageError};
use crate::web::responses::respond::see_other;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::security::csrf;
use crate::web::security::rate_limit::Action;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/d/{id}", Access::Public, web::to(open)),
        RouteSpec::post(
            "/api/v1/docs/sections/{id}/answered",
            Access::Public,
            web::to(answered_api),
        ),
        RouteSpec::post(
            "/e/{slug}/docs/{id}/answered",
            Access::Public,
            web::to(answered_form),
        ),
    ]
}

/// Goes to the section on its own site (for a section that went, where its content moved).
async fn open(
    req: HttpRequest,
    state: Data,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound {
        what: "documentation section",
    })?;
    let event = query_value(&req, "e", 80);
    let target = app::docs::uses::open(&state.db, id, event.as_deref()).await?;
    Ok(see_other(&target))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct AnsweredRequest {
    /// The event whose ask form showed the section, if any.
    #[serde(default)]
    #[schema(max_length = 80)]
    pub event: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AnsweredResponse {
    pub id: i64,
    /// How many askers have said this section answers their question.
    pub answered: i64,
}

/// Says that a documentation section answers the asker's question: counted for the team, and
/// nothing is sent.
#[utoipa::path(
    post, tag = "docs", path = "/api/v1/docs/sections/{id}/answered",
    params(("id" = i64, Path)),
    request_body = AnsweredRequest,
    responses(
        (status = 200, body = AnsweredResponse), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody),
    )
)]
pub async fn answered_api(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
    body: JsonObject<AnsweredRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    state.limiter.check(Action::Vote, &client_ip(&req), None)?;
    let event = body
        .event
        .as_deref()
        .map(|slug| slug.chars().take(80).collect::<String>());
    let answered = app::docs::uses::answered_mine(&state.db, *id, event.as_deref()).await?;
    Ok(HttpResponse::Ok().json(AnsweredResponse { id: *id, answered }))
}

#[derive(Deserialize)]
struct AnsweredForm {
    #[serde(default)]
    csrf: String,
}

/// Without JavaScript: counted, then the asker goes to read the section.
async fn answered_form(
    req: HttpRequest,
    state: Data,
    path: web::Path<(String, i64)>,
    form: web::Form<AnsweredForm>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message: "This page had expired, so nothing was counted. Please go back, reload, and press the button again.".into(),
        }
        .into());
    }
    state.limiter.check(Action::Vote, &client_ip(&req), None)?;
    app::docs::uses::answered_mine(&state.db, id, Some(&slug)).await?;
    let target = app::docs::uses::open(&state.db, id, Some(&slug)).await?;
    Ok(see_other(&target))
}
