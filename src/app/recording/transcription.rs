//! A recording uploaded for transcription: read and stored as 16 kHz sound in 30 s pieces (so any
//! instance can transcribe it), then queued; its state and progress; cancelling it.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::Serialize;
use tokio::sync::mpsc;
use utoipa::ToSchema;

use crate::db::transcriptions::{self as jobs, Cancelled, NewTranscription, TranscriptionRow};
use crate::db::{self, Db};
use crate::domain::Invalid;
use crate::error::AppError;
use crate::speech::audio::{self, pcm, AudioError, SAMPLE_RATE};

/// Samples in one stored piece: 30 s.
pub const PIECE_SAMPLES: usize = 30 * SAMPLE_RATE as usize;
/// How long an upload being stored, or a job at work, holds its lease without renewing it.
pub fn lease() -> chrono::Duration {
    chrono::Duration::minutes(2)
}

/// What is asked: the event, who asks, what the file was called, the language spoken.
pub struct TranscriptionRequest {
    pub slug: String,
    pub actor: Option<i64>,
    pub source_name: String,
    pub language: String,
}

/// A transcription's state, as the API and the recording page show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TranscriptionState {
    pub id: i64,
    #[serde(skip)]
    pub event_id: i64,
    /// preparing, queued, running, done, failed or cancelled
    pub state: String,
    pub source_name: String,
    pub language: String,
    pub audio_seconds: f64,
    pub done_seconds: f64,
    /// 0–100.
    pub percent: u8,
    /// While running, once a first window is done: the time left at the pace so far.
    pub seconds_left: Option<u64>,
    /// Why it failed, or what it made.
    pub message: Option<String>,
    pub cancel_requested: bool,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

impl TranscriptionState {
    pub fn of(row: TranscriptionRow, now: NaiveDateTime) -> Self {
        let percent = if row.state == jobs::DONE {
            100
        } else if row.audio_secs > 0.0 {
            ((row.done_secs / row.audio_secs) * 100.0).clamp(0.0, 99.0) as u8
        } else {
            0
        };
        let seconds_left = match row.started_at {
            Some(started) if row.state == jobs::RUNNING && row.done_secs > 0.0 => {
                let spent = (now - started).num_milliseconds().max(1) as f64 / 1000.0;
                let pace = row.done_secs / spent;
                Some(((row.audio_secs - row.done_secs).max(0.0) / pace).round() as u64)
            }
            _ => None,
        };
        Self {
            id: row.id,
            event_id: row.event_id,
            state: row.state,
            source_name: row.source_name,
            language: row.language,
            audio_seconds: row.audio_secs,
            done_seconds: row.done_secs,
            percent,
            seconds_left,
            message: row.message,
            cancel_requested: row.cancel_requested,
            created_at: row.created_at,
            started_at: row.started_at,
            finished_at: row.finished_at,
        }
    }

    pub fn under_way(&self) -> bool {
        [jobs::PREPARING, jobs::QUEUED, jobs::RUNNING].contains(&self.state.as_str())
    }
}

/// A language code as Whisper names languages: two or three lowercase letters ("en", "haw").
pub fn parse_language(given: &str) -> Result<String, Invalid> {
    let given = given.trim();
    if (2..=3).contains(&given.len()) && given.bytes().all(|byte| byte.is_ascii_lowercase()) {
        Ok(given.to_owned())
    } else {
        Err(Invalid::new(
            "language",
            format!(
                "`{}` is not a language code: give two or three lowercase letters, such as en or de.",
                given.chars().take(40).collect::<String>()
            ),
        ))
    }
}

/// A file name fit to show: its last path part, printable, at most 120 characters.
pub fn source_name(given: &str) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "recording".to_owned()
    } else {
        cleaned.to_owned()
    }
}

fn refused(error: AudioError) -> AppError {
    match error {
        AudioError::Io(error) => AppError::internal("reading an uploaded recording", error),
        other => {
            let message = other.to_string();
            let mut chars = message.chars();
            let capitalised: String = chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            Invalid::new("recording", format!("{capitalised}.")).into()
        }
    }
}

/// Reads the recording at `path` into a new job for the event and queues it; on any refusal
/// the job and every piece stored are gone again.
pub async fn prepare(
    db: &Db,
    now: NaiveDateTime,
    ffmpeg: Option<PathBuf>,
    request: TranscriptionRequest,
    path: &Path,
) -> Result<TranscriptionState, AppError> {
    let language = parse_language(&request.language)?;
    let slug = request.slug.clone();
    let source = source_name(&request.source_name);
    let (job_source, job_language, actor) = (source.clone(), language.clone(), request.actor);
    let id = db
        .write(move |conn| {
            let event = db::events::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound { what: "event" })?;
            jobs::begin(
                conn,
                &NewTranscription {
                    event_id: event.id,
                    state: jobs::PREPARING,
                    source_name: &job_source,
                    language: &job_language,
                    audio_secs: 0.0,
                    done_secs: 0.0,
                    requested_by: actor,
                    lease_holder: None,
                    lease_until: Some(now + lease()),
                    created_at: now,
                },
            )?
            .ok_or_else(|| AppError::Conflict {
                code: "transcription_under_way",
                message: "A recording of this event is being transcribed already: wait for it \
                          to end, or cancel it first."
                    .to_owned(),
            })
        })
        .await?;
    match store(db, id, ffmpeg, path.to_owned()).await {
        Ok(seconds) => {
            db.write(move |conn| jobs::queue(conn, id, seconds)).await?;
            let row =
                db.read(move |conn| jobs::find(conn, id))
                    .await?
                    .ok_or(AppError::NotFound {
                        what: "transcription",
                    })?;
            Ok(TranscriptionState::of(row, now))
        }
        Err(error) => {
            db.write(move |conn| jobs::discard(conn, id)).await?;
            Err(error)
        }
    }
}

/// Decodes the file off the request workers and stores its sound piece by piece; the length.
async fn store(db: &Db, id: i64, ffmpeg: Option<PathBuf>, path: PathBuf) -> Result<f64, AppError> {
    let (pieces, mut stored) = mpsc::channel::<Vec<f32>>(2);
    let decoding = tokio::task::spawn_blocking(move || {
        let mut piece = Vec::with_capacity(PIECE_SAMPLES);
        let mut sink = |samples: &[f32]| -> Result<(), AudioError> {
            for chunk in samples.chunks(PIECE_SAMPLES) {
                let room = PIECE_SAMPLES - piece.len();
                let (now, later) = chunk.split_at(chunk.len().min(room));
                piece.extend_from_slice(now);
                if piece.len() == PIECE_SAMPLES {
                    let full = std::mem::replace(&mut piece, Vec::with_capacity(PIECE_SAMPLES));
                    pieces
                        .blocking_send(full)
                        .map_err(|_| AudioError::Refused("storing the recording failed".into()))?;
                }
                piece.extend_from_slice(later);
            }
            Ok(())
        };
        let heard = audio::listen(&path, ffmpeg.as_deref(), &mut sink)?;
        if !piece.is_empty() {
            pieces
                .blocking_send(piece)
                .map_err(|_| AudioError::Refused("storing the recording failed".into()))?;
        }
        Ok::<_, AudioError>(heard)
    });
    let mut index: i32 = 0;
    let mut samples: usize = 0;
    let mut failure = None;
    while let Some(piece) = stored.recv().await {
        samples += piece.len();
        // Silence is kept as nothing at all: an hour of it costs no room.
        let bytes = if piece.chunks(SAMPLE_RATE as usize).all(pcm::is_silent) {
            Vec::new()
        } else {
            pcm::to_bytes(&piece)
        };
        let seconds = samples as f64 / f64::from(SAMPLE_RATE);
        let until = crate::app::now() + lease();
        let saved = db
            .write(move |conn| {
                jobs::put_audio(conn, id, index, &bytes)?;
                jobs::renew_preparing(conn, id, seconds, until)
            })
            .await;
        if let Err(error) = saved {
            failure = Some(error);
            break;
        }
        index += 1;
    }
    drop(stored);
    let heard = decoding
        .await
        .map_err(|error| AppError::internal("reading an uploaded recording", error))?;
    if let Some(error) = failure {
        return Err(error);
    }
    heard.map_err(refused)?;
    Ok(samples as f64 / f64::from(SAMPLE_RATE))
}

/// The event's latest transcription, if it ever had one.
pub async fn state_of(
    db: &Db,
    slug: &str,
    now: NaiveDateTime,
) -> Result<Option<TranscriptionState>, AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        Ok(jobs::latest_of_event(conn, event.id)?.map(|row| TranscriptionState::of(row, now)))
    })
    .await
}

/// Stops the event's transcription under way: at once if it waits, after the window in hand if
/// it runs.
pub async fn cancel(
    db: &Db,
    slug: &str,
    now: NaiveDateTime,
) -> Result<TranscriptionState, AppError> {
    let slug = slug.to_owned();
    db.write(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let nothing = || AppError::Conflict {
            code: "no_transcription_under_way",
            message: "This event has no transcription under way.".to_owned(),
        };
        let job = jobs::latest_of_event(conn, event.id)?.ok_or_else(nothing)?;
        if jobs::cancel(conn, job.id, now)? == Cancelled::NotUnderWay {
            return Err(nothing());
        }
        let row = jobs::find(conn, job.id)?.ok_or(AppError::NotFound {
            what: "transcription",
        })?;
        Ok(TranscriptionState::of(row, now))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_are_letters() {
        assert_eq!(parse_language(" en ").unwrap(), "en");
        assert_eq!(parse_language("haw").unwrap(), "haw");
        for bad in ["", "e", "EN", "en-US", "english", "<b>"] {
            assert!(parse_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_names_are_cut_to_their_last_part() {
        assert_eq!(source_name("C:\\calls\\june.mp4"), "june.mp4");
        assert_eq!(source_name("/tmp/x/june call.webm"), "june call.webm");
        assert_eq!(source_name(""), "recording");
        assert_eq!(source_name("a\u{0}b"), "ab");
        assert_eq!(source_name(&"x".repeat(500)).len(), 120);
    }
}
