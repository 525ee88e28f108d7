//! A tiny Whisper as CTranslate2 would store it, for tests: every variable a real one has, at a
//! width of 8, so that reading, loading and running a model take no time and no download.

use super::ct2::{write, ItemType};

pub const TINY_WIDTH: usize = 8;

fn floats(count: usize, seed: usize) -> Vec<u8> {
    (0..count)
        .map(|at| (((at * 7 + seed * 13) % 17) as f32 - 8.0) / 40.0)
        .flat_map(f32::to_le_bytes)
        .collect()
}

/// A Whisper of width 8, two heads, one layer each side, 4 mel bins, 10 tokens, 6 audio and 5
/// text positions, its weights made up: for tests, which need a model that loads and runs fast.
pub fn tiny_whisper_model() -> Vec<u8> {
    let mut variables: Vec<(String, Vec<usize>)> = vec![
        ("encoder/conv1/weight".into(), vec![TINY_WIDTH, 4, 3]),
        ("encoder/conv1/bias".into(), vec![TINY_WIDTH]),
        (
            "encoder/conv2/weight".into(),
            vec![TINY_WIDTH, TINY_WIDTH, 3],
        ),
        ("encoder/conv2/bias".into(), vec![TINY_WIDTH]),
        (
            "encoder/position_encodings/encodings".into(),
            vec![6, TINY_WIDTH],
        ),
        ("decoder/embeddings/weight".into(), vec![10, TINY_WIDTH]),
        (
            "decoder/position_encodings/encodings".into(),
            vec![5, TINY_WIDTH],
        ),
    ];
    for stack in ["encoder", "decoder"] {
        variables.push((format!("{stack}/layer_norm/gamma"), vec![TINY_WIDTH]));
        variables.push((format!("{stack}/layer_norm/beta"), vec![TINY_WIDTH]));
        let layer = format!("{stack}/layer_0");
        let mut blocks = vec![
            ("self_attention/linear_0", 3 * TINY_WIDTH, TINY_WIDTH),
            ("self_attention/linear_1", TINY_WIDTH, TINY_WIDTH),
            ("ffn/linear_0", 4 * TINY_WIDTH, TINY_WIDTH),
            ("ffn/linear_1", TINY_WIDTH, 4 * TINY_WIDTH),
        ];
        let mut norms = vec!["self_attention", "ffn"];
        if stack == "decoder" {
            blocks.extend([
                ("attention/linear_0", TINY_WIDTH, TINY_WIDTH),
                ("attention/linear_1", 2 * TINY_WIDTH, TINY_WIDTH),
                ("attention/linear_2", TINY_WIDTH, TINY_WIDTH),
            ]);
            norms.push("attention");
        }
        for (name, out, input) in blocks {
            variables.push((format!("{layer}/{name}/weight"), vec![out, input]));
            variables.push((format!("{layer}/{name}/bias"), vec![out]));
        }
        for norm in norms {
            variables.push((format!("{layer}/{norm}/layer_norm/gamma"), vec![TINY_WIDTH]));
            variables.push((format!("{layer}/{norm}/layer_norm/beta"), vec![TINY_WIDTH]));
        }
    }
    let mut written: Vec<(&str, Vec<usize>, ItemType, Vec<u8>)> = variables
        .iter()
        .enumerate()
        .map(|(seed, (name, shape))| {
            let count = shape.iter().product();
            (
                name.as_str(),
                shape.clone(),
                ItemType::F32,
                floats(count, seed),
            )
        })
        .collect();
    for stack in ["encoder/num_heads", "decoder/num_heads"] {
        written.push((stack, vec![], ItemType::I16, 2i16.to_le_bytes().to_vec()));
    }
    write(
        "WhisperSpec",
        &written,
        &[("decoder/projection/weight", "decoder/embeddings/weight")],
    )
}
