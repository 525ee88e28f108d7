//! How this instance transcribes recordings: how many threads it lends the speech model, how
//! large an upload it takes, and where ffmpeg is.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct SpeechSettings {
    /// Threads for transcription; 0: this instance leaves transcription to others.
    pub threads: usize,
    /// The largest recording an upload may be.
    pub max_upload_bytes: u64,
    /// The program tried for codecs read no other way (Opus); `None`: never tried.
    pub ffmpeg: Option<PathBuf>,
    /// How often an idle instance looks for a transcription to take up.
    pub check: std::time::Duration,
}

/// Half the machine, so that the site keeps answering while a recording is transcribed.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|cores| (cores.get() / 2).max(1))
        .unwrap_or(1)
}

/// A two-hour call as a 720p video is about 1.5 GB.
pub const DEFAULT_MAX_RECORDING_MB: u64 = 2048;
/// Recordings waiting are looked for every few seconds; a new upload is looked at at once.
pub const SPEECH_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

impl Default for SpeechSettings {
    fn default() -> Self {
        Self {
            threads: default_threads(),
            max_upload_bytes: DEFAULT_MAX_RECORDING_MB * 1024 * 1024,
            ffmpeg: Some(PathBuf::from("ffmpeg")),
            check: SPEECH_CHECK,
        }
    }
}
