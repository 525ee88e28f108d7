//! A tiny sentence encoder the tests build, and a small HTTP server that hands its files out.
//!
//! The model is a real BERT (one layer, hidden size 16) in the sentence-transformers layout, with
//! weights chosen so that its answers are known in advance: the layer passes each word's
//! embedding through unchanged (zero attention and feed-forward weights, so only the residual
//! path and the layer norms act), and the words of one meaning share one direction ("car",
//! "automobile" and "vehicle" all point along the first axis). Two texts are as close as the
//! meanings they mention; stop words and unknown words weigh nothing.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Words of one meaning, one group a line.
pub const MEANINGS: &[&[&str]] = &[
    &["car", "automobile", "vehicle"],
    &["repair", "fix", "mend", "broken"],
    &["password", "passphrase", "credentials", "login"],
    &["reset", "recover", "forgot", "lost"],
    &["database", "datastore", "storage"],
    &["release", "launch", "version"],
    &["schedule", "date", "roadmap"],
    &["cat", "kitten", "pet"],
    // A project's hangout: every question names the project, which tells nothing.
    &["mirageos", "unikernel", "unikernels"],
    &["raspberry", "pi", "board"],
    &["aws", "amazon", "ec2", "deploy"],
    &["debug", "crashes", "gdb"],
    &["dns", "nameserver", "resolver"],
];
const STOP_WORDS: &[&str] = &[
    "how", "do", "i", "my", "the", "a", "to", "what", "is", "can", "you", "when", "of", "an",
    "does", "it", "for", "with", "on", "next", "?", ".", ",",
];
const HIDDEN: usize = 16;

pub struct TinyModel {
    pub dir: PathBuf,
    pub weights_sha256: String,
}

fn vocabulary() -> Vec<String> {
    let mut vocabulary: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    vocabulary.extend(STOP_WORDS.iter().map(|word| word.to_string()));
    vocabulary.extend(
        MEANINGS
            .iter()
            .flat_map(|words| words.iter().map(|w| w.to_string())),
    );
    vocabulary
}

fn tokenizer_json(vocabulary: &[String]) -> serde_json::Value {
    let vocab: serde_json::Map<String, serde_json::Value> = vocabulary
        .iter()
        .enumerate()
        .map(|(id, word)| (word.clone(), json!(id)))
        .collect();
    let special = |content: &str, id: usize| {
        json!({"id": id, "content": content, "single_word": false, "lstrip": false,
               "rstrip": false, "normalized": false, "special": true})
    };
    let added_tokens = vec![
        special("[PAD]", 0),
        special("[UNK]", 1),
        special("[CLS]", 2),
        special("[SEP]", 3),
    ];
    json!({
        "version": "1.0",
        "truncation": {"max_length": 16, "strategy": "LongestFirst", "stride": 0, "direction": "Right"},
        // As in all-MiniLM-L6-v2's file: every input padded to a fixed length.
        "padding": {"strategy": {"Fixed": 16}, "direction": "Right", "pad_to_multiple_of": null,
                    "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": added_tokens,
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                       "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
            }
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab}
    })
}

/// `moved` words take the direction of another word's meaning instead of their own.
fn weights(vocabulary: &[String], moved: &[(&str, &str)]) -> HashMap<String, Tensor> {
    let cpu = &Device::Cpu;
    let zeros = |shape: &[usize]| Tensor::zeros(shape, DType::F32, cpu).unwrap();
    let ones = |shape: &[usize]| Tensor::ones(shape, DType::F32, cpu).unwrap();
    let mut words = vec![0f32; vocabulary.len() * HIDDEN];
    let meaning_of = |word: &str| {
        MEANINGS
            .iter()
            .position(|group| group.contains(&word))
            .unwrap()
    };
    for group in MEANINGS {
        for word in *group {
            let id = vocabulary.iter().position(|known| known == word).unwrap();
            let like = moved
                .iter()
                .find(|(moving, _)| moving == word)
                .map_or(*word, |(_, like)| like);
            words[id * HIDDEN + meaning_of(like)] = 1.0;
        }
    }
    let mut tensors = HashMap::new();
    let mut put = |name: &str, tensor: Tensor| {
        tensors.insert(name.to_owned(), tensor);
    };
    put(
        "embeddings.word_embeddings.weight",
        Tensor::from_vec(words, (vocabulary.len(), HIDDEN), cpu).unwrap(),
    );
    put(
        "embeddings.position_embeddings.weight",
        zeros(&[64, HIDDEN]),
    );
    put(
        "embeddings.token_type_embeddings.weight",
        zeros(&[2, HIDDEN]),
    );
    for norm in [
        "embeddings.LayerNorm",
        "encoder.layer.0.attention.output.LayerNorm",
        "encoder.layer.0.output.LayerNorm",
    ] {
        put(&format!("{norm}.weight"), ones(&[HIDDEN]));
        put(&format!("{norm}.bias"), zeros(&[HIDDEN]));
    }
    for (name, rows, columns) in [
        ("encoder.layer.0.attention.self.query", HIDDEN, HIDDEN),
        ("encoder.layer.0.attention.self.key", HIDDEN, HIDDEN),
        ("encoder.layer.0.attention.self.value", HIDDEN, HIDDEN),
        ("encoder.layer.0.attention.output.dense", HIDDEN, HIDDEN),
        ("encoder.layer.0.intermediate.dense", 2 * HIDDEN, HIDDEN),
        ("encoder.layer.0.output.dense", HIDDEN, 2 * HIDDEN),
    ] {
        put(&format!("{name}.weight"), zeros(&[rows, columns]));
        put(&format!("{name}.bias"), zeros(&[rows]));
    }
    tensors
}

/// Writes the model into a new directory under `parent`.
pub fn build(parent: &Path) -> TinyModel {
    build_variant(parent, "tiny-model", &[])
}

/// Another model, in `parent/name`: each `(word, like)` of `moved` means what `like` means.
pub fn build_variant(parent: &Path, name: &str, moved: &[(&str, &str)]) -> TinyModel {
    let dir = parent.join(name);
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    let vocabulary = vocabulary();
    let config = json!({
        "architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu",
        "hidden_size": HIDDEN, "num_hidden_layers": 1, "num_attention_heads": 2,
        "intermediate_size": 2 * HIDDEN, "max_position_embeddings": 64, "type_vocab_size": 2,
        "vocab_size": vocabulary.len(), "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02,
        "layer_norm_eps": 1e-12, "pad_token_id": 0, "position_embedding_type": "absolute"
    });
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    std::fs::write(
        dir.join("tokenizer.json"),
        tokenizer_json(&vocabulary).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("1_Pooling/config.json"),
        json!({"word_embedding_dimension": HIDDEN, "pooling_mode_mean_tokens": true}).to_string(),
    )
    .unwrap();
    candle_core::safetensors::save(&weights(&vocabulary, moved), dir.join("model.safetensors"))
        .unwrap();
    let weights_sha256 = hex::encode(Sha256::digest(
        std::fs::read(dir.join("model.safetensors")).unwrap(),
    ));
    TinyModel {
        dir,
        weights_sha256,
    }
}

/// How the file server behaves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Serving {
    Everything,
    /// Sends half of `model.safetensors` under its full length, then hangs up.
    BreakOffWeights,
}

/// Serves the files of `dir` at `http://ADDRESS/<file>` until the test ends.
pub fn serve(dir: &Path, serving: Serving) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                request.push(byte[0]);
            }
            let request = String::from_utf8_lossy(&request);
            let path = request
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            match std::fs::read(dir.join(path)) {
                Ok(body) => {
                    let sent = if serving == Serving::BreakOffWeights
                        && path.ends_with("model.safetensors")
                    {
                        &body[..body.len() / 2]
                    } else {
                        &body[..]
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(sent);
                }
                Err(_) => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    address
}

/// A new, empty directory for a test's files.
pub fn scratch_dir(name: &str) -> std::path::PathBuf {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    let dir = std::env::temp_dir().join(format!("faqtory-{name}-{}", hex::encode(bytes)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
