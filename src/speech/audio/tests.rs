//! Recordings in each container and codec faqtory reads (made by `tests/fixtures/audio/make.sh`),
//! and the ones it refuses, with the words it refuses them in.

use std::path::{Path, PathBuf};

use super::pcm::is_silent;
use super::{listen, AudioError, SAMPLE_RATE};
use crate::speech::test_audio::tone_wav as wav;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audio")
        .join(name)
}

/// Everything heard, at 16 kHz.
fn heard(path: &Path, ffmpeg: Option<&Path>) -> Result<(f64, Vec<f32>), AudioError> {
    let mut samples = Vec::new();
    let heard = listen(path, ffmpeg, &mut |piece| {
        samples.extend_from_slice(piece);
        Ok(())
    })?;
    Ok((heard.seconds, samples))
}

fn written(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("faqtory-audio-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn assert_two_seconds_of_tone(name: &str, seconds: f64, samples: &[f32]) {
    assert!((seconds - 2.0).abs() < 0.1, "{name}: {seconds} s");
    let expected = 2 * SAMPLE_RATE as usize;
    assert!(
        samples.len().abs_diff(expected) < SAMPLE_RATE as usize / 10,
        "{name}: {} samples",
        samples.len()
    );
    assert!(!is_silent(&samples[8_000..24_000]), "{name} is silent");
}

#[test]
fn every_container_faqtory_reads_comes_out_at_16_khz_mono() {
    for name in [
        "hum.m4a",
        "hum.mp3",
        "hum.flac",
        "hum.ogg",
        "hum.webm",
        "video.mp4",
    ] {
        let (seconds, samples) =
            heard(&fixture(name), None).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_two_seconds_of_tone(name, seconds, &samples);
    }
    let stereo = written("stereo.wav", &wav(44_100, 2, 2.0, 2.0));
    let (seconds, samples) = heard(&stereo, None).unwrap();
    assert_two_seconds_of_tone("stereo.wav", seconds, &samples);
}

#[test]
fn opus_needs_ffmpeg_and_says_so() {
    let refused = heard(&fixture("hum.opus"), Some(Path::new("/nonexistent/ffmpeg"))).unwrap_err();
    let said = refused.to_string();
    assert!(
        said.contains("Opus") && said.contains("ffmpeg is not installed"),
        "{said}"
    );
    let refused = heard(&fixture("hum.opus"), None).unwrap_err();
    assert!(matches!(refused, AudioError::Unsupported { .. }));
}

#[test]
fn opus_is_read_through_ffmpeg_when_the_machine_has_it() {
    let ffmpeg = Path::new("ffmpeg");
    if std::process::Command::new(ffmpeg)
        .arg("-version")
        .output()
        .is_err()
    {
        eprintln!("ffmpeg is not installed here: reading Opus through it is not tried");
        return;
    }
    let (seconds, samples) = heard(&fixture("hum.opus"), Some(ffmpeg)).unwrap();
    assert_two_seconds_of_tone("hum.opus", seconds, &samples);
}

#[test]
fn what_is_not_a_recording_is_refused_in_words() {
    let text = written("notes.mp3", b"These are my notes, not a recording.\n");
    let refused = heard(&text, None).unwrap_err();
    assert!(matches!(refused, AudioError::NotAudio), "{refused}");
    assert!(refused
        .to_string()
        .contains("cannot read this file as a recording"));

    let empty = written("empty.wav", b"");
    assert!(heard(&empty, None).is_err());
}

#[test]
fn a_cut_file_is_told_from_a_short_one() {
    let cut = written("cut.wav", &wav(16_000, 1, 1.0, 10.0));
    let refused = heard(&cut, None).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("ends early: 1 of the 10 seconds"),
        "{refused}"
    );

    let mp4 = std::fs::read(fixture("video.mp4")).unwrap();
    let cut_video = written("cut.mp4", &mp4[..mp4.len() / 2]);
    assert!(heard(&cut_video, None).is_err());
}
