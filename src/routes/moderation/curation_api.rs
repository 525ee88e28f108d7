//! The moderator API for questions: the same moves as the dashboard's forms, as JSON.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::moderation::answers::{self, AnswerInput};
use crate::app::moderation::editing;
use crate::db::questions::Question;
use crate::domain::{LabelName, QuestionBody, QuestionStatus};
use crate::error::AppError;
use crate::routes::moderation::curation::{perform, Verb};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::extract::json_object::{from_object, JsonObject};
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

/// The moves that take nothing but the question: checked like every API write, answered with the
/// question as it is now.
async fn move_as_json(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: i64,
    verb: Verb,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let question = perform(&state, &me, id, verb, "").await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/api/v1/questions/{id}/approve",
            Access::Moderator,
            web::to(approve_api),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/reject",
            Access::Moderator,
            web::to(reject_api),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/answer",
            Access::Moderator,
            web::to(answer_api),
        ),
        RouteSpec::delete(
            "/api/v1/questions/{id}/answer",
            Access::Moderator,
            web::to(unanswer_api),
        ),
        RouteSpec::patch(
            "/api/v1/questions/{id}",
            Access::Moderator,
            web::to(edit_api),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/on-screen",
            Access::Moderator,
            web::to(on_screen_api),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/moderator-vote",
            Access::Moderator,
            web::to(moderator_vote_api),
        ),
        RouteSpec::delete(
            "/api/v1/questions/{id}/moderator-vote",
            Access::Moderator,
            web::to(moderator_unvote_api),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/automated-votes-discount",
            Access::Moderator,
            web::to(discount_automated_api),
        ),
        RouteSpec::delete(
            "/api/v1/questions/{id}/automated-votes-discount",
            Access::Moderator,
            web::to(count_automated_api),
        ),
    ]
}

/// A question as moderators see it through the API.
#[derive(Serialize, ToSchema)]
pub struct ModeratedQuestionJson {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub status: QuestionStatus,
    pub reject_reason: Option<String>,
    /// The question this one was merged into.
    pub merged_into: Option<i64>,
    pub vote_count: i32,
    pub on_screen: bool,
}

impl From<Question> for ModeratedQuestionJson {
    fn from(question: Question) -> Self {
        Self {
            id: question.id,
            body: question.body,
            author_name: question.author_name,
            status: question.status,
            reject_reason: question.reject_reason,
            merged_into: question.merged_into,
            vote_count: question.vote_count,
            on_screen: question.on_screen,
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct RejectRequest {
    /// Shown to the asker on their follow page; optional, at most 500 characters of plain text.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// Approves a pending (or wrongly rejected) question.
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/approve",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn approve_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    move_as_json(req, state, me, *id, Verb::Approve).await
}

/// Rejects a pending or approved question, with an optional reason for the asker.
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/reject",
    params(("id" = i64, Path)),
    request_body = Option<RejectRequest>,
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn reject_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    // The body is optional: no body (or `null`) means no reason.
    let request: RejectRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RejectRequest::default()
    } else {
        let value = serde_json::from_slice(&body).map_err(|error| AppError::BadRequest {
            code: "bad_json",
            message: format!("The JSON body could not be read: {error}"),
        })?;
        match value {
            serde_json::Value::Null => RejectRequest::default(),
            value => from_object(value)?,
        }
    };
    let reason = request.reason.unwrap_or_default();
    let question = perform(&state, &me, *id, Verb::Reject, &reason).await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// The answer, in Markdown (rendered and sanitized once, here); not blank.
    #[schema(min_length = 1, max_length = 20000)]
    pub answer_md: String,
    /// The moment in the event's recording: `1:23:45`, `83:10` or seconds.
    #[serde(default)]
    pub recording_offset: Option<String>,
    /// Publish to the FAQ (default true).
    #[serde(default)]
    pub publish: Option<bool>,
}

/// Answers a question, or replaces its answer.
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/answer",
    params(("id" = i64, Path)),
    request_body = AnswerRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn answer_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<AnswerRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let body = body.into_inner();
    let input = AnswerInput::parse_off_workers(
        body.answer_md,
        body.recording_offset.unwrap_or_default(),
        body.publish.unwrap_or(true),
    )
    .await?;
    let question = answers::answer(&state.db, &state.bus, me.0.id, *id, input).await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

/// Takes an answer back; the question returns to the list.
#[utoipa::path(
    delete, tag = "moderation", path = "/api/v1/questions/{id}/answer",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn unanswer_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    move_as_json(req, state, me, *id, Verb::Unanswer).await
}

#[derive(Deserialize, ToSchema)]
pub struct EditRequest {
    /// New wording, 10 to 1,000 characters once white space is normalised; the original is kept
    /// for moderators.
    #[serde(default)]
    #[schema(min_length = 10, max_length = 1000)]
    pub body: Option<String>,
    /// The question's labels (at most 10 different ones, each at most 30 characters), replacing
    /// the ones it had (created for the event as first used).
    #[serde(default)]
    pub labels: Option<Vec<String>>,
}

/// Edits a question's text and/or its labels.
#[utoipa::path(
    patch, tag = "moderation", path = "/api/v1/questions/{id}",
    params(("id" = i64, Path)),
    request_body = EditRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn edit_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<EditRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let body = body.into_inner();
    if body.body.is_none() && body.labels.is_none() {
        return Err(AppError::Invalid(crate::domain::Invalid::new(
            "body",
            "Send `body`, `labels`, or both.",
        ))
        .into());
    }
    // Everything is checked before anything is written.
    let text = body
        .body
        .as_deref()
        .map(QuestionBody::parse)
        .transpose()
        .map_err(AppError::from)?;
    let labels = body
        .labels
        .as_ref()
        .map(|names| LabelName::parse_each(names.iter().map(String::as_str)))
        .transpose()
        .map_err(AppError::from)?;
    let question = editing::edit(&state.db, &state.bus, me.0.id, *id, text, labels).await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

/// Puts a question on screen (the one of its event that was there comes off).
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/on-screen",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn on_screen_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    move_as_json(req, state, me, *id, Verb::OnScreen).await
}

/// Adds this moderator's own vote (kept apart from the public count).
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/moderator-vote",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn moderator_vote_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    move_as_json(req, state, me, *id, Verb::ModeratorVote).await
}

/// Withdraws this moderator's own vote.
#[utoipa::path(
    delete, tag = "moderation", path = "/api/v1/questions/{id}/moderator-vote",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn moderator_unvote_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    move_as_json(req, state, me, *id, Verb::ModeratorUnvote).await
}

/// Stops counting the votes on a question (and on the questions merged into it) that came in a
/// burst from one network within a minute; undone with DELETE.
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/automated-votes-discount",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn discount_automated_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    move_as_json(req, state, me, *id, Verb::DiscountAutomated).await
}

/// Counts a question's discounted automated votes again.
#[utoipa::path(
    delete, tag = "moderation", path = "/api/v1/questions/{id}/automated-votes-discount",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn count_automated_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    move_as_json(req, state, me, *id, Verb::CountAutomated).await
}
