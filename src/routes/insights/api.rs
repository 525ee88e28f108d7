//! The insights API, for moderators: topics ranked by demand (JSON or CSV), a regrouping started
//! and followed, and a topic renamed, hidden, merged or split.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::insights::faq_draft::draft_from_topic;
use crate::app::insights::moves::{self, TopicMove};
use crate::app::insights::next_event::carry_to_next_event;
use crate::app::insights::overview::overview;
use crate::app::insights::{export_csv, regroup};
use crate::db;
use crate::domain::{Invalid, TopicLabel};
use crate::error::AppError;
use crate::routes::insights::json::{
    RegroupingJson, TopicCarriedJson, TopicChangeRequest, TopicDraftJson, TopicJson,
    TopicMergeRequest, TopicMovedJson, TopicSplitRequest, TopicsQuery,
};
use crate::routes::insights::sources;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::extract::export_format::wants_csv;
use crate::web::extract::json_object::JsonObject;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(
            "/api/v1/insights/topics",
            Access::Moderator,
            web::to(list_topics),
        ),
        RouteSpec::patch(
            "/api/v1/insights/topics/{id}",
            Access::Moderator,
            web::to(change_topic),
        ),
        RouteSpec::post(
            "/api/v1/insights/topics/{id}/merge",
            Access::Moderator,
            web::to(merge_topic),
        ),
        RouteSpec::post(
            "/api/v1/insights/topics/{id}/split",
            Access::Moderator,
            web::to(split_topic),
        ),
        RouteSpec::post(
            "/api/v1/insights/topics/{id}/carry",
            Access::Moderator,
            web::to(carry_topic),
        ),
        RouteSpec::post(
            "/api/v1/insights/topics/{id}/draft-answer",
            Access::Moderator,
            web::to(draft_answer),
        ),
        RouteSpec::post(
            "/api/v1/insights/regroup",
            Access::Moderator,
            web::to(start_regrouping),
        ),
        RouteSpec::get(
            "/api/v1/insights/regroupings/{id}",
            Access::Moderator,
            web::to(regrouping),
        ),
    ]
}

/// Topics across all events, ranked by demand (questions + votes + failed searches).
#[utoipa::path(
    get, tag = "insights", path = "/api/v1/insights/topics",
    params(TopicsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "JSON by default, CSV with `format=csv`",
            content((Vec<TopicJson> = "application/json"), (String = "text/csv"))),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
pub(crate) async fn list_topics(
    state: Data,
    query: web::Query<TopicsQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = wants_csv(query.format.as_deref()).map_err(AppError::from)?;
    let filter = query.filter().map_err(AppError::from)?;
    let found = overview(&sources(&state), &filter).await?;
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(if csv {
        response
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"topics.csv\"",
            ))
            .content_type("text/csv; charset=utf-8")
            .body(export_csv::to_csv(&found.topics)?)
    } else {
        response.json(found.topics.iter().map(TopicJson::from).collect::<Vec<_>>())
    })
}

/// Renames a topic (an empty name gives it back its own words), hides or shows it, or lists it
/// in the docs report as something to write documentation for.
#[utoipa::path(
    patch, tag = "insights", path = "/api/v1/insights/topics/{id}",
    params(("id" = i64, Path, description = "the topic")),
    request_body = TopicChangeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = TopicMovedJson), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "a regrouping is running"),
        (status = 422, body = ErrorBody, description = "invalid field, or nothing to change"),
    )
)]
pub(crate) async fn change_topic(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<TopicChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let mut changes = Vec::new();
    if let Some(label) = &body.label {
        changes.push(TopicMove::Rename(
            TopicLabel::parse(label).map_err(AppError::from)?,
        ));
    }
    match body.hidden {
        Some(true) => changes.push(TopicMove::Hide),
        Some(false) => changes.push(TopicMove::Show),
        None => {}
    }
    if let Some(wanted) = body.docs_wanted {
        changes.push(TopicMove::WantDocs(wanted));
    }
    if changes.is_empty() {
        return Err(AppError::from(Invalid::new(
            "label",
            "Send a label, hidden or docs_wanted: there was nothing to change.",
        ))
        .into());
    }
    let mut shown = *id;
    for change in changes {
        shown = moves::make(
            &state.db,
            &state.meaning(),
            &state.topics,
            me.0.id,
            *id,
            change,
        )
        .await?;
    }
    Ok(HttpResponse::Ok().json(TopicMovedJson { id: shown }))
}

/// Merges the topic into another; its questions stay there through regroupings.
#[utoipa::path(
    post, tag = "insights", path = "/api/v1/insights/topics/{id}/merge",
    params(("id" = i64, Path, description = "the topic merged away")),
    request_body = TopicMergeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = TopicMovedJson), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "a regrouping is running"),
        (status = 422, body = ErrorBody, description = "invalid field"),
    )
)]
pub(crate) async fn merge_topic(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<TopicMergeRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let shown = moves::make(
        &state.db,
        &state.meaning(),
        &state.topics,
        me.0.id,
        *id,
        TopicMove::MergeInto(body.into),
    )
    .await?;
    Ok(HttpResponse::Ok().json(TopicMovedJson { id: shown }))
}

/// Splits questions off into a topic of their own; they stay there through regroupings.
#[utoipa::path(
    post, tag = "insights", path = "/api/v1/insights/topics/{id}/split",
    params(("id" = i64, Path, description = "the topic split")),
    request_body = TopicSplitRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = TopicMovedJson), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "a regrouping is running"),
        (status = 422, body = ErrorBody, description = "invalid field"),
    )
)]
pub(crate) async fn split_topic(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<TopicSplitRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let shown = moves::make(
        &state.db,
        &state.meaning(),
        &state.topics,
        me.0.id,
        *id,
        TopicMove::Split(body.question_ids.clone()),
    )
    .await?;
    Ok(HttpResponse::Created().json(TopicMovedJson { id: shown }))
}

/// Carries the topic's most voted open questions into the event taking questions next.
#[utoipa::path(
    post, tag = "insights", path = "/api/v1/insights/topics/{id}/carry",
    params(("id" = i64, Path, description = "the topic")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = TopicCarriedJson), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "no event takes questions, or nothing to carry"),
    )
)]
pub(crate) async fn carry_topic(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let carried =
        carry_to_next_event(&state.db, &state.bus, me.0.id, *id, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(TopicCarriedJson {
        questions: carried.questions,
        event: carried.to_slug,
    }))
}

/// Drafts an answer to the topic's most voted open question from the best answer it has so far
/// (or the documentation section that covers it), unpublished until a moderator publishes it.
#[utoipa::path(
    post, tag = "insights", path = "/api/v1/insights/topics/{id}/draft-answer",
    params(("id" = i64, Path, description = "the topic")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = TopicDraftJson), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "no open question, or nothing to draft from"),
    )
)]
pub(crate) async fn draft_answer(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let drafted = draft_from_topic(&sources(&state), &state.bus, me.0.id, *id).await?;
    Ok(HttpResponse::Created().json(TopicDraftJson {
        question_id: drafted.question_id,
        event: drafted.event_slug,
    }))
}

/// Starts a full regrouping in the background; follow it at `/api/v1/insights/regroupings/{id}`.
#[utoipa::path(
    post, tag = "insights", path = "/api/v1/insights/regroup",
    security(("bearer" = [])),
    responses(
        (status = 202, body = RegroupingJson), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "a regrouping is already running"),
    )
)]
pub(crate) async fn start_regrouping(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let row =
        regroup::start_in_background(&state.db, &state.meaning(), &state.topics, Some(me.0.id))
            .await?;
    let id = row.id;
    Ok(HttpResponse::Accepted()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/insights/regroupings/{id}"),
        ))
        .json(RegroupingJson::from(&row)))
}

/// How a regrouping went.
#[utoipa::path(
    get, tag = "insights", path = "/api/v1/insights/regroupings/{id}",
    params(("id" = i64, Path, description = "the regrouping")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = RegroupingJson), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
pub(crate) async fn regrouping(state: Data, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = *id;
    let row = state
        .db
        .read(move |conn| db::topics::grouping(conn, id))
        .await?
        .ok_or(AppError::NotFound { what: "regrouping" })?;
    Ok(HttpResponse::Ok().json(RegroupingJson::from(&row)))
}
