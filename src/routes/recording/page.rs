//! The recording's review page and its forms: upload the transcript, line the recording up,
//! accept a question's moment and answer (as proposed or corrected), or accept all sure ones.

use actix_multipart::form::{bytes::Bytes, text::Text, MultipartForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::app::recording::accept::{self, Acceptance};
use crate::app::recording::review::{self, Review};
use crate::app::recording::timeline::{self, RecordingStart};
use crate::app::{self, recording::transcripts};
use crate::bus::Notice;
use crate::domain::{Invalid, RecordingOffset};
use crate::error::AppError;
use crate::views::recording::page::recording_page;
use crate::views::recording::recording_view::SpeechOffer;
use crate::views::recording::recording_view::{RecordingView, Refused, RowValues, TimelineValues};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, html, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod/e/{slug}/recording", Access::Moderator, web::to(page)),
        RouteSpec::post(
            "/mod/e/{slug}/recording/transcript",
            Access::Moderator,
            web::to(upload_transcript),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/recording/timeline",
            Access::Moderator,
            web::to(line_up),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/recording/accept-all",
            Access::Moderator,
            web::to(accept_all),
        ),
        RouteSpec::post(
            "/mod/q/{id}/recording/accept",
            Access::Moderator,
            web::to(accept),
        ),
    ]
}

/// Whether a request goes to the page's upload, whose body may be as large as a transcript.
pub fn is_upload(path: &str) -> bool {
    path.strip_prefix("/mod/e/")
        .and_then(|rest| rest.strip_suffix("/recording/transcript"))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// Whether a request goes to the page's recording upload, whose body may be as large as a
/// recording.
pub fn is_audio_upload(path: &str) -> bool {
    path.strip_prefix("/mod/e/")
        .and_then(|rest| rest.strip_suffix("/recording/audio"))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

#[derive(Deserialize)]
struct PageQuery {
    imported: Option<usize>,
    accepted: Option<usize>,
    lined_up: Option<String>,
}

impl PageQuery {
    fn notice(&self) -> Option<String> {
        if let Some(cues) = self.imported {
            return Some(format!(
                "Brought in {cues} cues; the proposals below come from them."
            ));
        }
        if let Some(count) = self.accepted {
            return Some(match count {
                0 => "No proposal was that sure: nothing was accepted.".to_owned(),
                1 => "Accepted 1 answer.".to_owned(),
                n => format!("Accepted {n} answers."),
            });
        }
        self.lined_up
            .as_ref()
            .map(|_| "The recording is lined up with the call.".to_owned())
    }
}

pub(crate) fn render(
    state: &AppState,
    review: &Review,
    csrf: &str,
    notice: Option<String>,
    refused: Refused,
    status: StatusCode,
) -> HttpResponse {
    html(
        status,
        recording_page(&RecordingView {
            review,
            csrf,
            now: app::now(),
            notice,
            refused,
            speech: SpeechOffer {
                model_installed: crate::speech::fetch::is_complete(state.transcriber.model_dir()),
                max_upload_mb: state.speech.max_upload_bytes / (1024 * 1024),
            },
        }),
    )
}

async fn page(
    state: Data,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let review = review::review(&state.db, &state.meaning(), &slug).await?;
    Ok(render(
        &state,
        &review,
        &csrf.0,
        query.notice(),
        Refused::default(),
        StatusCode::OK,
    ))
}

/// Shows the page again with a refused form's values and message, or fails the usual way.
pub(crate) async fn refused_again(
    state: &AppState,
    slug: &str,
    csrf: &str,
    error: AppError,
    refused: impl FnOnce(String) -> Refused,
) -> Result<HttpResponse, PageError> {
    let AppError::Invalid(invalid) = error else {
        return Err(error.into());
    };
    let review = review::review(&state.db, &state.meaning(), slug).await?;
    Ok(render(
        state,
        &review,
        csrf,
        None,
        refused(invalid.message),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

#[derive(MultipartForm)]
struct TranscriptUpload {
    csrf: Text<String>,
    #[multipart(limit = "21MB")]
    file: Bytes,
}

async fn upload_transcript(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    form: Result<MultipartForm<TranscriptUpload>, actix_web::Error>,
) -> Result<HttpResponse, PageError> {
    let form = match form {
        Ok(form) => form.into_inner(),
        // Not the page's form at all (which is multipart, with its token): nothing to read a
        // token from, so it is refused like any form without one.
        Err(_) if !is_multipart(&req) => return Err(expired_form().into()),
        Err(error) => return Err(read_error(error).into()),
    };
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    match transcripts::import(&state.db, Some(me.0.id), &slug, form.file.data.to_vec()).await {
        Ok(imported) => {
            // The event's page now offers captions.
            state.bus.publish(Notice::event(imported.event_id));
            Ok(see_other(&format!(
                "/mod/e/{slug}/recording?imported={}",
                imported.cues
            )))
        }
        Err(error) => {
            refused_again(&state, &slug, &form.csrf, error, |message| Refused {
                transcript: Some(message),
                ..Refused::default()
            })
            .await
        }
    }
}

pub(crate) fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// A multipart form that could not be read, said as a page can.
fn read_error(error: actix_web::Error) -> AppError {
    AppError::BadRequest {
        code: "bad_form",
        message: format!("The upload could not be read ({error}); choose the file again."),
    }
}

#[derive(Deserialize)]
struct TimelineForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    question_id: String,
    #[serde(default)]
    at: String,
}

impl TimelineForm {
    fn start(&self) -> Result<RecordingStart, Invalid> {
        let (question, at) = (self.question_id.trim(), self.at.trim());
        if !question.is_empty() || !at.is_empty() {
            let question_id = question.parse().map_err(|_| {
                Invalid::new(
                    "sync",
                    "Pick the question that came on screen at that moment.",
                )
            })?;
            let at = RecordingOffset::parse_optional(at)
                .map_err(|error| Invalid::new("sync", error.message))?
                .ok_or_else(|| {
                    Invalid::new(
                        "sync",
                        "Say when it came on screen in the recording, like 34:10.",
                    )
                })?;
            return Ok(RecordingStart::Sync { question_id, at });
        }
        let started = self.started_at.trim();
        if started.is_empty() {
            return Ok(RecordingStart::Unknown);
        }
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(started, format).ok())
            .map(RecordingStart::At)
            .ok_or_else(|| Invalid::new("started_at", "Give the start like 2026-12-03T17:02:10."))
    }
}

async fn line_up(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    form: web::Form<TimelineForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let outcome = match form.start() {
        Ok(start) => timeline::set_start(&state.db, Some(me.0.id), &slug, start).await,
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/mod/e/{slug}/recording?lined_up=1#timeline"
        ))),
        Err(error) => {
            let csrf = form.csrf.clone();
            refused_again(&state, &slug, &csrf, error, |message| Refused {
                timeline: Some(TimelineValues {
                    started_at: form.started_at,
                    question_id: form.question_id,
                    at: form.at,
                    message,
                }),
                ..Refused::default()
            })
            .await
        }
    }
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    answer_md: String,
}

async fn accept(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<AcceptForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let question_id = *id;
    let slug = crate::app::events::listing::slug_of_question(&state.db, question_id).await?;
    let outcome = match RecordingOffset::parse_optional(&form.at) {
        Ok(at) => {
            let acceptance = Acceptance {
                at_secs: at.map(RecordingOffset::seconds),
                answer_md: Some(form.answer_md.clone()),
            };
            accept::accept(
                &state.db,
                &state.meaning(),
                &state.bus,
                me.0.id,
                question_id,
                acceptance,
            )
            .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/mod/e/{slug}/recording#q-{question_id}"
        ))),
        Err(error) => {
            let csrf = form.csrf.clone();
            refused_again(&state, &slug, &csrf, error, |message| Refused {
                row: Some(RowValues {
                    question_id,
                    at: form.at,
                    answer_md: form.answer_md,
                    message: Some(message),
                }),
                ..Refused::default()
            })
            .await
        }
    }
}

#[derive(Deserialize)]
struct AcceptAllForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    min_confidence: u8,
}

async fn accept_all(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    form: web::Form<AcceptAllForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    if !(1..=100).contains(&form.min_confidence) {
        return Err(AppError::from(Invalid::new(
            "min_confidence",
            "Pick how sure a proposal must be, from 1 to 100%.",
        ))
        .into());
    }
    let accepted = review::accept_all(
        &state.db,
        &state.meaning(),
        &state.bus,
        me.0.id,
        &slug,
        f32::from(form.min_confidence) / 100.0,
    )
    .await?;
    Ok(see_other(&format!(
        "/mod/e/{slug}/recording?accepted={accepted}#questions"
    )))
}
