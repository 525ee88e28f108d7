//! Speech to text on this machine: Whisper, read from a CTranslate2 `model.bin` (`ct2`) into
//! candle's Whisper (`whisper_weights`), listening through log-mel filters made in code (`mel`).

pub mod ct2;
pub mod fetch;
pub mod mel;
pub mod tiny_whisper;
pub mod whisper_weights;
