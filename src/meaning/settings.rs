//! What the admin chooses: the model for each use, and how long a request waits for a vector.

use std::path::PathBuf;
use std::time::Duration;

/// How long a request waits for its text to be embedded before answering by words alone, unless
/// the admin says otherwise.
pub const QUERY_WAIT: Duration = Duration::from_millis(300);

/// `FAQTORY_MODEL`: `auto` picks among the fetched models (see `files::choose`), `off` never
/// loads one, a name picks one under `<data-dir>/models`, and a path names a model directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSetting {
    Auto,
    Off,
    Named(String),
    Path(PathBuf),
}

impl std::str::FromStr for ModelSetting {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.trim() {
            "auto" | "" => Self::Auto,
            "off" => Self::Off,
            name if is_plain_name(name) => Self::Named(name.to_owned()),
            path => Self::Path(PathBuf::from(path)),
        })
    }
}

/// The models for each use (see `files::choose`).
#[derive(Debug, Clone)]
pub struct ModelSettings {
    pub stored: ModelSetting,
    pub live: ModelSetting,
    /// How long a request waits for its text's vector; zero: requests match by words alone
    /// (stored text still gets vectors in the background).
    pub query_wait: Duration,
    /// Threads the background embedder may use (at a lower priority than requests).
    pub background_threads: usize,
}

/// A name `FAQTORY_MODEL` may take and `faqtory model fetch --name` may install under: one plain
/// folder name, nothing that leads out of the models directory.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
