//! The public API's events: those on air, open and upcoming, and the questions the public sees in
//! one.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app;
use crate::error::AppError;
use crate::routes::api_types::{EventJson, QuestionJson, SortQuery};
use crate::routes::asking::visitor::{parse_sort, Visitor};
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/api/v1/events", Access::Public, web::to(list_events)),
        RouteSpec::get(
            "/api/v1/events/{slug}/questions",
            Access::Public,
            web::to(list_questions),
        ),
    ]
}

/// Events on air, open and upcoming, then recently closed ones.
#[utoipa::path(get, tag = "events", path = "/api/v1/events", responses((status = 200, body = [EventJson])))]
pub(crate) async fn list_events(state: Data) -> Result<HttpResponse, ApiError> {
    let events = app::events::listing::list_public_events(&state.db).await?;
    let body: Vec<EventJson> = events.into_iter().map(EventJson::from).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// The questions the public sees in an event.
#[utoipa::path(
    get, tag = "events", path = "/api/v1/events/{slug}/questions",
    params(("slug" = String, Path, description = "the event's slug"), SortQuery),
    responses(
        (status = 200, body = [QuestionJson]),
        (status = 400, body = ErrorBody, description = "unknown sort"),
        (status = 404, body = ErrorBody),
    )
)]
pub(crate) async fn list_questions(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    query: web::Query<SortQuery>,
) -> Result<HttpResponse, ApiError> {
    let order = parse_sort(query.sort.as_deref()).ok_or_else(|| {
        AppError::Invalid(crate::domain::Invalid::new(
            "sort",
            "`sort` is `top` or `new`.",
        ))
    })?;
    let visitor = Visitor::voter_only(&req, &state);
    let page = app::events::page::event_questions(
        &state.db,
        &slug,
        order,
        visitor.voter_hash(),
        Vec::new(),
    )
    .await?;
    let body: Vec<QuestionJson> = page.listed.into_iter().map(QuestionJson::from).collect();
    Ok(HttpResponse::Ok().json(body))
}
