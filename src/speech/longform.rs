//! A whole recording, window after window, the way Whisper transcribes long audio: each 30 s
//! window's timed phrases are kept, and the next window starts where the last whole phrase ended.
//! Silent stretches are skipped unheard; a reply that repeats itself or that the model doubts is
//! tried again at rising temperatures.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::audio::pcm::is_silent;
use super::audio::SAMPLE_RATE;
use super::decoder::Conversation;
use super::listener::{Listener, ListenerError};
use super::reply::Reply;

/// Temperatures tried in turn until a reply looks right.
const TEMPERATURES: [f64; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
const COMPRESSION_RATIO_LIMIT: f64 = 2.4;
const LOG_PROBABILITY_FLOOR: f64 = -1.0;
const NO_SPEECH_THRESHOLD: f64 = 0.6;
/// A language other than the one asked for stops the job only when the model is this sure.
const OTHER_LANGUAGE_CERTAINTY: f32 = 0.5;

/// A recording's sound at 16 kHz, read a stretch at a time.
pub trait Recording {
    /// Its length in samples.
    fn samples(&self) -> usize;
    /// Samples `[from, to)`.
    fn read(&mut self, from: usize, to: usize) -> Result<Vec<f32>, String>;
}

impl Recording for Vec<f32> {
    fn samples(&self) -> usize {
        self.len()
    }

    fn read(&mut self, from: usize, to: usize) -> Result<Vec<f32>, String> {
        Ok(self[from.min(self.len())..to.min(self.len())].to_vec())
    }
}

/// A timed phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start_secs: f64,
    pub end_secs: f64,
    pub text: String,
}

/// Whether to go on after a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Stop,
}

#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error("stopped")]
    Stopped,
    #[error("the recording sounds like {heard}, not {wanted}: to transcribe it in {heard}, start again with that language")]
    OtherLanguage { heard: String, wanted: String },
    #[error("the speech model does not know the language `{0}`")]
    UnknownLanguage(String),
    #[error("no speech was heard in the recording")]
    NoSpeech,
    #[error("reading the recording: {0}")]
    Recording(String),
    #[error(transparent)]
    Listener(#[from] ListenerError),
}

/// Where a window's reply leaves the recording: its phrases, and where the next window starts.
struct Heard {
    segments: Vec<Segment>,
    next_seek: usize,
}

fn samples_at(seconds: f64) -> usize {
    (seconds * f64::from(SAMPLE_RATE)).round() as usize
}

/// Whether the loudest second of `samples` is still too quiet to hold speech.
fn silent_throughout(samples: &[f32]) -> bool {
    samples.chunks(SAMPLE_RATE as usize).all(is_silent)
}

impl Listener {
    fn reply_with_fallback(
        &mut self,
        heard: &Conversation,
        language: u32,
        seed: u64,
    ) -> Result<Reply, ListenerError> {
        let mut random = StdRng::seed_from_u64(seed);
        let mut reply = self.reply(heard, language, 0.0, &mut random)?;
        for temperature in TEMPERATURES.iter().skip(1) {
            let doubtful = reply.compression_ratio > COMPRESSION_RATIO_LIMIT
                || reply.average_log_probability < LOG_PROBABILITY_FLOOR;
            if !doubtful || reply.no_speech_probability > NO_SPEECH_THRESHOLD {
                break;
            }
            reply = self.reply(heard, language, *temperature, &mut random)?;
        }
        Ok(reply)
    }

    /// Cuts a window's reply into timed phrases, as Whisper's reference transcriber does.
    fn phrases(&self, reply: &Reply, seek: usize, window_end: usize) -> Heard {
        let special = &self.special;
        let tokens = &reply.tokens;
        let offset = seek as f64 / f64::from(SAMPLE_RATE);
        let window_secs = (window_end - seek) as f64 / f64::from(SAMPLE_RATE);
        let stamp = |at: usize| special.is_timestamp(tokens[at]);
        let single_timestamp_ending =
            tokens.len() >= 2 && !stamp(tokens.len() - 2) && stamp(tokens.len() - 1);
        let mut cuts: Vec<usize> = (1..tokens.len())
            .filter(|at| stamp(at - 1) && stamp(*at))
            .collect();
        let mut segments = Vec::new();
        let mut phrase = |from: usize, to: usize, start: f64, end: f64| {
            let text = self.text(&tokens[from..to]);
            if !text.is_empty() && end > start {
                segments.push(Segment {
                    start_secs: offset + start,
                    end_secs: offset + end.min(window_secs),
                    text,
                });
            }
        };
        if cuts.is_empty() {
            let end = tokens
                .iter()
                .rev()
                .find(|token| special.is_timestamp(**token) && **token != special.first_timestamp)
                .map_or(window_secs, |last| special.seconds(*last));
            phrase(0, tokens.len(), 0.0, end);
            return Heard {
                segments,
                next_seek: window_end,
            };
        }
        if single_timestamp_ending {
            cuts.push(tokens.len());
        }
        let mut from = 0;
        for to in &cuts {
            let start = special.seconds(tokens[from]);
            let end = special.seconds(tokens[to - 1]);
            phrase(from, *to, start, end);
            from = *to;
        }
        let next_seek = if single_timestamp_ending {
            window_end
        } else {
            (seek + samples_at(special.seconds(tokens[from - 1]))).min(window_end)
        };
        Heard {
            segments,
            next_seek,
        }
    }

    /// Transcribes `recording` in language `wanted` (a code such as "en"), telling `progress`
    /// how many seconds are done after each window; it may stop the work.
    pub fn transcribe(
        &mut self,
        recording: &mut dyn Recording,
        wanted: &str,
        progress: &mut dyn FnMut(f64) -> Control,
    ) -> Result<Vec<Segment>, TranscribeError> {
        let language = self
            .special
            .language(wanted)
            .ok_or_else(|| TranscribeError::UnknownLanguage(wanted.to_owned()))?;
        let total = recording.samples();
        let window = self.window_samples();
        let mut language_checked = false;
        let mut segments = Vec::new();
        let mut seek = 0;
        while seek < total {
            let window_end = (seek + window).min(total);
            let samples = recording
                .read(seek, window_end)
                .map_err(TranscribeError::Recording)?;
            let mut next_seek = window_end;
            if !silent_throughout(&samples) {
                let heard = self.hear(&samples)?;
                if !language_checked {
                    if let Some((heard_language, certainty)) = self.language(&heard)? {
                        if heard_language != wanted && certainty > OTHER_LANGUAGE_CERTAINTY {
                            return Err(TranscribeError::OtherLanguage {
                                heard: heard_language,
                                wanted: wanted.to_owned(),
                            });
                        }
                    }
                    language_checked = true;
                }
                let reply = self.reply_with_fallback(&heard, language, seek as u64)?;
                let nobody_spoke = reply.no_speech_probability > NO_SPEECH_THRESHOLD
                    && reply.average_log_probability < LOG_PROBABILITY_FLOOR;
                if !nobody_spoke {
                    let found = self.phrases(&reply, seek, window_end);
                    segments.extend(found.segments);
                    next_seek = found.next_seek;
                }
            }
            // A reply whose last phrase ends where it began still moves on.
            seek = if next_seek > seek {
                next_seek
            } else {
                window_end
            };
            if progress(seek as f64 / f64::from(SAMPLE_RATE)) == Control::Stop {
                return Err(TranscribeError::Stopped);
            }
        }
        if segments.is_empty() {
            return Err(TranscribeError::NoSpeech);
        }
        Ok(segments)
    }
}
