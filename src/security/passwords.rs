//! argon2id password hashes (OWASP parameters: m = 19 MiB, t = 2, p = 1), computed on
//! blocking threads, a few at a time: each hash takes about 19 MiB.

use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;
use crate::validation::Validator;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

/// Hashes at once at most; more wait their turn (memory stays under ~80 MiB).
const CONCURRENT_HASHES: usize = 4;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Default for Passwords {
    fn default() -> Self {
        Passwords {
            permits: Arc::new(Semaphore::new(CONCURRENT_HASHES)),
        }
    }
}

/// Verified against when the account does not exist, so an unknown email costs the same time.
static DECOY: LazyLock<Option<String>> = LazyLock::new(|| hash_now("not the password of anyone").ok());

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default().hash_password(password.as_bytes())?.to_string())
}

fn verify_now(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A new password must be 10 to 128 characters.
pub fn check_new(v: &mut Validator, field: &str, password: &str) {
    let length = password.chars().count();
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        v.push(
            field,
            "weak_password",
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
            Some(hash) => (hash.to_owned(), true),
            None => (DECOY.clone().unwrap_or_default(), false),
        };
        let matches = tokio::task::spawn_blocking(move || verify_now(&password, &hash))
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(real && matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() -> Result<(), argon2::password_hash::Error> {
        let hash = hash_now("correct horse battery")?;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_now("correct horse battery", &hash));
        assert!(!verify_now("wrong horse battery", &hash));
        assert!(!verify_now("anything", "not a hash"));
        Ok(())
    }

    #[test]
    fn the_decoy_exists() {
        assert!(DECOY.as_deref().is_some_and(|h| h.starts_with("$argon2id$")));
    }
}
