//! A recording's transcript: WebVTT or SRT files (or text with time stamps) read into cues (start, end, speaker, text), the
//! part of the recording each question was discussed in, and drafts from what was said.

mod answer_bounds;
mod chapters;
mod cue_text;
mod draft;
mod moments;
mod parse;
mod plain;
mod timestamp;

pub use chapters::{
    as_text as chapters_as_text, as_webvtt as chapters_as_webvtt, chapters, Chapter,
};
pub use draft::{draft, Draft, Turn, MAX_WORDS as DRAFT_MAX_WORDS};
pub use moments::{
    spoken_text, Mixing, Moment, Start, TranscriptIndex, MOMENTS_PER_QUESTION, PASSAGE_CUES,
};
pub use parse::{parse, MAX_BYTES, MAX_CUE_CHARS};
pub use timestamp::format_timestamp;

/// The file formats transcripts come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    WebVtt,
    Srt,
    /// Plain text with a `[hh:mm:ss]` stamp before each turn.
    Text,
}

impl Format {
    pub fn parse(name: &str) -> Option<Self> {
        [Format::WebVtt, Format::Srt, Format::Text]
            .into_iter()
            .find(|format| format.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::WebVtt => "webvtt",
            Format::Srt => "srt",
            Format::Text => "text",
        }
    }
}

/// One stretch of speech, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub start_ms: i64,
    pub end_ms: i64,
    pub speaker: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub format: Format,
    /// In time order, none overlapping, none empty.
    pub cues: Vec<Cue>,
}

impl Transcript {
    /// Where the last cue ends.
    pub fn duration_ms(&self) -> i64 {
        self.cues.last().map_or(0, |cue| cue.end_ms)
    }
}

/// Why a file was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TranscriptError {
    pub line: usize,
    pub message: String,
}
