//! An event's transcript and its cues.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{transcript_cues, transcripts};
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

/// Every transcript, as (event, when it was uploaded): one row per event, so cheap to ask for
/// often.
pub fn uploads(conn: &mut DbConnection) -> Result<Vec<(i64, NaiveDateTime)>, AppError> {
    transcripts::table
        .select((transcripts::event_id, transcripts::imported_at))
        .load(conn)
        .context("listing transcripts")
}

/// A transcript as the embedder takes it up: which upload it is, and its cues.
pub struct ToEmbed {
    pub imported_at: NaiveDateTime,
    pub cues: Vec<Cue>,
    /// Positions of the cues without a vector of the model yet.
    pub missing: Vec<usize>,
}

/// Claims the event's transcript for `model` (dropping another model's vectors) and says what
/// is left to embed; `None` when there is no transcript any more.
pub fn take_up_for_vectors(
    conn: &mut DbConnection,
    event_id: i64,
    model: &str,
) -> Result<Option<ToEmbed>, AppError> {
    let Some((imported_at, current)) = transcripts::table
        .find(event_id)
        .select((transcripts::imported_at, transcripts::vectors_model))
        .first::<(NaiveDateTime, Option<String>)>(conn)
        .optional()
        .context("reading a transcript to embed")?
    else {
        return Ok(None);
    };
    if current.as_deref() != Some(model) {
        diesel::update(transcript_cues::table.filter(transcript_cues::event_id.eq(event_id)))
            .set(transcript_cues::cue_vector.eq(None::<Vec<u8>>))
            .execute(conn)
            .context("dropping another model's cue vectors")?;
        diesel::update(transcripts::table.find(event_id))
            .set(transcripts::vectors_model.eq(model))
            .execute(conn)
            .context("naming the model of a transcript's vectors")?;
    }
    let missing: Vec<i32> = transcript_cues::table
        .filter(transcript_cues::event_id.eq(event_id))
        .filter(transcript_cues::cue_vector.is_null())
        .order(transcript_cues::position.asc())
        .select(transcript_cues::position)
        .load(conn)
        .context("finding cues without vectors")?;
    Ok(Some(ToEmbed {
        imported_at,
        cues: cues(conn, event_id)?,
        missing: missing
            .into_iter()
            .filter_map(|position| usize::try_from(position).ok())
            .collect(),
    }))
}

/// Stores cue vectors (cue position, little-endian f32s) unless the transcript was replaced
/// since `imported_at` or re-claimed for another model; says whether they were stored.
pub fn store_cue_vectors(
    conn: &mut DbConnection,
    event_id: i64,
    imported_at: NaiveDateTime,
    model: &str,
    vectors: &[(usize, Vec<u8>)],
) -> Result<bool, AppError> {
    let still: Option<(NaiveDateTime, Option<String>)> = transcripts::table
        .find(event_id)
        .select((transcripts::imported_at, transcripts::vectors_model))
        .first(conn)
        .optional()
        .context("checking a transcript before storing its vectors")?;
    if still != Some((imported_at, Some(model.to_owned()))) {
        return Ok(false);
    }
    for (position, vector) in vectors {
        let position = i32::try_from(*position).unwrap_or(i32::MAX);
        diesel::update(
            transcript_cues::table
                .filter(transcript_cues::event_id.eq(event_id))
                .filter(transcript_cues::position.eq(position)),
        )
        .set(transcript_cues::cue_vector.eq(Some(vector)))
        .execute(conn)
        .context("storing a cue vector")?;
    }
    Ok(true)
}

/// How many of the event's cues have a vector of `model`, of how many.
pub fn vector_progress(
    conn: &mut DbConnection,
    event_id: i64,
    model: &str,
) -> Result<(i64, i64), AppError> {
    let Some((total, current)) = transcripts::table
        .find(event_id)
        .select((transcripts::cue_count, transcripts::vectors_model))
        .first::<(i32, Option<String>)>(conn)
        .optional()
        .context("reading a transcript's embedding progress")?
    else {
        return Ok((0, 0));
    };
    if current.as_deref() != Some(model) {
        return Ok((0, i64::from(total)));
    }
    let embedded: i64 = transcript_cues::table
        .filter(transcript_cues::event_id.eq(event_id))
        .filter(transcript_cues::cue_vector.is_not_null())
        .count()
        .get_result(conn)
        .context("counting a transcript's cue vectors")?;
    Ok((embedded, i64::from(total)))
}

/// Every cue vector of the event in cue order, when each cue has one of `model`.
pub fn cue_vectors(
    conn: &mut DbConnection,
    event_id: i64,
    model: &str,
) -> Result<Option<Vec<Vec<u8>>>, AppError> {
    let current: Option<Option<String>> = transcripts::table
        .find(event_id)
        .select(transcripts::vectors_model)
        .first(conn)
        .optional()
        .context("reading the model of a transcript's vectors")?;
    if current.flatten().as_deref() != Some(model) {
        return Ok(None);
    }
    let vectors: Vec<Option<Vec<u8>>> = transcript_cues::table
        .filter(transcript_cues::event_id.eq(event_id))
        .order(transcript_cues::position.asc())
        .select(transcript_cues::cue_vector)
        .load(conn)
        .context("reading a transcript's cue vectors")?;
    Ok(vectors.into_iter().collect())
}
