//! Bringing in a recording's transcript: the file is read whole (or refused with the line that is
//! wrong), then replaces the event's transcript in one transaction.

use crate::app::now;
use crate::db::transcripts::TranscriptSummary;
use crate::db::{self, modlog::NewEntry, Db};
use crate::domain::Invalid;
use crate::error::AppError;
use crate::meaning::Meaning;
use crate::transcript::{self, format_timestamp, Cue, Transcript};

pub const IMPORT: &str = "event.transcript";

/// What an import brought in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Imported {
    pub event_id: i64,
    pub cues: usize,
    pub duration_secs: f64,
}

/// Reads the file off the request workers (a large one takes a moment).
pub async fn read(bytes: Vec<u8>) -> Result<Transcript, AppError> {
    tokio::task::spawn_blocking(move || transcript::parse(&bytes))
        .await
        .map_err(|error| AppError::internal("reading a transcript", error))?
        .map_err(|error| {
            Invalid::new(
                "transcript",
                format!("Line {}: {}.", error.line, error.message),
            )
            .into()
        })
}

/// Replaces the transcript of the event `slug`; `actor` is the moderator (none from the command
/// line).
pub async fn import(
    db: &Db,
    actor: Option<i64>,
    slug: &str,
    bytes: Vec<u8>,
) -> Result<Imported, AppError> {
    let transcript = read(bytes).await?;
    let slug = slug.to_owned();
    let cues = transcript.cues.len();
    let duration_secs = transcript.duration_ms() as f64 / 1000.0;
    let event_id = db
        .write(move |conn| {
            let event = db::events::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound { what: "event" })?;
            replace(conn, actor, event.id, &transcript, now(), "")?;
            Ok(event.id)
        })
        .await?;
    Ok(Imported {
        event_id,
        cues,
        duration_secs,
    })
}

/// Makes `transcript` the event's, in the caller's transaction, and logs it as `actor`'s with
/// `how` after the summary (" from call.mp4").
pub fn replace(
    conn: &mut db::DbConnection,
    actor: Option<i64>,
    event_id: i64,
    transcript: &Transcript,
    at: chrono::NaiveDateTime,
    how: &str,
) -> Result<(), AppError> {
    db::transcripts::replace(conn, event_id, transcript, at)?;
    let summary = format!(
        "{} cues, {} long{how}",
        transcript.cues.len(),
        format_timestamp(transcript.duration_ms())
    );
    db::modlog::record(
        conn,
        &NewEntry {
            moderator_id: actor,
            action: IMPORT,
            event_id: Some(event_id),
            after_value: Some(&summary),
            created_at: at,
            ..NewEntry::default()
        },
    )
}

/// The event's transcript and its cues; `None` when it has none yet.
pub async fn of_event(
    db: &Db,
    slug: &str,
) -> Result<Option<(TranscriptSummary, Vec<Cue>)>, AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let Some(summary) = db::transcripts::summary(conn, event.id)? else {
            return Ok(None);
        };
        Ok(Some((summary, db::transcripts::cues(conn, event.id)?)))
    })
    .await
}

/// How much of a transcript has been read by meaning.
pub struct MeaningProgress {
    pub cues: i64,
    /// With vectors of the model in use; 0 without a model.
    pub embedded: i64,
}

/// How far the event's transcript is read by meaning; `None` when it has no transcript.
pub async fn meaning_progress(
    db: &Db,
    meaning: &Meaning,
    slug: &str,
) -> Result<Option<MeaningProgress>, AppError> {
    let slug = slug.to_owned();
    let model = meaning.model_tag();
    db.read(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let Some(summary) = db::transcripts::summary(conn, event.id)? else {
            return Ok(None);
        };
        let embedded = match &model {
            Some(model) => db::transcripts::vector_progress(conn, event.id, model)?.0,
            None => 0,
        };
        Ok(Some(MeaningProgress {
            cues: i64::from(summary.cue_count),
            embedded,
        }))
    })
    .await
}
