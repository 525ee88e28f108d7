//! The recording page's transcription forms: a recording uploaded to be transcribed (streamed to
//! disk, never held in memory), and cancelling the transcription under way.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use std::io::Write;

use super::audio_api::{check_can_transcribe, upload_file};
use super::page::{is_multipart, refused_again};
use crate::app::recording::transcription::{self, TranscriptionRequest};
use crate::bus::Notice;
use crate::domain::Invalid;
use crate::error::AppError;
use crate::views::recording::recording_view::Refused;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf;
use crate::web::AppState;

/// Short fields (the token, the language) are never longer than this.
const TEXT_FIELD_LIMIT: usize = 1024;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/mod/e/{slug}/recording/audio",
            Access::Moderator,
            web::to(upload_recording),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/recording/audio/cancel",
            Access::Moderator,
            web::to(cancel_transcription),
        ),
    ]
}

/// The form's fields: the recording goes to `file`, the rest is kept as text.
#[derive(Default)]
struct RecordingForm {
    csrf: String,
    language: String,
    file_name: String,
    bytes: usize,
}

/// Reads the form, keeping the recording in `file`. The page's form sends its token before the
/// file: a file that comes without a good token before it is refused unread, so another site
/// cannot make the server store uploads.
async fn read_form(
    mut multipart: Multipart,
    file: &mut tempfile::NamedTempFile,
    limit: usize,
    token_is_good: &dyn Fn(&str) -> bool,
) -> Result<RecordingForm, AppError> {
    let broke_off = |error: actix_multipart::MultipartError| AppError::BadRequest {
        code: "bad_form",
        message: format!("The upload could not be read ({error}); choose the file again."),
    };
    let mut form = RecordingForm::default();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(broke_off)?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == "recording" {
            if !token_is_good(&form.csrf) {
                return Err(expired_form());
            }
            form.file_name = field
                .content_disposition()
                .and_then(|disposition| disposition.get_filename())
                .unwrap_or_default()
                .to_owned();
            let mut writer = std::io::BufWriter::with_capacity(1 << 20, file.as_file_mut());
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(broke_off)?;
                form.bytes += chunk.len();
                if form.bytes > limit {
                    return Err(AppError::PayloadTooLarge { limit_bytes: limit });
                }
                writer
                    .write_all(&chunk)
                    .map_err(|error| AppError::internal("keeping an upload", error))?;
            }
            writer
                .flush()
                .map_err(|error| AppError::internal("keeping an upload", error))?;
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(broke_off)?;
            if text.len() + chunk.len() > TEXT_FIELD_LIMIT {
                return Err(AppError::BadRequest {
                    code: "bad_form",
                    message: format!("The form's {name} field is too long."),
                });
            }
            text.extend_from_slice(&chunk);
        }
        let text = String::from_utf8_lossy(&text).into_owned();
        match name.as_str() {
            "csrf" => form.csrf = text,
            "language" => form.language = text,
            _ => {}
        }
    }
    Ok(form)
}

async fn upload_recording(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentModerator,
    slug: web::Path<String>,
    multipart: Result<Multipart, actix_web::Error>,
) -> Result<HttpResponse, PageError> {
    // Not the page's form at all (which is multipart, with its token): refused like any form
    // without one.
    let (Ok(multipart), true) = (multipart, is_multipart(&req)) else {
        return Err(expired_form().into());
    };
    let mut file = upload_file(&state)?;
    let token_is_good = |token: &str| csrf::verify(&req, &state, token);
    let form = read_form(
        multipart,
        &mut file,
        state.recording_limit(),
        &token_is_good,
    )
    .await?;
    if !token_is_good(&form.csrf) {
        return Err(expired_form().into());
    }
    let language = form.language.clone();
    let refuse = |message: String| Refused {
        recording: Some(message),
        language: Some(language.chars().take(3).collect()),
        ..Refused::default()
    };
    let checked = check_can_transcribe(&state).and_then(|()| {
        if form.bytes == 0 {
            Err(Invalid::new("recording", "Choose the recording's file first.").into())
        } else {
            Ok(())
        }
    });
    if let Err(error) = checked {
        let error = match error {
            AppError::Conflict { message, .. } => Invalid::new("recording", message).into(),
            other => other,
        };
        return refused_again(&state, &slug, &form.csrf, error, refuse).await;
    }
    let request = TranscriptionRequest {
        slug: slug.to_string(),
        actor: Some(me.0.id),
        source_name: form.file_name.clone(),
        language: form.language.clone(),
    };
    let prepared = transcription::prepare(
        &state.db,
        state.clock.now(),
        state.speech.ffmpeg.clone(),
        request,
        file.path(),
    )
    .await;
    drop(file);
    match prepared {
        Ok(queued) => {
            state.transcriber.wake();
            state.bus.publish(Notice::event(queued.event_id));
            Ok(see_other(&format!("/mod/e/{slug}/recording#transcribe")))
        }
        Err(AppError::Conflict { message, .. }) => {
            let error = Invalid::new("recording", message).into();
            refused_again(&state, &slug, &form.csrf, error, refuse).await
        }
        Err(error) => refused_again(&state, &slug, &form.csrf, error, refuse).await,
    }
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    csrf: String,
}

async fn cancel_transcription(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: web::Form<CancelForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    match transcription::cancel(&state.db, &slug, state.clock.now()).await {
        Ok(stopped) => state.bus.publish(Notice::event(stopped.event_id)),
        // Ended meanwhile: the page says how.
        Err(AppError::Conflict { .. }) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(see_other(&format!("/mod/e/{slug}/recording#transcribe")))
}
