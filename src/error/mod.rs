//! The one error type of the API. `problem` renders it as `application/problem+json`
//! (RFC 9457); `database` maps what PostgreSQL refuses to it.

mod code;
mod database;
mod problem;

pub use code::ErrorCode;
pub use problem::{ProblemDetails, ProblemField};

use actix_web::http::StatusCode;
use diesel::result::Error as DieselError;

pub use crate::entity::Entity;
use crate::etag::PreconditionError;
use crate::i18n::Text;

pub type ApiResult<T> = Result<T, ApiError>;

/// One thing wrong with the request, tied to the field that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorCode,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ErrorCode, message: Text) -> Self {
        FieldError {
            field: field.into(),
            code,
            message,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{entity:?} {id} not found")]
    NotFound { entity: Entity, id: i64 },
    #[error("no route")]
    RouteNotFound,
    /// Nothing answers to what the request names (a link's token), as its text says.
    #[error("not found: {}", .0.en)]
    Missing(Text),
    /// The path exists, not with this method; `allow` lists the methods it has.
    #[error("method not allowed; allowed: {allow}")]
    MethodNotAllowed { method: String, allow: String },
    #[error("bad request: {}", .0.en)]
    BadRequest(Text),
    #[error("invalid fields: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("conflict: {}", .0.en)]
    Conflict(Text),
    #[error("payload over {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// An upload past one of the limits that hold while it is read (`upload`).
    #[error("content too large: {}", .0.en)]
    ContentTooLarge(Text),
    #[error("request target over {limit} bytes")]
    UriTooLong { limit: usize },
    /// The request head is larger than the server reads (actix-http's buffer).
    #[error("request head too large")]
    HeadersTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType(Text),
    #[error("unauthenticated: {}", .0.en)]
    Unauthorized(Text),
    #[error("forbidden: {}", .0.en)]
    Forbidden(Text),
    /// The `If-Match` version is not the current one.
    #[error("stale version; current is {current_version}")]
    PreconditionFailed { current_version: i32 },
    #[error("If-Match missing")]
    PreconditionRequired,
    #[error("too many attempts; retry after {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    #[error("database unavailable: {}", .0.en)]
    Unavailable(Text),
    #[error("client error {0}")]
    OtherClientError(StatusCode),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// Logs what the operator must see (a bug, an unreachable database); the client's
    /// own mistakes are not logged. Called once wherever an error becomes a response.
    pub fn log(&self) {
        match self {
            ApiError::Internal(cause) => tracing::error!(error = format!("{cause:#}"), "internal error"),
            ApiError::Unavailable(why) => tracing::warn!(reason = %why.en, "database unavailable"),
            _ => {}
        }
    }

    pub fn not_found(entity: Entity, id: i64) -> Self {
        ApiError::NotFound { entity, id }
    }

    pub fn invalid(field: impl Into<String>, code: ErrorCode, message: Text) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }
}

impl From<PreconditionError> for ApiError {
    fn from(error: PreconditionError) -> Self {
        match error {
            PreconditionError::Missing => ApiError::PreconditionRequired,
            PreconditionError::Stale { current_version } => ApiError::PreconditionFailed { current_version },
            PreconditionError::Malformed(value) => ApiError::BadRequest(Text::new(
                format!(
                    "If-Match « {value} » n'est pas un ETag de Planaction : renvoyez tel quel l'en-tête ETag reçu (par exemple \"3\")."
                ),
                format!(
                    "If-Match \"{value}\" is not a Planaction ETag: send back the ETag header you received as is (for example \"3\")."
                ),
            )),
        }
    }
}

/// `query.optional()` → 404 for the given entity.
pub trait OrNotFound<T> {
    fn or_not_found(self, entity: Entity, id: i64) -> ApiResult<T>;
}

impl<T> OrNotFound<T> for Result<T, DieselError> {
    fn or_not_found(self, entity: Entity, id: i64) -> ApiResult<T> {
        match self {
            Ok(value) => Ok(value),
            Err(DieselError::NotFound) => Err(ApiError::not_found(entity, id)),
            Err(other) => Err(other.into()),
        }
    }
}
