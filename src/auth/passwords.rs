//! argon2id at the OWASP parameters (m = 19 MiB, t = 2, p = 1), as PHC strings.
//!
//! Hashing runs on two threads of its own, each with its 19 MiB of working memory allocated once
//! and kept. Run on the shared blocking pool instead, every hash allocated and freed 19 MiB on
//! whichever thread it got; the allocator then kept such blocks per thread, and a soak with failed
//! sign-ins grew the process by ~300 MiB. Two threads also bound how many hashes run at once: a
//! flood of sign-ins queues instead of taking 19 MiB each.

use std::cell::RefCell;
use std::sync::LazyLock;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::domain::Password;
use crate::error::AppError;

const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
const HASHING_THREADS: usize = 2;

static HASHING_POOL: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .num_threads(HASHING_THREADS)
        .thread_name(|index| format!("argon2-{index}"))
        .build()
        .inspect_err(|error| tracing::warn!(%error, "no password hashing threads; hashing on the blocking pool"))
        .ok()
});

thread_local! {
    /// The working memory of the hashes this thread runs, grown to the largest needed and kept.
    static WORKING_MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs `job` on a hashing thread (the blocking pool if those could not start).
async fn on_hashing_thread<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let Some(pool) = HASHING_POOL.as_ref() else {
        return tokio::task::spawn_blocking(job)
            .await
            .map_err(|error| AppError::internal("hashing a password", error))?;
    };
    let (done, result) = tokio::sync::oneshot::channel();
    pool.spawn(move || {
        // The receiver is gone only when the request was dropped; nobody waits for the answer.
        let _ = done.send(job());
    });
    result
        .await
        .map_err(|error| AppError::internal("hashing a password", error))?
}

fn owasp_params() -> Result<Params, AppError> {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|error| AppError::internal("setting argon2 parameters", error))
}

/// argon2 into `out`, in this thread's kept working memory.
fn argon2_into(
    hasher: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    WORKING_MEMORY.with_borrow_mut(|memory| {
        let needed = params.block_count();
        if memory.len() < needed {
            memory.resize(needed, Block::default());
        }
        hasher.hash_password_into_with_memory(password, salt, out, &mut memory[..needed])
    })
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let failed =
        |error: &dyn std::fmt::Display| AppError::internal("hashing a password", error.to_string());
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|error| AppError::internal("salting a password", error))?;
    let salt_text = SaltString::encode_b64(&salt).map_err(|error| failed(&error))?;
    let params = owasp_params()?;
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&hasher, &params, password.as_bytes(), &salt, &mut out)
        .map_err(|error| failed(&error))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|error| failed(&error))?,
        salt: Some(salt_text.as_salt()),
        hash: Some(Output::new(&out).map_err(|error| failed(&error))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` gives the hash in `phc`, by that hash's own algorithm and parameters.
fn matches(phc: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(Version::default()), Version::try_from)
        .unwrap_or_default();
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let hasher = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    if argon2_into(&hasher, &params, password.as_bytes(), salt_bytes, &mut out).is_err() {
        return false;
    }
    // `Output`'s equality takes the same time wherever the bytes differ.
    Output::new(&out).is_ok_and(|computed| computed == expected)
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
    on_hashing_thread(move || hash_now(password.expose())).await
}

/// Checks `password` against a stored PHC string, or against the dummy hash when there is none.
/// Either way it costs one argon2 verification.
pub async fn verify(stored: Option<String>, password: String) -> Result<bool, AppError> {
    on_hashing_thread(move || {
        let (phc, real) = match stored {
            Some(phc) => (phc, true),
            None => (DUMMY_HASH.clone().unwrap_or_default(), false),
        };
        Ok(matches(&phc, &password) && real)
    })
    .await
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

    /// Hashes made by the argon2 crate's own API (as every stored hash so far was) still verify.
    #[tokio::test]
    async fn hashes_made_the_usual_way_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, owasp_params().unwrap());
        let phc = hasher
            .hash_password(b"correct horse battery staple", &salt)
            .unwrap()
            .to_string();
        assert!(
            verify(Some(phc.clone()), "correct horse battery staple".into())
                .await
                .unwrap()
        );
        assert!(!verify(Some(phc), "correct horse battery stapler".into())
            .await
            .unwrap());
    }
}
