//! The OpenAPI document: paths come from the routes themselves (utoipa-actix-web);
//! the error responses every operation can give are added here by one rule.

mod headers;
mod rules;

use serde_json::json;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::error::ProblemDetails;
use crate::i18n::Lang;
use crate::security::permissions::{Permission, Refusal};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Planaction",
        description = "Suivi du plan d'action annuel du Réseau québécois de développement social (RQDS) : \
plan → orientations → objectifs → actions, avec leur échéancier (deadlines) et leur état d'avancement (status).\n\n\
Errors are `application/problem+json` (RFC 9457), in French by default and in English with `Accept-Language: en`.\n\n\
Text fields are plain text; `*emphasis*` marks the italic titles of the plan document, and HTML is refused.\n\n\
Sign in with `POST /api/v1/auth/login`, then send `Authorization: Bearer <access_token>`; another system sends an API \
token instead (`Authorization: Bearer pat_…`, made with `POST /api/v1/me/api-tokens`), with the same permissions, `read` \
tokens making GET requests only. Each operation says which roles may call it. Changes (`PATCH`, `DELETE`, status updates) need `If-Match` with the ETag read from the item: a stale one gets 412, \
a missing one 428; `*` accepts any current version, and weak tags (`W/\"3\"`) never match, as RFC 9110 has it. \
A path asked with a method it does not take answers 405 with `Allow`; `OPTIONS` lists them; `HEAD` works wherever `GET` does."
    ),
    tags(
        (name = "plans", description = "Plans d'action, their whole tree, and importing a plan document"),
        (name = "orientations", description = "Orientations: the numbered strategic directions of a plan"),
        (name = "objectives", description = "Objectifs of an orientation"),
        (name = "actions", description = "Actions of an objective, with their status (état d'avancement); search across plans"),
        (name = "deadlines", description = "Échéancier: deadline labels as written"),
        (name = "glossary", description = "Liste des sigles et acronymes"),
        (name = "status updates", description = "Status history (état d'avancement) of actions"),
        (name = "comments", description = "Comments on actions"),
        (name = "auth", description = "Sign-in, token refresh, sign-out, password reset and change"),
        (name = "notifications", description = "What each person receives by email, and how often; one-click unsubscribe"),
        (name = "users", description = "Accounts and roles (admin)"),
        (name = "calendar", description = "Calendar feeds (iCalendar) of a plan's échéanciers or of one's own actions, at a secret address"),
        (name = "webhooks", description = "Signed webhooks (Standard Webhooks) for other systems: endpoints, their log, redelivery (admin)"),
        (name = "tokens", description = "API tokens (`pat_…`) for other systems, and service accounts that cannot sign in"),
        (name = "audit", description = "Audit trail of every change (admin)"),
        (name = "reports", description = "The monthly progress report for the meetings with the ministry (MESS)"),
        (name = "health", description = "Liveness and readiness probes"),
    ),
    servers((url = "/", description = "The server that serves this document")),
    components(schemas(ProblemDetails, Lang, crate::entity::Entity, crate::reports::dto::CsvSeparator))
)]
pub struct ApiDoc;

/// Completes the document once every route is in it.
pub fn finish(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    ProblemResponses.modify(&mut document);
    headers::document(&mut document);
    if let Err(error) = rules::document(&mut document) {
        tracing::error!(%error, "a field rule names nothing in the OpenAPI document");
    }
    document
}

/// A shared response: (component name, status, description, example detail).
const PROBLEMS: [(&str, u16, &str, &str); 15] = [
    (
        "Unauthorized",
        401,
        "No valid access token (missing, expired, signed with another key, or the account is deactivated)",
        "Connexion requise : envoyez « Authorization: Bearer <jeton> », obtenu avec POST /api/v1/auth/login.",
    ),
    (
        "Forbidden",
        403,
        "The caller's role does not allow this operation, or a read-only API token asks for a change",
        "Votre rôle (partenaire observateur) ne permet pas de modifier les plans et leur structure.",
    ),
    (
        "Hidden",
        404,
        "No such resource, or one the caller may not see",
        "Le compte 3 est introuvable.",
    ),
    (
        "PreconditionFailed",
        412,
        "The item changed since it was read: `current_version` and the `ETag` header give its version now",
        "Quelqu'un a modifié cet élément depuis votre lecture : la version actuelle est 4. Rechargez-le, refaites votre modification et renvoyez-la avec If-Match: \"4\".",
    ),
    (
        "PreconditionRequired",
        428,
        "`If-Match` is missing",
        "Envoyez l'en-tête If-Match avec l'ETag reçu en lisant l'élément, pour ne pas écraser la modification d'une autre personne.",
    ),
    (
        "TooManyRequests",
        429,
        "Too many failed sign-ins; `Retry-After` says when to try again",
        "Trop de tentatives de connexion échouées. Réessayez dans 900 secondes.",
    ),
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
        "The change collides with existing data, or the plan is closed (read only)",
        "Ce sigle existe déjà dans ce plan.",
    ),
    (
        "PayloadTooLarge",
        413,
        "Body over the size limit",
        "Le corps de la requête dépasse la limite de 262144 octets.",
    ),
    (
        "UriTooLong",
        414,
        "Request target (path and query) over 8 KiB",
        "L'adresse de la requête dépasse 8192 octets. Raccourcissez les paramètres de requête.",
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
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("The access token of `POST /api/v1/auth/login` (15 minutes)."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pat")
                    .description(Some(
                        "An API token (`pat_…`, `POST /api/v1/me/api-tokens`): its owner's permissions; a `read` token makes GET requests only.",
                    ))
                    .build(),
            ),
        );
        for (name, status, description, detail) in PROBLEMS {
            let example = json!({
                "type": "urn:planaction:problem:example",
                "title": description,
                "status": status,
                "detail": detail,
            });
            let mut response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(ProblemDetails::name())))
                        .example(Some(example))
                        .build(),
                )
                .build();
            if matches!(status, 429 | 503) {
                response.headers.insert(
                    "Retry-After".to_owned(),
                    RefOr::T(
                        utoipa::openapi::HeaderBuilder::new()
                            .schema(Some(
                                utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer),
                            ))
                            .description(Some("Seconds to wait before trying again."))
                            .build(),
                    ),
                );
            }
            components.responses.insert(name.to_owned(), RefOr::T(response));
        }
        for (path, method, operation) in headers::operations(openapi) {
            add_problems(method, &path, operation);
        }
    }
}

/// What a handler's signature asked for, as `#[endpoint]` wrote it (`x-planaction`):
/// taken out of the operation, and the permission put back as `x-permission` with the
/// roles that hold it.
fn handler_needs(operation: &mut Operation) -> (Option<(Permission, Refusal)>, bool) {
    let needs = operation.extensions.as_mut().and_then(|e| e.remove("x-planaction"));
    let needs = needs.unwrap_or_default();
    let permission = needs["permission"].as_str().and_then(Permission::from_name);
    let refusal = if needs["hidden"] == json!(true) {
        Refusal::Hidden
    } else {
        Refusal::Forbidden
    };
    let rule = permission.map(|p| (p, refusal));
    if let Some((permission, refusal)) = rule {
        let roles: Vec<&str> = permission.roles().iter().map(|r| r.as_str()).collect();
        let value = json!({
            "permission": permission.name(),
            "roles": roles,
            "refused_with": if refusal == Refusal::Hidden { 404 } else { 403 },
        });
        operation
            .extensions
            .get_or_insert_with(Default::default)
            .insert("x-permission".to_owned(), value);
    } else if operation.extensions.as_ref().is_some_and(|e| e.is_empty()) {
        operation.extensions = None;
    }
    (rule, needs["if_match"] == json!(true))
}

/// Security, roles, `If-Match`, and the problems an operation can answer, from its shape.
fn add_problems(method: &str, path: &str, operation: &mut Operation) {
    let operation_id = operation.operation_id.clone().unwrap_or_default();
    let (rule, if_match) = handler_needs(operation);
    if let Some((permission, _)) = rule {
        // Either scheme: a signed-in person's token or an API token.
        operation.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("api_token", Vec::<String>::new()),
        ]);
        let roles: Vec<&str> = permission.roles().iter().map(|r| r.as_str()).collect();
        let note = format!("**Roles:** {} ({}).", roles.join(", "), permission.describe().en);
        let description = match operation.description.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => format!("{text}\n\n{note}"),
            _ => note,
        };
        operation.description = Some(description);
    }
    if if_match {
        let parameter = ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(
                "The ETag received when reading the item, e.g. `\"3\"` (a list of them, or `*` for any current version).",
            ))
            .schema(Some(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::Type::String)
                    .pattern(Some(crate::etag::IF_MATCH_PATTERN)),
            ))
            .build();
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::T(parameter));
    }
    // OpenAPI requires a description on every response: the status's own words where
    // the route gave none.
    for (status, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.trim().is_empty()
        {
            let reason = status
                .parse::<u16>()
                .ok()
                .and_then(|code| actix_web::http::StatusCode::from_u16(code).ok())
                .and_then(|code| code.canonical_reason())
                .unwrap_or("Success");
            response.description = reason.to_owned();
        }
    }
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
    let hidden = matches!(rule, Some((_, Refusal::Hidden)));
    add("400", "BadRequest", is_api);
    add(
        "401",
        "Unauthorized",
        rule.is_some() || matches!(operation_id.as_str(), "login" | "refresh"),
    );
    // A role without the permission; or, for any change, a read-only API token (even where
    // a role without the permission gets 404).
    add(
        "403",
        "Forbidden",
        rule.is_some_and(|(_, refusal)| refusal == Refusal::Forbidden)
            || (rule.is_some() && !matches!(method, "get" | "head")),
    );
    add("404", "Hidden", hidden);
    // A query naming a plan that is looked up (the context of a deadline label).
    add(
        "404",
        "NotFound",
        has_path_id
            || matches!(
                operation_id.as_str(),
                "parse_deadline" | "unsubscribe" | "role_defaults" | "set_role_defaults"
            ),
    );
    add(
        "409",
        "Conflict",
        // Every change of a plan can meet a closed plan; creations, existing data.
        matches!(method, "post" | "patch" | "delete") && rule.is_some(),
    );
    add("412", "PreconditionFailed", if_match);
    add("428", "PreconditionRequired", if_match);
    add(
        "429",
        "TooManyRequests",
        matches!(operation_id.as_str(), "login" | "request_reset" | "change_password"),
    );
    add("413", "PayloadTooLarge", has_body);
    add("414", "UriTooLong", has_query);
    add("415", "UnsupportedMediaType", has_body);
    add("422", "UnprocessableEntity", has_body || has_query);
    add("500", "InternalError", true);
    add("503", "ServiceUnavailable", is_api || path == "/readyz");
}
