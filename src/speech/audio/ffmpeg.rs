//! Codecs symphonia has no decoder for (Opus, above all: what WebM and Ogg calls are often saved
//! as) are read by `ffmpeg`, when the machine has it, straight to 16 kHz mono floats.

use std::io::{ErrorKind, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use super::heard::{AudioError, Heard, LONGEST_RECORDING_SECS, SAMPLE_RATE};

/// Bytes read from ffmpeg at a time: a second of sound.
const PIECE: usize = SAMPLE_RATE as usize * 4;

/// Decodes `path` with the program `ffmpeg`, handing 16 kHz mono pieces to `sink`.
pub fn decode(
    ffmpeg: &Path,
    path: &Path,
    sink: &mut dyn FnMut(&[f32]) -> Result<(), AudioError>,
) -> Result<Heard, AudioError> {
    let mut child = Command::new(ffmpeg)
        .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-i"])
        .arg(path)
        .args(["-vn", "-ac", "1", "-ar", "16000", "-f", "f32le", "-"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| match error.kind() {
            ErrorKind::NotFound | ErrorKind::PermissionDenied => AudioError::ToolMissing,
            _ => AudioError::Io(error),
        })?;
    let Some(mut output) = child.stdout.take() else {
        return Err(AudioError::Ffmpeg("it gave no output".to_owned()));
    };
    let mut bytes = vec![0u8; PIECE];
    let mut filled = 0;
    let mut frames: u64 = 0;
    let mut samples = Vec::with_capacity(PIECE / 4);
    let result =
        loop {
            let read = match output.read(&mut bytes[filled..]) {
                Ok(read) => read,
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => break Err(AudioError::Io(error)),
            };
            filled += read;
            let whole = filled - filled % 4;
            if read == 0 || whole == bytes.len() {
                samples.clear();
                samples.extend(bytes[..whole].chunks_exact(4).map(|sample| {
                    f32::from_le_bytes([sample[0], sample[1], sample[2], sample[3]])
                }));
                frames += samples.len() as u64;
                if frames as f64 / f64::from(SAMPLE_RATE) > LONGEST_RECORDING_SECS {
                    break Err(AudioError::TooLong);
                }
                if !samples.is_empty() {
                    if let Err(error) = sink(&samples) {
                        break Err(error);
                    }
                }
                bytes.copy_within(whole..filled, 0);
                filled -= whole;
            }
            if read == 0 {
                break Ok(());
            }
        };
    if result.is_err() {
        // Nothing more is wanted from it.
        let _ = child.kill();
    }
    let mut complaint = String::new();
    if let Some(mut errors) = child.stderr.take() {
        let _ = errors.read_to_string(&mut complaint);
    }
    let status = child.wait()?;
    result?;
    if !status.success() {
        let said = complaint
            .lines()
            .last()
            .unwrap_or("it stopped with an error");
        return Err(AudioError::Ffmpeg(said.trim().to_owned()));
    }
    if frames == 0 {
        return Err(AudioError::Empty);
    }
    Ok(Heard {
        seconds: frames as f64 / f64::from(SAMPLE_RATE),
        codec: "read by ffmpeg".to_owned(),
    })
}
