//! How the recording lines up with the call: when it started, given outright or worked out from
//! one question's moment in it ("#12 came on screen at 34:10"). It turns every on-screen time
//! into a moment of the recording.

use chrono::{Duration, NaiveDateTime};

use crate::app::now;
use crate::db::{self, modlog::NewEntry, Db};
use crate::domain::{Invalid, RecordingOffset};
use crate::error::AppError;

pub const SET: &str = "event.recording_timeline";

/// What a moderator knows about when the recording started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingStart {
    At(NaiveDateTime),
    /// The question went on screen (first) at this moment of the recording.
    Sync {
        question_id: i64,
        at: RecordingOffset,
    },
    Unknown,
}

/// Sets the event's recording start; answers it (none when unknown).
pub async fn set_start(
    db: &Db,
    actor: Option<i64>,
    slug: &str,
    start: RecordingStart,
) -> Result<Option<NaiveDateTime>, AppError> {
    let slug = slug.to_owned();
    db.write(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let started_at = match start {
            RecordingStart::At(at) => Some(at),
            RecordingStart::Unknown => None,
            RecordingStart::Sync { question_id, at } => {
                let shown = db::screen_times::first_shown(conn, event.id)?;
                let Some(shown_at) = shown.get(&question_id) else {
                    return Err(Invalid::new(
                        "sync",
                        format!(
                            "Question #{question_id} was never on screen in this event; give \
                             another that was, or when the recording started."
                        ),
                    )
                    .into());
                };
                crate::app::moderation::answers::check_within_recording(conn, event.id, at)
                    .map_err(|error| match error {
                        AppError::Invalid(invalid) => Invalid::new("sync", invalid.message).into(),
                        other => other,
                    })?;
                Some(*shown_at - Duration::seconds(i64::from(at.seconds())))
            }
        };
        let written = now();
        db::events::set_recording_started_at(conn, event.id, started_at, written)?;
        let said = started_at.map_or_else(
            || "unknown".to_owned(),
            |at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        );
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: actor,
                action: SET,
                event_id: Some(event.id),
                after_value: Some(&said),
                created_at: written,
                ..NewEntry::default()
            },
        )?;
        Ok(started_at)
    })
    .await
}
