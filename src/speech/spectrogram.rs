//! The log-mel spectrogram of one window, exactly as Whisper's reference computes it: frames
//! centred on every hop (the start mirrored), a periodic Hann window, the power of each of the
//! `n_fft / 2 + 1` frequencies, the mel filters, `log10`, everything within 8 of the loudest
//! value, scaled to about −1…1. candle's own spectrogram adds the mirrored half of the spectrum
//! (twice the power) and starts its frames half a frame late; the model, trained on the
//! reference, then misheard whole opening sentences.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use super::mel::{mel_filters, N_FFT, SAMPLE_RATE};

/// Samples between two frames (10 ms).
pub const HOP: usize = 160;

pub struct Spectrogram {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    filters: Vec<f32>,
    mels: usize,
}

impl Spectrogram {
    pub fn new(mels: usize) -> Self {
        let window = (0..N_FFT)
            .map(|at| {
                let phase = 2.0 * std::f64::consts::PI * at as f64 / N_FFT as f64;
                (0.5 * (1.0 - phase.cos())) as f32
            })
            .collect();
        Self {
            fft: RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT),
            window,
            filters: mel_filters(SAMPLE_RATE, N_FFT, mels),
            mels,
        }
    }

    /// `frames` frames of `samples` (silence after them), mel band after mel band
    /// (`mels × frames`).
    pub fn log_mel(&self, samples: &[f32], frames: usize) -> Vec<f32> {
        let half = N_FFT / 2;
        let bins = N_FFT / 2 + 1;
        // Frame `f` is centred on sample `f × HOP`: half a frame before the first sample is
        // its mirror image (as `torch.stft(center=True)` pads), silence after the last.
        let mut padded = vec![0f32; frames * HOP + N_FFT];
        for (at, mirrored) in padded[..half].iter_mut().enumerate() {
            *mirrored = samples.get(half - at).copied().unwrap_or(0.0);
        }
        let kept = samples.len().min(padded.len() - half);
        padded[half..half + kept].copy_from_slice(&samples[..kept]);

        let mut input = self.fft.make_input_vec();
        let mut spectrum = self.fft.make_output_vec();
        let mut scratch = self.fft.make_scratch_vec();
        let mut power = vec![0f32; bins];
        let mut mel = vec![0f32; self.mels * frames];
        for frame in 0..frames {
            let start = frame * HOP;
            for ((into, sample), weight) in input
                .iter_mut()
                .zip(&padded[start..start + N_FFT])
                .zip(&self.window)
            {
                *into = sample * weight;
            }
            // The lengths are the planner's own, so processing cannot fail.
            if self
                .fft
                .process_with_scratch(&mut input, &mut spectrum, &mut scratch)
                .is_err()
            {
                continue;
            }
            for (into, value) in power.iter_mut().zip(&spectrum) {
                *into = value.norm_sqr();
            }
            for band in 0..self.mels {
                let filter = &self.filters[band * bins..(band + 1) * bins];
                let energy: f32 = filter.iter().zip(&power).map(|(w, p)| w * p).sum();
                mel[band * frames + frame] = energy.max(1e-10).log10();
            }
        }
        let loudest = mel.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for value in &mut mel {
            *value = (value.max(loudest - 8.0) + 4.0) / 4.0;
        }
        mel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two tones (440 Hz, and 3 kHz at a fifth of the amplitude) for 0.5 s, then silence.
    fn tones() -> Vec<f32> {
        (0..8_000)
            .map(|at| {
                let t = at as f64 / SAMPLE_RATE as f64;
                (0.5 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()
                    + 0.1 * (2.0 * std::f64::consts::PI * 3_000.0 * t).sin()) as f32
            })
            .collect()
    }

    /// Whisper's log-mel spectrogram of `tones()` padded to 100 frames, as faster-whisper's
    /// `FeatureExtractor` (made to match openai-whisper's `audio.py`) computes it, once:
    /// (band, frame, value). Frame 0 is centred on the first sample (the mirrored start), frames
    /// 49–51 straddle the end of the tones, band 12 holds 440 Hz and bands 54–55 3 kHz, band 40
    /// nothing (the floor, 8 below the loudest).
    const REFERENCE: [(usize, usize, f32); 11] = [
        (0, 0, 0.988746),
        (11, 0, 1.11091),
        (12, 1, 1.29762),
        (12, 25, 1.29352),
        (13, 49, 0.335491),
        (54, 25, 0.964557),
        (55, 10, 0.940973),
        (55, 50, 0.856767),
        (12, 51, 0.343265),
        (40, 25, -0.561796),
        (5, 3, -0.561796),
    ];

    #[test]
    fn tones_come_out_as_whispers_own_spectrogram() {
        let mel = Spectrogram::new(80).log_mel(&tones(), 100);
        assert_eq!(mel.len(), 80 * 100);
        for (band, frame, expected) in REFERENCE {
            let got = mel[band * 100 + frame];
            assert!(
                (got - expected).abs() < 1e-4,
                "band {band}, frame {frame}: {got} against {expected}"
            );
        }
    }
}
