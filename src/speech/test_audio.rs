//! Recordings made in code, for tests and benchmarks: a tone as a WAV file, as long as asked,
//! or with a header that claims more than it holds (a cut upload).

/// A WAV file (16-bit PCM) of `seconds` of a 440 Hz tone on `channels` channels at `rate`, whose
/// header claims `claimed_seconds`.
pub fn tone_wav(rate: u32, channels: u16, seconds: f64, claimed_seconds: f64) -> Vec<u8> {
    let frames = (f64::from(rate) * seconds) as usize;
    let claimed = (f64::from(rate) * claimed_seconds) as u32 * u32::from(channels) * 2;
    let mut bytes = Vec::with_capacity(44 + frames * usize::from(channels) * 2);
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + claimed).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&channels.to_le_bytes());
    bytes.extend_from_slice(&rate.to_le_bytes());
    bytes.extend_from_slice(&(rate * u32::from(channels) * 2).to_le_bytes());
    bytes.extend_from_slice(&(channels * 2).to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&claimed.to_le_bytes());
    for frame in 0..frames {
        let phase = frame as f32 * 440.0 * std::f32::consts::TAU / rate as f32;
        let value = (0.3 * phase.sin() * f32::from(i16::MAX)) as i16;
        for _ in 0..channels {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    bytes
}
