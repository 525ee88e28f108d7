//! What the recording page shows: the review, and what refused forms held.

use chrono::NaiveDateTime;

use crate::app::recording::review::Review;
use crate::domain::RecordingOffset;

/// What a refused form held, shown again with its message where it was typed.
#[derive(Default)]
pub struct Refused {
    pub transcript: Option<String>,
    /// Why a recording was refused, and the language typed with it.
    pub recording: Option<String>,
    pub language: Option<String>,
    pub timeline: Option<TimelineValues>,
    pub row: Option<RowValues>,
}

pub struct TimelineValues {
    pub started_at: String,
    pub question_id: String,
    pub at: String,
    pub message: String,
}

pub struct RowValues {
    pub question_id: i64,
    pub at: String,
    pub answer_md: String,
    /// Why the form was refused; none when the row is only shown again (a moved moment).
    pub message: Option<String>,
}

pub struct RecordingView<'a> {
    pub review: &'a Review,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
    /// Said once after a move: "Imported 412 cues", "Accepted 7 answers".
    pub notice: Option<String>,
    pub refused: Refused,
    pub speech: SpeechOffer,
}

/// `1:02:03` or `11:30`, as people write a length.
pub(super) fn duration(millis: i64) -> String {
    RecordingOffset::from_seconds(i32::try_from(millis / 1000).unwrap_or(i32::MAX))
        .map_or_else(String::new, RecordingOffset::display)
}

/// What this server offers for transcription.
#[derive(Debug, Clone, Copy)]
pub struct SpeechOffer {
    pub model_installed: bool,
    pub max_upload_mb: u64,
}
