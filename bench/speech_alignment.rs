//! Finding questions in a transcript made from audio, against the same search in the text that
//! was spoken. Each of a few QMSum meetings (`../shared/data/qmsum`) is spoken turn by turn with
//! `espeak-ng`, the turns laid end to end with a pause between speakers; the audio is transcribed
//! with Whisper base as an upload is, and made into cues as the transcription job makes them.
//! Each question is then located in those cues and in the turns themselves (at the times they
//! were spoken), and scored on QMSum's annotated spans: hit@1, hit@3 and the median distance in
//! seconds from the first moment to the nearest span, as `bench_transcript_quality` scores them.
//!
//! `cargo run --release --example bench_speech_alignment -- MODEL_DIR [MEETINGS]`
//! (MODEL_DIR as `faqtory model fetch --speech` installs it; the MEETINGS shortest meetings with
//! five questions or more, 3 by default). With `FAQTORY_BENCH_MODEL=DIR` (a sentence encoder) it
//! scores words and meaning as well. Transcripts are kept under `target/bench-cache/speech`.

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::spoken::{normalised_words, speak, word_errors};
use faqtory::app::recording::transcriber::as_transcript;
use faqtory::meaning::encoder::Encoder;
use faqtory::speech::audio::SAMPLE_RATE;
use faqtory::speech::listener::Listener;
use faqtory::speech::longform::{Control, Segment};
use faqtory::transcript::{spoken_text, Cue, TranscriptIndex};
use serde::{Deserialize, Serialize};

/// Silence between two turns, as between two speakers.
const PAUSE_SECS: f64 = 0.4;

#[derive(Deserialize)]
struct Meeting {
    meeting_id: String,
    cues: Vec<Turn>,
    questions: Vec<Question>,
}

#[derive(Deserialize)]
struct Turn {
    index: usize,
    text: String,
}

#[derive(Deserialize)]
struct Question {
    query: String,
    spans: Vec<(usize, usize)>,
}

/// When each turn was spoken in the generated audio.
struct Spoken {
    samples: Vec<f32>,
    /// (turn index, start ms, end ms), in order.
    turns: Vec<(usize, i64, i64)>,
}

#[derive(Serialize, Deserialize)]
struct CachedSegment {
    start_secs: f64,
    end_secs: f64,
    text: String,
}

#[derive(Default)]
struct Score {
    hits_at_1: usize,
    hits_at_3: usize,
    /// Hits when a moment's cue counts for every turn it overlaps in time, not only the one it
    /// starts in: a phrase Whisper stamps a few hundred ms early still plays the discussion.
    overlap_hits_at_1: usize,
    overlap_hits_at_3: usize,
    distances: Vec<f64>,
}

impl Score {
    fn line(&mut self, name: &str) -> String {
        let questions = self.distances.len().max(1) as f64;
        self.distances.sort_by(f64::total_cmp);
        let median = self
            .distances
            .get(self.distances.len() / 2)
            .copied()
            .unwrap_or(f64::NAN);
        format!(
            "{name:<34} {:>3} questions  hit@1 {:.3}  hit@3 {:.3}  median distance {median:>4.0} s  \
             (overlapping: hit@1 {:.3}  hit@3 {:.3})",
            self.distances.len(),
            self.hits_at_1 as f64 / questions,
            self.hits_at_3 as f64 / questions,
            self.overlap_hits_at_1 as f64 / questions,
            self.overlap_hits_at_3 as f64 / questions,
        )
    }
}

fn meetings(count: usize) -> Vec<Meeting> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/qmsum/meetings.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("QMSum's meetings.jsonl");
    let mut all: Vec<Meeting> = text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .filter(|meeting: &Meeting| meeting.questions.len() >= 5)
        .collect();
    all.sort_by_key(|meeting| {
        meeting
            .cues
            .iter()
            .map(|turn| turn.text.split_whitespace().count())
            .sum::<usize>()
    });
    all.truncate(count);
    all
}

fn speak_meeting(meeting: &Meeting, scratch: &Path) -> Spoken {
    let pause = vec![0.0; (PAUSE_SECS * f64::from(SAMPLE_RATE)) as usize];
    let mut samples = Vec::new();
    let mut turns = Vec::new();
    let ms = |samples: usize| (samples as f64 * 1000.0 / f64::from(SAMPLE_RATE)) as i64;
    for turn in &meeting.cues {
        if turn.text.trim().is_empty() {
            continue;
        }
        let start = samples.len();
        samples.extend(speak(&turn.text, scratch));
        turns.push((turn.index, ms(start), ms(samples.len())));
        samples.extend_from_slice(&pause);
    }
    Spoken { samples, turns }
}

fn transcribed(listener: &mut Listener, meeting: &Meeting, spoken: &Spoken) -> Vec<Segment> {
    let cache_dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/bench-cache/speech"
    ));
    let cache = cache_dir.join(format!("{}.json", meeting.meeting_id));
    if let Some(cached) = std::fs::read(&cache)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<CachedSegment>>(&bytes).ok())
    {
        return cached
            .into_iter()
            .map(|segment| Segment {
                start_secs: segment.start_secs,
                end_secs: segment.end_secs,
                text: segment.text,
            })
            .collect();
    }
    let started = Instant::now();
    let segments = listener
        .transcribe(&mut spoken.samples.clone(), "en", &mut |_| {
            Control::Continue
        })
        .expect("transcribed");
    let audio_secs = spoken.samples.len() as f64 / f64::from(SAMPLE_RATE);
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "  transcribed {audio_secs:.0} s of audio in {elapsed:.0} s ({:.2} min of audio per minute)",
        audio_secs / elapsed
    );
    let kept: Vec<CachedSegment> = segments
        .iter()
        .map(|segment| CachedSegment {
            start_secs: segment.start_secs,
            end_secs: segment.end_secs,
            text: segment.text.clone(),
        })
        .collect();
    if std::fs::create_dir_all(&cache_dir).is_ok() {
        if let Ok(bytes) = serde_json::to_vec(&kept) {
            let _ = std::fs::write(&cache, bytes);
        }
    }
    segments
}

/// The turn being spoken at `ms` (or the last one begun before it).
fn turn_at(spoken: &Spoken, ms: i64) -> usize {
    let after = spoken.turns.partition_point(|(_, start, _)| *start <= ms);
    spoken.turns[after.saturating_sub(1)].0
}

/// The turns spoken at some time between `from` and `to` ms.
fn turns_during(spoken: &Spoken, from: i64, to: i64) -> Vec<usize> {
    spoken
        .turns
        .iter()
        .filter(|(_, start, end)| *start < to && *end > from)
        .map(|(index, _, _)| *index)
        .collect()
}

fn start_of(spoken: &Spoken, turn: usize) -> Option<i64> {
    spoken
        .turns
        .iter()
        .find(|(index, _, _)| *index >= turn)
        .map(|(_, start, _)| *start)
}

fn embed(encoder: &Encoder, texts: &[String]) -> Vec<Vec<f32>> {
    texts
        .chunks(16)
        .flat_map(|batch| {
            let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
            encoder.embed(&batch).expect("embedded")
        })
        .collect()
}

/// Scores each question's moments among `cues` into `score`.
fn locate(
    meeting: &Meeting,
    spoken: &Spoken,
    cues: &[Cue],
    encoder: Option<&Encoder>,
    score: &mut Score,
) {
    let texts: Vec<String> = cues.iter().map(spoken_text).collect();
    let queries: Vec<String> = meeting.questions.iter().map(|q| q.query.clone()).collect();
    let cue_vectors = encoder.map(|encoder| embed(encoder, &texts));
    let question_vectors = encoder.map(|encoder| embed(encoder, &queries));
    let mut index = TranscriptIndex::new(cues);
    if let Some(vectors) = &cue_vectors {
        index = index.with_vectors(vectors);
    }
    for (n, question) in meeting.questions.iter().enumerate() {
        let meaning = question_vectors.as_ref().map(|vectors| &vectors[n][..]);
        let moments = index.moments(&question.query, meaning);
        let turns: Vec<usize> = moments
            .iter()
            .map(|moment| turn_at(spoken, cues[moment.cue].start_ms))
            .collect();
        let overlapped: Vec<Vec<usize>> = moments
            .iter()
            .map(|moment| {
                let cue = &cues[moment.cue];
                turns_during(spoken, cue.start_ms, cue.end_ms)
            })
            .collect();
        let inside = |turn: usize| {
            question
                .spans
                .iter()
                .any(|(first, last)| (*first..=*last).contains(&turn))
        };
        score.hits_at_1 += usize::from(turns.first().is_some_and(|turn| inside(*turn)));
        score.hits_at_3 += usize::from(turns.iter().take(3).any(|turn| inside(*turn)));
        let overlaps = |turns: &Vec<usize>| turns.iter().any(|turn| inside(*turn));
        score.overlap_hits_at_1 += usize::from(overlapped.first().is_some_and(overlaps));
        score.overlap_hits_at_3 += usize::from(overlapped.iter().take(3).any(overlaps));
        let distance = turns.first().map_or(0.0, |turn| {
            let at = start_of(spoken, *turn).unwrap_or(0);
            question
                .spans
                .iter()
                .filter_map(|(first, _)| start_of(spoken, *first))
                .map(|start| (start - at).abs() as f64 / 1000.0)
                .fold(f64::INFINITY, f64::min)
        });
        score.distances.push(distance);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = PathBuf::from(args.get(1).expect("MODEL_DIR"));
    let count = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(3);
    let encoder = std::env::var_os("FAQTORY_BENCH_MODEL")
        .map(|dir| Encoder::load(Path::new(&dir)).expect("the sentence encoder loads"));
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let mut listener = Listener::load(&model).expect("the speech model loads");

    let mut scores: Vec<(String, Score)> = ["spoken text", "transcribed audio"]
        .iter()
        .flat_map(|source| {
            let words = (format!("{source}, words"), Score::default());
            let meaning = encoder
                .as_ref()
                .map(|_| (format!("{source}, words + meaning"), Score::default()));
            std::iter::once(words).chain(meaning)
        })
        .collect();
    let (mut errors, mut reference_words) = (0, 0);
    for meeting in meetings(count) {
        let spoken = speak_meeting(&meeting, scratch.path());
        println!(
            "{}: {} turns, {:.0} s of speech, {} questions",
            meeting.meeting_id,
            spoken.turns.len(),
            spoken.samples.len() as f64 / f64::from(SAMPLE_RATE),
            meeting.questions.len()
        );
        let segments = transcribed(&mut listener, &meeting, &spoken);
        let heard = as_transcript(&segments).cues;
        let said: Vec<Cue> = meeting
            .cues
            .iter()
            .filter(|turn| !turn.text.trim().is_empty())
            .zip(&spoken.turns)
            .map(|(turn, (_, start_ms, end_ms))| Cue {
                start_ms: *start_ms,
                end_ms: *end_ms,
                speaker: None,
                text: turn.text.clone(),
            })
            .collect();
        let reference: Vec<String> = said
            .iter()
            .flat_map(|cue| normalised_words(&cue.text))
            .collect();
        let recognised: Vec<String> = heard
            .iter()
            .flat_map(|cue| normalised_words(&cue.text))
            .collect();
        let wrong = word_errors(&reference, &recognised);
        println!(
            "  {} cues heard; WER {:.1} %",
            heard.len(),
            100.0 * wrong as f64 / reference.len().max(1) as f64
        );
        errors += wrong;
        reference_words += reference.len();
        let mut at = 0;
        for cues in [&said, &heard] {
            locate(&meeting, &spoken, cues, None, &mut scores[at].1);
            at += 1;
            if let Some(encoder) = &encoder {
                locate(&meeting, &spoken, cues, Some(encoder), &mut scores[at].1);
                at += 1;
            }
        }
    }
    println!(
        "WER {:.1} % over {reference_words} words",
        100.0 * errors as f64 / reference_words.max(1) as f64
    );
    for (name, score) in &mut scores {
        println!("{}", score.line(name));
    }
}
