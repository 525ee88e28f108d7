//! Captions to post with the video: the transcript of a public event (uploaded or transcribed,
//! with a moderator's corrections) as WebVTT or SRT, for anyone who can see the event.

use crate::app::events::listing::find_public_event;
use crate::db::{self, Db};
use crate::error::AppError;
use crate::transcript::{captions_as_srt, captions_as_webvtt};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptionFormat {
    WebVtt,
    Srt,
}

/// The public event's captions in `format`; not found when the event is not public or has no
/// transcript.
pub async fn captions(db: &Db, slug: &str, format: CaptionFormat) -> Result<String, AppError> {
    let event = find_public_event(db, slug).await?;
    let cues = db
        .read(move |conn| {
            if db::transcripts::summary(conn, event.id)?.is_none() {
                return Ok(None);
            }
            db::transcripts::cues(conn, event.id).map(Some)
        })
        .await?
        .ok_or_else(|| AppError::NotOffered {
            message: "This event has no transcript yet, so there are no captions for its \
                      recording."
                .into(),
        })?;
    Ok(match format {
        CaptionFormat::WebVtt => captions_as_webvtt(&cues),
        CaptionFormat::Srt => captions_as_srt(&cues),
    })
}

/// Whether the event has a transcript to caption its recording with.
pub fn has_transcript(conn: &mut db::DbConnection, event_id: i64) -> Result<bool, AppError> {
    Ok(db::transcripts::summary(conn, event_id)?.is_some())
}
