//! MPNet's encoder (all-mpnet-base-v2), which candle does not have. It is BERT with three
//! differences that change every vector: no token types; positions counted as RoBERTa counts them
//! (from the padding id + 1, padding keeping the padding id); and a learned bias on every
//! attention score by how far apart the two tokens are, in 32 buckets (exact up to 8 tokens each
//! way, then logarithmic up to 128), computed once and shared by all layers.

use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::{embedding, layer_norm, linear, Embedding, LayerNorm, Linear, VarBuilder};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct MpNetConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "default_buckets")]
    pub relative_attention_num_buckets: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_pad")]
    pub pad_token_id: u32,
}

fn default_buckets() -> usize {
    32
}

fn default_eps() -> f64 {
    1e-5
}

fn default_pad() -> u32 {
    1
}

/// Tokens further apart than this share the last bucket.
const MAX_DISTANCE: f64 = 128.0;

/// The bucket of a key `relative` tokens after (negative: before) its query. Half the buckets are
/// for keys before, half for keys after; within each, the first half are exact distances.
pub fn relative_bucket(relative: i64, buckets: usize) -> usize {
    let half = buckets / 2;
    // As the reference: n is the query's offset from the key.
    let n = -relative;
    let side = if n < 0 { half } else { 0 };
    let distance = n.unsigned_abs() as usize;
    let exact = half / 2;
    if distance < exact {
        return side + distance;
    }
    let spread = (distance as f64 / exact as f64).ln() / (MAX_DISTANCE / exact as f64).ln()
        * (half - exact) as f64;
    side + (exact + spread as usize).min(half - 1)
}

struct Attention {
    query: Linear,
    key: Linear,
    value: Linear,
    out: Linear,
    norm: LayerNorm,
    heads: usize,
}

impl Attention {
    fn by_head(&self, x: &Tensor) -> Result<Tensor> {
        let (batch, tokens, width) = x.dims3()?;
        x.reshape((batch, tokens, self.heads, width / self.heads))?
            .transpose(1, 2)?
            .contiguous()
    }

    /// `bias`: (1, heads, tokens, tokens) by distance plus (batch, 1, 1, tokens) for padding.
    fn forward(&self, x: &Tensor, bias: &Tensor) -> Result<Tensor> {
        let width = x.dim(D::Minus1)?;
        let scale = 1.0 / ((width / self.heads) as f64).sqrt();
        let query = (self.by_head(&self.query.forward(x)?)? * scale)?;
        let key = self.by_head(&self.key.forward(x)?)?;
        let value = self.by_head(&self.value.forward(x)?)?;
        let scores = query
            .matmul(&key.transpose(2, 3)?.contiguous()?)?
            .broadcast_add(bias)?;
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let mixed = weights.matmul(&value)?.transpose(1, 2)?.flatten_from(2)?;
        self.norm.forward(&(self.out.forward(&mixed)? + x)?)
    }
}

struct Layer {
    attention: Attention,
    widen: Linear,
    narrow: Linear,
    norm: LayerNorm,
}

impl Layer {
    fn load(config: &MpNetConfig, weights: VarBuilder) -> Result<Self> {
        let width = config.hidden_size;
        let eps = config.layer_norm_eps;
        let attention = weights.pp("attention");
        let attn = attention.pp("attn");
        Ok(Self {
            attention: Attention {
                query: linear(width, width, attn.pp("q"))?,
                key: linear(width, width, attn.pp("k"))?,
                value: linear(width, width, attn.pp("v"))?,
                out: linear(width, width, attn.pp("o"))?,
                norm: layer_norm(width, eps, attention.pp("LayerNorm"))?,
                heads: config.num_attention_heads,
            },
            widen: linear(
                width,
                config.intermediate_size,
                weights.pp("intermediate").pp("dense"),
            )?,
            narrow: linear(
                config.intermediate_size,
                width,
                weights.pp("output").pp("dense"),
            )?,
            norm: layer_norm(width, eps, weights.pp("output").pp("LayerNorm"))?,
        })
    }

    fn forward(&self, x: &Tensor, bias: &Tensor) -> Result<Tensor> {
        let attended = self.attention.forward(x, bias)?;
        let fed = self
            .narrow
            .forward(&self.widen.forward(&attended)?.gelu_erf()?)?;
        self.norm.forward(&(fed + attended)?)
    }
}

pub struct MpNet {
    words: Embedding,
    positions: Embedding,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    /// (buckets, heads).
    distance_bias: Embedding,
    buckets: usize,
    pad: u32,
    pub device: Device,
}

impl MpNet {
    /// Reads the weights at sentence-transformers' names (`embeddings.…`, `encoder.…`).
    pub fn load(weights: VarBuilder, config: &MpNetConfig) -> Result<Self> {
        let width = config.hidden_size;
        let embeddings = weights.pp("embeddings");
        let encoder = weights.pp("encoder");
        Ok(Self {
            words: embedding(config.vocab_size, width, embeddings.pp("word_embeddings"))?,
            positions: embedding(
                config.max_position_embeddings,
                width,
                embeddings.pp("position_embeddings"),
            )?,
            embedding_norm: layer_norm(width, config.layer_norm_eps, embeddings.pp("LayerNorm"))?,
            layers: (0..config.num_hidden_layers)
                .map(|at| Layer::load(config, encoder.pp(format!("layer.{at}"))))
                .collect::<Result<_>>()?,
            distance_bias: embedding(
                config.relative_attention_num_buckets,
                config.num_attention_heads,
                encoder.pp("relative_attention_bias"),
            )?,
            buckets: config.relative_attention_num_buckets,
            pad: config.pad_token_id,
            device: weights.device().clone(),
        })
    }

    /// Positions as RoBERTa counts them: real tokens from `pad + 1` on, padding at `pad`.
    fn position_ids(&self, ids: &Tensor) -> Result<Tensor> {
        let rows = ids.to_vec2::<u32>()?;
        let (batch, tokens) = ids.dims2()?;
        let mut positions = Vec::with_capacity(batch * tokens);
        for row in rows {
            let mut counted = 0;
            for id in row {
                if id == self.pad {
                    positions.push(self.pad);
                } else {
                    counted += 1;
                    positions.push(self.pad + counted);
                }
            }
        }
        Tensor::from_vec(positions, (batch, tokens), &self.device)
    }

    /// (1, heads, tokens, tokens): each score's bias by how far apart its two tokens are.
    fn distance_bias(&self, tokens: usize) -> Result<Tensor> {
        let buckets: Vec<u32> = (0..tokens)
            .flat_map(|query| {
                (0..tokens)
                    .map(move |key| relative_bucket(key as i64 - query as i64, self.buckets) as u32)
            })
            .collect();
        let buckets = Tensor::from_vec(buckets, (tokens, tokens), &self.device)?;
        self.distance_bias
            .forward(&buckets)?
            .permute((2, 0, 1))?
            .unsqueeze(0)
    }

    /// The last layer's vector for every token: `ids` and `mask` are (batch, tokens), `mask` 1
    /// for real tokens.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (batch, tokens) = ids.dims2()?;
        let positions = self.position_ids(ids)?;
        let mut x = self
            .embedding_norm
            .forward(&(self.words.forward(ids)? + self.positions.forward(&positions)?)?)?;
        // Padding is never attended to: a score far below any other.
        let padding =
            ((mask.to_dtype(DType::F32)? - 1.0)? * 1e9)?.reshape((batch, 1, 1, tokens))?;
        let bias = self.distance_bias(tokens)?.broadcast_add(&padding)?;
        for layer in &self.layers {
            x = layer.forward(&x, &bias)?;
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn distances_fall_in_the_references_buckets() {
        // (distance, bucket) for a key before its query, as PyTorch's MPNet buckets them.
        let before = [
            (0, 0),
            (1, 1),
            (7, 7),
            (8, 8),
            (11, 8),
            (12, 9),
            (16, 10),
            (22, 10),
            (23, 11),
            (32, 12),
            (46, 13),
            (64, 14),
            (90, 14),
            (91, 15),
            (128, 15),
            (500, 15),
        ];
        for (distance, bucket) in before {
            assert_eq!(relative_bucket(-distance, 32), bucket, "{distance} before");
            if distance > 0 {
                assert_eq!(
                    relative_bucket(distance, 32),
                    16 + bucket,
                    "{distance} after"
                );
            }
        }
    }

    fn tiny_config() -> MpNetConfig {
        MpNetConfig {
            vocab_size: 24,
            hidden_size: 8,
            num_hidden_layers: 2,
            num_attention_heads: 2,
            intermediate_size: 16,
            max_position_embeddings: 40,
            relative_attention_num_buckets: 32,
            layer_norm_eps: 1e-5,
            pad_token_id: 1,
        }
    }

    /// Every variable of the tiny MPNet, in an order the reference run used too.
    fn tiny_shapes() -> Vec<(String, Vec<usize>)> {
        let mut shapes: Vec<(String, Vec<usize>)> = vec![
            ("embeddings.word_embeddings.weight".into(), vec![24, 8]),
            ("embeddings.position_embeddings.weight".into(), vec![40, 8]),
            ("embeddings.LayerNorm.weight".into(), vec![8]),
            ("embeddings.LayerNorm.bias".into(), vec![8]),
            ("encoder.relative_attention_bias.weight".into(), vec![32, 2]),
        ];
        for layer in 0..2 {
            let at = |name: &str| format!("encoder.layer.{layer}.{name}");
            for projection in ["q", "k", "v", "o"] {
                shapes.push((
                    at(&format!("attention.attn.{projection}.weight")),
                    vec![8, 8],
                ));
                shapes.push((at(&format!("attention.attn.{projection}.bias")), vec![8]));
            }
            shapes.push((at("attention.LayerNorm.weight"), vec![8]));
            shapes.push((at("attention.LayerNorm.bias"), vec![8]));
            shapes.push((at("intermediate.dense.weight"), vec![16, 8]));
            shapes.push((at("intermediate.dense.bias"), vec![16]));
            shapes.push((at("output.dense.weight"), vec![8, 16]));
            shapes.push((at("output.dense.bias"), vec![8]));
            shapes.push((at("output.LayerNorm.weight"), vec![8]));
            shapes.push((at("output.LayerNorm.bias"), vec![8]));
        }
        shapes
    }

    /// Weights from a formula both this test and the reference run computed: a sine wave per
    /// variable, scaled by what the variable is.
    fn tiny_mpnet() -> MpNet {
        let mut tensors = HashMap::new();
        for (variable, (name, shape)) in tiny_shapes().into_iter().enumerate() {
            let count: usize = shape.iter().product();
            let values: Vec<f32> = (0..count)
                .map(|at| {
                    let wave = (0.7 * at as f64 + 1.3 * variable as f64).sin();
                    let value = if name.ends_with("LayerNorm.weight") {
                        1.0 + 0.2 * wave
                    } else if name.ends_with("bias") && !name.contains("relative") {
                        0.05 * wave
                    } else if name.contains("embeddings") {
                        wave
                    } else {
                        0.5 * wave
                    };
                    value as f32
                })
                .collect();
            tensors.insert(name, Tensor::from_vec(values, shape, &Device::Cpu).unwrap());
        }
        let weights = VarBuilder::from_tensors(tensors, DType::F32, &Device::Cpu);
        MpNet::load(weights, &tiny_config()).unwrap()
    }

    fn assert_close(got: &[f32], expected: &[f32], what: &str) {
        assert_eq!(got.len(), expected.len(), "{what}");
        for (at, (got, expected)) in got.iter().zip(expected).enumerate() {
            assert!(
                (got - expected).abs() < 2e-5,
                "{what}[{at}]: {got} against {expected}"
            );
        }
    }

    /// The tiny MPNet above run by Hugging Face's MPNet (transformers 4.49, `TFMPNetModel`,
    /// the same weights) once, on a padded row of 6 tokens and a full one of 12, whose first
    /// and last tokens are 11 apart (a logarithmic bucket): the last layer at two tokens, and
    /// each row's mean over its real tokens scaled to length 1.
    #[test]
    fn the_forward_pass_gives_the_references_vectors() {
        let model = tiny_mpnet();
        let ids = Tensor::new(
            &[
                [0u32, 5, 9, 13, 6, 2, 1, 1, 1, 1, 1, 1],
                [0, 7, 3, 11, 17, 19, 4, 8, 12, 21, 14, 2],
            ],
            &Device::Cpu,
        )
        .unwrap();
        let mask = ids.ne(1u32).unwrap().to_dtype(DType::U32).unwrap();
        let hidden = model.forward(&ids, &mask).unwrap();
        let rows: Vec<Vec<Vec<f32>>> = hidden.to_vec3().unwrap();
        assert_close(
            &rows[0][0],
            &[
                1.727288, 0.125855, -1.019384, -0.134692, 0.947384, 0.596311, -0.895389, -1.405113,
            ],
            "row 0, token 0",
        );
        assert_close(
            &rows[1][11],
            &[
                1.283514, 0.889768, -0.907152, -0.920702, 0.414089, 0.995392, -0.093044, -1.681083,
            ],
            "row 1, token 11",
        );
        let pooled = crate::meaning::pooling::mean_pooled_unit_vectors(&hidden, &mask).unwrap();
        assert_close(
            &pooled[0],
            &[
                -0.128186, 0.016503, -0.55502, -0.467399, -0.049907, 0.122171, 0.458771, 0.478435,
            ],
            "row 0, pooled",
        );
        assert_close(
            &pooled[1],
            &[
                0.442274, 0.319239, -0.326771, -0.358261, 0.117736, 0.357067, -0.001078, -0.570955,
            ],
            "row 1, pooled",
        );
    }
}
