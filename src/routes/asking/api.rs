//! The public API's asking, voting and following: the same `participation` steps as the event
//! page's forms, answered in JSON.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::{self, asking::ballot::VoteAction};
use crate::routes::api_types::{
    utc, AskRequest, AskResponse, FollowEventJson, FollowResponse, VoteResponse,
};
use crate::routes::asking::participation;
use crate::routes::asking::visitor::{follow_url, Visitor};
use crate::web::extract::json_object::JsonObject;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/api/v1/events/{slug}/questions",
            Access::Public,
            web::to(ask_question),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/vote",
            Access::Public,
            web::to(upvote),
        ),
        RouteSpec::delete(
            "/api/v1/questions/{id}/vote",
            Access::Public,
            web::to(withdraw_vote),
        ),
        RouteSpec::get("/api/v1/follow/{token}", Access::Public, web::to(follow)),
    ]
}

/// Asks a question. Answers with the private follow link.
#[utoipa::path(
    post, tag = "asking", path = "/api/v1/events/{slug}/questions",
    params(("slug" = String, Path, description = "the event's slug")),
    request_body = AskRequest,
    responses(
        (status = 201, body = AskResponse),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the event takes no questions"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody, description = "invalid field"),
        (status = 429, body = ErrorBody),
    )
)]
pub(crate) async fn ask_question(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    body: JsonObject<AskRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let mut visitor = Visitor::from_request(&req, &state);
    let (asked, cookies) = participation::ask_question(
        &state,
        &mut visitor,
        &slug,
        &body.body,
        body.author_name.as_deref(),
        body.notify_email.as_deref(),
    )
    .await?;
    let mut response = HttpResponse::Created();
    for cookie in cookies {
        response.cookie(cookie);
    }
    Ok(response.json(AskResponse {
        id: asked.question_id,
        status: asked.status,
        follow_url: follow_url(&state, asked.follow_token.as_str()),
    }))
}

/// Upvotes a question; a second upvote by the same voter changes nothing. The voter is the
/// identity (the `faqtory_voter` cookie) handed out with a `GET` of the event's page or of its
/// part of the API; without one the vote is refused (`403 no_voter`).
#[utoipa::path(
    post, tag = "asking", path = "/api/v1/questions/{id}/vote",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = VoteResponse), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "`no_voter`: no voter identity yet; `cross_origin`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "voting has ended or the question awaits moderation"),
        (status = 429, body = ErrorBody),
    )
)]
pub(crate) async fn upvote(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    cast(req, state, *id, VoteAction::Upvote).await
}

/// Withdraws this voter's vote; withdrawing a vote that is not there changes nothing.
#[utoipa::path(
    delete, tag = "asking", path = "/api/v1/questions/{id}/vote",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = VoteResponse), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody),
    )
)]
pub(crate) async fn withdraw_vote(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    cast(req, state, *id, VoteAction::Withdraw).await
}

async fn cast(
    req: HttpRequest,
    state: Data,
    question_id: i64,
    action: VoteAction,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let visitor = Visitor::voter_only(&req, &state);
    let outcome = participation::cast_vote(&state, &visitor, question_id, action).await?;
    Ok(HttpResponse::Ok().json(VoteResponse {
        id: outcome.question_id,
        vote_count: outcome.vote_count,
        voted: outcome.voted,
    }))
}

/// The question behind a private follow link, and what happened to it.
#[utoipa::path(
    get, tag = "asking", path = "/api/v1/follow/{token}",
    params(("token" = String, Path, description = "the token of the follow link")),
    responses((status = 200, body = FollowResponse), (status = 404, body = ErrorBody))
)]
pub(crate) async fn follow(
    state: Data,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let followed = app::asking::follow::follow(&state.db, &token).await?;
    let question = followed.question;
    let event = followed.event;
    Ok(HttpResponse::Ok().json(FollowResponse {
        id: question.id,
        body: question.body,
        author_name: question.author_name,
        status: question.status,
        reject_reason: question.reject_reason,
        merged_into: question.merged_into,
        vote_count: question.vote_count,
        created_at: utc(question.created_at),
        event: FollowEventJson {
            slug: event.slug,
            title: event.title,
            status: event.status,
        },
    }))
}
