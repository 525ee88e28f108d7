//! What the model says for one window: the language it hears, and its reply token by token
//! (greedy, or sampled at a temperature when the greedy reply looks wrong).

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use rand::distr::{weighted::WeightedIndex, Distribution};
use rand::rngs::StdRng;

use super::decoder::Conversation;
use super::listener::{Listener, ListenerError};
use super::timestamp_rules;

/// One window's reply.
#[derive(Debug, Clone)]
pub struct Reply {
    /// What was said after the prompt, up to (not with) the end token.
    pub tokens: Vec<u32>,
    pub average_log_probability: f64,
    /// How likely the model thought it that nobody speaks in the window.
    pub no_speech_probability: f64,
    pub compression_ratio: f64,
}

fn log_softmax(logits: &[f32]) -> Vec<f32> {
    let top = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let total = logits
        .iter()
        .map(|logit| (logit - top).exp())
        .sum::<f32>()
        .ln()
        + top;
    logits.iter().map(|logit| logit - total).collect()
}

fn argmax(values: &[f32]) -> usize {
    values
        .iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (at, value)| {
            if *value > best.1 {
                (at, *value)
            } else {
                best
            }
        })
        .0
}

/// A token drawn at `temperature`. Weights are taken relative to the likeliest token: a logit of
/// 70 at 0.2 would otherwise overflow, and every draw would fall back to the greedy token.
fn sample(logits: &[f32], temperature: f64, random: &mut StdRng) -> usize {
    let top = f64::from(logits.iter().copied().fold(f32::NEG_INFINITY, f32::max));
    let weights: Vec<f64> = logits
        .iter()
        .map(|logit| ((f64::from(*logit) - top) / temperature).exp())
        .collect();
    match WeightedIndex::new(&weights) {
        Ok(index) => index.sample(random),
        Err(_) => argmax(logits),
    }
}

/// How much text shrinks when compressed: a reply stuck repeating itself shrinks a lot.
pub fn compression_ratio(text: &str) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    let compressed = encoder
        .write_all(text.as_bytes())
        .and_then(|()| encoder.finish())
        .map(|bytes| bytes.len())
        .unwrap_or(text.len());
    text.len() as f64 / compressed.max(1) as f64
}

impl Listener {
    /// The language heard in `heard` (of those the model knows) and how sure the model is.
    pub fn language(&self, heard: &Conversation) -> Result<Option<(String, f32)>, ListenerError> {
        let start = self.special.start;
        let (logits, _) = self.logits(&mut heard.clone(), &[start])?;
        let languages: Vec<(u32, f32)> = self
            .special
            .languages
            .keys()
            .filter_map(|id| Some((*id, logits.get(*id as usize).copied()?)))
            .collect();
        let Some(best) =
            languages
                .iter()
                .copied()
                .reduce(|best, next| if next.1 > best.1 { next } else { best })
        else {
            return Ok(None);
        };
        // Sure-ness among the languages only, as Whisper's language detection has it.
        let among: Vec<f32> = languages.iter().map(|(_, logit)| *logit).collect();
        let share = log_softmax(&among)[languages.iter().position(|l| l.0 == best.0).unwrap_or(0)];
        Ok(self
            .special
            .languages
            .get(&best.0)
            .map(|code| (code.clone(), share.exp())))
    }

    /// The reply to `heard` in language `language` (a token), at `temperature`.
    pub fn reply(
        &self,
        heard: &Conversation,
        language: u32,
        temperature: f64,
        random: &mut StdRng,
    ) -> Result<Reply, ListenerError> {
        let special = self.special.clone();
        let mut conversation = heard.clone();
        let mut next_input = vec![special.start, language, special.transcribe];
        let mut said = Vec::new();
        let mut log_probability = 0.0f64;
        let mut no_speech_probability = 0.0;
        for _ in 0..self.longest_reply() {
            let (mut logits, first) = self.logits(&mut conversation, &next_input)?;
            if let (Some(first), Some(no_speech)) = (first, special.no_speech) {
                no_speech_probability = f64::from(
                    log_softmax(&first)
                        .get(no_speech as usize)
                        .copied()
                        .unwrap_or(f32::NEG_INFINITY)
                        .exp(),
                );
            }
            timestamp_rules::apply(&mut logits, &said, &special, &self.suppressed);
            let log_probabilities = log_softmax(&logits);
            let next = if temperature > 0.0 {
                sample(&logits, temperature, random)
            } else {
                argmax(&logits)
            };
            log_probability += f64::from(log_probabilities[next]);
            let next = next as u32;
            if next == special.end {
                break;
            }
            said.push(next);
            next_input = vec![next];
            if conversation.length() >= self.capacity() {
                break;
            }
        }
        let text = self.text(&said);
        Ok(Reply {
            average_log_probability: log_probability / (said.len() + 1) as f64,
            no_speech_probability,
            compression_ratio: compression_ratio(&text),
            tokens: said,
        })
    }

    /// The words among `tokens`, as text.
    pub fn text(&self, tokens: &[u32]) -> String {
        let words: Vec<u32> = tokens
            .iter()
            .copied()
            .filter(|token| self.special.is_text(*token))
            .collect();
        self.tokenizer
            .decode(&words, true)
            .unwrap_or_default()
            .trim()
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_draws_other_tokens_however_large_the_logits() {
        use rand::SeedableRng;
        let logits = [80.0, 79.9, f32::NEG_INFINITY];
        let mut random = StdRng::seed_from_u64(7);
        let drawn: Vec<usize> = (0..200)
            .map(|_| sample(&logits, 0.2, &mut random))
            .collect();
        assert!(drawn.contains(&0) && drawn.contains(&1), "{drawn:?}");
        assert!(!drawn.contains(&2));
    }

    #[test]
    fn repetition_compresses_far_better_than_speech() {
        let looping = "thank you. ".repeat(30);
        assert!(compression_ratio(&looping) > 2.4);
        let speech = "So the question was whether the release goes out before the conference, \
                      and I think we agreed on Thursday.";
        assert!(compression_ratio(speech) < 2.4);
        assert_eq!(compression_ratio(""), 0.0);
    }
}
