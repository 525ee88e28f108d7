//! "Answer with this section", for moderators: from a dashboard row
//! (`POST /mod/q/{id}/answer-with-doc`) and through the API
//! (`POST /api/v1/questions/{id}/answer-with-doc`).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::docs::answering::answer_with_section;
use crate::routes::moderation::curation_api::ModeratedQuestionJson;
use crate::routes::moderation::dashboard::back_to_row;
use crate::web::extract::current_moderator::{safe_next, CurrentModerator};
use crate::web::extract::json_object::JsonObject;
use crate::web::extract::whole_number::whole_number;
use crate::web::responses::errors::{ApiError, ErrorBody, PageError};
use crate::web::responses::respond::expired_form;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::security::csrf;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/mod/q/{id}/answer-with-doc",
            Access::Moderator,
            web::to(answer_form),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/answer-with-doc",
            Access::Moderator,
            web::to(answer_api),
        ),
    ]
}

#[derive(Deserialize)]
struct AnswerWithDocForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    section: String,
}

async fn answer_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<AnswerWithDocForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let section: i64 =
        form.section
            .trim()
            .parse()
            .map_err(|_| crate::error::AppError::NotFound {
                what: "documentation section",
            })?;
    let back = safe_next(Some(&form.back));
    let question = answer_with_section(&state.db, &state.bus, me.0.id, *id, section).await?;
    Ok(back_to_row(&back, question.id))
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerWithDocRequest {
    /// The documentation section that answers the question.
    #[serde(deserialize_with = "whole_number")]
    pub section_id: i64,
}

/// Answers a question with a documentation section: an answer that links the section and quotes
/// its opening, published to the FAQ; the asker is told as for any answer.
#[utoipa::path(
    post, tag = "docs", path = "/api/v1/questions/{id}/answer-with-doc",
    params(("id" = i64, Path)),
    request_body = AnswerWithDocRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn answer_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<AnswerWithDocRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let question =
        answer_with_section(&state.db, &state.bus, me.0.id, *id, body.section_id).await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}
