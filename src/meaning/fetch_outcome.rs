//! What fetching a model tells its caller while it runs and when it fails, shared by the sources
//! (`fetch`: file by file; `archive`: a zip, whole or in parts).

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
    #[error(
        "{what} has SHA-256 {actual}, which is none of the models faqtory knows ({known}): give \
         --sha256 with the SHA-256 you expect to install it anyway (nothing was installed)"
    )]
    Unknown {
        what: String,
        actual: String,
        known: String,
    },
    #[error(
        "\"{0}\" cannot name a model: use letters, digits, '-', '_' and '.' (nothing was installed)"
    )]
    BadName(String),
    #[error("the fetched files do not make a working model (nothing was installed): {0}")]
    Unusable(#[from] super::encoder::ModelError),
    #[error("writing the model into {path}: {message}")]
    Local { path: String, message: String },
}

/// What the progress display is told.
pub enum Progress<'a> {
    /// A file starts; its size when known.
    File { name: &'a str, size: Option<u64> },
    /// Bytes of the current file so far.
    Bytes(u64),
}
