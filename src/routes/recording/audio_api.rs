//! `/api/v1/events/{slug}/recording/audio`: a recording, as the request body, to be transcribed
//! (`POST`); the transcription's state and progress (`GET`); stopping it (`DELETE`).

use std::io::Write;

use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::app::recording::transcription::{self, TranscriptionRequest, TranscriptionState};
use crate::bus::Notice;
use crate::error::AppError;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

const PREFIX: &str = "/api/v1/events/";
const SUFFIX: &str = "/recording/audio";

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/api/v1/events/{slug}/recording/audio",
            Access::Moderator,
            web::to(post_audio),
        ),
        RouteSpec::get(
            "/api/v1/events/{slug}/recording/audio",
            Access::Moderator,
            web::to(get_audio),
        ),
        RouteSpec::delete(
            "/api/v1/events/{slug}/recording/audio",
            Access::Moderator,
            web::to(delete_audio),
        ),
    ]
}

/// Whether a request goes to the upload, whose body may be as large as a recording.
pub fn is_upload(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

#[derive(Deserialize)]
pub struct AudioQuery {
    /// The file's name, to show ("call.mp4").
    name: Option<String>,
    /// The language spoken, as a code ("en", the default; "de", "fr"…).
    language: Option<String>,
}

/// Refuses before any byte is stored when this server cannot transcribe.
pub(crate) fn check_can_transcribe(state: &AppState) -> Result<(), AppError> {
    if crate::speech::fetch::is_complete(state.transcriber.model_dir()) {
        Ok(())
    } else {
        Err(AppError::Conflict {
            code: "no_speech_model",
            message: "This server has no speech model yet: an admin installs it with \
                      `faqtory model fetch --speech`."
                .to_owned(),
        })
    }
}

/// A place for an upload while it is read: removed when dropped, whatever happens.
pub(crate) fn upload_file(state: &AppState) -> Result<tempfile::NamedTempFile, AppError> {
    std::fs::create_dir_all(&state.uploads_dir)
        .and_then(|()| tempfile::NamedTempFile::new_in(&state.uploads_dir))
        .map_err(|error| AppError::internal("making room for an upload", error))
}

/// Streams the body into `file`, refusing it once it passes `limit` bytes.
async fn receive(
    mut payload: web::Payload,
    file: &mut tempfile::NamedTempFile,
    limit: usize,
) -> Result<usize, AppError> {
    let mut received = 0usize;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, file.as_file_mut());
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| AppError::BadRequest {
            code: "bad_body",
            message: format!("The upload broke off: {error}"),
        })?;
        received += chunk.len();
        if received > limit {
            return Err(AppError::PayloadTooLarge { limit_bytes: limit });
        }
        writer
            .write_all(&chunk)
            .map_err(|error| AppError::internal("keeping an upload", error))?;
    }
    writer
        .flush()
        .map_err(|error| AppError::internal("keeping an upload", error))?;
    Ok(received)
}

/// Starts transcribing the recording sent as the body (MP4/M4A, MP3, WAV, FLAC, Ogg, WebM/MKV;
/// Opus through ffmpeg when the server has it). The file is read before the answer: a file
/// that is not a recording, cut short or in a codec the server cannot read is refused (422,
/// `field` = `recording`) and nothing is kept. The event's transcript changes only when the
/// transcription ends well.
#[utoipa::path(
    post, tag = "recording", path = "/api/v1/events/{slug}/recording/audio",
    params(
        ("slug" = String, Path),
        ("name" = Option<String>, Query, description = "The file's name, to show"),
        ("language" = Option<String>, Query, description = "The language spoken: `en` (the default), `de`, `fr`…"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The recording itself, at most the server's `--max-recording-mb`"),
    security(("bearer" = [])),
    responses(
        (status = 202, body = TranscriptionState, description = "Queued"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`transcription_under_way` or `no_speech_model`"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
pub async fn post_audio(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentModerator,
    slug: web::Path<String>,
    query: web::Query<AudioQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    crate::web::security::api_guard::check_origin(&req, &state)?;
    check_can_transcribe(&state)?;
    let language = transcription::parse_language(query.language.as_deref().unwrap_or("en"))
        .map_err(AppError::from)?;
    let mut file = upload_file(&state)?;
    let received = receive(payload, &mut file, state.recording_limit()).await?;
    if received == 0 {
        return Err(AppError::from(crate::domain::Invalid::new(
            "recording",
            "The upload is empty: send the recording file as the request body.",
        ))
        .into());
    }
    let request = TranscriptionRequest {
        slug: slug.into_inner(),
        actor: Some(me.0.id),
        source_name: query.name.clone().unwrap_or_default(),
        language,
    };
    let queued = transcription::prepare(
        &state.db,
        state.clock.now(),
        state.speech.ffmpeg.clone(),
        request,
        file.path(),
    )
    .await?;
    drop(file);
    state.transcriber.wake();
    state.bus.publish(Notice::event(queued.event_id));
    Ok(HttpResponse::Accepted().json(queued))
}

/// The event's latest transcription: its state (`preparing`, `queued`, `running`, `done`,
/// `failed`, `cancelled`), how far it got and how long it has left.
#[utoipa::path(
    get, tag = "recording", path = "/api/v1/events/{slug}/recording/audio",
    params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = TranscriptionState),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such event, or it never had a recording transcribed"),
    )
)]
pub async fn get_audio(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = transcription::state_of(&state.db, &slug, state.clock.now())
        .await?
        .ok_or(AppError::NotFound {
            what: "transcription",
        })?;
    Ok(HttpResponse::Ok().json(found))
}

/// Stops the event's transcription: at once when it waits, after the 30 s window in hand when it
/// runs. The event's transcript stays as it was.
#[utoipa::path(
    delete, tag = "recording", path = "/api/v1/events/{slug}/recording/audio",
    params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = TranscriptionState),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Nothing under way"),
    )
)]
pub async fn delete_audio(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    crate::web::security::api_guard::check_origin(&req, &state)?;
    let stopped = transcription::cancel(&state.db, &slug, state.clock.now()).await?;
    state.bus.publish(Notice::event(stopped.event_id));
    Ok(HttpResponse::Ok().json(stopped))
}
