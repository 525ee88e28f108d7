//! Whisper from a CTranslate2 model: its shape read from the variables (layers, heads, widths),
//! and each variable renamed to what candle's Whisper loads. CTranslate2 keeps an attention's
//! query, key and value projections as one matrix (a cross-attention's key and value as
//! another); they are split back here. Whisper's key projection has no bias: CTranslate2 stores
//! zeros for it, which are dropped.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor};
use candle_transformers::models::whisper::Config;

use super::ct2::{Ct2Model, ItemType, Variable};

#[derive(Debug, thiserror::Error)]
pub enum WeightsError {
    #[error("the model has no `{0}`: it is not a Whisper model")]
    Missing(String),
    #[error("`{name}` has shape {shape:?}, where {wanted} was expected")]
    Shape {
        name: String,
        shape: Vec<usize>,
        wanted: String,
    },
    #[error("reading `{name}`: {source}")]
    Tensor {
        name: String,
        source: candle_core::Error,
    },
}

fn variable<'m>(model: &'m Ct2Model, name: &str) -> Result<&'m Variable, WeightsError> {
    model
        .variable(name)
        .ok_or_else(|| WeightsError::Missing(name.to_owned()))
}

fn dim(model: &Ct2Model, name: &str, axis: usize) -> Result<usize, WeightsError> {
    let found = variable(model, name)?;
    found
        .shape
        .get(axis)
        .copied()
        .ok_or_else(|| WeightsError::Shape {
            name: name.to_owned(),
            shape: found.shape.clone(),
            wanted: format!("at least {} dimensions", axis + 1),
        })
}

fn layers(model: &Ct2Model, stack: &str) -> usize {
    (0..)
        .take_while(|layer| {
            model
                .variable(&format!("{stack}/layer_{layer}/ffn/linear_0/weight"))
                .is_some()
        })
        .count()
}

fn heads(model: &Ct2Model, stack: &str) -> Result<usize, WeightsError> {
    let name = format!("{stack}/num_heads");
    model
        .integer(&name)
        .and_then(|heads| usize::try_from(heads).ok())
        .filter(|heads| *heads > 0)
        .ok_or(WeightsError::Missing(name))
}

/// Whisper's shape, as the variables give it.
pub fn config(model: &Ct2Model) -> Result<Config, WeightsError> {
    Ok(Config {
        num_mel_bins: dim(model, "encoder/conv1/weight", 1)?,
        max_source_positions: dim(model, "encoder/position_encodings/encodings", 0)?,
        d_model: dim(model, "encoder/conv1/weight", 0)?,
        encoder_attention_heads: heads(model, "encoder")?,
        encoder_layers: layers(model, "encoder"),
        vocab_size: dim(model, "decoder/embeddings/weight", 0)?,
        max_target_positions: dim(model, "decoder/position_encodings/encodings", 0)?,
        decoder_attention_heads: heads(model, "decoder")?,
        decoder_layers: layers(model, "decoder"),
        suppress_tokens: Vec::new(),
    })
}

/// A variable as a tensor of f32.
fn tensor(model: &Ct2Model, name: &str, device: &Device) -> Result<Tensor, WeightsError> {
    let found = variable(model, name)?;
    let dtype = match found.item {
        ItemType::F32 => DType::F32,
        ItemType::F16 => DType::F16,
        ItemType::BF16 => DType::BF16,
        _ => {
            return Err(WeightsError::Shape {
                name: name.to_owned(),
                shape: found.shape.clone(),
                wanted: "floating-point weights (int8 models are not read)".into(),
            })
        }
    };
    let wrap = |source| WeightsError::Tensor {
        name: name.to_owned(),
        source,
    };
    Tensor::from_raw_buffer(model.data(found), dtype, &found.shape, device)
        .and_then(|tensor| tensor.to_dtype(DType::F32))
        .map_err(wrap)
}

/// Rows `[start, start + count)` of a fused projection (weights or bias).
fn rows(tensor: &Tensor, start: usize, count: usize, name: &str) -> Result<Tensor, WeightsError> {
    tensor
        .narrow(0, start, count)
        .and_then(|part| part.contiguous())
        .map_err(|source| WeightsError::Tensor {
            name: name.to_owned(),
            source,
        })
}

/// Candle's names for every tensor of the model.
pub fn candle_tensors(
    model: &Ct2Model,
    device: &Device,
) -> Result<HashMap<String, Tensor>, WeightsError> {
    let config = config(model)?;
    let width = config.d_model;
    let mut tensors = HashMap::new();
    copy_unfused(model, device, &config, &mut tensors)?;
    // The fused projections, split.
    for (stack, count) in [
        ("encoder", config.encoder_layers),
        ("decoder", config.decoder_layers),
    ] {
        for layer in 0..count {
            let from = format!("{stack}/layer_{layer}");
            let to = format!("model.{stack}.layers.{layer}");
            split(
                model,
                device,
                &mut tensors,
                &format!("{from}/self_attention/linear_0"),
                &format!("{to}.self_attn"),
                &["q_proj", "k_proj", "v_proj"],
                width,
            )?;
            if stack == "decoder" {
                split(
                    model,
                    device,
                    &mut tensors,
                    &format!("{from}/attention/linear_1"),
                    &format!("{to}.encoder_attn"),
                    &["k_proj", "v_proj"],
                    width,
                )?;
            }
        }
    }
    Ok(tensors)
}

/// Every tensor kept whole, renamed.
fn copy_unfused(
    model: &Ct2Model,
    device: &Device,
    config: &Config,
    tensors: &mut HashMap<String, Tensor>,
) -> Result<(), WeightsError> {
    let mut copy = |from: &str, to: String| -> Result<(), WeightsError> {
        tensors.insert(to, tensor(model, from, device)?);
        Ok(())
    };
    for part in ["weight", "bias"] {
        copy(
            &format!("encoder/conv1/{part}"),
            format!("model.encoder.conv1.{part}"),
        )?;
        copy(
            &format!("encoder/conv2/{part}"),
            format!("model.encoder.conv2.{part}"),
        )?;
    }
    copy(
        "decoder/embeddings/weight",
        "model.decoder.embed_tokens.weight".into(),
    )?;
    copy(
        "decoder/position_encodings/encodings",
        "model.decoder.embed_positions.weight".into(),
    )?;
    for stack in ["encoder", "decoder"] {
        copy(
            &format!("{stack}/layer_norm/gamma"),
            format!("model.{stack}.layer_norm.weight"),
        )?;
        copy(
            &format!("{stack}/layer_norm/beta"),
            format!("model.{stack}.layer_norm.bias"),
        )?;
    }
    for (stack, count) in [
        ("encoder", config.encoder_layers),
        ("decoder", config.decoder_layers),
    ] {
        for layer in 0..count {
            let from = format!("{stack}/layer_{layer}");
            let to = format!("model.{stack}.layers.{layer}");
            layer_norm(
                &mut copy,
                &format!("{from}/self_attention"),
                &format!("{to}.self_attn_layer_norm"),
            )?;
            layer_norm(
                &mut copy,
                &format!("{from}/ffn"),
                &format!("{to}.final_layer_norm"),
            )?;
            for (linear, named) in [("linear_0", "fc1"), ("linear_1", "fc2")] {
                for part in ["weight", "bias"] {
                    copy(
                        &format!("{from}/ffn/{linear}/{part}"),
                        format!("{to}.{named}.{part}"),
                    )?;
                }
            }
            for part in ["weight", "bias"] {
                copy(
                    &format!("{from}/self_attention/linear_1/{part}"),
                    format!("{to}.self_attn.out_proj.{part}"),
                )?;
            }
            if stack == "decoder" {
                layer_norm(
                    &mut copy,
                    &format!("{from}/attention"),
                    &format!("{to}.encoder_attn_layer_norm"),
                )?;
                for part in ["weight", "bias"] {
                    copy(
                        &format!("{from}/attention/linear_0/{part}"),
                        format!("{to}.encoder_attn.q_proj.{part}"),
                    )?;
                    copy(
                        &format!("{from}/attention/linear_2/{part}"),
                        format!("{to}.encoder_attn.out_proj.{part}"),
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn layer_norm(
    copy: &mut impl FnMut(&str, String) -> Result<(), WeightsError>,
    from: &str,
    to: &str,
) -> Result<(), WeightsError> {
    copy(&format!("{from}/layer_norm/gamma"), format!("{to}.weight"))?;
    copy(&format!("{from}/layer_norm/beta"), format!("{to}.bias"))
}

/// One fused projection (`parts.len() × width` rows) into its parts; the key's bias is dropped.
fn split(
    model: &Ct2Model,
    device: &Device,
    tensors: &mut HashMap<String, Tensor>,
    from: &str,
    to: &str,
    parts: &[&str],
    width: usize,
) -> Result<(), WeightsError> {
    let weight_name = format!("{from}/weight");
    let weight = tensor(model, &weight_name, device)?;
    let bias_name = format!("{from}/bias");
    let bias = tensor(model, &bias_name, device)?;
    let wanted = parts.len() * width;
    if weight.dims() != [wanted, width] || bias.dims() != [wanted] {
        return Err(WeightsError::Shape {
            name: weight_name,
            shape: weight.dims().to_vec(),
            wanted: format!("[{wanted}, {width}] with a bias of {wanted}"),
        });
    }
    for (index, part) in parts.iter().enumerate() {
        tensors.insert(
            format!("{to}.{part}.weight"),
            rows(&weight, index * width, width, &weight_name)?,
        );
        if *part != "k_proj" {
            tensors.insert(
                format!("{to}.{part}.bias"),
                rows(&bias, index * width, width, &bias_name)?,
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use candle_nn::VarBuilder;
    use candle_transformers::models::whisper::model::Whisper;

    use super::*;
    use crate::speech::ct2::write;
    use crate::speech::tiny_whisper::{
        tiny_whisper_model, TINY_AUDIO_POSITIONS, TINY_TEXT_POSITIONS, TINY_VOCAB, TINY_WIDTH,
    };

    const WIDTH: usize = TINY_WIDTH;

    #[test]
    fn a_tiny_whisper_reads_its_shape_splits_its_projections_and_runs() {
        let model = Ct2Model::read(tiny_whisper_model()).unwrap();
        let found = config(&model).unwrap();
        assert_eq!(
            (
                found.num_mel_bins,
                found.d_model,
                found.encoder_layers,
                found.decoder_layers
            ),
            (4, WIDTH, 1, 1)
        );
        assert_eq!(
            (found.encoder_attention_heads, found.vocab_size),
            (2, TINY_VOCAB)
        );
        assert_eq!(
            (found.max_source_positions, found.max_target_positions),
            (TINY_AUDIO_POSITIONS, TINY_TEXT_POSITIONS)
        );

        let device = Device::Cpu;
        let tensors = candle_tensors(&model, &device).unwrap();
        let fused = tensor(
            &model,
            "encoder/layer_0/self_attention/linear_0/weight",
            &device,
        )
        .unwrap()
        .to_vec2::<f32>()
        .unwrap();
        let key = tensors["model.encoder.layers.0.self_attn.k_proj.weight"]
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(key, fused[WIDTH..2 * WIDTH].to_vec());
        let value = tensors["model.decoder.layers.0.encoder_attn.v_proj.weight"]
            .to_vec2::<f32>()
            .unwrap();
        let fused_kv = tensor(&model, "decoder/layer_0/attention/linear_1/weight", &device)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(value, fused_kv[WIDTH..].to_vec());
        assert!(!tensors.contains_key("model.encoder.layers.0.self_attn.k_proj.bias"));

        let builder = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let mut whisper = Whisper::load(&builder, found).unwrap();
        let mel = Tensor::ones((1, 4, 12), DType::F32, &device).unwrap();
        let audio = whisper.encoder.forward(&mel, true).unwrap();
        assert_eq!(audio.dims(), &[1, 6, WIDTH]);
        let tokens = Tensor::new(&[[1u32, 2]], &device).unwrap();
        let hidden = whisper.decoder.forward(&tokens, &audio, true).unwrap();
        let logits = whisper.decoder.final_linear(&hidden).unwrap();
        assert_eq!(logits.dims(), &[1, 2, TINY_VOCAB]);
    }

    #[test]
    fn half_precision_weights_are_read_as_floats() {
        let model = Ct2Model::read(write(
            "WhisperSpec",
            &[("w", vec![2], ItemType::F16, vec![0, 60, 0, 192])],
            &[],
        ))
        .unwrap();
        let read = tensor(&model, "w", &Device::Cpu).unwrap();
        assert_eq!(read.to_vec1::<f32>().unwrap(), vec![1.0, -2.0]);
    }

    #[test]
    fn a_model_that_is_not_whisper_is_refused_in_words() {
        let other = write("TransformerSpec", &[], &[]);
        let refused = config(&Ct2Model::read(other).unwrap())
            .unwrap_err()
            .to_string();
        assert!(refused.contains("not a Whisper model"), "{refused}");
    }
}
