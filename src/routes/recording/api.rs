//! The recording's side of an event, for scripts and other tools: how the recording lines up
//! with the call, and each question's proposed moment and draft answer.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::recording::accept::{self, Acceptance};
use crate::app::recording::proposals;
use crate::app::recording::timeline::{self, RecordingStart};
use crate::domain::{Invalid, RecordingOffset};
use crate::error::AppError;
use crate::routes::api_types::utc;
use crate::routes::moderation::curation_api::ModeratedQuestionJson;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::extract::json_object::JsonObject;
use crate::web::extract::whole_number::whole_number;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(
            "/api/v1/events/{slug}/recording/proposals",
            Access::Moderator,
            web::to(list_proposals),
        ),
        RouteSpec::put(
            "/api/v1/events/{slug}/recording/timeline",
            Access::Moderator,
            web::to(set_timeline),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/recording/accept",
            Access::Moderator,
            web::to(accept_proposal),
        ),
        RouteSpec::get(
            "/api/v1/events/{slug}/chapters",
            Access::Moderator,
            web::to(list_chapters),
        ),
    ]
}

#[derive(Deserialize, ToSchema)]
pub struct SyncPoint {
    /// A question of the event that was put on screen during the call.
    #[serde(deserialize_with = "whole_number")]
    pub question_id: i64,
    /// Where in the recording it (first) came on screen: `34:10`, `1:02:03` or seconds.
    pub at: String,
}

#[derive(Deserialize, ToSchema)]
pub struct TimelineRequest {
    /// When the recording started (RFC 3339); `null` when unknown. Give this or `sync`.
    #[serde(default, deserialize_with = "crate::routes::events::api::present")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub started_at: Option<Option<String>>,
    /// Or one question's moment in the recording, from which the start is worked out.
    #[serde(default)]
    pub sync: Option<SyncPoint>,
}

#[derive(Serialize, ToSchema)]
pub struct TimelineJson {
    /// When the recording started; null when unknown.
    pub started_at: Option<DateTime<Utc>>,
}

impl TimelineRequest {
    fn start(&self) -> Result<RecordingStart, Invalid> {
        match (&self.started_at, &self.sync) {
            (Some(_), Some(_)) | (None, None) => Err(Invalid::new(
                "started_at",
                "Give either `started_at` or `sync`.",
            )),
            (Some(None), None) => Ok(RecordingStart::Unknown),
            (Some(Some(at)), None) => DateTime::parse_from_rfc3339(at.trim())
                .map(|at| RecordingStart::At(at.with_timezone(&Utc).naive_utc()))
                .map_err(|_| {
                    Invalid::new(
                        "started_at",
                        "`started_at` is a time like 2026-12-03T17:00:00Z.",
                    )
                }),
            (None, Some(sync)) => {
                let at = RecordingOffset::parse_optional(&sync.at)
                    .map_err(|error| Invalid::new("sync", error.message))?
                    .ok_or_else(|| Invalid::new("sync", "Give the moment in the recording."))?;
                Ok(RecordingStart::Sync {
                    question_id: sync.question_id,
                    at,
                })
            }
        }
    }
}

/// Lines the recording up with the call: when it started, or one question's moment in it.
#[utoipa::path(
    put, tag = "recording", path = "/api/v1/events/{slug}/recording/timeline",
    params(("slug" = String, Path)),
    request_body = TimelineRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = TimelineJson),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
pub async fn set_timeline(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentModerator,
    slug: web::Path<String>,
    body: JsonObject<TimelineRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let start = body.start().map_err(AppError::from)?;
    let started_at = timeline::set_start(&state.db, Some(me.0.id), &slug, start).await?;
    Ok(HttpResponse::Ok().json(TimelineJson {
        started_at: started_at.map(utc),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ProposalJson {
    pub question_id: i64,
    /// Where in the recording the question was discussed.
    pub at_secs: f64,
    /// Where that passage ends: the next question's moment, or a few minutes on.
    pub end_secs: f64,
    /// From 0 to 1: how much of the question's words were said there.
    pub confidence: f32,
    /// `on_screen`: when it was put on screen (exact); `transcript`: found by its words.
    pub source: String,
    /// The speakers' own sentences from the passage, for a moderator to accept or correct.
    pub draft: String,
}

/// For every approved or answered question: where in the recording it was discussed (its
/// on-screen time once the timeline is known, otherwise what the transcript matches), and a draft
/// answer from what was said there.
#[utoipa::path(
    get, tag = "recording", path = "/api/v1/events/{slug}/recording/proposals",
    params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = [ProposalJson]),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
pub async fn list_proposals(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let proposals = proposals::proposals(&state.db, &state.meaning(), &slug).await?;
    let seconds = |millis: i64| millis as f64 / 1000.0;
    let body: Vec<ProposalJson> = proposals
        .into_iter()
        .map(|proposal| ProposalJson {
            question_id: proposal.question_id,
            at_secs: seconds(proposal.at_ms),
            end_secs: seconds(proposal.end_ms),
            confidence: proposal.confidence,
            source: proposal.source.as_str().to_owned(),
            draft: proposal.draft.text(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct AcceptRequest {
    /// The moment in the recording, in seconds; the proposal's when absent (nudged: ±10 s, or
    /// another cue's start).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 86400)]
    pub at_secs: Option<u32>,
    /// The answer in Markdown; when absent, the answer the question has, or else the proposal's
    /// draft.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 20000)]
    pub answer_md: Option<String>,
}

/// Accepts a question's proposal: sets its moment in the recording and its answer (published as
/// usual, in the audit log, taken back with `DELETE /api/v1/questions/{id}/answer`).
#[utoipa::path(
    post, tag = "recording", path = "/api/v1/questions/{id}/recording/accept",
    params(("id" = i64, Path)),
    request_body = AcceptRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = ModeratedQuestionJson),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
pub async fn accept_proposal(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentModerator,
    id: web::Path<i64>,
    body: JsonObject<AcceptRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let body = body.into_inner();
    let acceptance = Acceptance {
        at_secs: body.at_secs,
        answer_md: body.answer_md,
    };
    let question = accept::accept(
        &state.db,
        &state.meaning(),
        &state.bus,
        me.0.id,
        *id,
        acceptance,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ModeratedQuestionJson::from(question)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChaptersQuery {
    /// `text` (the list video sites read from a description; the default) or `vtt` (a WebVTT
    /// chapters track); anything else is 422
    #[param(pattern = "^(text|vtt)?$")]
    pub format: Option<String>,
}

/// The recording's chapters, from the moments of its answered questions: the first at 00:00, each
/// at least 10 s after the one before.
#[utoipa::path(
    get, tag = "recording", path = "/api/v1/events/{slug}/chapters",
    params(("slug" = String, Path), ChaptersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`text/plain` by default; `text/vtt` with `format=vtt`",
            content((String = "text/plain"), (String = "text/vtt"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
pub async fn list_chapters(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ChaptersQuery>,
) -> Result<HttpResponse, ApiError> {
    let vtt = match query.format.as_deref() {
        None | Some("" | "text") => false,
        Some("vtt") => true,
        Some(_) => {
            return Err(AppError::from(Invalid::new(
                "format",
                "The chapters' format is `text` or `vtt`.",
            ))
            .into())
        }
    };
    let (chapters, end_secs) = proposals::chapters(&state.db, &slug).await?;
    Ok(if vtt {
        HttpResponse::Ok()
            .content_type("text/vtt; charset=utf-8")
            .body(crate::transcript::chapters_as_webvtt(&chapters, end_secs))
    } else {
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(crate::transcript::chapters_as_text(&chapters))
    })
}
