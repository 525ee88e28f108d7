//! Whisper's special tokens, found by name in the model's tokenizer, and the languages it knows.

use std::collections::HashMap;

use tokenizers::Tokenizer;

/// The ids a transcription needs. Text tokens are those below `end`; timestamps start at
/// `first_timestamp`, one every 20 ms.
#[derive(Debug, Clone)]
pub struct SpecialTokens {
    pub end: u32,
    pub start: u32,
    pub transcribe: u32,
    pub no_timestamps: u32,
    pub no_speech: Option<u32>,
    pub first_timestamp: u32,
    /// Language token id → its code ("en").
    pub languages: HashMap<u32, String>,
}

/// Seconds per timestamp step.
pub const TIMESTAMP_STEP: f64 = 0.02;

impl SpecialTokens {
    /// Finds the tokens in `tokenizer`; `language_ids` are the model's language tokens.
    pub fn find(tokenizer: &Tokenizer, language_ids: &[u32]) -> Result<Self, String> {
        let id = |name: &str| {
            tokenizer
                .token_to_id(name)
                .ok_or_else(|| format!("the tokenizer has no {name} token"))
        };
        let no_timestamps = id("<|notimestamps|>")?;
        let languages = language_ids
            .iter()
            .filter_map(|language| {
                let token = tokenizer.id_to_token(*language)?;
                let code = token.strip_prefix("<|")?.strip_suffix("|>")?;
                Some((*language, code.to_owned()))
            })
            .collect();
        Ok(Self {
            end: id("<|endoftext|>")?,
            start: id("<|startoftranscript|>")?,
            transcribe: id("<|transcribe|>")?,
            no_timestamps,
            no_speech: ["<|nospeech|>", "<|nocaptions|>"]
                .iter()
                .find_map(|name| tokenizer.token_to_id(name)),
            first_timestamp: no_timestamps + 1,
            languages,
        })
    }

    pub fn is_timestamp(&self, token: u32) -> bool {
        token >= self.first_timestamp
    }

    pub fn is_text(&self, token: u32) -> bool {
        token < self.end
    }

    /// Seconds from the window's start that a timestamp token stands for.
    pub fn seconds(&self, timestamp: u32) -> f64 {
        f64::from(timestamp.saturating_sub(self.first_timestamp)) * TIMESTAMP_STEP
    }

    /// The token of language `code`, if the model knows it.
    pub fn language(&self, code: &str) -> Option<u32> {
        self.languages
            .iter()
            .find_map(|(id, known)| (known == code).then_some(*id))
    }
}
