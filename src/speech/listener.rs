//! The speech model in memory: candle's Whisper built from the installed CTranslate2 files, its
//! tokenizer, its special tokens and the mel filters it listens through.

use std::path::Path;

use candle_core::{Device, IndexOp, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::whisper::{self, audio::pcm_to_mel, model::Whisper, Config};
use serde::Deserialize;
use tokenizers::Tokenizer;

use super::ct2::Ct2Model;
use super::fetch::{CONFIG, MODEL_BIN, TOKENIZER};
use super::mel::mel_filters;
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
    pub(super) whisper: Whisper,
    pub(super) tokenizer: Tokenizer,
    pub(super) special: SpecialTokens,
    pub(super) suppressed: Suppressed,
    mel_filters: Vec<f32>,
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
        let device = Device::Cpu;
        let tensors = whisper_weights::candle_tensors(&model, &device)
            .map_err(|error| unreadable(MODEL_BIN)(error.to_string()))?;
        drop(model);
        let builder = VarBuilder::from_tensors(tensors, whisper::DTYPE, &device);
        let whisper = Whisper::load(&builder, config.clone())?;
        let tokenizer = Tokenizer::from_file(dir.join(TOKENIZER))
            .map_err(|error| unreadable(TOKENIZER)(error.to_string()))?;
        let model_config: ModelConfig = std::fs::read(dir.join(CONFIG))
            .map_err(|error| error.to_string())
            .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|error| error.to_string()))
            .map_err(unreadable(CONFIG))?;
        let special = SpecialTokens::find(&tokenizer, &model_config.lang_ids)
            .map_err(unreadable(TOKENIZER))?;
        let mel_filters = mel_filters(whisper::SAMPLE_RATE, whisper::N_FFT, config.num_mel_bins);
        Ok(Self {
            whisper,
            tokenizer,
            special,
            suppressed: Suppressed {
                always: model_config.suppress_ids,
                at_start: model_config.suppress_ids_begin,
            },
            mel_filters,
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

    /// What the encoder makes of up to one window of `samples` (padded with silence).
    pub fn hear(&mut self, samples: &[f32]) -> Result<Tensor, ListenerError> {
        let frames = self.window_frames();
        let mut padded = samples[..samples.len().min(self.window_samples())].to_vec();
        padded.resize(self.window_samples(), 0.0);
        let mel = pcm_to_mel(&self.config, &padded, &self.mel_filters);
        let bins = self.config.num_mel_bins;
        let length = mel.len() / bins;
        let mel = Tensor::from_vec(mel, (1, bins, length), &self.device)?.narrow(2, 0, frames)?;
        Ok(self.whisper.encoder.forward(&mel, true)?)
    }

    /// Next-token logits after `tokens`, for the audio `heard`; `fresh` when `tokens` begins a
    /// new reply (the cross-attention's keys are worked out again).
    pub(super) fn logits(
        &mut self,
        heard: &Tensor,
        tokens: &[u32],
        fresh: bool,
    ) -> Result<(Vec<f32>, Option<Vec<f32>>), ListenerError> {
        let input = Tensor::new(tokens, &self.device)?.unsqueeze(0)?;
        let hidden = self.whisper.decoder.forward(&input, heard, fresh)?;
        let last = hidden.dim(1)? - 1;
        let logits = self
            .whisper
            .decoder
            .final_linear(&hidden.i((..1, last..))?)?
            .i(0)?
            .i(0)?
            .to_vec1::<f32>()?;
        // What the model said right after "start of transcript": whether there is speech at all.
        let first = if fresh {
            Some(
                self.whisper
                    .decoder
                    .final_linear(&hidden.i((..1, ..1))?)?
                    .i(0)?
                    .i(0)?
                    .to_vec1::<f32>()?,
            )
        } else {
            None
        };
        Ok((logits, first))
    }

    pub fn special(&self) -> &SpecialTokens {
        &self.special
    }
}
