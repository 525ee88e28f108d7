//! The log-mel filters Whisper reads audio through: triangles on the Slaney mel scale (linear
//! below 1 kHz, logarithmic above), each scaled to the same area ("Slaney" normalisation), as
//! librosa makes them and Whisper ships them. Computed here so the model needs no extra file.

/// What Whisper's models were trained on.
pub const SAMPLE_RATE: usize = 16_000;
pub const N_FFT: usize = 400;

/// Hz per mel below 1 kHz, where the scale is linear.
const LINEAR_HZ_PER_MEL: f64 = 200.0 / 3.0;
const LOG_FROM_HZ: f64 = 1_000.0;
const LOG_FROM_MEL: f64 = LOG_FROM_HZ / LINEAR_HZ_PER_MEL;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

pub fn hz_to_mel(hz: f64) -> f64 {
    if hz >= LOG_FROM_HZ {
        LOG_FROM_MEL + (hz / LOG_FROM_HZ).ln() / log_step()
    } else {
        hz / LINEAR_HZ_PER_MEL
    }
}

pub fn mel_to_hz(mel: f64) -> f64 {
    if mel >= LOG_FROM_MEL {
        LOG_FROM_HZ * (log_step() * (mel - LOG_FROM_MEL)).exp()
    } else {
        mel * LINEAR_HZ_PER_MEL
    }
}

/// `n_mels` filters over the `n_fft / 2 + 1` frequency bins of a spectrum at `sample_rate`, row
/// after row (`n_mels × (n_fft / 2 + 1)`), from 0 Hz to half the sample rate.
pub fn mel_filters(sample_rate: usize, n_fft: usize, n_mels: usize) -> Vec<f32> {
    let bins = n_fft / 2 + 1;
    let nyquist = sample_rate as f64 / 2.0;
    let bin_hz: Vec<f64> = (0..bins)
        .map(|bin| bin as f64 * sample_rate as f64 / n_fft as f64)
        .collect();
    let top_mel = hz_to_mel(nyquist);
    // n_mels + 2 edges: each filter rises from one edge, peaks at the next, falls to the third.
    let edges: Vec<f64> = (0..n_mels + 2)
        .map(|at| mel_to_hz(top_mel * at as f64 / (n_mels + 1) as f64))
        .collect();
    let mut filters = vec![0f32; n_mels * bins];
    for mel in 0..n_mels {
        let (low, peak, high) = (edges[mel], edges[mel + 1], edges[mel + 2]);
        // Every filter has the same area, so loud bands are not favoured by being wide.
        let area_scale = 2.0 / (high - low);
        for (bin, hz) in bin_hz.iter().enumerate() {
            let rising = (hz - low) / (peak - low);
            let falling = (high - hz) / (high - peak);
            let weight = rising.min(falling).max(0.0);
            filters[mel * bins + bin] = (weight * area_scale) as f32;
        }
    }
    filters
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries of Whisper's own `mel_80` (openai-whisper's `assets/mel_filters.npz`, made with
    /// librosa 0.8): (filter, bin, value).
    const WHISPER_MEL_80: [(usize, usize, f32); 12] = [
        (0, 1, 0.024_862_6),
        (1, 1, 0.001_990_82),
        (1, 2, 0.022_871_8),
        (10, 10, 0.019_908_2),
        (10, 11, 0.004_954_37),
        (40, 42, 0.005_411_10),
        (40, 43, 0.014_735_6),
        (40, 44, 0.006_518_19),
        (79, 186, 0.000_366_742),
        (79, 187, 0.000_833_070),
        (79, 188, 0.001_299_40),
        (79, 189, 0.001_765_73),
    ];

    #[test]
    fn whispers_eighty_filters_come_out_as_it_ships_them() {
        let filters = mel_filters(SAMPLE_RATE, N_FFT, 80);
        assert_eq!(filters.len(), 80 * 201);
        for (mel, bin, expected) in WHISPER_MEL_80 {
            let got = filters[mel * 201 + bin];
            assert!(
                (got - expected).abs() < 1e-6,
                "filter {mel}, bin {bin}: {got} against {expected}"
            );
        }
        let first: f32 = filters[..201].iter().sum();
        assert!((first - 0.024_862_6).abs() < 1e-6);
        assert_eq!(filters[0], 0.0, "nothing at 0 Hz");
        assert!(filters[..201]
            .iter()
            .enumerate()
            .all(|(bin, w)| bin == 1 || *w == 0.0));
    }

    #[test]
    fn the_scale_is_linear_below_a_kilohertz_and_turns_back() {
        assert!((hz_to_mel(1_000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(500.0) - 7.5).abs() < 1e-12);
        for hz in [0.0, 300.0, 999.0, 1_000.0, 4_000.0, 8_000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9, "{hz}");
        }
    }
}
