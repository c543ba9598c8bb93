//! Access tokens: HS256 JWTs, about 15 minutes, algorithm pinned when verifying.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use super::permissions::Role;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;

pub const ISSUER: &str = "planaction";
pub const AUDIENCE: &str = "planaction-api";
pub const ACCESS_TTL_MINUTES: i64 = 15;
/// HS256 keys shorter than this are refused (256 bits).
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user's id.
    pub sub: String,
    pub role: Role,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(***)")
    }
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> anyhow::Result<JwtKeys> {
        if secret.len() < MIN_SECRET_BYTES {
            anyhow::bail!(
                "JWT_SECRET has {} bytes; it needs at least {MIN_SECRET_BYTES} (256 bits). Generate one with `openssl rand -base64 48`.",
                secret.len()
            );
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        validation.leeway = 30;
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        })
    }

    /// A key nobody knows, for `serve --demo` and the tests: tokens die with the process.
    pub fn random() -> JwtKeys {
        let mut secret = [0u8; 48];
        rand::fill(&mut secret);
        // 48 random bytes are always long enough.
        JwtKeys::new(&secret).unwrap_or_else(|_| unreachable!())
    }

    pub fn issue(&self, user_id: i64, role: Role, now: DateTime<Utc>) -> ApiResult<(String, DateTime<Utc>)> {
        let expires_at = now + Duration::minutes(ACCESS_TTL_MINUTES);
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: user_id.to_string(),
            role,
            exp: expires_at.timestamp(),
            iat: now.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("signing a token: {e}")))?;
        Ok((token, expires_at))
    }

    /// The claims of a valid token; 401 with the reason otherwise.
    pub fn verify(&self, token: &str) -> ApiResult<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::Unauthorized(Text::new(
                    "Votre jeton d'accès a expiré : renouvelez-le avec POST /api/v1/auth/refresh ou reconnectez-vous.",
                    "Your access token has expired: renew it with POST /api/v1/auth/refresh or sign in again.",
                )),
                _ => invalid_token(),
            })
    }
}

pub fn invalid_token() -> ApiError {
    ApiError::Unauthorized(Text::new(
        "Jeton d'accès invalide : connectez-vous avec POST /api/v1/auth/login.",
        "Invalid access token: sign in with POST /api/v1/auth/login.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_raw(header_json: &str, claims: &Claims, secret: &[u8]) -> String {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = URL_SAFE_NO_PAD.encode(header_json);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let _ = secret;
        format!("{header}.{payload}.")
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(JwtKeys::new(b"too short").is_err());
        assert!(JwtKeys::new(&[7u8; 32]).is_ok());
    }

    #[test]
    fn tokens_round_trip_and_are_checked() -> ApiResult<()> {
        let keys = JwtKeys::random();
        let (token, _) = keys.issue(42, Role::Board, Utc::now())?;
        let claims = keys.verify(&token)?;
        assert_eq!((claims.sub.as_str(), claims.role), ("42", Role::Board));
        assert_eq!((claims.iss.as_str(), claims.aud.as_str()), (ISSUER, AUDIENCE));

        let (expired, _) = keys.issue(42, Role::Board, Utc::now() - Duration::hours(1))?;
        assert!(matches!(keys.verify(&expired), Err(ApiError::Unauthorized(t)) if t.en.contains("expired")));

        let other = JwtKeys::random();
        assert!(other.verify(&token).is_err(), "signed with another key");

        let claims = keys.verify(&token)?;
        let unsigned = sign_raw(r#"{"alg":"none","typ":"JWT"}"#, &claims, b"");
        assert!(keys.verify(&unsigned).is_err(), "alg none");
        Ok(())
    }
}
