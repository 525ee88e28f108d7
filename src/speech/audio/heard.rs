//! What reading a recording gives, or why it could not: shared by every way of reading one.

/// Whisper's sample rate.
pub const SAMPLE_RATE: u32 = 16_000;

/// No call runs this long; a file that claims to is refused before it fills the database.
pub const LONGEST_RECORDING_SECS: f64 = 12.0 * 3600.0;

/// Why a recording cannot be heard, in words for the person who sent it.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("faqtory cannot read this file as a recording: it is not MP4, M4A, MP3, WAV, FLAC, Ogg or WebM/MKV, or it is damaged or cut short")]
    NotAudio,
    #[error("the file holds no sound track")]
    NoSound,
    #[error("the sound in this file is {codec}, which faqtory reads only through ffmpeg, and ffmpeg is not installed on the server: install ffmpeg, or convert the recording to MP3, M4A, FLAC, WAV or Ogg Vorbis")]
    Unsupported { codec: String },
    #[error("the file ends early: {heard_secs:.0} of the {expected_secs:.0} seconds it announces are there (was the upload cut short?)")]
    Truncated { heard_secs: f64, expected_secs: f64 },
    #[error("the recording is longer than 12 hours")]
    TooLong,
    #[error("the file holds no sound at all")]
    Empty,
    #[error("ffmpeg could not read the file: {0}")]
    Ffmpeg(String),
    #[error("ffmpeg is not installed")]
    ToolMissing,
    #[error("reading the recording: {0}")]
    Io(#[from] std::io::Error),
    /// What the sound was handed to refused it (the reason is its own).
    #[error("{0}")]
    Refused(String),
}

/// What was heard: how long the recording is, and how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Heard {
    pub seconds: f64,
    pub codec: String,
}
