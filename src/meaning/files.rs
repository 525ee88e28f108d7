//! Where the model lives and what it is made of.

use std::path::{Path, PathBuf};

pub const CONFIG: &str = "config.json";
pub const TOKENIZER: &str = "tokenizer.json";
pub const POOLING: &str = "1_Pooling/config.json";
pub const WEIGHTS: &str = "model.safetensors";

/// Every file a model directory needs, the weights last (the long download).
pub const MODEL_FILES: [&str; 4] = [CONFIG, TOKENIZER, POOLING, WEIGHTS];

pub const DEFAULT_MODEL: &str = "all-MiniLM-L6-v2";
/// The Hugging Face revision fetched, pinned so that every site embeds alike.
pub const DEFAULT_REVISION: &str = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf";
pub const DEFAULT_BASE_URL: &str =
    "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve";
/// SHA-256 of all-MiniLM-L6-v2's `model.safetensors` at that revision.
pub const DEFAULT_WEIGHTS_SHA256: &str =
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";

/// `<data-dir>/models`.
pub fn models_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("models")
}

/// Where `faqtory model fetch` puts the default model, and where `auto` looks for it.
pub fn default_model_dir(data_dir: &Path) -> PathBuf {
    models_dir(data_dir).join(DEFAULT_MODEL)
}

/// A directory holds a model when every file is there (fetching writes them elsewhere and moves
/// the whole directory in at the end).
pub fn is_complete(dir: &Path) -> bool {
    MODEL_FILES.iter().all(|file| dir.join(file).is_file())
}
