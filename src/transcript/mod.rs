//! A recording's transcript: WebVTT or SRT files (or text with time stamps) read into cues (start, end, speaker, text), the
//! part of the recording each question was discussed in, and drafts from what was said.

mod answer_bounds;
mod captions;
mod chapters;
mod cue_text;
mod cues;
mod draft;
mod moments;
mod parse;
mod plain;
mod timestamp;

pub use captions::{as_srt as captions_as_srt, as_webvtt as captions_as_webvtt};
pub use chapters::{
    as_text as chapters_as_text, as_webvtt as chapters_as_webvtt, chapters, Chapter,
};
pub use cues::{Cue, Format, Transcript, TranscriptError};
pub use draft::{draft, Draft, Turn, MAX_WORDS as DRAFT_MAX_WORDS};
pub use moments::{
    spoken_text, Mixing, Moment, Start, TranscriptIndex, MOMENTS_PER_QUESTION, PASSAGE_CUES,
};
pub use parse::{parse, MAX_BYTES, MAX_CUE_CHARS};
pub use timestamp::format_timestamp;
