//! The one error type of the API, rendered once as `application/problem+json` (RFC 9457).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{Lang, Text};

pub type ApiResult<T> = Result<T, ApiError>;

/// The resources of the API, named in both languages for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    Plan,
    Orientation,
    Objective,
    Action,
    Deadline,
    GlossaryEntry,
    User,
    Comment,
    Event,
    Report,
}

impl Entity {
    /// "L'action 12 est introuvable." / "Action 12 was not found."
    fn not_found(self, id: i64) -> Text {
        let (fr, en) = match self {
            Entity::Plan => ("Le plan", "Plan"),
            Entity::Orientation => ("L'orientation", "Orientation"),
            Entity::Objective => ("L'objectif", "Objective"),
            Entity::Action => ("L'action", "Action"),
            Entity::Deadline => ("L'échéance", "Deadline"),
            Entity::GlossaryEntry => ("Le sigle", "Glossary entry"),
            Entity::User => ("Le compte", "Account"),
            Entity::Comment => ("Le commentaire", "Comment"),
            Entity::Event => ("L'événement", "Event"),
            Entity::Report => ("Le rapport", "Report"),
        };
        Text::new(
            format!("{fr} {id} est introuvable."),
            format!("{en} {id} was not found."),
        )
    }
}

/// One thing wrong with the request, tied to the field that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: Text) -> Self {
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
    #[error("bad request: {}", .0.en)]
    BadRequest(Text),
    #[error("invalid fields: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("conflict: {}", .0.en)]
    Conflict(Text),
    #[error("payload over {limit} bytes")]
    PayloadTooLarge { limit: usize },
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
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("client error {0}")]
    OtherClientError(StatusCode),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn not_found(entity: Entity, id: i64) -> Self {
        ApiError::NotFound { entity, id }
    }

    pub fn invalid(field: impl Into<String>, code: &'static str, message: Text) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// Problem type, title and detail for this error.
    fn parts(&self) -> (&'static str, Text, Text) {
        match self {
            ApiError::NotFound { entity, id } => (
                "not-found",
                Text::new("Ressource introuvable", "Resource not found"),
                entity.not_found(*id),
            ),
            ApiError::RouteNotFound => (
                "not-found",
                Text::new("Ressource introuvable", "Resource not found"),
                Text::new(
                    "Aucune ressource à cette adresse. La liste des routes est à /docs.",
                    "Nothing at this address. The routes are listed at /docs.",
                ),
            ),
            ApiError::BadRequest(detail) => (
                "bad-request",
                Text::new("Requête invalide", "Bad request"),
                detail.clone(),
            ),
            ApiError::Validation(errors) => (
                "validation",
                Text::new("Données invalides", "Invalid data"),
                validation_detail(errors),
            ),
            ApiError::Conflict(detail) => ("conflict", Text::new("Conflit", "Conflict"), detail.clone()),
            ApiError::PayloadTooLarge { limit } => (
                "payload-too-large",
                Text::new("Contenu trop volumineux", "Payload too large"),
                Text::new(
                    format!("Le corps de la requête dépasse la limite de {limit} octets."),
                    format!("The request body is over the {limit}-byte limit."),
                ),
            ),
            ApiError::UnsupportedMediaType(detail) => (
                "unsupported-media-type",
                Text::new("Type de contenu non pris en charge", "Unsupported media type"),
                detail.clone(),
            ),
            ApiError::Unauthorized(detail) => (
                "unauthorized",
                Text::new("Authentification requise", "Authentication required"),
                detail.clone(),
            ),
            ApiError::Forbidden(detail) => (
                "forbidden",
                Text::new("Action non permise", "Not allowed"),
                detail.clone(),
            ),
            ApiError::PreconditionFailed { current_version } => (
                "stale-version",
                Text::new("Version périmée", "Stale version"),
                Text::new(
                    format!(
                        "Quelqu'un a modifié cet élément depuis votre lecture : la version actuelle est {current_version}. Rechargez-le, refaites votre modification et renvoyez-la avec If-Match: \"{current_version}\"."
                    ),
                    format!(
                        "Someone changed this item since you read it: the current version is {current_version}. Reload it, redo your change and send it with If-Match: \"{current_version}\"."
                    ),
                ),
            ),
            ApiError::PreconditionRequired => (
                "precondition-required",
                Text::new("En-tête If-Match requis", "If-Match header required"),
                Text::new(
                    "Envoyez l'en-tête If-Match avec l'ETag reçu en lisant l'élément, pour ne pas écraser la modification d'une autre personne.",
                    "Send the If-Match header with the ETag you received when reading the item, so as not to overwrite someone else's change.",
                ),
            ),
            ApiError::TooManyRequests { retry_after } => (
                "too-many-requests",
                Text::new("Trop de tentatives", "Too many attempts"),
                Text::new(
                    format!("Trop de tentatives de connexion échouées. Réessayez dans {retry_after} secondes."),
                    format!("Too many failed sign-in attempts. Try again in {retry_after} seconds."),
                ),
            ),
            ApiError::Unavailable(_) => (
                "unavailable",
                Text::new("Service indisponible", "Service unavailable"),
                Text::new(
                    "La base de données ne répond pas. Réessayez dans un moment.",
                    "The database is not answering. Try again in a moment.",
                ),
            ),
            ApiError::OtherClientError(status) => (
                "client-error",
                Text::new("Requête refusée", "Request refused"),
                Text::new(
                    format!("La requête a été refusée ({}).", status.as_u16()),
                    format!("The request was refused ({status})."),
                ),
            ),
            ApiError::Internal(_) => (
                "internal",
                Text::new("Erreur interne", "Internal error"),
                Text::new(
                    "Une erreur interne est survenue; elle a été journalisée. Réessayez ou contactez la coordination.",
                    "An internal error occurred and was logged. Try again or contact the coordination.",
                ),
            ),
        }
    }

    /// The problem document in the given language.
    pub fn problem(&self, lang: Lang, instance: Option<&str>) -> ProblemDetails {
        let (kind, title, detail) = self.parts();
        let errors = match self {
            ApiError::Validation(errors) => Some(
                errors
                    .iter()
                    .map(|e| ProblemField {
                        field: e.field.clone(),
                        code: e.code.to_owned(),
                        message: e.message.get(lang).to_owned(),
                    })
                    .collect(),
            ),
            _ => None,
        };
        let current_version = match self {
            ApiError::PreconditionFailed { current_version } => Some(*current_version),
            _ => None,
        };
        ProblemDetails {
            problem_type: format!("urn:planaction:problem:{kind}"),
            current_version,
            title: title.get(lang).to_owned(),
            status: self.status_code().as_u16(),
            detail: detail.get(lang).to_owned(),
            instance: instance.map(str::to_owned),
            errors,
        }
    }

    pub fn render(&self, lang: Lang, instance: Option<&str>) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response
            .content_type("application/problem+json")
            .insert_header(("Content-Language", lang.code()));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header(("WWW-Authenticate", "Bearer realm=\"planaction\""));
            }
            ApiError::PreconditionFailed { current_version } => {
                response.insert_header(("ETag", crate::etag::etag(*current_version)));
            }
            ApiError::TooManyRequests { retry_after } => {
                response.insert_header(("Retry-After", retry_after.to_string()));
            }
            _ => {}
        }
        response.json(self.problem(lang, instance))
    }
}

fn validation_detail(errors: &[FieldError]) -> Text {
    match errors {
        [only] => only.message.clone(),
        _ => Text::new(
            format!("{} champs sont à corriger : voir « errors ».", errors.len()),
            format!("{} fields need fixing: see \"errors\".", errors.len()),
        ),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound { .. } | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::OtherClientError(status) => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    // French here; the `problem_details` middleware re-renders in the client's language.
    fn error_response(&self) -> HttpResponse {
        self.render(Lang::Fr, None)
    }
}

/// RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:planaction:problem:validation",
    "title": "Données invalides",
    "status": 422,
    "detail": "Le titre est obligatoire.",
    "instance": "/api/v1/objectives/4/actions",
    "errors": [{"field": "title", "code": "required", "message": "Le titre est obligatoire."}]
}))]
pub struct ProblemDetails {
    /// URI naming the kind of problem (`urn:planaction:problem:<kind>`).
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    /// What went wrong and what to do about it, in the requested language.
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// For 412: the version the item has now (its ETag is in the `ETag` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i32>,
    /// For 422: every invalid field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// Path of the field in the request (`title`, `deadlines[1].label`, `q`).
    pub field: String,
    /// Stable machine code: `required`, `too_long`, `out_of_range`, `unknown_field`…
    pub code: String,
    pub message: String,
}

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().unwrap_or("");
                match kind {
                    DatabaseErrorKind::UniqueViolation => unique_violation(constraint),
                    DatabaseErrorKind::ForeignKeyViolation => ApiError::invalid(
                        column_of(constraint, "_fkey"),
                        "unknown_reference",
                        Text::new(
                            "Cette référence ne désigne aucun élément existant.",
                            "This reference points to nothing that exists.",
                        ),
                    ),
                    DatabaseErrorKind::CheckViolation => ApiError::invalid(
                        column_of(constraint, "_check"),
                        "invalid",
                        Text::new(
                            "Valeur refusée par les règles du plan.",
                            "Value refused by the plan's rules.",
                        ),
                    ),
                    DatabaseErrorKind::NotNullViolation => ApiError::invalid(
                        info.column_name().unwrap_or("").to_owned(),
                        "required",
                        Text::new("Ce champ est obligatoire.", "This field is required."),
                    ),
                    DatabaseErrorKind::ClosedConnection => ApiError::Unavailable(error.to_string()),
                    _ => ApiError::Internal(error.into()),
                }
            }
            _ => ApiError::Internal(error.into()),
        }
    }
}

fn unique_violation(constraint: &str) -> ApiError {
    let message = if constraint == "users_email_key" {
        Text::new(
            "Un compte existe déjà avec cette adresse courriel.",
            "An account already exists with this email address.",
        )
    } else if constraint == "action_assignees_pkey" {
        Text::new(
            "Ce compte est déjà assigné à cette action.",
            "This account is already assigned to this action.",
        )
    } else if constraint == "plan_events_plan_name_key" {
        Text::new(
            "Un événement de ce nom existe déjà dans ce plan.",
            "An event with this name already exists in this plan.",
        )
    } else if constraint.starts_with("glossary_entries") {
        Text::new(
            "Ce sigle existe déjà dans ce plan.",
            "This acronym already exists in this plan.",
        )
    } else if constraint.ends_with("position_key") {
        Text::new(
            "Cette position vient d'être prise par une autre modification. Rechargez et réessayez.",
            "This position was just taken by another change. Reload and try again.",
        )
    } else {
        Text::new("Cet élément existe déjà.", "This item already exists.")
    };
    ApiError::Conflict(message)
}

/// `actions_objective_id_fkey` → `objective_id`, `plans_title_check` → `title`.
fn column_of(constraint: &str, suffix: &str) -> String {
    let stem = constraint.strip_suffix(suffix).unwrap_or(constraint);
    for table in [
        "glossary_entries_",
        "status_updates_",
        "comments_",
        "users_",
        "orientations_",
        "objectives_",
        "deadlines_",
        "actions_",
        "plans_",
    ] {
        if let Some(column) = stem.strip_prefix(table) {
            return column.to_owned();
        }
    }
    stem.to_owned()
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        ApiError::Unavailable(error.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_names_give_the_field() {
        assert_eq!(column_of("actions_objective_id_fkey", "_fkey"), "objective_id");
        assert_eq!(column_of("plans_title_check", "_check"), "title");
        assert_eq!(column_of("plans_period_check", "_check"), "period");
        assert_eq!(column_of("glossary_entries_plan_id_fkey", "_fkey"), "plan_id");
    }

    #[test]
    fn problems_speak_both_languages() {
        let error = ApiError::not_found(Entity::Action, 12);
        assert_eq!(error.problem(Lang::Fr, None).detail, "L'action 12 est introuvable.");
        assert_eq!(error.problem(Lang::En, None).detail, "Action 12 was not found.");
        assert_eq!(error.problem(Lang::En, None).status, 404);
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let error = ApiError::Internal(anyhow::anyhow!("password=hunter2 in connection string"));
        let problem = error.problem(Lang::Fr, Some("/x"));
        assert!(!problem.detail.contains("hunter2"));
        assert_eq!(problem.status, 500);
    }
}
