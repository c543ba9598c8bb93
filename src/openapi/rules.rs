//! What the document says of every field beyond its type. The limits themselves come from
//! the fields' bounded types (`crate::validation::bounded`), inline; here a nullable one is written as
//! the type list the rest of the document uses, a free text says it holds no U+0000, a
//! 32-bit integer its bounds, and a response field that it is always sent. A request that
//! keeps these rules is not refused for its shape (state-dependent rules — a position past
//! the last sibling, a plan's period — stay in the operations' descriptions).

use std::collections::BTreeSet;

use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr};

use crate::validation::bounded::NO_NUL;

/// What any field says of itself: a 32-bit integer its bounds (generators otherwise try
/// any whole number), a free text that it holds no U+0000.
fn bounds(field: &mut Object) {
    let free_text = allows_string(&field.schema_type)
        && field.format.is_none()
        && field.enum_values.is_none()
        && field.pattern.is_none();
    if free_text {
        field.pattern = Some(NO_NUL.to_owned());
    }
    if matches!(field.format, Some(SchemaFormat::KnownFormat(KnownFormat::Int32))) {
        field.minimum.get_or_insert(i64::from(i32::MIN).into());
        field.maximum.get_or_insert(i64::from(i32::MAX).into());
    }
}

fn allows_string(schema_type: &SchemaType) -> bool {
    match schema_type {
        SchemaType::Type(Type::String) => true,
        SchemaType::Array(types) => types.contains(&Type::String),
        _ => false,
    }
}

/// Fields of responses that are left out when empty (`skip_serializing_if`); every other
/// field of a response is always sent, as `null` when it has no value.
const SOMETIMES_SENT: &[(&str, &str)] = &[
    ("ProblemDetails", "instance"),
    ("ProblemDetails", "current_version"),
    ("ProblemDetails", "errors"),
    ("ProgressReport", "certification"),
    ("ProgressReport", "since_previous"),
    ("Heading", "adoption"),
    ("Heading", "closed_on"),
    ("TableAction", "continued_from"),
    ("TableAction", "details"),
];

/// Marks every field of a response schema required (nullable ones stay nullable), so
/// that generated clients type them as present.
fn always_sent(name: &str, schema: &mut RefOr<Schema>) {
    let objects: Vec<&mut Object> = match schema {
        RefOr::T(Schema::Object(object)) => vec![object],
        RefOr::T(Schema::AllOf(all)) => all
            .items
            .iter_mut()
            .filter_map(|item| match item {
                RefOr::T(Schema::Object(object)) => Some(object),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for object in objects {
        for field in object.properties.keys() {
            if !object.required.contains(field) && !SOMETIMES_SENT.contains(&(name, field.as_str())) {
                object.required.push(field.clone());
            }
        }
    }
}

/// The schemas a request body can hold, directly or nested: only what clients send is
/// bounded (a response may quote what was refused).
fn request_schemas(document: &mut OpenApi) -> BTreeSet<String> {
    let mut pending: Vec<serde_json::Value> = super::headers::operations(document)
        .into_iter()
        .filter_map(|(_, _, operation)| serde_json::to_value(&operation.request_body).ok())
        .collect();
    let schemas = document.components.as_ref().map(|c| &c.schemas);
    let mut found = BTreeSet::new();
    while let Some(value) = pending.pop() {
        for name in references(&value) {
            if found.insert(name.clone())
                && let Some(schema) = schemas.and_then(|s| s.get(&name))
                && let Ok(schema) = serde_json::to_value(schema)
            {
                pending.push(schema);
            }
        }
    }
    found
}

/// The component names a piece of the document refers to (`$ref`), at any depth.
fn references(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Object(fields) => fields
            .iter()
            .flat_map(|(key, field)| match (key.as_str(), field) {
                ("$ref", serde_json::Value::String(target)) => {
                    target.rsplit('/').next().map(str::to_owned).into_iter().collect()
                }
                _ => references(field),
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(references).collect(),
        _ => Vec::new(),
    }
}

/// A nullable bounded field comes as `oneOf: [its schema, null]`; the rest of the document
/// (and what generators read best) says `type: [string, null]`. Merges the two.
fn nullable_inline(property: &mut RefOr<Schema>) {
    let RefOr::T(Schema::OneOf(one_of)) = property else {
        return;
    };
    let [RefOr::T(Schema::Object(first)), RefOr::T(Schema::Object(second))] = one_of.items.as_slice() else {
        return;
    };
    let (inner, null) = if matches!(second.schema_type, SchemaType::Type(Type::Null)) {
        (first, second)
    } else {
        (second, first)
    };
    let SchemaType::Type(kind) = inner.schema_type.clone() else {
        return;
    };
    if !matches!(null.schema_type, SchemaType::Type(Type::Null)) || kind == Type::Null {
        return;
    }
    let mut merged = inner.clone();
    merged.schema_type = SchemaType::from_iter([kind, Type::Null]);
    if let Some(values) = merged.enum_values.as_mut() {
        values.push(serde_json::Value::Null);
    }
    merged.description = merged.description.or_else(|| one_of.description.clone());
    merged.default = merged.default.or_else(|| one_of.default.clone());
    *property = RefOr::T(Schema::Object(merged));
}

/// A bounded field with a doc comment comes as `allOf: [its schema, {description}]`: one
/// schema with the description says the same, as every other field does.
fn described_inline(property: &mut RefOr<Schema>) {
    let RefOr::T(Schema::AllOf(all_of)) = property else {
        return;
    };
    let [RefOr::T(Schema::Object(inner)), RefOr::T(Schema::Object(note))] = all_of.items.as_slice() else {
        return;
    };
    if !note.properties.is_empty() || note.description.is_none() {
        return;
    }
    let mut merged = inner.clone();
    merged.description = note.description.clone();
    *property = RefOr::T(Schema::Object(merged));
}

/// Both shapes utoipa gives an inline field, made plain.
fn plain_inline(property: &mut RefOr<Schema>) {
    described_inline(property);
    nullable_inline(property);
}

/// Completes every schema and parameter; a bounded type that became a component (a field
/// without `#[schema(inline)]`) is a bug.
pub fn document(document: &mut OpenApi) -> Result<(), String> {
    let Some(components) = document.components.as_mut() else {
        return Err("no components".to_owned());
    };
    if let Some(name) = crate::validation::bounded::NAMES
        .iter()
        .find(|name| components.schemas.contains_key(**name))
    {
        return Err(format!("a field of type {name} is not #[schema(inline)]"));
    }
    for schema in components.schemas.values_mut() {
        if let RefOr::T(Schema::Object(object)) = schema {
            object.properties.values_mut().for_each(plain_inline);
        }
    }
    let requested = request_schemas(document);
    let Some(components) = document.components.as_mut() else {
        return Err("no components".to_owned());
    };
    for (name, schema) in components.schemas.iter_mut() {
        if let RefOr::T(Schema::Object(object)) = schema
            && requested.contains(name)
        {
            for property in object.properties.values_mut() {
                if let RefOr::T(Schema::Object(property)) = property {
                    bounds(property);
                }
            }
        }
    }
    for (name, schema) in components.schemas.iter_mut() {
        if !requested.contains(name) {
            always_sent(name, schema);
        }
    }
    for (_, _, operation) in super::headers::operations(document) {
        for parameter in operation.parameters.iter_mut().flatten() {
            let RefOr::T(parameter) = parameter else { continue };
            if let Some(schema) = parameter.schema.as_mut() {
                plain_inline(schema);
                if let RefOr::T(Schema::Object(schema)) = schema {
                    bounds(schema);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bounded_field_is_inline() {
        assert_eq!(document(&mut crate::app::openapi()), Ok(()));
    }
}
