//! A sentence-transformers BERT model on the CPU: text in, a unit-length vector out (mean of the
//! last layer over the real tokens, then L2-normalised, as sentence-transformers does).

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config as BertConfig};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::files::{CONFIG, POOLING, TOKENIZER, WEIGHTS};

/// Word pieces embedded at most: all-MiniLM-L6-v2 was trained on 128. Its sentence-transformers
/// configuration says 256, which on English SE duplicates ranked no better and took twice as long
/// (see `bench/README.md`); what follows is mostly detail that does not change what is asked.
const MAX_TOKENS: usize = 128;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("reading {file} of the model at {dir}: {message}")]
    Unreadable {
        dir: String,
        file: &'static str,
        message: String,
    },
    #[error("the model at {dir} pools by {pooling}; faqtory supports mean pooling only")]
    UnsupportedPooling { dir: String, pooling: String },
    #[error("the sentence encoder failed while {doing}: {message}")]
    Inference {
        doing: &'static str,
        message: String,
    },
}

fn inference(doing: &'static str) -> impl FnOnce(candle_core::Error) -> ModelError {
    move |error| ModelError::Inference {
        doing,
        message: error.to_string(),
    }
}

#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
}

pub struct Encoder {
    model: BertModel,
    tokenizer: Tokenizer,
    /// Names the weights: vectors made by other weights are not compared with this model's.
    tag: String,
    dimensions: usize,
}

impl Encoder {
    /// Loads `config.json`, `tokenizer.json`, `1_Pooling/config.json` and `model.safetensors`
    /// from `dir`; checks that they make a model that embeds.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        let shown = dir.display().to_string();
        let unreadable = |file: &'static str| {
            let dir = shown.clone();
            move |message: String| ModelError::Unreadable { dir, file, message }
        };
        let read = |file: &'static str| {
            std::fs::read(dir.join(file)).map_err(|error| unreadable(file)(error.to_string()))
        };
        let pooling: PoolingConfig = serde_json::from_slice(&read(POOLING)?)
            .map_err(|error| unreadable(POOLING)(error.to_string()))?;
        if !pooling.pooling_mode_mean_tokens {
            let pooling = if pooling.pooling_mode_cls_token {
                "the first token"
            } else if pooling.pooling_mode_max_tokens {
                "maximum"
            } else {
                "no mode it names"
            };
            return Err(ModelError::UnsupportedPooling {
                dir: shown,
                pooling: pooling.into(),
            });
        }
        let config: BertConfig = serde_json::from_slice(&read(CONFIG)?)
            .map_err(|error| unreadable(CONFIG)(error.to_string()))?;
        let mut tokenizer = Tokenizer::from_bytes(read(TOKENIZER)?)
            .map_err(|error| unreadable(TOKENIZER)(error.to_string()))?;
        // Padding to a fixed length (128 in all-MiniLM-L6-v2's file) would cost every short
        // question eight times the work: pad a batch to its longest text only.
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id: u32::try_from(config.pad_token_id).unwrap_or(0),
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS.min(config.max_position_embeddings),
                ..TruncationParams::default()
            }))
            .map_err(|error| unreadable(TOKENIZER)(error.to_string()))?;
        let weights = read(WEIGHTS)?;
        let tag = model_tag(dir, &weights);
        let builder = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|error| unreadable(WEIGHTS)(error.to_string()))?;
        let model = BertModel::load(builder, &config)
            .map_err(|error| unreadable(WEIGHTS)(error.to_string()))?;
        let encoder = Self {
            model,
            tokenizer,
            tag,
            dimensions: config.hidden_size,
        };
        // A model that loads but cannot embed is found now, not on the first question.
        encoder.embed(&["a question"])?;
        Ok(encoder)
    }

    /// The model's name and the start of its weights' SHA-256, e.g. `all-MiniLM-L6-v2@53aa51172d14`.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// One unit vector per text, in order. Texts are cut at the model's input length.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|error| ModelError::Inference {
                doing: "splitting text into word pieces",
                message: error.to_string(),
            })?;
        let length = encodings.first().map_or(0, |encoding| encoding.len());
        let rows = encodings.len();
        let mut ids = Vec::with_capacity(rows * length);
        let mut mask = Vec::with_capacity(rows * length);
        for encoding in &encodings {
            ids.extend_from_slice(encoding.get_ids());
            mask.extend_from_slice(encoding.get_attention_mask());
        }
        let device = &self.model.device;
        let ids = Tensor::from_vec(ids, (rows, length), device).map_err(inference("batching"))?;
        let mask = Tensor::from_vec(mask, (rows, length), device).map_err(inference("batching"))?;
        let types = ids.zeros_like().map_err(inference("batching"))?;
        let hidden = self
            .model
            .forward(&ids, &types, Some(&mask))
            .map_err(inference("running the model"))?;
        mean_pooled_unit_vectors(&hidden, &mask).map_err(inference("pooling"))
    }
}

/// The mean of each row's token vectors where `mask` is 1, scaled to length 1.
fn mean_pooled_unit_vectors(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Vec<Vec<f32>>> {
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
    let mean = summed.broadcast_div(&counts)?;
    let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    mean.broadcast_div(&norms)?.to_vec2::<f32>()
}

fn model_tag(dir: &Path, weights: &[u8]) -> String {
    let name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    let digest = hex::encode(Sha256::digest(weights));
    format!("{name}@{}", &digest[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_ignores_padding_and_makes_unit_vectors() {
        let hidden = Tensor::new(
            &[[[3.0f32, 4.0], [100.0, 100.0]], [[1.0, 0.0], [0.0, 1.0]]],
            &Device::Cpu,
        )
        .unwrap();
        let mask = Tensor::new(&[[1u32, 0], [1, 1]], &Device::Cpu).unwrap();
        let vectors = mean_pooled_unit_vectors(&hidden, &mask).unwrap();
        assert!((vectors[0][0] - 0.6).abs() < 1e-6 && (vectors[0][1] - 0.8).abs() < 1e-6);
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert!((vectors[1][0] - half).abs() < 1e-6 && (vectors[1][1] - half).abs() < 1e-6);
    }
}
