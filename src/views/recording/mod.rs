//! The recording's review page: the transcript, the timeline and a row per question.

pub mod page;
pub(crate) mod recording_row;
pub mod recording_view;
pub mod transcribe;
