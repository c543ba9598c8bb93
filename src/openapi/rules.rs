//! The limits the validators enforce, declared in the document from the same constants:
//! lengths, blank refusal, positions, counts, the password and email rules. A request
//! that breaks one of these gets a 422 naming the field; one that keeps them is not
//! refused for its shape (state-dependent rules — a position past the last sibling, a
//! plan's period — stay in the operations' descriptions).

use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat};
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
}

use Rule::{AtLeast, Between, Email, Optional, Password, Required};

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
];

/// (query parameter, rule) wherever the parameter appears.
const PARAMETERS: &[(&str, Rule)] = &[
    ("limit", Between(1, crate::validation::PAGE_MAX)),
    ("offset", AtLeast(0)),
    ("due_within_days", Between(0, actions::dto::DUE_WITHIN_MAX as i64)),
];

/// Not blank: at least one character that is not white space.
const NOT_BLANK: &str = r"\S";

fn apply(rule: Rule, field: &mut Object) {
    match rule {
        Required(max) => {
            field.min_length = Some(1);
            field.max_length = Some(max);
            field.pattern = Some(NOT_BLANK.to_owned());
        }
        Optional(max) => field.max_length = Some(max),
        AtLeast(min) => field.minimum = Some(min.into()),
        Between(min, max) => {
            field.minimum = Some(min.into());
            field.maximum = Some(max.into());
        }
        Password => {
            field.min_length = Some(passwords::MIN_LENGTH);
            field.max_length = Some(passwords::MAX_LENGTH);
        }
        Email => {
            field.max_length = Some(users::dto::EMAIL_MAX);
            field.pattern = Some(users::dto::EMAIL_PATTERN.to_owned());
        }
    }
}

/// A 32-bit integer says its bounds: generators otherwise try any whole number.
fn bound_int32(field: &mut Object) {
    if matches!(field.format, Some(SchemaFormat::KnownFormat(KnownFormat::Int32))) {
        field.minimum.get_or_insert(i64::from(i32::MIN).into());
        field.maximum.get_or_insert(i64::from(i32::MAX).into());
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
    for schema in components.schemas.values_mut() {
        if let RefOr::T(Schema::Object(object)) = schema {
            for property in object.properties.values_mut() {
                if let RefOr::T(Schema::Object(property)) = property {
                    bound_int32(property);
                }
            }
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
                bound_int32(schema);
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
}
