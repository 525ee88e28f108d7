//! The speech model in memory: candle's Whisper encoder and our decoder that remembers (see
//! `decoder`), built from the installed CTranslate2 files; its tokenizer, its special tokens and
//! the mel filters it listens through.

use std::path::Path;

use candle_core::{Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::whisper::{self, model::AudioEncoder, model::Whisper, Config};
use serde::Deserialize;
use tokenizers::Tokenizer;

use super::ct2::Ct2Model;
use super::decoder::{Conversation, Decoder};
use super::fetch::{CONFIG, MODEL_BIN, TOKENIZER};
use super::spectrogram::Spectrogram;
use super::timestamp_rules::Suppressed;
use super::tokens::SpecialTokens;
use super::whisper_weights;

#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    #[error("no speech model is installed (run `faqtory model fetch --speech`)")]
    NotInstalled,
    #[error("reading the speech model's {file}: {message}")]
    Unreadable { file: &'static str, message: String },
    #[error("running the speech model: {0}")]
    Model(#[from] candle_core::Error),
}

/// What CTranslate2 writes beside a Whisper: its languages and the tokens never to say.
#[derive(Debug, Deserialize, Default)]
struct ModelConfig {
    #[serde(default)]
    lang_ids: Vec<u32>,
    #[serde(default)]
    suppress_ids: Vec<u32>,
    #[serde(default)]
    suppress_ids_begin: Vec<u32>,
}

pub struct Listener {
    encoder: AudioEncoder,
    decoder: Decoder,
    pub(super) tokenizer: Tokenizer,
    pub(super) special: SpecialTokens,
    pub(super) suppressed: Suppressed,
    spectrogram: Spectrogram,
    config: Config,
    device: Device,
}

fn unreadable(file: &'static str) -> impl Fn(String) -> ListenerError {
    move |message| ListenerError::Unreadable { file, message }
}

impl Listener {
    /// Loads the model installed in `dir` (see `fetch`).
    pub fn load(dir: &Path) -> Result<Self, ListenerError> {
        if !super::fetch::is_complete(dir) {
            return Err(ListenerError::NotInstalled);
        }
        let bytes = std::fs::read(dir.join(MODEL_BIN))
            .map_err(|error| unreadable(MODEL_BIN)(error.to_string()))?;
        let model =
            Ct2Model::read(bytes).map_err(|error| unreadable(MODEL_BIN)(error.to_string()))?;
        let config = whisper_weights::config(&model)
            .map_err(|error| unreadable(MODEL_BIN)(error.to_string()))?;
        // A GPU only in a build with the `cuda` feature and a GPU present; the CPU otherwise.
        let device = Device::cuda_if_available(0)?;
        let tensors = whisper_weights::candle_tensors(&model, &device)
            .map_err(|error| unreadable(MODEL_BIN)(error.to_string()))?;
        drop(model);
        let builder = VarBuilder::from_tensors(tensors, whisper::DTYPE, &device);
        // The encoder is candle's; its decoder shares the same tensors and is dropped for ours.
        let Whisper { encoder, .. } = Whisper::load(&builder, config.clone())?;
        let decoder = Decoder::load(builder.pp("model.decoder"), &config)?;
        let tokenizer = Tokenizer::from_file(dir.join(TOKENIZER))
            .map_err(|error| unreadable(TOKENIZER)(error.to_string()))?;
        let model_config: ModelConfig = std::fs::read(dir.join(CONFIG))
            .map_err(|error| error.to_string())
            .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|error| error.to_string()))
            .map_err(unreadable(CONFIG))?;
        let special = SpecialTokens::find(&tokenizer, &model_config.lang_ids)
            .map_err(unreadable(TOKENIZER))?;
        let spectrogram = Spectrogram::new(config.num_mel_bins);
        Ok(Self {
            encoder,
            decoder,
            tokenizer,
            special,
            suppressed: Suppressed {
                always: model_config.suppress_ids,
                at_start: model_config.suppress_ids_begin,
            },
            spectrogram,
            config,
            device,
        })
    }

    /// Samples in one window the model hears at once (30 s).
    pub fn window_samples(&self) -> usize {
        self.window_frames() * whisper::HOP_LENGTH
    }

    fn window_frames(&self) -> usize {
        2 * self.config.max_source_positions
    }

    /// The longest a window's text may run, in tokens (as Whisper: half its text context).
    pub(super) fn longest_reply(&self) -> usize {
        self.config.max_target_positions / 2
    }

    /// What the model hears in up to one window of `samples` (padded with silence), ready to
    /// be answered (see `reply`).
    pub fn hear(&mut self, samples: &[f32]) -> Result<Conversation, ListenerError> {
        let frames = self.window_frames();
        let window = &samples[..samples.len().min(self.window_samples())];
        let mel = self.spectrogram.log_mel(window, frames);
        let bins = self.config.num_mel_bins;
        let mel = Tensor::from_vec(mel, (1, bins, frames), &self.device)?;
        let heard = self.encoder.forward(&mel, true)?;
        Ok(self.decoder.listen(&heard)?)
    }

    /// Next-token logits once `tokens` follow what `conversation` holds; with them, when
    /// `tokens` are the first, the logits right after the first token.
    pub(super) fn logits(
        &self,
        conversation: &mut Conversation,
        tokens: &[u32],
    ) -> Result<(Vec<f32>, Option<Vec<f32>>), ListenerError> {
        let Some(last) = tokens.len().checked_sub(1) else {
            return Err(candle_core::Error::Msg("no token to follow".into()).into());
        };
        let beginning = conversation.length() == 0;
        let said = self.decoder.say(conversation, tokens)?;
        let logits = self.decoder.logits(&said, last)?;
        // What the model said right after "start of transcript": whether there is speech at all.
        let first = if beginning {
            Some(self.decoder.logits(&said, 0)?)
        } else {
            None
        };
        Ok((logits, first))
    }

    /// The most tokens one reply may hold, prompt included.
    pub(super) fn capacity(&self) -> usize {
        self.decoder.capacity()
    }

    pub fn special(&self) -> &SpecialTokens {
        &self.special
    }
}
