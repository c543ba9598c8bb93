//! argon2id password hashes (OWASP parameters: m = 19 MiB, t = 2, p = 1), computed on
//! blocking threads, one per core: each hash takes about 19 MiB.

use std::sync::{Arc, LazyLock, Mutex};

use argon2::password_hash::PasswordHasher as _;
use argon2::password_hash::phc::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::i18n::Text;
use crate::validation::Validator;
use crate::validation::bounded::Password;

pub const MIN_LENGTH: usize = Password::MIN;
pub const MAX_LENGTH: usize = Password::MAX;

/// Hashing is CPU-bound: more hashes at once than cores only hold more memory.
fn concurrent_hashes() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(4))
}

/// argon2's working memory (19 MiB for each hash running), kept for the next sign-in:
/// allocating it anew maps and zeroes 4,864 pages each time (a third of the hash's time).
type Memory = Vec<Block>;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    memory: Arc<Mutex<Vec<Memory>>>,
}

impl Default for Passwords {
    fn default() -> Self {
        Passwords {
            permits: Arc::new(Semaphore::new(concurrent_hashes())),
            memory: Arc::default(),
        }
    }
}

/// Verified against when the account does not exist, so an unknown email costs the same time.
/// The hash of an account whose password is not chosen yet: no password opens it.
pub const NOT_CHOSEN: &str = "!not chosen";

static DECOY: LazyLock<Option<String>> = LazyLock::new(|| hash_now("not the password of anyone").ok());

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default().hash_password(password.as_bytes())?.to_string())
}

fn verify_now(password: &str, hash: &str, memory: &mut Memory) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str());
    let version = parsed.version.map_or(Ok(Version::default()), Version::try_from);
    let (Ok(algorithm), Ok(version), Ok(params)) = (algorithm, version, Params::try_from(&parsed)) else {
        return false;
    };
    memory.resize(params.block_count(), Block::new());
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
        .is_ok()
        // Output's equality is constant-time.
        && Output::new(&out).is_ok_and(|out| out == *expected)
}

/// A new password must be 10 to 128 characters.
pub fn check_new(v: &mut Validator, field: &str, password: &str) {
    let length = password.chars().count();
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        v.push(
            field,
            ErrorCode::WeakPassword,
            Text::new(
                format!("Le mot de passe doit compter de {MIN_LENGTH} à {MAX_LENGTH} caractères (il en a {length})."),
                format!("The password must have {MIN_LENGTH} to {MAX_LENGTH} characters (it has {length})."),
            ),
        );
    }
}

impl Passwords {
    pub async fn hash(&self, password: &str) -> ApiResult<String> {
        let _permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_now(&password))
            .await
            .map_err(|e| ApiError::Internal(e.into()))?
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("hashing a password: {e}")))
    }

    /// True when `password` matches `hash`; with no hash (unknown account) it does the
    /// same work against a decoy and returns false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> ApiResult<bool> {
        let _permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
        let password = password.chars().take(MAX_LENGTH).collect::<String>();
        let (hash, real) = match hash {
            // An account whose password was never chosen (invited) is checked like an
            // unknown one, in the same time.
            Some(hash) if PasswordHash::new(hash).is_ok() => (hash.to_owned(), true),
            _ => (DECOY.clone().unwrap_or_default(), false),
        };
        let mut memory = self.lock_memory().pop().unwrap_or_default();
        let (matches, memory) =
            tokio::task::spawn_blocking(move || (verify_now(&password, &hash, &mut memory), memory))
                .await
                .map_err(|e| ApiError::Internal(e.into()))?;
        self.lock_memory().push(memory);
        Ok(real && matches)
    }

    fn lock_memory(&self) -> std::sync::MutexGuard<'_, Vec<Memory>> {
        // The list holds plain buffers: one left by a panicking thread is still usable.
        self.memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() -> anyhow::Result<()> {
        let hash = hash_now("correct horse battery").map_err(|e| anyhow::anyhow!("{e}"))?;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        let mut memory = Memory::new();
        assert!(verify_now("correct horse battery", &hash, &mut memory));
        assert!(!verify_now("wrong horse battery", &hash, &mut memory));
        assert!(!verify_now("anything", "not a hash", &mut memory));
        // Other parameters and algorithms are read from the hash itself.
        let other = Argon2::new(Algorithm::Argon2i, Version::V0x10, Params::new(64, 1, 1, Some(16))?)
            .hash_password(b"correct horse battery")
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .to_string();
        assert!(verify_now("correct horse battery", &other, &mut memory));
        assert!(!verify_now("correct horse batterz", &other, &mut memory));
        Ok(())
    }

    #[test]
    fn the_decoy_exists() {
        assert!(DECOY.as_deref().is_some_and(|h| h.starts_with("$argon2id$")));
    }
}
