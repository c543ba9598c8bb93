//! Optimistic concurrency: every mutable row has a `version`, sent as its ETag;
//! changes must name the version they were made from in `If-Match`.

use actix_web::dev::Payload;
use actix_web::http::header::{ETAG, IF_MATCH, LOCATION};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use futures_util::future::{Ready, ready};
use serde::Serialize;

use crate::error::ApiError;
use crate::i18n::Text;

/// `"3"` for version 3.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match`. Missing → 428; a value that is not one of our
/// ETags (including `*`) → 400 that says what an ETag looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub i32);

impl IfMatch {
    /// 412 unless `current` is the version the client read.
    pub fn check(self, current: i32) -> Result<(), ApiError> {
        if self.0 == current {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed {
                current_version: current,
            })
        }
    }
}

pub fn parse_if_match(value: Option<&str>) -> Result<IfMatch, ApiError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Err(ApiError::PreconditionRequired);
    };
    let tag = value.strip_prefix("W/").unwrap_or(value);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i32>().ok())
        .map(IfMatch)
        .ok_or_else(|| {
            ApiError::BadRequest(Text::new(
                format!("If-Match « {value} » n'est pas un ETag de Planaction : renvoyez tel quel l'en-tête ETag reçu (par exemple \"3\")."),
                format!("If-Match \"{value}\" is not a Planaction ETag: send back the ETag header you received as is (for example \"3\")."),
            ))
        })
}

/// The `If-Match` header, read without failing so that authentication and
/// authorization are answered first; `expected()` then demands it.
#[derive(Debug, Clone)]
pub struct Precondition(Option<String>);

impl Precondition {
    pub fn expected(&self) -> Result<IfMatch, ApiError> {
        parse_if_match(self.0.as_deref())
    }
}

impl FromRequest for Precondition {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req.headers().get(IF_MATCH).map(|v| v.to_str().unwrap_or("").to_owned());
        ready(Ok(Precondition(value)))
    }
}

/// 200 with the body and its ETag.
pub fn ok<T: Serialize>(version: i32, body: &T) -> HttpResponse {
    HttpResponse::Ok().insert_header((ETAG, etag(version))).json(body)
}

/// 201 with where the new item lives, its ETag and the body.
pub fn created<T: Serialize>(location: String, version: i32, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((LOCATION, location))
        .insert_header((ETAG, etag(version)))
        .json(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_round_trip() {
        assert_eq!(parse_if_match(Some(&etag(7))).ok(), Some(IfMatch(7)));
        assert_eq!(parse_if_match(Some("W/\"7\"")).ok(), Some(IfMatch(7)));
    }

    #[test]
    fn missing_and_foreign_values() {
        assert!(matches!(parse_if_match(None), Err(ApiError::PreconditionRequired)));
        assert!(matches!(parse_if_match(Some("*")), Err(ApiError::BadRequest(_))));
        assert!(matches!(parse_if_match(Some("\"abc\"")), Err(ApiError::BadRequest(_))));
    }

    #[test]
    fn stale_versions_fail() {
        assert!(IfMatch(3).check(3).is_ok());
        assert!(matches!(
            IfMatch(3).check(4),
            Err(ApiError::PreconditionFailed { current_version: 4 })
        ));
    }
}
