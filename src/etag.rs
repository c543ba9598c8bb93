//! Optimistic concurrency: every mutable row has a `version`, sent as its ETag;
//! changes must name the version they were made from in `If-Match`.

use actix_web::dev::Payload;
use actix_web::http::header::{ETAG, IF_MATCH, LOCATION};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use futures_util::future::{Ready, ready};
use serde::Serialize;

/// `"3"` for version 3.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub i32);

/// Why an `If-Match` cannot be honoured (mapped to 428, 400 and 412 by the error type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreconditionError {
    /// No `If-Match` at all.
    Missing,
    /// A value that is not one of our ETags (including `*`).
    Malformed(String),
    /// The item is at another version now.
    Stale { current_version: i32 },
}

impl IfMatch {
    /// Fails unless `current` is the version the client read.
    pub fn check(self, current: i32) -> Result<(), PreconditionError> {
        if self.0 == current {
            Ok(())
        } else {
            Err(PreconditionError::Stale {
                current_version: current,
            })
        }
    }
}

pub fn parse_if_match(value: Option<&str>) -> Result<IfMatch, PreconditionError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Err(PreconditionError::Missing);
    };
    let tag = value.strip_prefix("W/").unwrap_or(value);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i32>().ok())
        .map(IfMatch)
        .ok_or_else(|| PreconditionError::Malformed(value.to_owned()))
}

/// The `If-Match` header, read without failing so that authentication and
/// authorization are answered first; `expected()` then demands it.
#[derive(Debug, Clone)]
pub struct Precondition(Option<String>);

impl Precondition {
    pub fn expected(&self) -> Result<IfMatch, PreconditionError> {
        parse_if_match(self.0.as_deref())
    }
}

impl FromRequest for Precondition {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, actix_web::Error>>;

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
        assert_eq!(parse_if_match(Some(&etag(7))), Ok(IfMatch(7)));
        assert_eq!(parse_if_match(Some("W/\"7\"")), Ok(IfMatch(7)));
    }

    #[test]
    fn missing_and_foreign_values() {
        assert_eq!(parse_if_match(None), Err(PreconditionError::Missing));
        assert_eq!(
            parse_if_match(Some("*")),
            Err(PreconditionError::Malformed("*".to_owned()))
        );
        assert!(matches!(
            parse_if_match(Some("\"abc\"")),
            Err(PreconditionError::Malformed(_))
        ));
    }

    #[test]
    fn stale_versions_fail() {
        assert!(IfMatch(3).check(3).is_ok());
        assert_eq!(
            IfMatch(3).check(4),
            Err(PreconditionError::Stale { current_version: 4 })
        );
    }
}
