//! Whisper's text decoder with every layer's keys and values kept between tokens. candle's
//! decoder keeps only the audio's (cross-attention) keys and works the whole reply out again for
//! each new token: on a 100-token window that is fifty times the work, and most of a
//! transcription's time. The weights are candle's (same names), so both read one model.

use candle_core::{IndexOp, Result, Tensor, D};
use candle_nn::{
    embedding, layer_norm, linear, linear_no_bias, Embedding, LayerNorm, LayerNormConfig, Linear,
    Module, VarBuilder,
};
use candle_transformers::models::whisper::Config;

struct Attention {
    query: Linear,
    key: Linear,
    value: Linear,
    out: Linear,
    heads: usize,
}

/// Keys and values of one attention, shaped (1, heads, positions, width / heads).
#[derive(Clone)]
struct Remembered {
    keys: Tensor,
    values: Tensor,
}

impl Attention {
    fn load(width: usize, heads: usize, weights: VarBuilder) -> Result<Self> {
        Ok(Self {
            query: linear(width, width, weights.pp("q_proj"))?,
            key: linear_no_bias(width, width, weights.pp("k_proj"))?,
            value: linear(width, width, weights.pp("v_proj"))?,
            out: linear(width, width, weights.pp("out_proj"))?,
            heads,
        })
    }

    /// (1, positions, width) to (1, heads, positions, width / heads).
    fn by_head(&self, x: &Tensor) -> Result<Tensor> {
        let (batch, positions, width) = x.dims3()?;
        x.reshape((batch, positions, self.heads, width / self.heads))?
            .transpose(1, 2)?
            .contiguous()
    }

    fn remember(&self, source: &Tensor) -> Result<Remembered> {
        Ok(Remembered {
            keys: self.by_head(&self.key.forward(source)?)?,
            values: self.by_head(&self.value.forward(source)?)?,
        })
    }

    /// Attention of the positions `x` over `memory` (which already holds them, for self-attention).
    fn attend(&self, x: &Tensor, memory: &Remembered, mask: Option<&Tensor>) -> Result<Tensor> {
        let width = x.dim(D::Minus1)?;
        // Whisper scales queries and keys by the fourth root each, as the square root overall.
        let scale = ((width / self.heads) as f64).powf(-0.25);
        let query = (self.by_head(&self.query.forward(x)?)? * scale)?;
        let keys = (memory.keys.transpose(2, 3)? * scale)?;
        let mut scores = query.matmul(&keys.contiguous()?)?;
        if let Some(mask) = mask {
            scores = scores.broadcast_add(mask)?;
        }
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let mixed = weights
            .matmul(&memory.values)?
            .transpose(1, 2)?
            .flatten_from(2)?;
        self.out.forward(&mixed)
    }
}

struct Block {
    own: Attention,
    own_norm: LayerNorm,
    audio: Attention,
    audio_norm: LayerNorm,
    widen: Linear,
    narrow: Linear,
    feed_norm: LayerNorm,
}

fn norm(width: usize, weights: VarBuilder) -> Result<LayerNorm> {
    layer_norm(width, LayerNormConfig::from(1e-5), weights)
}

impl Block {
    fn load(width: usize, heads: usize, weights: VarBuilder) -> Result<Self> {
        Ok(Self {
            own: Attention::load(width, heads, weights.pp("self_attn"))?,
            own_norm: norm(width, weights.pp("self_attn_layer_norm"))?,
            audio: Attention::load(width, heads, weights.pp("encoder_attn"))?,
            audio_norm: norm(width, weights.pp("encoder_attn_layer_norm"))?,
            widen: linear(width, 4 * width, weights.pp("fc1"))?,
            narrow: linear(4 * width, width, weights.pp("fc2"))?,
            feed_norm: norm(width, weights.pp("final_layer_norm"))?,
        })
    }
}

/// What the decoder holds for one reply: the audio's keys per layer (shared by every reply to
/// the same window) and the keys of the tokens said so far.
#[derive(Clone)]
pub struct Conversation {
    audio: Vec<Remembered>,
    said: Vec<Option<Remembered>>,
    length: usize,
}

impl Conversation {
    /// How many tokens the decoder has seen.
    pub fn length(&self) -> usize {
        self.length
    }
}

pub struct Decoder {
    tokens: Embedding,
    positions: Tensor,
    blocks: Vec<Block>,
    final_norm: LayerNorm,
}

impl Decoder {
    /// Reads the decoder from `weights` at candle's Whisper names (`model.decoder`).
    pub fn load(weights: VarBuilder, config: &Config) -> Result<Self> {
        let width = config.d_model;
        let heads = config.decoder_attention_heads;
        Ok(Self {
            tokens: embedding(config.vocab_size, width, weights.pp("embed_tokens"))?,
            positions: weights.get(
                (config.max_target_positions, width),
                "embed_positions.weight",
            )?,
            blocks: (0..config.decoder_layers)
                .map(|layer| Block::load(width, heads, weights.pp(format!("layers.{layer}"))))
                .collect::<Result<_>>()?,
            final_norm: norm(width, weights.pp("layer_norm"))?,
        })
    }

    /// A reply to `heard` (the encoder's output) that has not begun.
    pub fn listen(&self, heard: &Tensor) -> Result<Conversation> {
        Ok(Conversation {
            audio: self
                .blocks
                .iter()
                .map(|block| block.audio.remember(heard))
                .collect::<Result<_>>()?,
            said: vec![None; self.blocks.len()],
            length: 0,
        })
    }

    /// Feeds `tokens` after what `conversation` holds; the decoder's output at each of them,
    /// shaped (1, tokens, width).
    pub fn say(&self, conversation: &mut Conversation, tokens: &[u32]) -> Result<Tensor> {
        let device = self.positions.device();
        let offset = conversation.length;
        let count = tokens.len();
        let input = Tensor::new(tokens, device)?.unsqueeze(0)?;
        let mut x = self
            .tokens
            .forward(&input)?
            .broadcast_add(&self.positions.narrow(0, offset, count)?)?;
        // Each new token sees those before it and itself, never one after.
        let mask = (count > 1)
            .then(|| {
                let cells: Vec<f32> = (0..count)
                    .flat_map(|row| {
                        (0..offset + count).map(move |column| {
                            if column > offset + row {
                                f32::NEG_INFINITY
                            } else {
                                0.0
                            }
                        })
                    })
                    .collect();
                Tensor::from_vec(cells, (count, offset + count), device)
            })
            .transpose()?;
        for (layer, block) in self.blocks.iter().enumerate() {
            let normed = block.own_norm.forward(&x)?;
            let fresh = block.own.remember(&normed)?;
            let memory = match conversation.said[layer].take() {
                Some(before) => Remembered {
                    keys: Tensor::cat(&[&before.keys, &fresh.keys], 2)?,
                    values: Tensor::cat(&[&before.values, &fresh.values], 2)?,
                },
                None => fresh,
            };
            x = (&x + block.own.attend(&normed, &memory, mask.as_ref())?)?;
            conversation.said[layer] = Some(memory);
            let normed = block.audio_norm.forward(&x)?;
            x = (&x
                + block
                    .audio
                    .attend(&normed, &conversation.audio[layer], None)?)?;
            let normed = block.feed_norm.forward(&x)?;
            x = (&x
                + block
                    .narrow
                    .forward(&block.widen.forward(&normed)?.gelu()?)?)?;
        }
        conversation.length += count;
        self.final_norm.forward(&x)
    }

    /// The next-token logits at position `at` of the decoder's output `said`.
    pub fn logits(&self, said: &Tensor, at: usize) -> Result<Vec<f32>> {
        let hidden = said.i((0, at))?.unsqueeze(0)?;
        hidden
            .matmul(&self.tokens.embeddings().t()?)?
            .i(0)?
            .to_vec1::<f32>()
    }

    /// The longest reply the decoder can hold, prompt included.
    pub fn capacity(&self) -> usize {
        self.positions.dim(0).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{DType, Device};
    use candle_transformers::models::whisper::model::Whisper;

    use super::*;
    use crate::speech::ct2::Ct2Model;
    use crate::speech::tiny_whisper::tiny_whisper_model;
    use crate::speech::whisper_weights::{candle_tensors, config};

    fn close(ours: &[f32], candles: &[f32]) -> bool {
        ours.len() == candles.len()
            && ours
                .iter()
                .zip(candles)
                .all(|(a, b)| (a - b).abs() <= 1e-4 * (1.0 + b.abs()))
    }

    #[test]
    fn remembering_gives_the_logits_candles_whole_reply_gives() {
        let model = Ct2Model::read(tiny_whisper_model()).unwrap();
        let found = config(&model).unwrap();
        let device = Device::Cpu;
        let builder = VarBuilder::from_tensors(
            candle_tensors(&model, &device).unwrap(),
            DType::F32,
            &device,
        );
        let mut whisper = Whisper::load(&builder, found.clone()).unwrap();
        let decoder = Decoder::load(builder.pp("model.decoder"), &found).unwrap();
        let mel = Tensor::arange(0f32, 48.0, &device)
            .unwrap()
            .sin()
            .unwrap()
            .reshape((1, 4, 12))
            .unwrap();
        let audio = whisper.encoder.forward(&mel, true).unwrap();

        let tokens = [1u32, 7, 3, 12, 5];
        let input = Tensor::new(&tokens[..], &device)
            .unwrap()
            .unsqueeze(0)
            .unwrap();
        let hidden = whisper.decoder.forward(&input, &audio, true).unwrap();
        let expected: Vec<Vec<f32>> = whisper
            .decoder
            .final_linear(&hidden)
            .unwrap()
            .i(0)
            .unwrap()
            .to_vec2()
            .unwrap();

        let mut conversation = decoder.listen(&audio).unwrap();
        let prompt = decoder.say(&mut conversation, &tokens[..3]).unwrap();
        for (at, expected) in expected.iter().enumerate().take(3) {
            let logits = decoder.logits(&prompt, at).unwrap();
            assert!(close(&logits, expected), "position {at}");
        }
        for at in 3..tokens.len() {
            let said = decoder.say(&mut conversation, &tokens[at..=at]).unwrap();
            let logits = decoder.logits(&said, 0).unwrap();
            assert!(close(&logits, &expected[at]), "position {at}");
        }
        assert_eq!(conversation.length(), tokens.len());
        assert_eq!(decoder.capacity(), found.max_target_positions);
    }
}
