//! `PUT /api/v1/events/{slug}/transcript`: a recording's captions file, as the request body,
//! becomes the event's transcript.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::recording::transcripts;
use crate::bus::Notice;
use crate::error::AppError;
use crate::transcript::MAX_BYTES;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

const UPLOAD_PREFIX: &str = "/api/v1/events/";
const UPLOAD_SUFFIX: &str = "/transcript";

/// The types a captions file is sent as; browsers and tools name it any of these.
const FILE_TYPES: [&str; 5] = [
    "text/vtt",
    "application/x-subrip",
    "text/plain",
    "application/octet-stream",
    "text/srt",
];

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::put(
            "/api/v1/events/{slug}/transcript",
            Access::Moderator,
            web::to(put_transcript),
        ),
        RouteSpec::get(
            "/api/v1/events/{slug}/transcript",
            Access::Moderator,
            web::to(get_transcript),
        ),
        RouteSpec::get(
            "/api/v1/events/{slug}/transcript/meaning",
            Access::Moderator,
            web::to(get_meaning_progress),
        ),
    ]
}

/// Whether a request goes to the upload, whose body may be as large as a transcript.
pub fn is_upload(path: &str) -> bool {
    path.strip_prefix(UPLOAD_PREFIX)
        .and_then(|rest| rest.strip_suffix(UPLOAD_SUFFIX))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

#[derive(Serialize, ToSchema)]
pub struct TranscriptImportedJson {
    /// Cues with text (empty ones are left out).
    pub cues: usize,
    /// Where the last cue ends.
    pub duration_secs: f64,
}

#[derive(Serialize, ToSchema)]
pub struct CueJson {
    pub start_secs: f64,
    pub end_secs: f64,
    /// Who speaks, when the file said (WebVTT's `<v Name>`).
    pub speaker: Option<String>,
    /// Plain text: markup removed, entities decoded.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct TranscriptJson {
    /// `webvtt`, `srt` or `text` (time-stamped turns): what the file was; `speech`: transcribed
    /// on this server from the recording.
    pub format: String,
    pub duration_secs: f64,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    pub cues: Vec<CueJson>,
}

/// The event's transcript as it was read: every cue with text, in time order.
#[utoipa::path(
    get, tag = "recording", path = "/api/v1/events/{slug}/transcript",
    params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = TranscriptJson),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such event, or no transcript yet"),
    )
)]
pub async fn get_transcript(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (summary, cues) = transcripts::of_event(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound { what: "transcript" })?;
    let seconds = |millis: i64| millis as f64 / 1000.0;
    Ok(HttpResponse::Ok().json(TranscriptJson {
        format: summary.format,
        duration_secs: seconds(summary.duration_ms),
        imported_at: crate::routes::api_types::utc(summary.imported_at),
        cues: cues
            .into_iter()
            .map(|cue| CueJson {
                start_secs: seconds(cue.start_ms),
                end_secs: seconds(cue.end_ms),
                speaker: cue.speaker,
                text: cue.text,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MeaningProgressJson {
    /// The sentence model proposals match by meaning with; none when the site matches by words.
    pub model: Option<String>,
    /// Cues of the transcript.
    pub cues: i64,
    /// Cues read by meaning so far; proposals use meaning once all are.
    pub embedded: i64,
}

/// How far the transcript has been read by meaning in the background since it was uploaded.
#[utoipa::path(
    get, tag = "recording", path = "/api/v1/events/{slug}/transcript/meaning",
    params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = MeaningProgressJson),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such event, or no transcript yet"),
    )
)]
pub async fn get_meaning_progress(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let progress = transcripts::meaning_progress(&state.db, &state.meaning(), &slug)
        .await?
        .ok_or(AppError::NotFound { what: "transcript" })?;
    Ok(HttpResponse::Ok().json(MeaningProgressJson {
        model: state.meaning().model_tag(),
        cues: progress.cues,
        embedded: progress.embedded,
    }))
}

/// Replaces the event's transcript with a WebVTT or SRT file. A bad file is refused whole with the
/// number of the line that is wrong (422, `field` = `transcript`).
#[utoipa::path(
    put, tag = "recording", path = "/api/v1/events/{slug}/transcript",
    params(("slug" = String, Path)),
    request_body(content = String, content_type = "text/vtt", description = "The WebVTT or SRT file itself (`text/vtt`, `application/x-subrip`, `text/plain`), at most 20 MB of UTF-8"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = TranscriptImportedJson),
        (status = 400, body = ErrorBody, description = "`file_type`: not a captions file's type"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
pub async fn put_transcript(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentModerator,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    check_upload(&req, &state)?;
    let bytes = match payload.to_bytes_limited(MAX_BYTES).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => {
            return Err(AppError::BadRequest {
                code: "bad_body",
                message: format!("The file could not be read: {error}"),
            }
            .into())
        }
        Err(_) => {
            return Err(AppError::PayloadTooLarge {
                limit_bytes: MAX_BYTES,
            }
            .into())
        }
    };
    let imported = transcripts::import(&state.db, Some(me.0.id), &slug, bytes.to_vec()).await?;
    // The event's page now offers captions.
    state.bus.publish(Notice::event(imported.event_id));
    Ok(HttpResponse::Ok().json(TranscriptImportedJson {
        cues: imported.cues,
        duration_secs: imported.duration_secs,
    }))
}

/// A file upload is no JSON write: its type must be a captions file's, and a browser's `Origin`
/// must be this site (a session cookie also needs the CSRF header, checked with the session).
fn check_upload(req: &HttpRequest, state: &AppState) -> Result<(), AppError> {
    let file_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase());
    if !file_type.is_some_and(|mime| FILE_TYPES.contains(&mime.as_str())) {
        return Err(AppError::BadRequest {
            code: "file_type",
            message: "Send the transcript file itself, as `text/vtt` (WebVTT) or \
                      `application/x-subrip` (SRT)."
                .into(),
        });
    }
    crate::web::security::api_guard::check_origin(req, state)
}
