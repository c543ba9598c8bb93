//! The limits the validators enforce, declared in the document from the same constants:
//! lengths, blank refusal, positions, counts, the password and email rules. A request
//! that breaks one of these gets a 422 naming the field; one that keeps them is not
//! refused for its shape (state-dependent rules — a position past the last sibling, a
//! plan's period — stay in the operations' descriptions).

use std::collections::BTreeSet;

use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr};

use crate::security::passwords;
use crate::{
    actions, comments, deadlines, events, glossary, objectives, orientations, plans, progress, reports, status_updates,
    users,
};

/// What a field accepts.
#[derive(Clone, Copy)]
enum Rule {
    /// Trimmed text of 1 to `max` characters: not blank.
    Required(usize),
    /// Text of at most `max` characters; blank means none.
    Optional(usize),
    /// A whole number of at least `min`.
    AtLeast(i64),
    /// A whole number from `min` to `max`.
    Between(i64, i64),
    Password,
    Email,
    /// One of these names (or `null`).
    OneOf(&'static [&'static str]),
}

use Rule::{AtLeast, Between, Email, OneOf, Optional, Password, Required};

/// (schema, field, rule), for every request body field with a limit.
const RULES: &[(&str, &str, Rule)] = &[
    ("CreatePlan", "title", Required(plans::dto::TITLE_MAX)),
    ("CreatePlan", "organization", Required(plans::dto::ORGANIZATION_MAX)),
    ("CreatePlan", "heading_note", Optional(plans::dto::HEADING_NOTE_MAX)),
    ("UpdatePlan", "title", Required(plans::dto::TITLE_MAX)),
    ("UpdatePlan", "organization", Required(plans::dto::ORGANIZATION_MAX)),
    ("UpdatePlan", "heading_note", Optional(plans::dto::HEADING_NOTE_MAX)),
    ("CreateOrientation", "title", Required(orientations::dto::TITLE_MAX)),
    ("CreateOrientation", "position", AtLeast(1)),
    ("UpdateOrientation", "title", Required(orientations::dto::TITLE_MAX)),
    ("UpdateOrientation", "position", AtLeast(1)),
    ("CreateObjective", "title", Required(objectives::dto::TITLE_MAX)),
    ("CreateObjective", "position", AtLeast(1)),
    ("UpdateObjective", "title", Required(objectives::dto::TITLE_MAX)),
    ("UpdateObjective", "position", AtLeast(1)),
    ("CreateAction", "title", Required(actions::dto::TITLE_MAX)),
    (
        "CreateAction",
        "responsible_organization",
        Optional(actions::dto::ORGANIZATION_MAX),
    ),
    ("CreateAction", "progress_note", Optional(actions::dto::NOTE_MAX)),
    ("CreateAction", "position", AtLeast(1)),
    ("UpdateAction", "title", Required(actions::dto::TITLE_MAX)),
    (
        "UpdateAction",
        "responsible_organization",
        Optional(actions::dto::ORGANIZATION_MAX),
    ),
    ("UpdateAction", "progress_note", Optional(actions::dto::NOTE_MAX)),
    ("UpdateAction", "position", AtLeast(1)),
    ("Progress", "done", AtLeast(0)),
    ("Progress", "target", AtLeast(1)),
    ("Progress", "unit", Required(progress::measure::UNIT_MAX)),
    ("CreateStatusUpdate", "note", Optional(actions::dto::NOTE_MAX)),
    (
        "CreateStatusUpdate",
        "decision",
        Optional(status_updates::dto::DECISION_MAX),
    ),
    ("CreateDeadline", "label", Required(deadlines::dto::LABEL_MAX)),
    ("CreateDeadline", "position", AtLeast(1)),
    ("UpdateDeadline", "label", Required(deadlines::dto::LABEL_MAX)),
    ("UpdateDeadline", "position", AtLeast(1)),
    ("CreateGlossaryEntry", "acronym", Required(glossary::dto::ACRONYM_MAX)),
    (
        "CreateGlossaryEntry",
        "definition",
        Required(glossary::dto::DEFINITION_MAX),
    ),
    ("UpdateGlossaryEntry", "acronym", Required(glossary::dto::ACRONYM_MAX)),
    (
        "UpdateGlossaryEntry",
        "definition",
        Required(glossary::dto::DEFINITION_MAX),
    ),
    ("EventBody", "name", Required(events::dto::NAME_MAX)),
    ("UpdateEvent", "name", Required(events::dto::NAME_MAX)),
    ("CommentBody", "body", Required(comments::dto::BODY_MAX)),
    (
        "SignOffRequest",
        "meeting_reference",
        Required(reports::dto::MEETING_REFERENCE_MAX),
    ),
    ("CreateUser", "email", Email),
    ("CreateUser", "display_name", Required(users::dto::DISPLAY_NAME_MAX)),
    ("CreateUser", "password", Password),
    ("UpdateUser", "display_name", Required(users::dto::DISPLAY_NAME_MAX)),
    ("UpdateUser", "password", Password),
    ("CreateUser", "region", OneOf(&users::regions::MEMBER_REGIONS)),
    ("UpdateUser", "region", OneOf(&users::regions::MEMBER_REGIONS)),
];

/// (query parameter, rule) wherever the parameter appears.
const PARAMETERS: &[(&str, Rule)] = &[
    ("limit", Between(1, crate::validation::PAGE_MAX)),
    ("offset", AtLeast(0)),
    ("due_within_days", Between(0, actions::dto::DUE_WITHIN_MAX as i64)),
    ("q", Optional(actions::dto::SEARCH_MAX)),
    ("organization", Optional(plans::dto::ORGANIZATION_MAX)),
];

/// No U+0000 anywhere (`validation::nul_character`).
const NO_NUL: &str = r"^[^\x00]*$";
/// Checked text (`validation::text_fault`): no U+0000 nor other control character but tab,
/// line feed and carriage return (`validation::is_control`), and no `<` followed by a letter,
/// `/`, `!` or `?` (a run of `<` counts as its last one). No lookahead, which not every
/// generator reads.
const PLAIN_TEXT: &str = r"^(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<]|<+(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<A-Za-z/!?]|$))*$";
/// The same, not blank: at least one character that is not white space.
const NOT_BLANK: &str = r"^[^\S\x0b\x0c]*(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<\s]|<+(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<A-Za-z/!?]|$))(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<]|<+(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<A-Za-z/!?]|$))*$";

fn apply(rule: Rule, field: &mut Object) {
    match rule {
        Required(max) => {
            field.min_length = Some(1);
            field.max_length = Some(max);
            field.pattern = Some(NOT_BLANK.to_owned());
        }
        Optional(max) => {
            field.max_length = Some(max);
            field.pattern = Some(PLAIN_TEXT.to_owned());
        }
        AtLeast(min) => field.minimum = Some(min.into()),
        Between(min, max) => {
            field.minimum = Some(min.into());
            field.maximum = Some(max.into());
        }
        Password => {
            field.min_length = Some(passwords::MIN_LENGTH);
            field.max_length = Some(passwords::MAX_LENGTH);
            field.pattern = Some(NO_NUL.to_owned());
        }
        OneOf(names) => {
            let mut values: Vec<serde_json::Value> = names.iter().map(|name| (*name).into()).collect();
            if allows_null(&field.schema_type) {
                values.push(serde_json::Value::Null);
            }
            field.enum_values = Some(values);
        }
        Email => {
            field.max_length = Some(users::dto::EMAIL_MAX);
            field.pattern = Some(users::dto::EMAIL_PATTERN.to_owned());
        }
    }
}

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

fn allows_null(schema_type: &SchemaType) -> bool {
    matches!(schema_type, SchemaType::Array(types) if types.contains(&Type::Null))
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

/// Writes every rule into its schema; a rule naming no field of the document is a bug.
pub fn document(document: &mut OpenApi) -> Result<(), String> {
    let Some(components) = document.components.as_mut() else {
        return Err("no components".to_owned());
    };
    for (schema, field, rule) in RULES {
        let property = match components.schemas.get_mut(*schema) {
            Some(RefOr::T(Schema::Object(object))) => object.properties.get_mut(*field),
            _ => None,
        };
        match property {
            Some(RefOr::T(Schema::Object(property))) => apply(*rule, property),
            _ => return Err(format!("{schema}.{field} is not a field of the document")),
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
            let rule = PARAMETERS.iter().find(|(name, _)| *name == parameter.name);
            if let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut() {
                if let Some((_, rule)) = rule {
                    apply(*rule, schema);
                }
                bounds(schema);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_a_field_of_the_document() {
        assert_eq!(document(&mut crate::app::openapi()), Ok(()));
    }

    /// The patterns accept exactly what the validator accepts: every string of up to five
    /// characters over an alphabet of the cases that matter.
    #[test]
    fn text_patterns_are_the_validators_rule() -> Result<(), lazy_regex::regex::Error> {
        let plain = lazy_regex::Regex::new(PLAIN_TEXT)?;
        let not_blank = lazy_regex::Regex::new(NOT_BLANK)?;
        let alphabet = ['<', 'a', 'Z', '/', '!', '?', ' ', 'é', '\n', '\0', '\u{b}', '\u{1}'];
        let mut strings = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = strings
                .iter()
                .filter(|s| s.chars().count() == strings.last().map_or(0, |l| l.chars().count()))
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        assert!(strings.len() > 170_000);
        for text in &strings {
            let accepted = crate::validation::text_fault("f", text).is_none();
            assert_eq!(plain.is_match(text), accepted, "{text:?}");
            assert_eq!(
                not_blank.is_match(text),
                accepted && !text.trim().is_empty(),
                "{text:?}"
            );
        }
        Ok(())
    }
}
