//! The whole listening path on the tiny Whisper: load, hear, reply, cut into phrases.

use super::audio::SAMPLE_RATE;
use super::listener::Listener;
use super::longform::{Control, Segment, TranscribeError};
use super::tiny_whisper::install_tiny_whisper;

fn listener(language: &str) -> Listener {
    let dir = std::env::temp_dir().join(format!(
        "faqtory-tiny-whisper-{language}-{}",
        std::process::id()
    ));
    install_tiny_whisper(&dir, language).unwrap();
    let listener = Listener::load(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    listener
}

/// A hum loud enough to be heard, `seconds` long.
fn hum(seconds: usize) -> Vec<f32> {
    (0..seconds * SAMPLE_RATE as usize)
        .map(|at| 0.1 * (at as f32 * 0.05).sin())
        .collect()
}

#[test]
fn each_window_with_sound_gives_its_timed_phrase() {
    let mut listener = listener("en");
    let mut recording = hum(65);
    let mut seen = Vec::new();
    let segments = listener
        .transcribe(&mut recording, "en", &mut |done| {
            seen.push(done);
            Control::Continue
        })
        .unwrap();
    let phrase = |start: f64| Segment {
        start_secs: start,
        end_secs: start + 1.0,
        text: "hello world".to_owned(),
    };
    assert_eq!(segments, vec![phrase(0.0), phrase(30.0), phrase(60.0)]);
    assert_eq!(seen, vec![30.0, 60.0, 65.0]);
}

#[test]
fn silence_is_skipped_unheard_and_all_silence_is_said() {
    let mut listener = listener("en");
    let mut recording = hum(30);
    recording.extend(vec![0.0; 60 * SAMPLE_RATE as usize]);
    recording.extend(hum(10));
    let segments = listener
        .transcribe(&mut recording, "en", &mut |_| Control::Continue)
        .unwrap();
    let starts: Vec<f64> = segments.iter().map(|segment| segment.start_secs).collect();
    assert_eq!(starts, vec![0.0, 90.0]);

    let mut quiet = vec![0.0; 100 * SAMPLE_RATE as usize];
    let refused = listener.transcribe(&mut quiet, "en", &mut |_| Control::Continue);
    assert!(matches!(refused, Err(TranscribeError::NoSpeech)));
}

#[test]
fn another_language_is_named_and_can_be_asked_for() {
    let mut listener = listener("de");
    let refused = listener
        .transcribe(&mut hum(5), "en", &mut |_| Control::Continue)
        .unwrap_err();
    assert!(
        refused.to_string().contains("sounds like de, not en"),
        "{refused}"
    );
    let segments = listener
        .transcribe(&mut hum(5), "de", &mut |_| Control::Continue)
        .unwrap();
    assert_eq!(segments.len(), 1);
    assert!(matches!(
        listener.transcribe(&mut hum(5), "xx", &mut |_| Control::Continue),
        Err(TranscribeError::UnknownLanguage(_))
    ));
}

#[test]
fn stopping_after_a_window_stops() {
    let mut listener = listener("en");
    let mut windows = 0;
    let stopped = listener.transcribe(&mut hum(100), "en", &mut |_| {
        windows += 1;
        Control::Stop
    });
    assert!(matches!(stopped, Err(TranscribeError::Stopped)));
    assert_eq!(windows, 1);
}
