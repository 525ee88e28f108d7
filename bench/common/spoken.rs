//! What the speech benchmarks share: text spoken with `espeak-ng`, heard through the same decoder
//! as an upload, and the word error rate of what Whisper made of it.

use std::path::Path;
use std::process::Command;

use faqtory::speech::audio::listen;
use serde::Deserialize;

/// `text` spoken by `espeak-ng` (US English, 160 words a minute) into the WAV file `wav`.
pub fn speak_into(text: &str, wav: &Path) {
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "160", "-w"])
        .arg(wav)
        .arg(text)
        .status()
        .expect("espeak-ng is installed (apt-get install espeak-ng)");
    assert!(status.success(), "espeak-ng failed");
}

/// `text` spoken as `speak_into` does, as 16 kHz mono samples.
pub fn speak(text: &str, scratch: &Path) -> Vec<f32> {
    let wav = scratch.join("spoken.wav");
    speak_into(text, &wav);
    let mut samples = Vec::new();
    listen(&wav, None, &mut |piece| {
        samples.extend_from_slice(piece);
        Ok(())
    })
    .expect("espeak-ng's WAV reads");
    samples
}

/// Lowercased words, punctuation removed (apostrophes kept).
pub fn normalised_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Word-level edit distance.
pub fn word_errors(reference: &[String], heard: &[String]) -> usize {
    let mut row: Vec<usize> = (0..=heard.len()).collect();
    for (i, said) in reference.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, word) in heard.iter().enumerate() {
            let substitution = diagonal + usize::from(said != word);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[heard.len()]
}

#[derive(Deserialize)]
struct Meeting {
    meeting_id: String,
    domain: String,
    cues: Vec<Turn>,
}

#[derive(Deserialize)]
struct Turn {
    text: String,
}

/// The first `words` words of each of the first `count` QMSum committee meetings (`only`: that
/// meeting alone), with the meeting's name.
pub fn committee_passages(count: usize, words: usize, only: Option<&str>) -> Vec<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/qmsum/meetings.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("QMSum's meetings.jsonl");
    text.lines()
        .filter_map(|line| serde_json::from_str::<Meeting>(line).ok())
        .filter(|meeting| meeting.domain == "committee")
        .filter(|meeting| only.is_none_or(|only| meeting.meeting_id == only))
        .take(count)
        .map(|meeting| {
            let spoken: Vec<&str> = meeting
                .cues
                .iter()
                .flat_map(|turn| turn.text.split_whitespace())
                .take(words)
                .collect();
            (meeting.meeting_id, spoken.join(" "))
        })
        .collect()
}
