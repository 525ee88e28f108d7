//! Any sample rate to 16 kHz, a piece at a time, with the resampler's delay taken out so that a
//! word heard at 12.3 s in the file is at 12.3 s in the transcript.

use rubato::{FftFixedIn, Resampler as _};

use super::heard::AudioError;

/// Input frames the resampler takes at once.
const CHUNK: usize = 1024;

pub struct Resampler {
    /// `None` when the recording is already at the rate wanted.
    fft: Option<FftFixedIn<f32>>,
    pending: Vec<f32>,
    from: u32,
    to: u32,
    /// Output frames still to drop: the resampler's delay.
    to_skip: usize,
    frames_in: u64,
    frames_out: u64,
}

impl Resampler {
    pub fn new(from: u32, to: u32) -> Result<Self, String> {
        if from == 0 {
            return Err("the recording gives no sample rate".to_owned());
        }
        let fft = if from == to {
            None
        } else {
            Some(
                FftFixedIn::<f32>::new(from as usize, to as usize, CHUNK, 2, 1)
                    .map_err(|error| format!("resampling {from} Hz to {to} Hz: {error}"))?,
            )
        };
        let to_skip = fft.as_ref().map_or(0, |fft| fft.output_delay());
        Ok(Self {
            fft,
            pending: Vec::with_capacity(CHUNK * 2),
            from,
            to,
            to_skip,
            frames_in: 0,
            frames_out: 0,
        })
    }

    fn emit(
        &mut self,
        samples: &[f32],
        sink: &mut dyn FnMut(&[f32]) -> Result<(), AudioError>,
    ) -> Result<(), AudioError> {
        let skipped = self.to_skip.min(samples.len());
        self.to_skip -= skipped;
        let wanted = self.frames_wanted().saturating_sub(self.frames_out);
        let kept = &samples[skipped..];
        let kept = &kept[..kept
            .len()
            .min(usize::try_from(wanted).unwrap_or(usize::MAX))];
        self.frames_out += kept.len() as u64;
        if kept.is_empty() {
            return Ok(());
        }
        sink(kept)
    }

    /// Output frames the input so far stands for.
    fn frames_wanted(&self) -> u64 {
        (self.frames_in * u64::from(self.to)).div_ceil(u64::from(self.from))
    }

    pub fn push(
        &mut self,
        samples: &[f32],
        sink: &mut dyn FnMut(&[f32]) -> Result<(), AudioError>,
    ) -> Result<(), AudioError> {
        self.frames_in += samples.len() as u64;
        if self.fft.is_none() {
            return self.emit(samples, sink);
        }
        self.pending.extend_from_slice(samples);
        loop {
            let Some(fft) = self.fft.as_mut() else {
                return Ok(());
            };
            let needed = fft.input_frames_next();
            if self.pending.len() < needed {
                return Ok(());
            }
            let output = fft
                .process(&[&self.pending[..needed]], None)
                .map_err(|error| AudioError::Refused(format!("resampling: {error}")))?;
            self.pending.drain(..needed);
            if let Some(channel) = output.first() {
                self.emit(channel, sink)?;
            }
        }
    }

    /// Sends what is left, including what the resampler still holds back.
    pub fn finish(
        &mut self,
        sink: &mut dyn FnMut(&[f32]) -> Result<(), AudioError>,
    ) -> Result<(), AudioError> {
        // The rest of the input, then zeros to push out what the filter holds, until the output
        // stands for all the input (a few rounds at most).
        let mut rest = Some(std::mem::take(&mut self.pending));
        for _ in 0..4 {
            if self.frames_out >= self.frames_wanted() {
                break;
            }
            let Some(fft) = self.fft.as_mut() else {
                return Ok(());
            };
            let output = match rest.take() {
                Some(rest) if !rest.is_empty() => {
                    fft.process_partial(Some(&[rest.as_slice()]), None)
                }
                _ => fft.process_partial(None::<&[&[f32]]>, None),
            }
            .map_err(|error| AudioError::Refused(format!("resampling: {error}")))?;
            if let Some(channel) = output.first() {
                self.emit(channel, sink)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resampled(from: u32, input: &[f32]) -> Vec<f32> {
        let mut resampler = Resampler::new(from, 16_000).unwrap();
        let mut out = Vec::new();
        let mut sink = |piece: &[f32]| {
            out.extend_from_slice(piece);
            Ok(())
        };
        for piece in input.chunks(777) {
            resampler.push(piece, &mut sink).unwrap();
        }
        resampler.finish(&mut sink).unwrap();
        out
    }

    fn tone(rate: u32, hz: f32, seconds: f32) -> Vec<f32> {
        (0..(rate as f32 * seconds) as usize)
            .map(|at| (at as f32 / rate as f32 * hz * std::f32::consts::TAU).sin())
            .collect()
    }

    #[test]
    fn keeps_length_and_timing_at_any_rate() {
        for rate in [8_000, 16_000, 22_050, 44_100, 48_000] {
            let out = resampled(rate, &tone(rate, 440.0, 2.0));
            assert_eq!(out.len(), 32_000, "{rate} Hz");
            // The tone's first upward zero crossing after 1 s lands where a 16 kHz tone's would.
            let expected = tone(16_000, 440.0, 2.0);
            let error: f32 = out[16_000..16_400]
                .iter()
                .zip(&expected[16_000..16_400])
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            // A whole sample late would be off by 0.17 at 440 Hz; the filter's delay is whole
            // output samples, so up to a third of one remains.
            assert!(error < 0.1, "{rate} Hz: off by {error}");
        }
    }

    #[test]
    fn refuses_a_rate_of_zero() {
        assert!(Resampler::new(0, 16_000).is_err());
    }
}
