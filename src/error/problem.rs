//! An `ApiError` as an RFC 9457 problem document, in the client's language.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, FieldError};
use crate::etag::etag;
use crate::i18n::{Lang, Text};

/// "L'action 12 est introuvable." / "Action 12 was not found."
fn not_found(entity: crate::entity::Entity, id: i64) -> Text {
    let (fr, en) = entity.names();
    Text::new(
        format!("{fr} {id} est introuvable."),
        format!("{en} {id} was not found."),
    )
}

impl ApiError {
    /// Problem type, title and detail for this error.
    fn parts(&self) -> (&'static str, Text, Text) {
        match self {
            ApiError::NotFound { entity, id } => (
                "not-found",
                Text::new("Ressource introuvable", "Resource not found"),
                not_found(*entity, *id),
            ),
            ApiError::Missing(text) => (
                "not-found",
                Text::new("Ressource introuvable", "Resource not found"),
                text.clone(),
            ),
            ApiError::RouteNotFound => (
                "not-found",
                Text::new("Ressource introuvable", "Resource not found"),
                Text::new(
                    "Aucune ressource à cette adresse. La liste des routes est à /docs.",
                    "Nothing at this address. The routes are listed at /docs.",
                ),
            ),
            ApiError::MethodNotAllowed { method, allow } => (
                "method-not-allowed",
                Text::new("Méthode non permise", "Method not allowed"),
                Text::new(
                    format!("Cette adresse n'accepte pas {method} ; elle accepte : {allow}."),
                    format!("This address does not accept {method}; it accepts: {allow}."),
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
            ApiError::ContentTooLarge(detail) => (
                "content-too-large",
                Text::new("Contenu trop volumineux", "Content too large"),
                detail.clone(),
            ),
            ApiError::UriTooLong { limit } => (
                "uri-too-long",
                Text::new("Adresse trop longue", "URI too long"),
                Text::new(
                    format!("L'adresse de la requête dépasse {limit} octets. Raccourcissez les paramètres de requête."),
                    format!("The request's address is over {limit} bytes. Shorten the query parameters."),
                ),
            ),
            ApiError::HeadersTooLarge => (
                "headers-too-large",
                Text::new("En-têtes trop volumineux", "Request headers too large"),
                Text::new(
                    "Les en-têtes de la requête dépassent ce que le serveur lit. Retirez les témoins (cookies) ou en-têtes superflus.",
                    "The request's headers are larger than the server reads. Remove needless cookies or headers.",
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
            ApiError::Unavailable(why) => (
                "unavailable",
                Text::new("Service indisponible", "Service unavailable"),
                Text::new(
                    format!(
                        "La base de données ne répond pas ({}). Réessayez dans un moment.",
                        why.fr
                    ),
                    format!("The database is not answering ({}). Try again in a moment.", why.en),
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
                        code: e.code,
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
        let mut response = HttpResponse::build(self.status_code());
        response
            .content_type("application/problem+json")
            .insert_header(("Content-Language", lang.code()));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header(("WWW-Authenticate", "Bearer realm=\"planaction\""));
            }
            ApiError::PreconditionFailed { current_version } => {
                response.insert_header(("ETag", etag(*current_version)));
            }
            ApiError::TooManyRequests { retry_after } => {
                response.insert_header(("Retry-After", retry_after.to_string()));
            }
            ApiError::Unavailable(_) => {
                response.insert_header(("Retry-After", UNAVAILABLE_RETRY_SECONDS.to_string()));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                response.insert_header(("Allow", allow.as_str()));
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

/// How long a client should wait when the database does not answer.
const UNAVAILABLE_RETRY_SECONDS: u64 = 5;

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound { .. } | ApiError::RouteNotFound | ApiError::Missing(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } | ApiError::ContentTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
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
    /// Stable machine code, one of `ErrorCode`: `required`, `too_long`, `out_of_range`…
    pub code: crate::error::ErrorCode,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::Entity;

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
