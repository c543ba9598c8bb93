//! The response headers a client acts on, and the links that chain them: `ETag` on every
//! read and write of a versioned item (its schema has a `version`), `Location` on 201,
//! `Retry-After` on 429 and 503, `Content-Disposition` on files; and from each read or
//! creation of an item, links to the operations that need its ETag in `If-Match`.

use std::collections::{BTreeMap, BTreeSet};

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ObjectBuilder, OpenApi, RefOr, Response, Schema, Type};

fn header(description: &str, example: &str) -> RefOr<Header> {
    RefOr::T(
        HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .description(Some(description))
            .example(Some(example.into()))
            .build(),
    )
}

fn etag() -> RefOr<Header> {
    header(
        "The item's version, to send back in `If-Match` when changing it.",
        "\"3\"",
    )
}

/// Responses that carry a versioned item inside, and its ETag: a plan with its last
/// change, an action with the history entry just written.
const CARRIERS: [&str; 2] = ["PlanView", "StatusUpdateResult"];

/// The schemas whose items have a version: they are read and written with ETags.
fn versioned(document: &OpenApi) -> BTreeSet<String> {
    let Some(components) = &document.components else {
        return BTreeSet::new();
    };
    components
        .schemas
        .iter()
        .filter(|(name, schema)| {
            CARRIERS.contains(&name.as_str())
                || matches!(schema, RefOr::T(Schema::Object(object)) if object.properties.contains_key("version"))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The schema a JSON response names (`#/components/schemas/X` → X), if one.
fn json_schema(response: &Response) -> Option<String> {
    let content = response.content.get("application/json")?;
    let RefOr::T(content) = content else { return None };
    match content.schema.as_ref()? {
        RefOr::Ref(reference) => reference.ref_location.rsplit('/').next().map(str::to_owned),
        RefOr::T(_) => None,
    }
}

/// Every operation of the document, with its path and method.
pub fn operations(document: &mut OpenApi) -> Vec<(String, &'static str, &mut Operation)> {
    let mut all = Vec::new();
    for (path, item) in document.paths.paths.iter_mut() {
        let methods = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation {
                all.push((path.clone(), method, operation));
            }
        }
    }
    all
}

/// Adds the headers, then the links.
pub fn document(document: &mut OpenApi) {
    let versioned = versioned(document);
    // Item path (`/api/v1/actions/{id}`) of each versioned schema: where it is read alone.
    let mut item_paths: BTreeMap<String, String> = BTreeMap::new();
    // Operations that need an ETag, by path: (operation id, path).
    let mut etag_takers: Vec<(String, String)> = Vec::new();
    for (path, method, operation) in operations(document) {
        let operation_id = operation.operation_id.clone().unwrap_or_default();
        // `If-Match` was documented from the handler's `Precondition` (`add_problems`).
        let takes_if_match = operation.parameters.iter().flatten().any(|p| {
            matches!(p, RefOr::T(p) if p.name == "If-Match" && matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Header))
        });
        if takes_if_match {
            etag_takers.push((operation_id.clone(), path.clone()));
        }
        for (status, response) in operation.responses.responses.iter_mut() {
            let RefOr::T(response) = response else { continue };
            let schema = json_schema(response);
            let is_versioned = schema.as_ref().is_some_and(|s| versioned.contains(s));
            if is_versioned && (status == "200" || status == "201") {
                response.headers.insert("ETag".to_owned(), etag());
            }
            if status == "201" {
                response.headers.insert(
                    "Location".to_owned(),
                    header("Where the new item is read.", "/api/v1/actions/42"),
                );
            }
            if status == "200" && response.content.keys().any(|media| media != "application/json") {
                response.headers.insert(
                    "Content-Disposition".to_owned(),
                    header(
                        "The file's suggested name.",
                        "inline; filename=\"rapport-2013-10.xlsx\"",
                    ),
                );
            }
            if method == "get"
                && status == "200"
                && path.ends_with("/{id}")
                && let Some(schema) = schema.filter(|_| is_versioned)
            {
                item_paths.insert(schema, path.clone());
            }
        }
    }
    add_links(document, &item_paths, &etag_takers, &versioned);
}

/// From each read (same `id`) and each creation (`id` from the body) of a versioned item,
/// a link to every operation on that item that needs its ETag.
fn add_links(
    document: &mut OpenApi,
    item_paths: &BTreeMap<String, String>,
    etag_takers: &[(String, String)],
    versioned: &BTreeSet<String>,
) {
    for (path, method, operation) in operations(document) {
        for (status, response) in operation.responses.responses.iter_mut() {
            let RefOr::T(response) = response else { continue };
            let Some(schema) = json_schema(response).filter(|s| versioned.contains(s)) else {
                continue;
            };
            let Some(item_path) = item_paths.get(&schema) else {
                continue;
            };
            let id = match (method, status.as_str()) {
                ("get" | "patch", "200") if &path == item_path => "$request.path.id",
                ("post", "201") => "$response.body#/id",
                _ => continue,
            };
            for (target, target_path) in etag_takers {
                if target_path.starts_with(item_path.as_str()) && !target_path[item_path.len()..].contains('{') {
                    let link = LinkBuilder::new()
                        .operation_id(target)
                        .parameter("id", id)
                        .parameter("If-Match", "$response.header.ETag")
                        .description(format!("`{target}` with this item's id and ETag"))
                        .build();
                    response.links.insert(target.clone(), RefOr::T(link));
                }
            }
        }
    }
}
