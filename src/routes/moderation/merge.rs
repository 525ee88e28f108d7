//! Merging duplicates from the dashboard and the API, and taking merges back.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::moderation::merge;
use crate::error::AppError;
use crate::routes::moderation::curation::{perform, Verb};
use crate::routes::moderation::curation_api::ModeratedQuestionJson;
use crate::routes::moderation::dashboard::{
    back_to_row, refused, render_dashboard_with_error, DashboardAddress, Drafts,
};
use crate::web::extract::current_moderator::{safe_next, CurrentModerator};
use crate::web::extract::json_object::JsonObject;
use crate::web::extract::whole_number::{optional_whole_number, whole_number};
use crate::web::responses::errors::{ApiError, ErrorBody, PageError};
use crate::web::responses::respond::{expired_form, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        // Before `/mod/q/{id}/{verb}`, which would take "merge" for a verb.
        RouteSpec::post("/mod/q/{id}/merge", Access::Moderator, web::to(merge_form)),
        RouteSpec::post(
            "/mod/e/{slug}/merge",
            Access::Moderator,
            web::to(bulk_merge_form),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/unmerge",
            Access::Moderator,
            web::to(bulk_unmerge_form),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/merge",
            Access::Moderator,
            web::to(merge_api),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/unmerge",
            Access::Moderator,
            web::to(unmerge_api),
        ),
    ]
}

#[derive(Deserialize)]
struct MergeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    /// The target's number, `12` or `#12`.
    #[serde(default)]
    into: String,
    /// `move` gives the merged question's answer to the target; `leave` keeps it where it is.
    #[serde(default)]
    answer: String,
}

/// Back to the canonical question's row; a moderator page names what was merged, to say so
/// with its undo.
fn back_after_merge(back: &str, merged: &[i64], canonical: i64) -> HttpResponse {
    if !back.starts_with("/mod/e/") || merged.is_empty() {
        return back_to_row(back, canonical);
    }
    let (path, _) = back.split_once('#').unwrap_or((back, ""));
    let separator = if path.contains('?') { '&' } else { '?' };
    let ids: Vec<String> = merged.iter().map(i64::to_string).collect();
    see_other(&format!(
        "{path}{separator}merged={}#q-{canonical}",
        ids.join(",")
    ))
}

/// `12`, `#12`, or a picker's `#12 · How do I…`: the number counts.
fn parse_target(raw: &str) -> Result<i64, crate::domain::Invalid> {
    let digits: String = raw
        .trim()
        .trim_start_matches('#')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .ok()
        .filter(|id: &i64| *id > 0)
        .ok_or_else(|| {
            crate::domain::Invalid::new(
                "into",
                "Give the number of the question to merge into, like 12.",
            )
        })
}

async fn merge_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    id: web::Path<i64>,
    form: web::Form<MergeForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let id = *id;
    let back = safe_next(Some(&form.back));
    let outcome = match parse_target(&form.into) {
        Ok(into) => {
            let keep_answer_of = match form.answer.as_str() {
                "move" => Some(id),
                "leave" => Some(into),
                _ => None,
            };
            merge::merge(&state.db, &state.bus, me.0.id, id, into, keep_answer_of).await
        }
        Err(invalid) => Err(invalid.into()),
    };
    let message = match outcome {
        Ok(canonical) => return Ok(back_after_merge(&back, &[id], canonical.id)),
        Err(AppError::Invalid(invalid)) => invalid.message,
        Err(AppError::Conflict { message, .. }) => message,
        Err(AppError::NotFound { .. }) => format!("There is no question #{}.", form.into.trim()),
        Err(other) => return Err(other.into()),
    };
    let drafts = Drafts {
        merge: Some((id, &form.into, &message)),
        ..Drafts::default()
    };
    refused(&state, &me, &back, &csrf_token, drafts).await
}

/// The ticked questions (`ids`, repeated) merged into `into`. Read by hand: a form repeats the
/// key, which the usual form extractor does not collect.
async fn bulk_merge_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (mut csrf_value, mut back, mut into, mut ids) =
        (String::new(), String::new(), String::new(), Vec::new());
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "csrf" => csrf_value = value.into_owned(),
            "back" => back = value.into_owned(),
            "into" => into = value.into_owned(),
            "ids" => ids.extend(value.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    if !csrf::verify(&req, &state, &csrf_value) {
        return Err(expired_form().into());
    }
    let back = safe_next(Some(&back));
    let outcome = match parse_target(&into) {
        Ok(target) => {
            ids.retain(|id| *id != target);
            merge::merge_many(&state.db, &state.bus, me.0.id, ids.clone(), target, None).await
        }
        Err(invalid) => Err(invalid.into()),
    };
    let message = match outcome {
        Ok(canonical) => return Ok(back_after_merge(&back, &ids, canonical.id)),
        Err(AppError::Invalid(invalid)) => invalid.message,
        Err(AppError::Conflict { message, .. }) => message,
        Err(AppError::NotFound { .. }) => format!("There is no question #{}.", into.trim()),
        Err(other) => return Err(other.into()),
    };
    let mut address = DashboardAddress::from_path(&back);
    address.slug = slug.into_inner();
    render_dashboard_with_error(&state, &me, &address, &csrf_token, &message).await
}

/// The undo of a merge just made from a dashboard page: each question (`ids`, repeated) taken
/// back out of the one it went into.
async fn bulk_unmerge_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    _slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (mut csrf_value, mut back, mut ids) = (String::new(), String::new(), Vec::new());
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "csrf" => csrf_value = value.into_owned(),
            "back" => back = value.into_owned(),
            "ids" => ids.extend(value.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    if !csrf::verify(&req, &state, &csrf_value) {
        return Err(expired_form().into());
    }
    let back = safe_next(Some(&back));
    let mut first = None;
    for id in ids {
        match merge::unmerge(&state.db, &state.bus, me.0.id, id).await {
            Ok(question) => {
                first.get_or_insert(question.id);
            }
            // Taken back meanwhile (another moderator, another tab): nothing left to undo.
            Err(AppError::Conflict { .. } | AppError::NotFound { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(match first {
        Some(id) => back_to_row(&back, id),
        None => see_other(&back),
    })
}

#[derive(Deserialize, ToSchema)]
pub struct MergeRequest {
    /// The question to merge into; if it is merged itself, its canonical question is used.
    #[serde(deserialize_with = "whole_number")]
    pub into: i64,
    /// Needed only when the merged question is answered and the target is not: the merged
    /// question's id moves its answer to the target, the target's id leaves it where it is.
    #[serde(default, deserialize_with = "optional_whole_number")]
    pub keep_answer_of: Option<i64>,
}

/// Merges a question into another of its event; answers with the canonical question.
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/merge",
    params(("id" = i64, Path)),
    request_body = MergeRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn merge_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let canonical = merge::merge(
        &state.db,
        &state.bus,
        me.0.id,
        *id,
        body.into,
        body.keep_answer_of,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(canonical)))
}

/// Takes a merge back: counts, status, labels and answer return to what they were.
#[utoipa::path(
    post, tag = "moderation", path = "/api/v1/questions/{id}/unmerge",
    params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ModeratedQuestionJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn unmerge_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let question = perform(&state, &me, *id, Verb::Unmerge, "").await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}
