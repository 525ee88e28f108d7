//! Containers and codecs read with symphonia: the first sound track, mixed down to one channel
//! and resampled to 16 kHz as it is decoded.

use std::fs::File;
use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CodecType, DecoderOptions, CODEC_TYPE_NULL, CODEC_TYPE_OPUS};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::heard::{AudioError, Heard, LONGEST_RECORDING_SECS, SAMPLE_RATE};
use super::resample::Resampler;

/// Recordings that end this much short of the length their header announces are cut.
const TRUNCATED_BELOW: f64 = 0.98;

fn codec_name(codec: CodecType) -> String {
    if codec == CODEC_TYPE_OPUS {
        return "Opus".to_owned();
    }
    match symphonia::default::get_codecs().get_codec(codec) {
        Some(descriptor) => descriptor.long_name.to_owned(),
        None => "a codec faqtory has no decoder for".to_owned(),
    }
}

/// Decodes `path`, handing 16 kHz mono pieces to `sink`.
pub fn decode(
    path: &Path,
    sink: &mut dyn FnMut(&[f32]) -> Result<(), AudioError>,
) -> Result<Heard, AudioError> {
    let file = File::open(path)?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(extension) = path.extension().and_then(|extension| extension.to_str()) {
        hint.with_extension(extension);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|_| AudioError::NotAudio)?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|track| track.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or(AudioError::NoSound)?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    let codec = codec_name(params.codec);
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|_| AudioError::Unsupported {
            codec: codec.clone(),
        })?;
    let announced_secs = match (params.n_frames, params.sample_rate) {
        (Some(frames), Some(rate)) if rate > 0 => Some(frames as f64 / f64::from(rate)),
        _ => None,
    };
    if announced_secs.is_some_and(|secs| secs > LONGEST_RECORDING_SECS) {
        return Err(AudioError::TooLong);
    }
    let mut resampler: Option<Resampler> = None;
    let mut mono = Vec::new();
    let mut frames_read: u64 = 0;
    let mut source_rate = params.sample_rate.unwrap_or(SAMPLE_RATE);
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            // The end of the stream, or where a cut file stops: told apart by length below.
            Err(SymphoniaError::IoError(_)) => break,
            Err(SymphoniaError::ResetRequired) => break,
            Err(_) => return Err(AudioError::NotAudio),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            // One damaged packet is a click, not a reason to lose the recording.
            Err(SymphoniaError::DecodeError(_)) => continue,
            Err(SymphoniaError::IoError(_)) => break,
            Err(_) => return Err(AudioError::NotAudio),
        };
        let spec = *decoded.spec();
        let channels = spec.channels.count().max(1);
        if decoded.frames() == 0 {
            continue;
        }
        let mut samples = SampleBuffer::<f32>::new(decoded.capacity() as u64, spec);
        samples.copy_interleaved_ref(decoded);
        mono.clear();
        mono.extend(
            samples
                .samples()
                .chunks(channels)
                .map(|frame| frame.iter().sum::<f32>() / channels as f32),
        );
        frames_read += mono.len() as u64;
        if resampler.is_none() {
            source_rate = spec.rate;
            resampler =
                Some(Resampler::new(source_rate, SAMPLE_RATE).map_err(AudioError::Refused)?);
        }
        if frames_read as f64 / f64::from(source_rate.max(1)) > LONGEST_RECORDING_SECS {
            return Err(AudioError::TooLong);
        }
        if let Some(resampler) = resampler.as_mut() {
            resampler.push(&mono, sink)?;
        }
    }
    let Some(mut resampler) = resampler else {
        return Err(AudioError::Empty);
    };
    resampler.finish(sink)?;
    let heard_secs = frames_read as f64 / f64::from(source_rate.max(1));
    if let Some(expected_secs) = announced_secs {
        if heard_secs < expected_secs * TRUNCATED_BELOW {
            return Err(AudioError::Truncated {
                heard_secs,
                expected_secs,
            });
        }
    }
    Ok(Heard {
        seconds: heard_secs,
        codec,
    })
}
