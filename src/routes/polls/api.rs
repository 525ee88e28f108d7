//! The moderator API for polls: draft, open, close, reveal, remove; ban words from a word cloud;
//! show or hide open-text answers; set automated answers aside.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::events::listing;
use crate::app::polls::lifecycle::{self, Move};
use crate::app::polls::reading::{self, Viewer};
use crate::app::polls::{answering, drafting};
use crate::domain::{DraftPoll, PollDefinition};
use crate::error::AppError;
use crate::routes::polls::json::{
    BannedWordsRequest, CreatePollRequest, DiscountRequest, PollJson,
};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::extract::json_object::JsonObject;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/api/v1/events/{slug}/polls",
            Access::Moderator,
            web::to(create_poll),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/open",
            Access::Moderator,
            web::to(open_poll),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/close",
            Access::Moderator,
            web::to(close_poll),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/reveal",
            Access::Moderator,
            web::to(reveal_poll),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/conceal",
            Access::Moderator,
            web::to(conceal_poll),
        ),
        RouteSpec::delete(
            "/api/v1/polls/{id}",
            Access::Moderator,
            web::to(delete_poll),
        ),
        RouteSpec::put(
            "/api/v1/polls/{id}/banned-words",
            Access::Moderator,
            web::to(set_banned_words),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/answers/{answer_id}/show",
            Access::Moderator,
            web::to(show_answer),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/answers/{answer_id}/hide",
            Access::Moderator,
            web::to(hide_answer),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/automated",
            Access::Moderator,
            web::to(discount_automated),
        ),
    ]
}

impl CreatePollRequest {
    fn parse(&self) -> Result<PollDefinition, AppError> {
        Ok(PollDefinition::parse(&DraftPoll {
            kind: &self.kind,
            prompt: &self.prompt,
            options: &self.options,
            multiple: self.multiple,
            other: self.other,
            scale: self.scale,
            low_label: self.low_label.as_deref(),
            high_label: self.high_label.as_deref(),
            results: self.results.as_deref().unwrap_or("live"),
        })?)
    }
}

/// Drafts a poll for the event; it stays out of the public's sight until opened.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/events/{slug}/polls",
    params(("slug" = String, Path, description = "the event's slug")),
    request_body = CreatePollRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = PollJson), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid field"),
    )
)]
pub(crate) async fn create_poll(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    body: JsonObject<CreatePollRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let event = listing::find_event(&state.db, &slug).await?;
    let definition = body.parse()?;
    let poll = drafting::create(
        &state.db,
        &state.bus,
        Some(me.0.id),
        event.id,
        definition,
        body.banned_words.clone(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(PollJson::of_poll(&poll)))
}

async fn step(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    poll_id: i64,
    step: Move,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let (poll, _just_closed) = lifecycle::apply(
        &state.db,
        &state.bus,
        Some(me.0.id),
        poll_id,
        step,
        state.clock.now(),
    )
    .await?;
    let view = reading::one(&state.polls, poll.id, Viewer::Moderator).await?;
    Ok(HttpResponse::Ok().json(PollJson::new(&view)))
}

/// Opens a poll to answers (a closed one too, again).
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/open",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn open_poll(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    step(req, state, me, *id, Move::Open).await
}

/// Closes a poll: answers are no longer taken; `poll.closed` webhooks are sent.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/close",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "a draft cannot be closed"))
)]
pub(crate) async fn close_poll(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    step(req, state, me, *id, Move::Close).await
}

/// Shows the results to everyone, whatever the poll's setting.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/reveal",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "a draft has no results"))
)]
pub(crate) async fn reveal_poll(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    step(req, state, me, *id, Move::Reveal).await
}

/// Takes revealed results back out of the public's sight.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/conceal",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub(crate) async fn conceal_poll(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    step(req, state, me, *id, Move::Conceal).await
}

/// Removes a poll with its answers.
#[utoipa::path(
    delete, tag = "polls", path = "/api/v1/polls/{id}",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn delete_poll(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    drafting::delete(&state.db, &state.bus, Some(me.0.id), *id, state.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replaces the words a word cloud leaves out (compared folded: case, spacing and plurals).
#[utoipa::path(
    put, tag = "polls", path = "/api/v1/polls/{id}/banned-words",
    params(("id" = i64, Path)), request_body = BannedWordsRequest, security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn set_banned_words(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<BannedWordsRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let poll = drafting::set_banned_words(
        &state.db,
        &state.bus,
        Some(me.0.id),
        *id,
        body.words.clone(),
        state.clock.now(),
    )
    .await?;
    let view = reading::one(&state.polls, poll.id, Viewer::Moderator).await?;
    Ok(HttpResponse::Ok().json(PollJson::new(&view)))
}

async fn moderate(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    ids: (i64, i64),
    show: bool,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let (poll_id, answer_id) = ids;
    answering::moderate_text(
        &state.db,
        &state.bus,
        Some(me.0.id),
        poll_id,
        answer_id,
        show,
        state.clock.now(),
    )
    .await?;
    let view = reading::one(&state.polls, poll_id, Viewer::Moderator).await?;
    Ok(HttpResponse::Ok().json(PollJson::new(&view)))
}

/// Shows an open-text answer that was held for a moderator.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/answers/{answer_id}/show",
    params(("id" = i64, Path), ("answer_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn show_answer(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    ids: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    moderate(req, state, me, ids.into_inner(), true).await
}

/// Hides an open-text answer from everyone but moderators.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/answers/{answer_id}/hide",
    params(("id" = i64, Path), ("answer_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn hide_answer(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    ids: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    moderate(req, state, me, ids.into_inner(), false).await
}

/// Sets the poll's automated answers (bursts from one network) aside, or counts them again.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/automated",
    params(("id" = i64, Path)), request_body = DiscountRequest, security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn discount_automated(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<DiscountRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    answering::discount_automated(
        &state.db,
        &state.bus,
        Some(me.0.id),
        *id,
        body.discounted,
        state.clock.now(),
    )
    .await?;
    let view = reading::one(&state.polls, *id, Viewer::Moderator).await?;
    Ok(HttpResponse::Ok().json(PollJson::new(&view)))
}
