//! Field checks shared by every request body: trimmed text, lengths, no raw HTML.
//!
//! Text fields are plain text with one documented light markup: `*emphasis*`
//! (the italic titles of the plan document). HTML is refused so that no client
//! ever has to sanitise what the API gives back.

use lazy_regex::{Lazy, Regex, lazy_regex};

use crate::error::{ApiError, ApiResult, FieldError};
use crate::i18n::Text;

static HTML_TAG: Lazy<Regex> = lazy_regex!(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(\s[^>]*)?/?\s*>");

pub fn contains_html(value: &str) -> bool {
    HTML_TAG.is_match(value)
}

/// Largest page of a list (`limit`), and the page when none is asked for.
pub const PAGE_MAX: i64 = 200;
pub const PAGE_DEFAULT: i64 = 50;

/// No text holds U+0000: PostgreSQL stores none, and no person types one.
pub fn nul_character(field: &str) -> FieldError {
    FieldError::new(
        field,
        "nul_character",
        Text::new(
            format!("Le champ « {field} » contient un caractère nul (\\u0000), qui n'est pas accepté."),
            format!("The field \"{field}\" contains a NUL character (\\u0000), which is not accepted."),
        ),
    )
}

#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: &str, code: &'static str, message: Text) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// A required text: trimmed, 1 to `max` characters, no HTML. Returns the trimmed value.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.push(
                field,
                "required",
                Text::new(
                    format!("Le champ « {field} » est obligatoire et ne peut pas être vide."),
                    format!("The field \"{field}\" is required and cannot be blank."),
                ),
            );
        } else {
            self.text_rules(field, trimmed, max);
        }
        trimmed.to_owned()
    }

    /// An optional text: a blank value means "none".
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        self.text_rules(field, trimmed, max);
        Some(trimmed.to_owned())
    }

    fn text_rules(&mut self, field: &str, value: &str, max: usize) {
        if value.contains('\0') {
            self.errors.push(nul_character(field));
        }
        let length = value.chars().count();
        if length > max {
            self.push(
                field,
                "too_long",
                Text::new(
                    format!("Le champ « {field} » compte {length} caractères; le maximum est {max}."),
                    format!("The field \"{field}\" has {length} characters; the maximum is {max}."),
                ),
            );
        }
        if contains_html(value) {
            self.push(
                field,
                "html_not_allowed",
                Text::new(
                    format!(
                        "Le champ « {field} » contient du HTML, qui n'est pas accepté. Écrivez *texte* pour l'italique."
                    ),
                    format!("The field \"{field}\" contains HTML, which is not accepted. Write *text* for emphasis."),
                ),
            );
        }
    }

    /// A 1-based position that must lie within `1..=max`.
    pub fn position(&mut self, field: &str, value: i32, max: i64) {
        if value < 1 || i64::from(value) > max {
            self.push(
                field,
                "out_of_range",
                Text::new(
                    format!("La position {value} est hors limites : choisissez entre 1 et {max}."),
                    format!("Position {value} is out of range: choose between 1 and {max}."),
                ),
            );
        }
    }

    /// `limit` (1 to `PAGE_MAX`, default `PAGE_DEFAULT`) and `offset` (0 or more, default 0)
    /// of a list.
    pub fn page(&mut self, limit: Option<i64>, offset: Option<i64>) -> (i64, i64) {
        let limit = limit.unwrap_or(PAGE_DEFAULT);
        if !(1..=PAGE_MAX).contains(&limit) {
            self.push(
                "limit",
                "out_of_range",
                Text::new(
                    format!("La taille de page {limit} est hors limites : choisissez entre 1 et {PAGE_MAX}."),
                    format!("Page size {limit} is out of range: choose between 1 and {PAGE_MAX}."),
                ),
            );
        }
        let offset = offset.unwrap_or(0);
        if offset < 0 {
            self.push(
                "offset",
                "out_of_range",
                Text::new(
                    "Le décalage ne peut pas être négatif.",
                    "The offset cannot be negative.",
                ),
            );
        }
        (limit, offset)
    }

    pub fn finish(self) -> ApiResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_detected_but_comparisons_are_not() {
        assert!(contains_html("Plan <i>gouvernemental</i>"));
        assert!(contains_html("<script>alert(1)</script>"));
        assert!(contains_html("<br/>"));
        assert!(!contains_html("3 < 4 et 5 > 2"));
        assert!(!contains_html("*Tournée des régions*"));
    }

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        let mut v = Validator::new();
        assert_eq!(v.required_text("title", "  Revue K  ", 10), "Revue K");
        assert!(v.finish().is_ok());

        let mut v = Validator::new();
        v.required_text("title", "   ", 10);
        v.required_text("note", "abcdefghijk", 10);
        match v.finish() {
            Err(ApiError::Validation(errors)) => {
                let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
                assert_eq!(codes, [("title", "required"), ("note", "too_long")]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn blank_optional_text_means_none() {
        let mut v = Validator::new();
        assert_eq!(v.optional_text("note", Some("  "), 10), None);
        assert_eq!(v.optional_text("note", None, 10), None);
        assert_eq!(
            v.optional_text("note", Some(" En cours "), 10).as_deref(),
            Some("En cours")
        );
    }
}
