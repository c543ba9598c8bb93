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

/// The `If-Match` values the server reads, as the OpenAPI document declares them: `*`, or
/// a list of entity tags (strong `"3"` or weak `W/"3"`, without commas inside).
pub const IF_MATCH_PATTERN: &str = r#"^\s*(\*|(W/)?"[^",]*"(\s*,\s*(W/)?"[^",]*")*)\s*$"#;

/// What `If-Match` asks for (RFC 9110 §13.1.1): any current version (`*`), or one of
/// the versions it names with strong ETags. Weak ETags (`W/"3"`) are valid but never
/// match: `If-Match` compares strongly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Versions(Vec<i32>),
}

/// Why an `If-Match` cannot be honoured (mapped to 428, 400 and 412 by the error type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreconditionError {
    /// No `If-Match` at all.
    Missing,
    /// A value that is not a list of entity tags.
    Malformed(String),
    /// The item is at another version now (or only weak tags were given).
    Stale { current_version: i32 },
}

impl IfMatch {
    /// Fails unless the item's `current` version is one the client asked for.
    pub fn check(&self, current: i32) -> Result<(), PreconditionError> {
        match self {
            IfMatch::Any => Ok(()),
            IfMatch::Versions(versions) if versions.contains(&current) => Ok(()),
            IfMatch::Versions(_) => Err(PreconditionError::Stale {
                current_version: current,
            }),
        }
    }
}

/// One entity tag of an `If-Match` list: our version when it is one of our strong tags;
/// `None` for a weak or foreign tag (valid, but matches nothing).
fn entity_tag(tag: &str) -> Result<Option<i32>, ()> {
    let (weak, tag) = match tag.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, tag),
    };
    let opaque = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).ok_or(())?;
    if opaque.contains('"') {
        return Err(());
    }
    Ok(opaque.parse::<i32>().ok().filter(|_| !weak))
}

pub fn parse_if_match(value: Option<&str>) -> Result<IfMatch, PreconditionError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Err(PreconditionError::Missing);
    };
    if value == "*" {
        return Ok(IfMatch::Any);
    }
    let mut versions = Vec::new();
    // Every element is a tag, as the documented pattern says: `,` or `"3",,` is refused.
    for tag in value.split(',').map(str::trim) {
        match entity_tag(tag) {
            Ok(version) => versions.extend(version),
            Err(()) => return Err(PreconditionError::Malformed(value.to_owned())),
        }
    }
    Ok(IfMatch::Versions(versions))
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
        assert_eq!(parse_if_match(Some(&etag(7))), Ok(IfMatch::Versions(vec![7])));
        assert_eq!(parse_if_match(Some("\"6\", \"7\"")), Ok(IfMatch::Versions(vec![6, 7])));
    }

    #[test]
    fn star_matches_any_version_and_weak_tags_none() {
        assert_eq!(parse_if_match(Some("*")), Ok(IfMatch::Any));
        assert!(IfMatch::Any.check(12).is_ok());
        let weak = parse_if_match(Some("W/\"7\"")).unwrap_or(IfMatch::Any);
        assert_eq!(weak.check(7), Err(PreconditionError::Stale { current_version: 7 }));
        let foreign = parse_if_match(Some("\"abc\"")).unwrap_or(IfMatch::Any);
        assert!(foreign.check(1).is_err());
    }

    #[test]
    fn the_documented_pattern_is_what_parses() {
        let pattern = regex::Regex::new(IF_MATCH_PATTERN).unwrap();
        for value in ["*", "\"3\"", "W/\"3\"", "\"1\", W/\"2\" ,\"abc\"", " \"4\" "] {
            assert!(pattern.is_match(value), "{value}");
            assert!(parse_if_match(Some(value)).is_ok(), "{value}");
        }
        for value in ["", "3", "\"3", "\"a\"b\"", "*, \"3\"", "\"3\",,", ",", " , "] {
            assert!(!pattern.is_match(value), "{value}");
            assert!(parse_if_match(Some(value)).is_err(), "{value}");
        }
    }

    #[test]
    fn missing_and_malformed_values() {
        assert_eq!(parse_if_match(None), Err(PreconditionError::Missing));
        assert!(matches!(
            parse_if_match(Some("7")),
            Err(PreconditionError::Malformed(_))
        ));
        assert!(matches!(
            parse_if_match(Some("\"7")),
            Err(PreconditionError::Malformed(_))
        ));
    }

    #[test]
    fn stale_versions_fail() {
        assert!(IfMatch::Versions(vec![3]).check(3).is_ok());
        assert_eq!(
            IfMatch::Versions(vec![3]).check(4),
            Err(PreconditionError::Stale { current_version: 4 })
        );
    }
}
