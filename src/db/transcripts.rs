//! An event's transcript and its cues.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{transcript_cues, transcripts};
use super::DbConnection;
use crate::error::{AppError, QueryContext};
use crate::transcript::{Cue, Transcript};

/// Rows per INSERT: well under either backend's limit on bound values.
const CUES_PER_INSERT: usize = 500;

#[derive(Insertable)]
#[diesel(table_name = transcript_cues)]
struct NewCue<'a> {
    event_id: i64,
    position: i32,
    start_ms: i64,
    end_ms: i64,
    speaker: Option<&'a str>,
    body: &'a str,
}

/// Replaces the event's transcript (and every cue of the old one) with this one.
pub fn replace(
    conn: &mut DbConnection,
    event_id: i64,
    transcript: &Transcript,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::delete(transcripts::table.find(event_id))
        .execute(conn)
        .context("removing the old transcript")?;
    // The cues go with their transcript (ON DELETE CASCADE), but not every SQLite connection
    // enforces foreign keys when a tool opened the file: say it outright.
    diesel::delete(transcript_cues::table.filter(transcript_cues::event_id.eq(event_id)))
        .execute(conn)
        .context("removing the old transcript's cues")?;
    diesel::insert_into(transcripts::table)
        .values((
            transcripts::event_id.eq(event_id),
            transcripts::format.eq(transcript.format.as_str()),
            transcripts::cue_count.eq(i32::try_from(transcript.cues.len()).unwrap_or(i32::MAX)),
            transcripts::duration_ms.eq(transcript.duration_ms()),
            transcripts::imported_at.eq(at),
        ))
        .execute(conn)
        .context("storing a transcript")?;
    for (chunk_index, chunk) in transcript.cues.chunks(CUES_PER_INSERT).enumerate() {
        let rows: Vec<NewCue<'_>> = chunk
            .iter()
            .enumerate()
            .map(|(offset, cue)| NewCue {
                event_id,
                position: i32::try_from(chunk_index * CUES_PER_INSERT + offset).unwrap_or(i32::MAX),
                start_ms: cue.start_ms,
                end_ms: cue.end_ms,
                speaker: cue.speaker.as_deref(),
                body: &cue.text,
            })
            .collect();
        // Batch inserts exist per backend, not on the connection that is either.
        on_backend!(conn, |conn| diesel::insert_into(transcript_cues::table)
            .values(&rows)
            .execute(conn))
        .context("storing a transcript's cues")?;
    }
    Ok(())
}

/// What is known of an event's transcript without reading its cues.
#[derive(Debug, Clone, Queryable)]
pub struct TranscriptSummary {
    pub format: String,
    pub cue_count: i32,
    pub duration_ms: i64,
    pub imported_at: NaiveDateTime,
}

pub fn summary(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<Option<TranscriptSummary>, AppError> {
    transcripts::table
        .find(event_id)
        .select((
            transcripts::format,
            transcripts::cue_count,
            transcripts::duration_ms,
            transcripts::imported_at,
        ))
        .first(conn)
        .optional()
        .context("reading a transcript")
}

/// The event's cues in time order.
pub fn cues(conn: &mut DbConnection, event_id: i64) -> Result<Vec<Cue>, AppError> {
    let rows: Vec<(i64, i64, Option<String>, String)> = transcript_cues::table
        .filter(transcript_cues::event_id.eq(event_id))
        .order(transcript_cues::position.asc())
        .select((
            transcript_cues::start_ms,
            transcript_cues::end_ms,
            transcript_cues::speaker,
            transcript_cues::body,
        ))
        .load(conn)
        .context("reading a transcript's cues")?;
    Ok(rows
        .into_iter()
        .map(|(start_ms, end_ms, speaker, text)| Cue {
            start_ms,
            end_ms,
            speaker,
            text,
        })
        .collect())
}
