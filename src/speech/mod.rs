//! Speech to text on this machine: Whisper, read from a CTranslate2 `model.bin` (`ct2`) into
//! candle's Whisper (`whisper_weights`, `listener`), listening through log-mel filters made in
//! code (`mel`, `spectrogram`) to recordings decoded to 16 kHz (`audio`), window after window (`longform`).

pub mod audio;
pub mod ct2;
pub mod decoder;
pub mod fetch;
pub mod listener;
pub mod longform;
pub mod mel;
pub mod reply;
pub mod spectrogram;
pub mod test_audio;
pub mod timestamp_rules;
pub mod tiny_whisper;
pub mod tokens;
pub mod whisper_weights;

#[cfg(test)]
mod transcribe_tests;
