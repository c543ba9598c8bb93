//! The OpenAPI document: paths come from the routes themselves (utoipa-actix-web);
//! the error responses every operation can give are added here by one rule.

use serde_json::json;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::error::ProblemDetails;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Planaction",
        description = "Suivi du plan d'action annuel du Réseau québécois de développement social (RQDS) : \
plan → orientations → objectifs → actions, avec leur échéancier (deadlines) et leur état d'avancement (status).\n\n\
Errors are `application/problem+json` (RFC 9457), in French by default and in English with `Accept-Language: en`.\n\n\
Text fields are plain text; `*emphasis*` marks the italic titles of the plan document, and HTML is refused."
    ),
    tags(
        (name = "plans", description = "Plans d'action, their whole tree, and importing a plan document"),
        (name = "orientations", description = "Orientations: the numbered strategic directions of a plan"),
        (name = "objectives", description = "Objectifs of an orientation"),
        (name = "actions", description = "Actions of an objective, with their status (état d'avancement); search across plans"),
        (name = "deadlines", description = "Échéancier: deadline labels as written"),
        (name = "glossary", description = "Liste des sigles et acronymes"),
        (name = "health", description = "Liveness and readiness probes"),
    ),
    components(schemas(ProblemDetails))
)]
pub struct ApiDoc;

/// Completes the document once every route is in it.
pub fn finish(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    ProblemResponses.modify(&mut document);
    document
}

/// A shared response: (component name, status, description, example detail).
const PROBLEMS: [(&str, u16, &str, &str); 8] = [
    (
        "BadRequest",
        400,
        "Malformed request: bad JSON, query or path",
        "Le JSON est mal formé (ligne 1, colonne 12). Vérifiez les guillemets, virgules et accolades.",
    ),
    ("NotFound", 404, "No such resource", "L'action 12 est introuvable."),
    (
        "Conflict",
        409,
        "The change collides with existing data",
        "Ce sigle existe déjà dans ce plan.",
    ),
    (
        "PayloadTooLarge",
        413,
        "Body over the size limit",
        "Le corps de la requête dépasse la limite de 262144 octets.",
    ),
    (
        "UnsupportedMediaType",
        415,
        "Wrong Content-Type",
        "Envoyez le corps en JSON avec l'en-tête « Content-Type: application/json ».",
    ),
    (
        "UnprocessableEntity",
        422,
        "Invalid fields, listed in `errors`",
        "Le champ « title » est obligatoire et ne peut pas être vide.",
    ),
    (
        "InternalError",
        500,
        "Unexpected server error (logged; no cause is shown)",
        "Une erreur interne est survenue; elle a été journalisée. Réessayez ou contactez la coordination.",
    ),
    (
        "ServiceUnavailable",
        503,
        "The database does not answer",
        "La base de données ne répond pas. Réessayez dans un moment.",
    ),
];

struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, status, description, detail) in PROBLEMS {
            let example = json!({
                "type": "urn:planaction:problem:example",
                "title": description,
                "status": status,
                "detail": detail,
            });
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(ProblemDetails::name())))
                        .example(Some(example))
                        .build(),
                )
                .build();
            components.responses.insert(name.to_owned(), RefOr::T(response));
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                add_problems(path, operation);
            }
        }
    }
}

/// Which problems an operation can answer, from its shape.
fn add_problems(path: &str, operation: &mut Operation) {
    let is_api = path.starts_with("/api/");
    let has_path_id = path.contains('{');
    let has_body = operation.request_body.is_some();
    let has_query = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)));
    let mut add = |status: &str, name: &str, when: bool| {
        if when {
            operation
                .responses
                .responses
                .entry(status.to_owned())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
        }
    };
    add("400", "BadRequest", is_api);
    add("404", "NotFound", has_path_id);
    add("413", "PayloadTooLarge", has_body);
    add("415", "UnsupportedMediaType", has_body);
    add("422", "UnprocessableEntity", has_body || has_query);
    add("500", "InternalError", true);
    add("503", "ServiceUnavailable", is_api || path == "/readyz");
}
