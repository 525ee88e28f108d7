//! Transcription jobs: one row per recording uploaded for an event, from `preparing` (its sound
//! being stored) through `queued` and `running` (under one instance's lease) to `done`, `failed`
//! or `cancelled`. The partial unique indexes keep one job under way per event and one running
//! in the whole deployment.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::connection::DbConnection;
use super::schema::{transcription_audio, transcriptions};
use crate::error::{AppError, QueryContext};

pub const PREPARING: &str = "preparing";
pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
pub const CANCELLED: &str = "cancelled";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = transcriptions)]
pub struct TranscriptionRow {
    pub id: i64,
    pub event_id: i64,
    pub state: String,
    pub source_name: String,
    pub language: String,
    pub audio_secs: f64,
    pub done_secs: f64,
    pub message: Option<String>,
    pub lease_holder: Option<String>,
    pub cancel_requested: bool,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = transcriptions)]
pub struct NewTranscription<'a> {
    pub event_id: i64,
    pub state: &'a str,
    pub source_name: &'a str,
    pub language: &'a str,
    pub audio_secs: f64,
    pub done_secs: f64,
    pub requested_by: Option<i64>,
    pub lease_holder: Option<&'a str>,
    pub lease_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

fn is_unique_violation(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Starts a job in `preparing`; `None` when the event has one under way already.
pub fn begin(conn: &mut DbConnection, new: &NewTranscription<'_>) -> Result<Option<i64>, AppError> {
    // In a savepoint of its own: on PostgreSQL a refused insert would spoil the transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(transcriptions::table)
            .values(new)
            .returning(transcriptions::id)
            .get_result::<i64>(conn)
    });
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(error) if is_unique_violation(&error) => Ok(None),
        Err(error) => Err(AppError::from_query("starting a transcription", error)),
    }
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<TranscriptionRow>, AppError> {
    transcriptions::table
        .find(id)
        .select(TranscriptionRow::as_select())
        .first(conn)
        .optional()
        .context("finding a transcription")
}

/// The event's latest job.
pub fn latest_of_event(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<Option<TranscriptionRow>, AppError> {
    transcriptions::table
        .filter(transcriptions::event_id.eq(event_id))
        .order(transcriptions::id.desc())
        .select(TranscriptionRow::as_select())
        .first(conn)
        .optional()
        .context("finding an event's transcription")
}

/// Keeps a preparing job's lease while its sound is stored.
pub fn renew_preparing(
    conn: &mut DbConnection,
    id: i64,
    audio_secs: f64,
    until: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(
        transcriptions::table
            .find(id)
            .filter(transcriptions::state.eq(PREPARING)),
    )
    .set((
        transcriptions::audio_secs.eq(audio_secs),
        transcriptions::lease_until.eq(until),
    ))
    .execute(conn)
    .context("keeping a transcription's upload")?;
    Ok(())
}

/// The sound is stored: the job waits for an instance to take it.
pub fn queue(conn: &mut DbConnection, id: i64, audio_secs: f64) -> Result<bool, AppError> {
    let queued = diesel::update(
        transcriptions::table
            .find(id)
            .filter(transcriptions::state.eq(PREPARING)),
    )
    .set((
        transcriptions::state.eq(QUEUED),
        transcriptions::audio_secs.eq(audio_secs),
        transcriptions::lease_holder.eq(None::<String>),
        transcriptions::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
    .context("queueing a transcription")?;
    Ok(queued == 1)
}

/// Forgets a job and its sound (an upload that could not be read).
pub fn discard(conn: &mut DbConnection, id: i64) -> Result<(), AppError> {
    forget_audio(conn, id)?;
    diesel::delete(transcriptions::table.find(id))
        .execute(conn)
        .context("forgetting a transcription")?;
    Ok(())
}

/// Deletes a job's stored sound: the space its upload took is free again.
pub fn forget_audio(conn: &mut DbConnection, id: i64) -> Result<(), AppError> {
    diesel::delete(transcription_audio::table.filter(transcription_audio::transcription_id.eq(id)))
        .execute(conn)
        .context("freeing a recording's sound")?;
    Ok(())
}

/// Uploads whose instance stopped while storing them: gone with it.
pub fn sweep_abandoned_uploads(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let abandoned: Vec<i64> = transcriptions::table
        .filter(transcriptions::state.eq(PREPARING))
        .filter(transcriptions::lease_until.le(now))
        .select(transcriptions::id)
        .load(conn)
        .context("finding abandoned uploads")?;
    for id in &abandoned {
        discard(conn, *id)?;
    }
    Ok(abandoned.len())
}

/// Takes the next job for `holder` until `until`: a running job whose lease lapsed (its instance
/// stopped; the work starts again), or else the oldest queued one if none is running.
pub fn claim(
    conn: &mut DbConnection,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Option<TranscriptionRow>, AppError> {
    let running: Option<(i64, Option<NaiveDateTime>)> = transcriptions::table
        .filter(transcriptions::state.eq(RUNNING))
        .select((transcriptions::id, transcriptions::lease_until))
        .first(conn)
        .optional()
        .context("looking for a running transcription")?;
    let taken = match running {
        Some((_, Some(lease))) if lease > now => return Ok(None),
        Some((id, _)) => diesel::update(
            transcriptions::table
                .find(id)
                .filter(transcriptions::state.eq(RUNNING))
                .filter(
                    transcriptions::lease_until
                        .is_null()
                        .or(transcriptions::lease_until.le(now)),
                ),
        )
        .set((
            transcriptions::lease_holder.eq(holder),
            transcriptions::lease_until.eq(until),
            transcriptions::done_secs.eq(0.0),
            transcriptions::started_at.eq(now),
        ))
        .execute(conn)
        .context("taking up a transcription whose instance stopped")?
        .eq(&1)
        .then_some(id),
        None => {
            let next: Option<i64> = transcriptions::table
                .filter(transcriptions::state.eq(QUEUED))
                .order(transcriptions::id.asc())
                .select(transcriptions::id)
                .first(conn)
                .optional()
                .context("looking for a queued transcription")?;
            let Some(id) = next else {
                return Ok(None);
            };
            let started = conn.transaction(|conn| {
                diesel::update(
                    transcriptions::table
                        .find(id)
                        .filter(transcriptions::state.eq(QUEUED)),
                )
                .set((
                    transcriptions::state.eq(RUNNING),
                    transcriptions::lease_holder.eq(holder),
                    transcriptions::lease_until.eq(until),
                    transcriptions::done_secs.eq(0.0),
                    transcriptions::started_at.eq(now),
                ))
                .execute(conn)
            });
            match started {
                Ok(1) => Some(id),
                Ok(_) => None,
                // Another instance started one at the same moment.
                Err(error) if is_unique_violation(&error) => None,
                Err(error) => return Err(AppError::from_query("starting a transcription", error)),
            }
        }
    };
    match taken {
        Some(id) => find(conn, id),
        None => Ok(None),
    }
}

/// What the instance at work learns when it says how far it got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewed {
    Keep,
    /// A moderator asked to stop.
    Cancel,
    /// The lease went to another instance (this one was too slow to renew it).
    Lost,
}

/// Says how far the job got and keeps its lease until `until`.
pub fn renew(
    conn: &mut DbConnection,
    id: i64,
    holder: &str,
    done_secs: f64,
    until: NaiveDateTime,
) -> Result<Renewed, AppError> {
    let kept = diesel::update(
        transcriptions::table
            .find(id)
            .filter(transcriptions::state.eq(RUNNING))
            .filter(transcriptions::lease_holder.eq(holder)),
    )
    .set((
        transcriptions::done_secs.eq(done_secs),
        transcriptions::lease_until.eq(until),
    ))
    .execute(conn)
    .context("saying how far a transcription got")?;
    if kept == 0 {
        return Ok(Renewed::Lost);
    }
    let cancel: bool = transcriptions::table
        .find(id)
        .select(transcriptions::cancel_requested)
        .first(conn)
        .context("reading whether a transcription is to stop")?;
    Ok(if cancel {
        Renewed::Cancel
    } else {
        Renewed::Keep
    })
}

/// Ends a running job held by `holder` in `state` with `message`, and frees its sound;
/// `false` when the job was no longer `holder`'s.
pub fn finish(
    conn: &mut DbConnection,
    id: i64,
    holder: &str,
    state: &str,
    message: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let ended = diesel::update(
        transcriptions::table
            .find(id)
            .filter(transcriptions::state.eq(RUNNING))
            .filter(transcriptions::lease_holder.eq(holder)),
    )
    .set((
        transcriptions::state.eq(state),
        transcriptions::message.eq(message),
        transcriptions::finished_at.eq(now),
        transcriptions::lease_holder.eq(None::<String>),
        transcriptions::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
    .context("ending a transcription")?;
    if ended == 1 {
        forget_audio(conn, id)?;
    }
    Ok(ended == 1)
}

/// Puts a running job held by `holder` back in the queue, from the start (its instance stops).
pub fn release(conn: &mut DbConnection, id: i64, holder: &str) -> Result<(), AppError> {
    diesel::update(
        transcriptions::table
            .find(id)
            .filter(transcriptions::state.eq(RUNNING))
            .filter(transcriptions::lease_holder.eq(holder)),
    )
    .set((
        transcriptions::state.eq(QUEUED),
        transcriptions::lease_holder.eq(None::<String>),
        transcriptions::lease_until.eq(None::<NaiveDateTime>),
        transcriptions::done_secs.eq(0.0),
        transcriptions::started_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
    .context("putting a transcription back in the queue")?;
    Ok(())
}

/// What asking a job to stop did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancelled {
    /// It had not started: it is cancelled and its sound freed.
    Now,
    /// It runs: it stops after the window in hand.
    Asked,
    /// It had ended already.
    NotUnderWay,
}

pub fn cancel(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> Result<Cancelled, AppError> {
    let waiting = diesel::update(
        transcriptions::table
            .find(id)
            .filter(transcriptions::state.eq(QUEUED)),
    )
    .set((
        transcriptions::state.eq(CANCELLED),
        transcriptions::message.eq("Cancelled before it started."),
        transcriptions::finished_at.eq(now),
    ))
    .execute(conn)
    .context("cancelling a transcription")?;
    if waiting == 1 {
        forget_audio(conn, id)?;
        return Ok(Cancelled::Now);
    }
    let running = diesel::update(
        transcriptions::table
            .find(id)
            .filter(transcriptions::state.eq(RUNNING)),
    )
    .set(transcriptions::cancel_requested.eq(true))
    .execute(conn)
    .context("asking a transcription to stop")?;
    Ok(if running == 1 {
        Cancelled::Asked
    } else {
        Cancelled::NotUnderWay
    })
}

/// Keeps piece `piece` (30 s) of a job's sound.
pub fn put_audio(
    conn: &mut DbConnection,
    id: i64,
    piece: i32,
    samples: &[u8],
) -> Result<(), AppError> {
    diesel::insert_into(transcription_audio::table)
        .values((
            transcription_audio::transcription_id.eq(id),
            transcription_audio::piece.eq(piece),
            transcription_audio::samples.eq(samples),
        ))
        .execute(conn)
        .context("keeping a piece of a recording")?;
    Ok(())
}

pub fn audio(conn: &mut DbConnection, id: i64, piece: i32) -> Result<Option<Vec<u8>>, AppError> {
    transcription_audio::table
        .find((id, piece))
        .select(transcription_audio::samples)
        .first(conn)
        .optional()
        .context("reading a piece of a recording")
}
