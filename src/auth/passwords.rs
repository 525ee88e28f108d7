//! argon2id at the OWASP parameters (m = 19 MiB, t = 2, p = 1), as PHC strings, always on a
//! blocking thread: one hash takes tens of milliseconds of CPU.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::Password;
use crate::error::AppError;

const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn hasher() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|error| AppError::internal("setting argon2 parameters", error))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|error| AppError::internal("salting a password", error))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|error| AppError::internal("salting a password", error))?;
    Ok(hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|error| AppError::internal("hashing a password", error))?
        .to_string())
}

/// A hash of nothing anyone knows, verified against when the username is unknown so that the
/// answer takes as long as for a real account.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).ok()?;
    hash_now(&hex::encode(secret)).ok()
});

pub async fn hash(password: &Password) -> Result<String, AppError> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || hash_now(password.expose()))
        .await
        .map_err(|error| AppError::internal("hashing a password", error))?
}

/// Checks `password` against a stored PHC string, or against the dummy hash when there is none.
/// Either way it costs one argon2 verification.
pub async fn verify(stored: Option<String>, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let (phc, real) = match stored {
            Some(phc) => (phc, true),
            None => (DUMMY_HASH.clone().unwrap_or_default(), false),
        };
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return Ok(false);
        };
        let matches = hasher()?
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await
    .map_err(|error| AppError::internal("verifying a password", error))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_follow_the_owasp_parameters() {
        let password = Password::parse("correct horse battery staple").unwrap();
        let phc = hash(&password).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify(Some(phc.clone()), password.expose().to_owned())
            .await
            .unwrap());
        assert!(!verify(Some(phc), "wrong password!!".into()).await.unwrap());
        assert!(!verify(None, password.expose().to_owned()).await.unwrap());
        assert!(!verify(Some("not a hash".into()), "x".into()).await.unwrap());
    }
}
