//! The site's secret, and the keys derived from it for each purpose.

use std::io::Write;
use std::path::Path;

use actix_web::cookie::Key;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SECRET_FILE: &str = "secret.key";

/// Keys derived from the one configured or generated secret.
#[derive(Clone)]
pub struct Keys {
    /// Signs and encrypts cookies.
    pub cookies: Key,
    /// Encrypts moderators' session cookies.
    pub sessions: Key,
    /// Binds a form's CSRF token to the browser's CSRF cookie.
    csrf: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the secret key at {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write a new secret key to {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the secret key in {path} is shorter than 32 characters; delete it to generate a new one"
    )]
    TooShort { path: String },
    #[error("cannot gather randomness for a secret key: {0}")]
    Random(getrandom::Error),
}

impl Keys {
    pub fn derive(secret: &[u8]) -> Self {
        Self {
            cookies: Key::derive_from(&sha256(b"faqtory cookies", secret)),
            sessions: Key::derive_from(&sha256(b"faqtory sessions", secret)),
            csrf: sha256(b"faqtory csrf", secret).to_vec(),
        }
    }

    /// The configured secret, else the one kept in the data directory, else a new one written
    /// there (readable by the owner only).
    pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> Result<Self, KeyError> {
        if let Some(secret) = configured {
            return Ok(Self::derive(secret.as_bytes()));
        }
        let path = data_dir.join(SECRET_FILE);
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(secret) => {
                let secret = secret.trim();
                if secret.len() < crate::config::SECRET_KEY_MIN_CHARS {
                    return Err(KeyError::TooShort { path: shown });
                }
                Ok(Self::derive(secret.as_bytes()))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes).map_err(KeyError::Random)?;
                let secret = hex::encode(bytes);
                write_private(&path, &secret).map_err(|source| KeyError::Write {
                    path: shown,
                    source,
                })?;
                Ok(Self::derive(secret.as_bytes()))
            }
            Err(source) => Err(KeyError::Read {
                path: shown,
                source,
            }),
        }
    }

    /// HMAC takes keys of any length, so this is always `Some` in practice.
    pub fn csrf_mac(&self) -> Option<Hmac<Sha256>> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.csrf).ok()
    }
}

fn sha256(purpose: &[u8], secret: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    let mut hasher = Sha256::new();
    hasher.update(purpose);
    hasher.update([0]);
    hasher.update(secret);
    hasher.finalize().into()
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_secret_is_kept_and_reused() {
        let dir = std::env::temp_dir().join(format!("faqtory-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let _ = std::fs::remove_file(dir.join(SECRET_FILE));
        let first = Keys::load_or_create(None, &dir).unwrap();
        let second = Keys::load_or_create(None, &dir).unwrap();
        assert_eq!(first.cookies.master(), second.cookies.master());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
