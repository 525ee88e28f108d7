//! `faqtory model fetch`: copies a model's files from a base URL (Hugging Face at a pinned
//! revision by default, or a mirror) or a local directory into the data directory. Files land in
//! a scratch directory first; only a complete model whose weights match the expected SHA-256
//! and that loads is moved into place, so an interrupted or corrupt fetch never leaves a half
//! model where the server looks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::encoder::Encoder;
use super::files::{MODEL_FILES, WEIGHTS};

/// Where the files come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Files at `<url>/<file>`.
    BaseUrl(url::Url),
    Directory(PathBuf),
}

impl Source {
    /// An `http(s)://` address is a base URL; anything else a directory.
    pub fn parse(given: &str) -> Self {
        match url::Url::parse(given) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Self::BaseUrl(url),
            _ => Self::Directory(PathBuf::from(given)),
        }
    }

    fn describe(&self, file: &str) -> String {
        match self {
            Self::BaseUrl(base) => file_url(base, file),
            Self::Directory(dir) => dir.join(file).display().to_string(),
        }
    }
}

fn file_url(base: &url::Url, file: &str) -> String {
    format!("{}/{file}", base.as_str().trim_end_matches('/'))
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("could not get {what}: {message}")]
    Source { what: String, message: String },
    #[error(
        "{what} has SHA-256 {actual}, not the expected {expected}: the download is corrupt or \
         the source serves another model (nothing was installed)"
    )]
    Checksum {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("the fetched files do not make a working model (nothing was installed): {0}")]
    Unusable(#[from] super::encoder::ModelError),
    #[error("writing the model into {path}: {message}")]
    Local { path: String, message: String },
}

fn local(path: &Path) -> impl Fn(std::io::Error) -> FetchError + '_ {
    move |error| FetchError::Local {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

/// What the progress display is told.
pub enum Progress<'a> {
    /// A file starts; its size when known.
    File { name: &'a str, size: Option<u64> },
    /// Bytes of the current file so far.
    Bytes(u64),
}

/// Fetches the model into `target` (e.g. `<data-dir>/models/all-MiniLM-L6-v2`), replacing what
/// was there only once the new files are complete and checked.
pub async fn fetch(
    source: &Source,
    target: &Path,
    weights_sha256: &str,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<(), FetchError> {
    let parent = target.parent().map(Path::to_path_buf).unwrap_or_default();
    std::fs::create_dir_all(&parent).map_err(local(&parent))?;
    remove_abandoned_scratch(&parent);
    let scratch = parent.join(format!(".fetch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let fetched = fetch_into(source, &scratch, weights_sha256, &mut progress).await;
    let installed = match fetched {
        Ok(()) => install(&scratch, target).await,
        Err(error) => Err(error),
    };
    let _ = std::fs::remove_dir_all(&scratch);
    installed
}

/// A fetch stopped by Ctrl-C leaves its scratch directory; the next one removes it.
fn remove_abandoned_scratch(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".fetch-") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

async fn fetch_into(
    source: &Source,
    scratch: &Path,
    weights_sha256: &str,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<(), FetchError> {
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .read_timeout(Duration::from_secs(60))
        .build()
        .map_err(|error| FetchError::Source {
            what: "an HTTP client".into(),
            message: error.to_string(),
        })?;
    for file in MODEL_FILES {
        let destination = scratch.join(file);
        if let Some(dir) = destination.parent() {
            std::fs::create_dir_all(dir).map_err(local(dir))?;
        }
        let digest = match source {
            Source::BaseUrl(base) => {
                download(&client, &file_url(base, file), &destination, file, progress).await?
            }
            Source::Directory(dir) => copy(&dir.join(file), &destination, file, progress)?,
        };
        if file == WEIGHTS && !digest.eq_ignore_ascii_case(weights_sha256) {
            return Err(FetchError::Checksum {
                what: source.describe(file),
                expected: weights_sha256.to_owned(),
                actual: digest,
            });
        }
    }
    Ok(())
}

/// Downloads `url` into `destination`; returns the SHA-256 of what was written.
async fn download(
    client: &reqwest::Client,
    url: &str,
    destination: &Path,
    name: &str,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<String, FetchError> {
    let failed = |message: String| FetchError::Source {
        what: url.to_owned(),
        message,
    };
    let mut response = client
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|error| failed(describe_http_error(&error)))?;
    let size = response.content_length();
    progress(Progress::File { name, size });
    let mut out = std::fs::File::create(destination).map_err(local(destination))?;
    let mut hasher = Sha256::new();
    let mut written: u64 = 0;
    loop {
        let chunk = response.chunk().await.map_err(|error| {
            failed(format!(
                "the download broke off: {}",
                describe_http_error(&error)
            ))
        })?;
        let Some(chunk) = chunk else { break };
        hasher.update(&chunk);
        out.write_all(&chunk).map_err(local(destination))?;
        written += chunk.len() as u64;
        progress(Progress::Bytes(written));
    }
    if let Some(size) = size.filter(|&size| size != written) {
        return Err(failed(format!(
            "the download broke off after {written} of {size} bytes"
        )));
    }
    out.sync_all().map_err(local(destination))?;
    Ok(hex::encode(hasher.finalize()))
}

/// reqwest's `Display` stops at "error sending request"; the cause says why.
fn describe_http_error(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    message
}

fn copy(
    from: &Path,
    destination: &Path,
    name: &str,
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<String, FetchError> {
    let bytes = std::fs::read(from).map_err(|error| FetchError::Source {
        what: from.display().to_string(),
        message: error.to_string(),
    })?;
    progress(Progress::File {
        name,
        size: Some(bytes.len() as u64),
    });
    std::fs::write(destination, &bytes).map_err(local(destination))?;
    progress(Progress::Bytes(bytes.len() as u64));
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Loads the scratch copy (the files work together), then swaps it in for `target`.
async fn install(scratch: &Path, target: &Path) -> Result<(), FetchError> {
    let check = scratch.to_path_buf();
    tokio::task::spawn_blocking(move || Encoder::load(&check).map(drop))
        .await
        .map_err(|error| FetchError::Local {
            path: scratch.display().to_string(),
            message: error.to_string(),
        })??;
    let mut retired_name = target.as_os_str().to_owned();
    retired_name.push(".previous");
    let retired = PathBuf::from(retired_name);
    let _ = std::fs::remove_dir_all(&retired);
    if target.exists() {
        std::fs::rename(target, &retired).map_err(local(target))?;
    }
    std::fs::rename(scratch, target).map_err(local(target))?;
    let _ = std::fs::remove_dir_all(&retired);
    Ok(())
}
