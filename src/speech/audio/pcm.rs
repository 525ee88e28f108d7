//! Heard sound as it is kept between upload and transcription: 16-bit little-endian samples
//! (half the room of floats, and finer than any microphone on a call).

/// Samples as bytes.
pub fn to_bytes(samples: &[f32]) -> Vec<u8> {
    samples
        .iter()
        .flat_map(|sample| {
            let scaled = (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
            scaled.to_le_bytes()
        })
        .collect()
}

/// Bytes as samples; a trailing odd byte is ignored.
pub fn from_bytes(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(2)
        .map(|pair| f32::from(i16::from_le_bytes([pair[0], pair[1]])) / f32::from(i16::MAX))
        .collect()
}

/// Below this loudness (root mean square, full scale 1) a stretch holds nothing to transcribe:
/// about -50 dBFS, under the hiss of a quiet room on a laptop microphone.
pub const SILENCE_RMS: f32 = 0.003;

/// Whether `samples` are too quiet to hold speech.
pub fn is_silent(samples: &[f32]) -> bool {
    if samples.is_empty() {
        return true;
    }
    let energy: f64 = samples
        .iter()
        .map(|sample| f64::from(*sample) * f64::from(*sample))
        .sum();
    ((energy / samples.len() as f64).sqrt() as f32) < SILENCE_RMS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_within_a_step() {
        let samples = [0.0, 0.5, -0.5, 1.0, -1.0, 0.123_456];
        let back = from_bytes(&to_bytes(&samples));
        for (a, b) in samples.iter().zip(&back) {
            assert!((a - b).abs() < 1.0 / 32_000.0, "{a} came back as {b}");
        }
    }

    #[test]
    fn clips_what_is_out_of_range() {
        assert_eq!(from_bytes(&to_bytes(&[3.0, -3.0])), vec![1.0, -1.0]);
    }

    #[test]
    fn tells_silence_from_sound() {
        assert!(is_silent(&[0.0; 1000]));
        assert!(is_silent(&[0.001; 1000]));
        assert!(!is_silent(&[0.05; 1000]));
        assert!(is_silent(&[]));
    }
}
