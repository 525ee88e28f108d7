//! What a transcript is once read: cues in time order, and why a file was refused.

/// The file formats transcripts come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    WebVtt,
    Srt,
    /// Plain text with a `[hh:mm:ss]` stamp before each turn.
    Text,
    /// Transcribed on this server from the recording's audio.
    Speech,
}

impl Format {
    pub fn parse(name: &str) -> Option<Self> {
        [Format::WebVtt, Format::Srt, Format::Text, Format::Speech]
            .into_iter()
            .find(|format| format.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::WebVtt => "webvtt",
            Format::Srt => "srt",
            Format::Text => "text",
            Format::Speech => "speech",
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
