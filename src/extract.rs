//! Request extractors whose every failure is an `ApiError` (so a problem document),
//! with the JSON path of the offending field.

use actix_web::dev::Payload;
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorCode, FieldError};
use crate::i18n::Text;

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 256 * 1024;

/// Like `web::Json`, but strict about content type and size, and its errors
/// name the field (`deadlines[1].label`) in French or English. Reading never fails the
/// request by itself: the handler takes the body (`into_inner()?`) after its permission
/// check, so a caller who may not do a thing hears 403, not what is wrong with the body.
pub struct Json<T>(Result<T, ApiError>);

impl<T> Json<T> {
    /// The body, or why it cannot be read (415, 413, 400 or 422).
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = content_type(req).is_some_and(|ct| ct == "application/json" || ct.ends_with("+json"));
        let body = read_body(payload.take(), JSON_LIMIT);
        Box::pin(async move {
            if !is_json {
                return Ok(Json(Err(ApiError::UnsupportedMediaType(Text::new(
                    "Envoyez le corps en JSON avec l'en-tête « Content-Type: application/json ».",
                    "Send the body as JSON with the header \"Content-Type: application/json\".",
                )))));
            }
            Ok(Json(body.await.and_then(|bytes| decode_json(&bytes))))
        })
    }
}

pub fn content_type(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Reads a whole body, refusing it with 413 past `limit` bytes.
pub async fn read_body(mut payload: Payload, limit: usize) -> Result<Bytes, ApiError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::BadRequest(Text::new(
                format!("Le corps de la requête n'a pas pu être lu : {e}."),
                format!("The request body could not be read: {e}."),
            ))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
    if let Some(path) = nul_character(&value, String::new()) {
        return Err(ApiError::Validation(vec![crate::validation::nul_character(&path)]));
    }
    whole_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => malformed(&inner),
            serde_json::error::Category::Data => ApiError::Validation(vec![data_error(&path, &inner.to_string())]),
        }
    })
}

/// Where a text holds U+0000 (no text of ours can: PostgreSQL stores none), if anywhere.
fn nul_character(value: &serde_json::Value, path: String) -> Option<String> {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(text) if text.contains('\0') => {
            Some(if path.is_empty() { ".".to_owned() } else { path })
        }
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_character(item, format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, field)| {
            if key.contains('\0') {
                return Some(at(key));
            }
            nul_character(field, at(key))
        }),
        _ => None,
    }
}

/// `1.0` is the integer 1 in JSON Schema (2020-12), so in our bodies too: a number with no
/// fraction becomes an integer before the fields are read.
fn whole_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            if let Some(float) = number.as_f64()
                && float.fract() == 0.0
                && float.abs() < 9.0e15
            {
                // Exact: every whole number below 2^53 is an f64.
                #[allow(clippy::cast_possible_truncation)]
                let whole = float as i64;
                *value = serde_json::Value::from(whole);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

fn malformed(error: &serde_json::Error) -> ApiError {
    let (line, column) = (error.line(), error.column());
    ApiError::BadRequest(Text::new(
        format!(
            "Le JSON est mal formé (ligne {line}, colonne {column}). Vérifiez les guillemets, virgules et accolades."
        ),
        format!("The JSON is malformed (line {line}, column {column}). Check quotes, commas and braces."),
    ))
}

/// Turns serde's English message into a field error a person can act on.
fn data_error(path: &str, message: &str) -> FieldError {
    // serde appends " at line X column Y"; the field path says more.
    let message = message.split(" at line ").next().unwrap_or(message);
    let quoted = message.split('`').nth(1).unwrap_or("").to_owned();
    let (field, code, fr) = if message.starts_with("unknown field") {
        let field = join_path(path, &quoted);
        let fr = format!("Champ inconnu « {field} ». Retirez-le ou vérifiez son orthographe.");
        (field, ErrorCode::UnknownField, fr)
    } else if message.starts_with("missing field") {
        let field = join_path(path, &quoted);
        let fr = format!("Le champ « {field} » est obligatoire.");
        (field, ErrorCode::Required, fr)
    } else if message.starts_with("unknown variant") {
        let allowed = message.split("expected ").nth(1).unwrap_or("").replace('`', "");
        let fr = format!("Valeur « {quoted} » inconnue pour « {path} ». Valeurs permises : {allowed}.");
        (path.to_owned(), ErrorCode::UnknownValue, fr)
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let expected = message.split("expected ").nth(1).unwrap_or("");
        let fr = format!("Type ou valeur invalide pour « {path} » (attendu : {expected}).");
        (path.to_owned(), ErrorCode::InvalidType, fr)
    } else {
        let fr = format!("Valeur invalide pour « {path} » : {message}.");
        (path.to_owned(), ErrorCode::Invalid, fr)
    };
    let en = match code {
        ErrorCode::UnknownField => format!("Unknown field \"{field}\". Remove it or check its spelling."),
        ErrorCode::Required => format!("The field \"{field}\" is required."),
        _ => format!("Invalid value for \"{field}\": {message}."),
    };
    FieldError::new(field, code, Text::new(fr, en))
}

fn join_path(path: &str, field: &str) -> String {
    if path == field || path.ends_with(&format!(".{field}")) {
        path.to_owned()
    } else if path.is_empty() || path == "." {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// Error handler for `web::Query`: a 400 naming the parameter.
pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = error.to_string();
    ApiError::BadRequest(Text::new(
        format!("Paramètres de requête invalides : {message}."),
        format!("Invalid query parameters: {message}."),
    ))
    .into()
}

/// Error handler for `web::Path`: ids are whole numbers.
pub fn path_error(_error: PathError, req: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(Text::new(
        format!(
            "Adresse invalide « {} » : les identifiants sont des nombres entiers.",
            req.path()
        ),
        format!("Invalid address \"{}\": ids are whole numbers.", req.path()),
    ))
    .into()
}

/// Registers the query handler above (the app registers the path one, which needs to
/// know the routes).
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(query_error)
}

/// For PATCH bodies: tells an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        items: Option<Vec<Item>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        label: String,
    }

    fn field_error(body: &str) -> FieldError {
        match decode_json::<Body>(body.as_bytes()) {
            Err(ApiError::Validation(mut errors)) => errors.remove(0),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            decode_json::<Body>(b"{\"title\": "),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            decode_json::<Body>(br#"{"title": "x"} trailing"#),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let error = field_error(r#"{"title": "x", "titel": "y"}"#);
        assert_eq!((error.field.as_str(), error.code), ("titel", ErrorCode::UnknownField));
        let error = field_error(r#"{}"#);
        assert_eq!((error.field.as_str(), error.code), ("title", ErrorCode::Required));
        let error = field_error(r#"{"title": "x", "items": [{"label": "a"}, {"label": 3}]}"#);
        assert_eq!(
            (error.field.as_str(), error.code),
            ("items[1].label", ErrorCode::InvalidType)
        );
    }

    #[test]
    fn a_number_without_fraction_is_an_integer() {
        #[derive(Debug, Deserialize)]
        struct Counted {
            done: i32,
        }
        let counted: Counted = decode_json(br#"{"done": 6.0}"#).unwrap();
        assert_eq!(counted.done, 6);
        assert!(matches!(
            decode_json::<Counted>(br#"{"done": 6.5}"#),
            Err(ApiError::Validation(_))
        ));
    }

    #[test]
    fn a_nul_character_is_refused_with_its_field() {
        let error = field_error("{\"title\": \"x\", \"items\": [{\"label\": \"a\\u0000b\"}]}");
        assert_eq!(
            (error.field.as_str(), error.code),
            ("items[0].label", ErrorCode::NulCharacter)
        );
    }
}
