//! Access tokens: HS256 JWTs, about 15 minutes, algorithm pinned when verifying.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use serde::{Deserialize, Serialize};

use super::permissions::Role;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Text;

pub const ISSUER: &str = "planaction";
pub const AUDIENCE: &str = "planaction-api";
pub const ACCESS_TTL_MINUTES: i64 = 15;
/// The sign-in form's anti-forgery token: signed by us, so a cookie a client (or a
/// neighbouring site) chose is never taken for one of ours.
pub const FORM_AUDIENCE: &str = "planaction-sign-in-form";
pub const FORM_TTL_HOURS: i64 = 12;
/// Clock skew allowed between instances, in seconds, for `exp`, `nbf` and `iat`.
pub const LEEWAY_SECONDS: i64 = 30;
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
    /// Never written by us; refused while in the future if a token carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub jti: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    form_validation: Validation,
}

/// What a sign-in form token says: nothing but that we issued it, and until when.
#[derive(Debug, Serialize, Deserialize)]
struct FormClaims {
    iss: String,
    aud: String,
    exp: i64,
    jti: String,
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
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS.unsigned_abs();
        let mut form_validation = Validation::new(Algorithm::HS256);
        form_validation.set_issuer(&[ISSUER]);
        form_validation.set_audience(&[FORM_AUDIENCE]);
        form_validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            form_validation,
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
            nbf: None,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("signing a token: {e}")))?;
        Ok((token, expires_at))
    }

    /// A new anti-forgery token for the sign-in form.
    pub fn form_token(&self, now: DateTime<Utc>) -> ApiResult<String> {
        let claims = FormClaims {
            iss: ISSUER.to_owned(),
            aud: FORM_AUDIENCE.to_owned(),
            exp: (now + Duration::hours(FORM_TTL_HOURS)).timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("signing a form token: {e}")))
    }

    /// Whether `token` is a sign-in form token we issued and that has not expired.
    pub fn is_form_token(&self, token: &str) -> bool {
        decode::<FormClaims>(token, &self.decoding, &self.form_validation).is_ok()
    }

    /// The claims of a valid token; 401 with the reason otherwise.
    pub fn verify(&self, token: &str) -> ApiResult<Claims> {
        self.verify_at(token, Utc::now().timestamp())
    }

    /// Beyond the signature, `exp` and `nbf` (checked by jsonwebtoken): no `crit` header,
    /// since we understand no extension (RFC 7515 §4.1.11); no `iat` in the future and no
    /// lifetime longer than ours (RFC 8725 §3.10: a token we did not issue is refused).
    fn verify_at(&self, token: &str, now: i64) -> ApiResult<Claims> {
        let header = decode_header(token).map_err(|_| invalid_token())?;
        if header.crit.is_some() {
            return Err(invalid_token());
        }
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::Unauthorized(Text::new(
                    "Votre jeton d'accès a expiré : renouvelez-le avec POST /api/v1/auth/refresh ou reconnectez-vous.",
                    "Your access token has expired: renew it with POST /api/v1/auth/refresh or sign in again.",
                )),
                _ => invalid_token(),
            })?;
        let lifetime = ACCESS_TTL_MINUTES * 60 + LEEWAY_SECONDS;
        if claims.iat > now + LEEWAY_SECONDS || claims.exp - claims.iat > lifetime || claims.exp > now + lifetime {
            return Err(invalid_token());
        }
        Ok(claims)
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

    fn sign(keys: &JwtKeys, header: Header, claims: &Claims) -> String {
        encode(&header, claims, &keys.encoding).unwrap_or_default()
    }

    #[test]
    fn form_tokens_are_ours_and_no_access_token_passes_for_one() -> ApiResult<()> {
        let keys = JwtKeys::random();
        let form = keys.form_token(Utc::now())?;
        assert!(keys.is_form_token(&form));
        assert!(!JwtKeys::random().is_form_token(&form), "another key's");
        assert!(!keys.is_form_token(&"a".repeat(64)), "a long string a client chose");
        assert!(!keys.is_form_token(&keys.form_token(Utc::now() - Duration::hours(FORM_TTL_HOURS + 1))?));
        let access = keys.issue(7, Role::Admin, Utc::now())?.0;
        assert!(!keys.is_form_token(&access));
        assert!(keys.verify(&form).is_err(), "nor a form token for an access token");
        Ok(())
    }

    #[test]
    fn claims_we_would_never_write_are_refused() -> ApiResult<()> {
        let keys = JwtKeys::random();
        let now = Utc::now().timestamp();
        let good = keys.verify(&keys.issue(7, Role::Admin, Utc::now())?.0)?;
        assert!(keys.verify(&sign(&keys, Header::new(Algorithm::HS256), &good)).is_ok());

        let future_nbf = Claims {
            nbf: Some(now + 3600),
            ..good.clone()
        };
        let future_iat = Claims {
            iat: now + 3600,
            exp: now + 3600 + 60,
            ..good.clone()
        };
        let ten_years = Claims {
            exp: now + 10 * 365 * 86_400,
            ..good.clone()
        };
        let long_lived = Claims {
            iat: now - 86_400,
            exp: now + 600,
            ..good.clone()
        };
        for (what, claims) in [
            ("nbf in the future", future_nbf),
            ("iat in the future", future_iat),
            ("10-year exp", ten_years),
            ("a lifetime of a day", long_lived),
        ] {
            let token = sign(&keys, Header::new(Algorithm::HS256), &claims);
            assert!(keys.verify(&token).is_err(), "{what} was accepted");
        }
        let past_nbf = Claims {
            nbf: Some(now - 60),
            ..good.clone()
        };
        assert!(
            keys.verify(&sign(&keys, Header::new(Algorithm::HS256), &past_nbf))
                .is_ok()
        );

        let mut critical = Header::new(Algorithm::HS256);
        critical.crit = Some(vec!["exp".to_owned()]);
        assert!(keys.verify(&sign(&keys, critical, &good)).is_err(), "crit header");
        Ok(())
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
