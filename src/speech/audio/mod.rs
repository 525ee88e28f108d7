//! A recording's sound, as Whisper hears it: one channel at 16 kHz. Containers and codecs are
//! read in pure Rust (`decode`); what that cannot read goes through `ffmpeg` when the machine has
//! it (`ffmpeg`). The sound is resampled as it is read (`resample`) and handed on in pieces, so a
//! long recording is never held whole at its own rate.

pub mod decode;
pub mod ffmpeg;
mod heard;
pub mod pcm;
pub mod resample;

#[cfg(test)]
pub(crate) mod tests;

use std::path::Path;

pub use heard::{AudioError, Heard, LONGEST_RECORDING_SECS, SAMPLE_RATE};

/// Reads the recording at `path`, handing its sound to `sink` at 16 kHz mono, a piece at a time;
/// `ffmpeg` is the program tried for codecs read no other way (`None`: never tried).
pub fn listen(
    path: &Path,
    ffmpeg: Option<&Path>,
    sink: &mut dyn FnMut(&[f32]) -> Result<(), AudioError>,
) -> Result<Heard, AudioError> {
    // symphonia may panic on a damaged stream; a user's file must never take a thread down.
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        decode::decode(path, &mut *sink)
    }))
    .unwrap_or(Err(AudioError::NotAudio));
    match decoded {
        Err(AudioError::Unsupported { codec }) => match ffmpeg {
            Some(program) => ffmpeg::decode(program, path, sink).map_err(|error| match error {
                AudioError::ToolMissing => AudioError::Unsupported { codec },
                other => other,
            }),
            None => Err(AudioError::Unsupported { codec }),
        },
        other => other,
    }
}
