//! A tiny Whisper as CTranslate2 would store it, for tests: every variable a real one has, at a
//! width of 8, so that reading, loading and running a model take no time and no download.
//!
//! Its decoder is built, not trained, to say one thing in every window that holds sound:
//! "hello world" from 0.00 s to 1.00 s, in English. Each position's embedding points one way and
//! the token wanted next is embedded the same way; the decoder's layers add nothing (their output
//! projections are zero), so the final layer norm leaves the position's direction and the wanted
//! token wins by far. What the encoder hears does not change it: tests that run the whole
//! pipeline get a transcript they can predict.

use super::ct2::{write, ItemType};

pub const TINY_WIDTH: usize = 8;
pub const TINY_MEL_BINS: usize = 4;
/// As a real Whisper: 30 s of mel frames, halved by the second convolution.
pub const TINY_AUDIO_POSITIONS: usize = 1500;
pub const TINY_TEXT_POSITIONS: usize = 16;

/// Text tokens, then Whisper's special tokens in Whisper's order, then 1501 timestamps.
const WORDS: [&str; 2] = ["hello", "world"];
const SPECIALS: [&str; 8] = [
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|en|>",
    "<|de|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|nospeech|>",
    "<|notimestamps|>",
];
const HELLO: usize = 0;
const WORLD: usize = 1;
const END: usize = 2;
const ENGLISH: usize = 4;
const GERMAN: usize = 5;
const TRANSCRIBE: usize = 7;
const FIRST_TIMESTAMP: usize = WORDS.len() + SPECIALS.len();
pub const TINY_VOCAB: usize = FIRST_TIMESTAMP + 1501;

/// What the decoder says at each position: the language, the task, then one timed phrase
/// (the language is filled in by `script`).
const SCRIPT: [usize; 7] = [
    ENGLISH,
    TRANSCRIBE,
    FIRST_TIMESTAMP,
    HELLO,
    WORLD,
    FIRST_TIMESTAMP + 50,
    END,
];

fn floats(count: usize, seed: usize) -> Vec<f32> {
    (0..count)
        .map(|at| (((at * 7 + seed * 13) % 17) as f32 - 8.0) / 40.0)
        .collect()
}

/// Unit vectors, orthogonal to each other and to (1, …, 1) (which a layer norm takes out).
fn direction(index: usize) -> [f32; TINY_WIDTH] {
    let k = index + 1;
    let norm = ((k * k + k) as f32).sqrt();
    let mut vector = [0.0; TINY_WIDTH];
    for value in vector.iter_mut().take(k) {
        *value = 1.0 / norm;
    }
    vector[k] = -(k as f32) / norm;
    vector
}

fn scripted_embeddings(language: usize) -> (Vec<f32>, Vec<f32>) {
    let mut tokens = vec![0.0; TINY_VOCAB * TINY_WIDTH];
    let mut positions = vec![0.0; TINY_TEXT_POSITIONS * TINY_WIDTH];
    let mut script = SCRIPT;
    script[0] = language;
    for (position, token) in script.iter().enumerate() {
        let way = direction(position);
        for axis in 0..TINY_WIDTH {
            tokens[token * TINY_WIDTH + axis] = 10.0 * way[axis];
            positions[position * TINY_WIDTH + axis] = 100.0 * way[axis];
        }
    }
    (tokens, positions)
}

/// The variables of a Whisper this size, by name and shape.
fn shapes() -> Vec<(String, Vec<usize>)> {
    let mut variables: Vec<(String, Vec<usize>)> = vec![
        (
            "encoder/conv1/weight".into(),
            vec![TINY_WIDTH, TINY_MEL_BINS, 3],
        ),
        ("encoder/conv1/bias".into(), vec![TINY_WIDTH]),
        (
            "encoder/conv2/weight".into(),
            vec![TINY_WIDTH, TINY_WIDTH, 3],
        ),
        ("encoder/conv2/bias".into(), vec![TINY_WIDTH]),
        (
            "encoder/position_encodings/encodings".into(),
            vec![TINY_AUDIO_POSITIONS, TINY_WIDTH],
        ),
        (
            "decoder/embeddings/weight".into(),
            vec![TINY_VOCAB, TINY_WIDTH],
        ),
        (
            "decoder/position_encodings/encodings".into(),
            vec![TINY_TEXT_POSITIONS, TINY_WIDTH],
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
    variables
}

/// The decoder's layers write nothing back: their output projections are zero.
fn silenced(name: &str) -> bool {
    name.starts_with("decoder/layer_0/")
        && [
            "self_attention/linear_1",
            "attention/linear_2",
            "ffn/linear_1",
        ]
        .iter()
        .any(|projection| name.contains(projection))
}

/// A Whisper of width 8, two heads, one layer each side, 4 mel bins: for tests, which need a
/// model that loads and runs fast. See the module's note for what it says.
pub fn tiny_whisper_model() -> Vec<u8> {
    tiny_whisper_model_hearing("en")
}

/// The tiny Whisper, hearing English ("en") or German ("de") in every window.
pub fn tiny_whisper_model_hearing(language: &str) -> Vec<u8> {
    let language = if language == "de" { GERMAN } else { ENGLISH };
    let (token_embeddings, position_embeddings) = scripted_embeddings(language);
    let mut written: Vec<(&str, Vec<usize>, ItemType, Vec<u8>)> = Vec::new();
    let variables = shapes();
    for (seed, (name, shape)) in variables.iter().enumerate() {
        let count: usize = shape.iter().product();
        let values = match name.as_str() {
            "decoder/embeddings/weight" => token_embeddings.clone(),
            "decoder/position_encodings/encodings" => position_embeddings.clone(),
            "decoder/layer_norm/gamma" => vec![1.0; count],
            "decoder/layer_norm/beta" => vec![0.0; count],
            _ if silenced(name) => vec![0.0; count],
            _ => floats(count, seed),
        };
        let bytes = values.into_iter().flat_map(f32::to_le_bytes).collect();
        written.push((name.as_str(), shape.clone(), ItemType::F32, bytes));
    }
    for stack in ["encoder/num_heads", "decoder/num_heads"] {
        written.push((stack, vec![], ItemType::I16, 2i16.to_le_bytes().to_vec()));
    }
    write(
        "WhisperSpec",
        &written,
        &[("decoder/projection/weight", "decoder/embeddings/weight")],
    )
}

/// The tiny Whisper's tokenizer: its two words and Whisper's special tokens.
pub fn tiny_whisper_tokenizer() -> String {
    let vocab: Vec<String> = WORDS
        .iter()
        .chain(SPECIALS.iter())
        .enumerate()
        .map(|(id, token)| format!("{token:?}: {id}"))
        .collect();
    let added: Vec<String> = SPECIALS
        .iter()
        .enumerate()
        .map(|(at, token)| {
            format!(
                r#"{{"id": {}, "content": {token:?}, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}}"#,
                WORDS.len() + at
            )
        })
        .collect();
    format!(
        r#"{{"version": "1.0", "truncation": null, "padding": null, "added_tokens": [{}], "normalizer": null, "pre_tokenizer": {{"type": "Whitespace"}}, "post_processor": null, "decoder": null, "model": {{"type": "WordLevel", "vocab": {{{}}}, "unk_token": "<|endoftext|>"}}}}"#,
        added.join(", "),
        vocab.join(", ")
    )
}

/// The tiny Whisper's `config.json`, as CTranslate2 writes one.
pub fn tiny_whisper_config() -> String {
    format!(
        r#"{{"lang_ids": [{ENGLISH}, {GERMAN}], "suppress_ids": [], "suppress_ids_begin": [{END}]}}"#
    )
}

/// Installs the tiny Whisper hearing `language` in `dir`, as `faqtory model fetch --speech`
/// would install a real one.
pub fn install_tiny_whisper(dir: &std::path::Path, language: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("model.bin"), tiny_whisper_model_hearing(language))?;
    std::fs::write(dir.join("tokenizer.json"), tiny_whisper_tokenizer())?;
    std::fs::write(dir.join("config.json"), tiny_whisper_config())
}
