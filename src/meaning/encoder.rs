//! A sentence-transformers model on the CPU, BERT (all-MiniLM-L6-v2) or MPNet
//! (all-mpnet-base-v2, see `mpnet`): text in, a unit-length vector out (mean of the last layer
//! over the real tokens, then L2-normalised, as sentence-transformers does).

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config as BertConfig};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::files::{CONFIG, POOLING, TOKENIZER, WEIGHTS};
use super::mpnet::{MpNet, MpNetConfig};
use super::pooling::mean_pooled_unit_vectors;

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

/// Which network a `config.json` describes.
#[derive(Deserialize)]
struct ModelType {
    #[serde(default)]
    model_type: Option<String>,
}

enum Network {
    Bert(BertModel),
    MpNet(MpNet),
}

impl Network {
    fn device(&self) -> &Device {
        match self {
            Network::Bert(model) => &model.device,
            Network::MpNet(model) => &model.device,
        }
    }

    fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Network::Bert(model) => model.forward(ids, &ids.zeros_like()?, Some(mask)),
            Network::MpNet(model) => model.forward(ids, mask),
        }
    }
}

/// What loading needs of a network's configuration, whichever it is.
struct Shape {
    pad_token_id: u32,
    max_positions: usize,
    hidden_size: usize,
}

enum NetworkConfig {
    Bert(BertConfig),
    MpNet(MpNetConfig),
}

impl NetworkConfig {
    /// A `config.json` naming `"model_type": "mpnet"` is MPNet; any other is read as BERT.
    fn parse(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let model_type: ModelType = serde_json::from_slice(bytes)?;
        Ok(if model_type.model_type.as_deref() == Some("mpnet") {
            NetworkConfig::MpNet(serde_json::from_slice(bytes)?)
        } else {
            NetworkConfig::Bert(serde_json::from_slice(bytes)?)
        })
    }

    fn shape(&self) -> Shape {
        match self {
            NetworkConfig::Bert(config) => Shape {
                pad_token_id: u32::try_from(config.pad_token_id).unwrap_or(0),
                max_positions: config.max_position_embeddings,
                hidden_size: config.hidden_size,
            },
            // Positions start after the padding id (see `mpnet`): that many fewer tokens fit.
            NetworkConfig::MpNet(config) => Shape {
                pad_token_id: config.pad_token_id,
                max_positions: config
                    .max_position_embeddings
                    .saturating_sub(config.pad_token_id as usize + 1),
                hidden_size: config.hidden_size,
            },
        }
    }
}

pub struct Encoder {
    model: Network,
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
        let config_bytes = read(CONFIG)?;
        let config = NetworkConfig::parse(&config_bytes)
            .map_err(|error| unreadable(CONFIG)(error.to_string()))?;
        let shape = config.shape();
        let mut tokenizer = Tokenizer::from_bytes(read(TOKENIZER)?)
            .map_err(|error| unreadable(TOKENIZER)(error.to_string()))?;
        // Padding to a fixed length (128 in all-MiniLM-L6-v2's file) would cost every short
        // question eight times the work: pad a batch to its longest text only.
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id: shape.pad_token_id,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS.min(shape.max_positions),
                ..TruncationParams::default()
            }))
            .map_err(|error| unreadable(TOKENIZER)(error.to_string()))?;
        let weights = read(WEIGHTS)?;
        let tag = model_tag(dir, &weights);
        let builder = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|error| unreadable(WEIGHTS)(error.to_string()))?;
        let model = match &config {
            NetworkConfig::Bert(config) => BertModel::load(builder, config).map(Network::Bert),
            NetworkConfig::MpNet(config) => MpNet::load(builder, config).map(Network::MpNet),
        }
        .map_err(|error| unreadable(WEIGHTS)(error.to_string()))?;
        let encoder = Self {
            model,
            tokenizer,
            tag,
            dimensions: shape.hidden_size,
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
        let device = self.model.device();
        let ids = Tensor::from_vec(ids, (rows, length), device).map_err(inference("batching"))?;
        let mask = Tensor::from_vec(mask, (rows, length), device).map_err(inference("batching"))?;
        let hidden = self
            .model
            .forward(&ids, &mask)
            .map_err(inference("running the model"))?;
        mean_pooled_unit_vectors(&hidden, &mask).map_err(inference("pooling"))
    }
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

    /// all-mpnet-base-v2 itself (438 MB, never committed), when `FAQTORY_TEST_MPNET` names its
    /// folder: the first dimensions of four sentences' vectors and their closeness, as Hugging
    /// Face's MPNet with mean pooling and L2 normalisation (sentence-transformers' recipe) gives
    /// them. The tiny model in `mpnet` checks the same forward pass on every run.
    #[test]
    fn all_mpnet_base_v2_gives_the_reference_vectors() {
        let Some(dir) = std::env::var_os("FAQTORY_TEST_MPNET") else {
            eprintln!("skipped: set FAQTORY_TEST_MPNET to all-mpnet-base-v2's folder");
            return;
        };
        let encoder = Encoder::load(Path::new(&dir)).unwrap();
        assert_eq!(encoder.dimensions(), 768);
        let sentences = [
            "Can I watch the sessions later on video?",
            "Will the talks be recorded and published online?",
            "How do I install MirageOS on a Raspberry Pi?",
            "hello",
        ];
        let expected: [[f32; 8]; 4] = [
            [
                -0.077599, 0.020529, -0.000418, 0.042932, 0.02433, 0.025066, 0.072599, -0.019544,
            ],
            [
                0.006069, 0.067481, -0.016111, 0.061486, 0.006048, -0.033855, 0.04217, 0.008852,
            ],
            [
                -0.003186, -0.007844, -0.037573, 0.011053, -0.030189, -0.002641, 0.000125, 0.042817,
            ],
            [
                0.03064, -0.00623, -0.002122, 0.013879, 0.026487, 0.004066, -0.003871, 0.03527,
            ],
        ];
        let vectors = encoder.embed(&sentences).unwrap();
        for (vector, expected) in vectors.iter().zip(expected) {
            for (got, want) in vector.iter().zip(expected) {
                assert!((got - want).abs() < 1e-4, "{got} against {want}");
            }
        }
        let closeness = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        assert!((closeness(&vectors[0], &vectors[1]) - 0.611094).abs() < 1e-4);
        assert!((closeness(&vectors[2], &vectors[3]) - 0.063787).abs() < 1e-4);
    }
}
