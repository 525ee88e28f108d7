//! The curation dashboard and the moves on questions, as forms (pages) and as the moderator API.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::errors::{ApiError, ErrorBody, PageError};
use super::table::{Access, RouteSpec};
use crate::app::answers::{self, AnswerInput};
use crate::app::{self, curation};
use crate::auth::current::{safe_next, CurrentModerator};
use crate::db::questions::Question;
use crate::domain::QuestionStatus;
use crate::error::AppError;
use crate::views::dashboard::{dashboard_page, AnswerDraft, DashboardView};
use crate::web::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(super) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod/e/{slug}", Access::Moderator, web::to(dashboard)),
        RouteSpec::post(
            "/mod/q/{id}/approve",
            Access::Moderator,
            web::to(approve_form),
        ),
        RouteSpec::post(
            "/mod/q/{id}/reject",
            Access::Moderator,
            web::to(reject_form),
        ),
        RouteSpec::post(
            "/mod/q/{id}/restore",
            Access::Moderator,
            web::to(restore_form),
        ),
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
            "/mod/q/{id}/answer",
            Access::Moderator,
            web::to(answer_form),
        ),
        RouteSpec::post(
            "/mod/q/{id}/unanswer",
            Access::Moderator,
            web::to(unanswer_form),
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
    ]
}

#[derive(Deserialize)]
struct TabQuery {
    tab: Option<String>,
}

async fn dashboard(
    state: Data,
    slug: web::Path<String>,
    query: web::Query<TabQuery>,
    csrf: CsrfToken,
    _me: CurrentModerator,
) -> Result<HttpResponse, PageError> {
    render_dashboard(
        &state,
        &slug,
        query.tab.as_deref(),
        &csrf,
        None,
        StatusCode::OK,
    )
    .await
}

async fn render_dashboard(
    state: &AppState,
    slug: &str,
    tab: Option<&str>,
    csrf: &CsrfToken,
    draft: Option<AnswerDraft<'_>>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let dashboard = curation::dashboard(&state.db, slug, tab).await?;
    let markup = dashboard_page(&DashboardView {
        dashboard: &dashboard,
        csrf: &csrf.0,
        error: None,
        draft,
        now: app::now(),
        public_base: &state.public_base,
    });
    Ok(HttpResponse::build(status)
        .content_type(header::ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markup.into_string()))
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    reason: String,
}

enum Verb {
    Approve,
    Reject,
    Restore,
    Unanswer,
}

async fn perform(
    state: &AppState,
    me: &CurrentModerator,
    id: i64,
    verb: Verb,
    reason: &str,
) -> Result<Question, AppError> {
    match verb {
        Verb::Approve => curation::approve(&state.db, me.0.id, id).await,
        Verb::Reject => curation::reject(&state.db, me.0.id, id, reason).await,
        Verb::Restore => curation::restore(&state.db, me.0.id, id).await,
        Verb::Unanswer => answers::unanswer(&state.db, me.0.id, id).await,
    }
}

async fn move_by_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: i64,
    form: MoveForm,
    verb: Verb,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message: "This page had expired, so nothing was changed. Please reload the dashboard and try again.".into(),
        }
        .into());
    }
    let question = perform(&state, &me, id, verb, &form.reason).await?;
    let back = safe_next(Some(&form.back));
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{back}#q-{}", question.id)))
        .finish())
}

async fn approve_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    move_by_form(req, state, me, *id, form.into_inner(), Verb::Approve).await
}

async fn reject_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    move_by_form(req, state, me, *id, form.into_inner(), Verb::Reject).await
}

async fn restore_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    move_by_form(req, state, me, *id, form.into_inner(), Verb::Restore).await
}

async fn unanswer_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    move_by_form(req, state, me, *id, form.into_inner(), Verb::Unanswer).await
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    answer_md: String,
    #[serde(default)]
    recording_offset: String,
    publish: Option<String>,
}

async fn answer_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    id: web::Path<i64>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message: "This page had expired, so the answer was not saved. Go back: your text is still in the form.".into(),
        }
        .into());
    }
    let back = safe_next(Some(&form.back));
    let publish = form.publish.is_some();
    let outcome = match AnswerInput::parse(&form.answer_md, &form.recording_offset, publish) {
        Ok(input) => answers::answer(&state.db, me.0.id, *id, input).await,
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(question) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("{back}#q-{}", question.id)))
            .finish()),
        Err(AppError::Invalid(invalid)) => {
            // The dashboard comes back with the answer as typed and the reason at the field.
            let (slug, tab) = dashboard_of(&back);
            let draft = AnswerDraft {
                question_id: *id,
                markdown: &form.answer_md,
                offset: &form.recording_offset,
                publish,
                field: invalid.field,
                message: &invalid.message,
            };
            render_dashboard(
                &state,
                &slug,
                tab.as_deref(),
                &csrf_token,
                Some(draft),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// The event slug and tab of a `/mod/e/{slug}?tab=…` path.
fn dashboard_of(back: &str) -> (String, Option<String>) {
    let path = back.split('#').next().unwrap_or_default();
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let slug = path.strip_prefix("/mod/e/").unwrap_or_default().to_owned();
    let tab = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("tab="))
        .map(str::to_owned);
    (slug, tab)
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// The answer, in Markdown (rendered and sanitized once, here).
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
    post, path = "/api/v1/questions/{id}/answer",
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
    body: web::Json<AnswerRequest>,
) -> Result<HttpResponse, ApiError> {
    crate::web::api_guard::check_write(&req, &state)?;
    let body = body.into_inner();
    let input = AnswerInput::parse(
        &body.answer_md,
        body.recording_offset.as_deref().unwrap_or_default(),
        body.publish.unwrap_or(true),
    )
    .map_err(AppError::from)?;
    let question = answers::answer(&state.db, me.0.id, *id, input).await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

/// Takes an answer back; the question returns to the list.
#[utoipa::path(
    delete, path = "/api/v1/questions/{id}/answer",
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
    crate::web::api_guard::check_write(&req, &state)?;
    let question = perform(&state, &me, *id, Verb::Unanswer, "").await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

/// A question as moderators see it through the API.
#[derive(Serialize, ToSchema)]
pub struct ModeratedQuestionJson {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub status: QuestionStatus,
    pub reject_reason: Option<String>,
    pub vote_count: i32,
}

impl From<Question> for ModeratedQuestionJson {
    fn from(question: Question) -> Self {
        Self {
            id: question.id,
            body: question.body,
            author_name: question.author_name,
            status: question.status,
            reject_reason: question.reject_reason,
            vote_count: question.vote_count,
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct RejectRequest {
    /// Shown to the asker on their follow page; optional, at most 500 characters.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Approves a pending (or wrongly rejected) question.
#[utoipa::path(
    post, path = "/api/v1/questions/{id}/approve",
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
    crate::web::api_guard::check_write(&req, &state)?;
    let question = perform(&state, &me, *id, Verb::Approve, "").await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

/// Rejects a pending or approved question, with an optional reason for the asker.
#[utoipa::path(
    post, path = "/api/v1/questions/{id}/reject",
    params(("id" = i64, Path)),
    request_body = RejectRequest,
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
    crate::web::api_guard::check_write(&req, &state)?;
    // The body is optional: no body means no reason.
    let request: RejectRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RejectRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|error| AppError::BadRequest {
            code: "bad_json",
            message: format!("The JSON body could not be read: {error}"),
        })?
    };
    let reason = request.reason.unwrap_or_default();
    let question = perform(&state, &me, *id, Verb::Reject, &reason).await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}
