//! What Whisper may say next, as its reference decoder has it: no special tokens but the end and
//! timestamps; timestamps in pairs, never going back; the first token a timestamp within the
//! first second; and a timestamp whenever all timestamps together are likelier than any word.

use super::tokens::SpecialTokens;

/// The first timestamp may be at most this many steps (1 s) into the window.
const LATEST_FIRST_TIMESTAMP: u32 = 50;

/// Tokens the model is never to say, and those it is not to begin with.
#[derive(Debug, Clone, Default)]
pub struct Suppressed {
    pub always: Vec<u32>,
    pub at_start: Vec<u32>,
}

fn mask(logits: &mut [f32], from: usize, to: usize) {
    let to = to.min(logits.len());
    if from < to {
        logits[from..to].fill(f32::NEG_INFINITY);
    }
}

fn log_sum_exp(values: &[f32]) -> f32 {
    let top = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if top == f32::NEG_INFINITY {
        return top;
    }
    top + values
        .iter()
        .map(|value| (value - top).exp())
        .sum::<f32>()
        .ln()
}

/// Masks `logits` for the token after `sampled` (what was said after the prompt).
pub fn apply(
    logits: &mut [f32],
    sampled: &[u32],
    special: &SpecialTokens,
    suppressed: &Suppressed,
) {
    let end = special.end as usize;
    let first_timestamp = special.first_timestamp as usize;
    for token in suppressed.always.iter().map(|token| *token as usize) {
        mask(logits, token, token + 1);
    }
    if sampled.is_empty() {
        for token in suppressed.at_start.iter().map(|token| *token as usize) {
            mask(logits, token, token + 1);
        }
    }
    // Every special token but the end: the prompt has said what they would.
    mask(logits, end + 1, first_timestamp);

    let last_was_timestamp = sampled
        .last()
        .is_some_and(|token| special.is_timestamp(*token));
    let penultimate_was_timestamp =
        sampled.len() < 2 || special.is_timestamp(sampled[sampled.len() - 2]);
    if last_was_timestamp {
        if penultimate_was_timestamp {
            mask(logits, first_timestamp, logits.len());
        } else {
            mask(logits, 0, end);
        }
    }
    if let Some(last) = sampled
        .iter()
        .rev()
        .find(|token| special.is_timestamp(**token))
    {
        let not_before = if last_was_timestamp && !penultimate_was_timestamp {
            *last
        } else {
            last + 1
        };
        mask(logits, first_timestamp, not_before as usize);
    }
    if sampled.is_empty() {
        mask(logits, 0, first_timestamp);
        mask(
            logits,
            first_timestamp + LATEST_FIRST_TIMESTAMP as usize + 1,
            logits.len(),
        );
    }
    if first_timestamp < logits.len() {
        let total = log_sum_exp(logits);
        let timestamps = log_sum_exp(&logits[first_timestamp..]) - total;
        let best_text = logits[..first_timestamp]
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
            - total;
        if timestamps > best_text {
            mask(logits, 0, first_timestamp);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Text 0..10, end 10, specials 11..=14, timestamps from 15.
    fn special() -> SpecialTokens {
        SpecialTokens {
            end: 10,
            start: 11,
            transcribe: 12,
            no_timestamps: 14,
            no_speech: Some(13),
            first_timestamp: 15,
            languages: HashMap::new(),
        }
    }

    fn allowed(sampled: &[u32], logits: &[f32]) -> Vec<usize> {
        let mut logits = logits.to_vec();
        apply(&mut logits, sampled, &special(), &Suppressed::default());
        (0..logits.len())
            .filter(|at| logits[*at] > f32::NEG_INFINITY)
            .collect()
    }

    const FLAT: [f32; 80] = [0.0; 80];

    /// Each word (and the end) far likelier than all timestamps together.
    fn wordy() -> [f32; 80] {
        let mut logits = [0.0f32; 80];
        logits[..15].fill(10.0);
        logits
    }

    #[test]
    fn begins_with_a_timestamp_within_the_first_second() {
        assert_eq!(allowed(&[], &FLAT), (15..=65).collect::<Vec<_>>());
    }

    #[test]
    fn a_lone_timestamp_is_followed_by_words_or_its_pair() {
        // After text then a timestamp: only a timestamp (not earlier) or the end.
        let after_pair_start = allowed(&[3, 20], &wordy());
        assert!(after_pair_start.contains(&10));
        assert!(!after_pair_start.contains(&3));
        assert!(!after_pair_start.contains(&19));
        assert!(after_pair_start.contains(&20));
        // After two timestamps: no timestamp.
        let after_pair = allowed(&[20, 30], &wordy());
        assert!(after_pair.iter().all(|token| *token < 15));
    }

    #[test]
    fn timestamps_never_go_back() {
        let after_words = allowed(&[15, 3, 4], &FLAT);
        assert!(!after_words.contains(&15));
        assert!(after_words.contains(&16));
    }

    #[test]
    fn special_tokens_but_the_end_are_never_said() {
        let said = allowed(&[15, 3], &wordy());
        assert!(said.contains(&10));
        assert!((11..15).all(|token| !said.contains(&token)));
    }

    #[test]
    fn timestamps_that_are_likelier_together_than_any_word_win() {
        let mut logits = [0.0f32; 80];
        logits[3] = 2.0;
        let said = allowed(&[15, 3], &logits);
        assert!(said.iter().all(|token| *token >= 15), "{said:?}");
        logits[3] = 8.0;
        let said = allowed(&[15, 3], &logits);
        assert!(said.contains(&3));
    }
}
