//! Speech to text on the real Whisper base: spoken audio made with `espeak-ng` from QMSum's
//! meeting text (`../shared/data/qmsum`), read through the same decoder as an upload, transcribed
//! with 1 and 2 threads. Prints the real-time factor (minutes of audio transcribed per minute),
//! the word error rate against the text that was spoken, and the process's peak memory.
//!
//! `cargo run --release --example bench_speech -- MODEL_DIR [PASSAGES] [WORDS] [MEETING]`
//! (MODEL_DIR as `faqtory model fetch --speech` installs it: `<data-dir>/models/whisper`;
//! PASSAGES committee-meeting passages of about WORDS words each, 2 and 300 by default; with
//! MEETING, that meeting alone, every segment printed.)

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::own_peak_memory_mib;
use common::spoken::{committee_passages, normalised_words, speak, word_errors};
use faqtory::speech::audio::SAMPLE_RATE;
use faqtory::speech::listener::Listener;
use faqtory::speech::longform::Control;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = PathBuf::from(args.get(1).expect("MODEL_DIR"));
    let count = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(2);
    let words = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(300);
    let only = args.get(4).map(String::as_str);
    let scratch = tempfile::tempdir().expect("a scratch directory");

    let mut recordings = Vec::new();
    for (meeting, text) in committee_passages(count, words, only) {
        let samples = speak(&text, scratch.path());
        let seconds = samples.len() as f64 / f64::from(SAMPLE_RATE);
        println!(
            "{meeting}: {seconds:.0} s of speech ({} words)",
            text.split_whitespace().count()
        );
        recordings.push((meeting, text, samples, seconds));
    }
    let audio_secs: f64 = recordings.iter().map(|(_, _, _, secs)| secs).sum();

    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        let (elapsed, errors, reference_words) = pool.install(|| {
            let loaded = Instant::now();
            let mut listener = Listener::load(&model).expect("the speech model loads");
            println!(
                "{threads} thread(s): model loaded in {:.1} s",
                loaded.elapsed().as_secs_f64()
            );
            let started = Instant::now();
            let (mut errors, mut reference_words) = (0, 0);
            for (meeting, text, samples, _) in &recordings {
                let segments = listener
                    .transcribe(&mut samples.clone(), "en", &mut |_| Control::Continue)
                    .expect("transcribed");
                let heard: Vec<String> = segments
                    .iter()
                    .flat_map(|segment| normalised_words(&segment.text))
                    .collect();
                let reference = normalised_words(text);
                let wrong = word_errors(&reference, &heard);
                if only.is_some() && threads == 1 {
                    for segment in &segments {
                        println!(
                            "    {:6.2}–{:6.2} {}",
                            segment.start_secs, segment.end_secs, segment.text
                        );
                    }
                }
                if threads == 1 {
                    let first = segments.first().map_or("", |segment| segment.text.as_str());
                    println!(
                        "  {meeting}: {} segments, WER {:.1} %; first: {first:?}",
                        segments.len(),
                        100.0 * wrong as f64 / reference.len() as f64
                    );
                }
                errors += wrong;
                reference_words += reference.len();
            }
            (started.elapsed().as_secs_f64(), errors, reference_words)
        });
        println!(
            "{threads} thread(s): {audio_secs:.0} s of audio in {elapsed:.1} s: {:.2} min of audio per minute; WER {:.1} % over {reference_words} words",
            audio_secs / elapsed,
            100.0 * errors as f64 / reference_words as f64
        );
    }
    println!("peak memory: {:.0} MiB", own_peak_memory_mib());
}
