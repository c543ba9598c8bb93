//! Bounded field types: each says its limit once, and the API's validation, the OpenAPI
//! schema (`PartialSchema`), the page's `maxlength` and the importer read it from there.
//!
//! They deserialize whatever the client sent, of the right JSON type: the limits are
//! checked afterwards by `Validator`, so that a 422 lists every invalid field at once.
//! A field of one of these types is declared `#[schema(inline)]` (`openapi` refuses a
//! document where one became a component).

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::error::ErrorCode;
use crate::i18n::Text;
use crate::validation::Validator;

/// No U+0000 anywhere (`validation::nul_character`).
pub const NO_NUL: &str = r"^[^\x00]*$";
/// Checked text (`validation::text_fault`): no U+0000 nor other control character but tab,
/// line feed and carriage return (`validation::is_control`), and no `<` followed by a letter,
/// `/`, `!` or `?` (a run of `<` counts as its last one). No lookahead, which not every
/// generator reads.
pub const PLAIN_TEXT: &str = r"^(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<]|<+(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<A-Za-z/!?]|$))*$";
/// The same, not blank: at least one character that is not white space.
pub const NOT_BLANK: &str = r"^[^\S\x0b\x0c]*(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<\s]|<+(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<A-Za-z/!?]|$))(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<]|<+(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff<A-Za-z/!?]|$))*$";

/// The names of the bounded types (and `users::regions::Region`), which never stand as components of the document.
pub const NAMES: [&str; 7] = ["Required", "Optional", "Int", "Int64", "Email", "Password", "Region"];

fn text(min: Option<usize>, max: usize, pattern: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(min)
        .max_length(Some(max))
        .pattern(Some(pattern))
        .into()
}

/// A text that must hold something: 1 to `MAX` characters as sent, not blank, plain text.
/// Checked, it is trimmed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Required<const MAX: usize>(String);

/// A text that may be empty: at most `MAX` characters as sent, plain text; blank means none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Optional<const MAX: usize>(String);

macro_rules! text_type {
    ($name:ident, $min:expr, $pattern:expr) => {
        impl<const MAX: usize> $name<MAX> {
            pub const MAX: usize = MAX;

            pub fn new(text: impl Into<String>) -> Self {
                Self(text.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl<const MAX: usize> From<&str> for $name<MAX> {
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        impl<const MAX: usize> From<String> for $name<MAX> {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        impl<const MAX: usize> PartialSchema for $name<MAX> {
            fn schema() -> RefOr<Schema> {
                text($min, MAX, $pattern)
            }
        }

        impl<const MAX: usize> ToSchema for $name<MAX> {}
    };
}

text_type!(Required, Some(1), NOT_BLANK);
text_type!(Optional, None, PLAIN_TEXT);

/// A whole number from `MIN` to `MAX` (a 32-bit integer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Int<const MIN: i32, const MAX: i32 = { i32::MAX }>(i32);

/// A whole number from `MIN` to `MAX` (a 64-bit integer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Int64<const MIN: i64, const MAX: i64 = { i64::MAX }>(i64);

macro_rules! whole_type {
    ($name:ident, $int:ty, $format:expr) => {
        impl<const MIN: $int, const MAX: $int> $name<MIN, MAX> {
            pub const MIN: $int = MIN;
            pub const MAX: $int = MAX;

            pub fn new(value: $int) -> Self {
                Self(value)
            }

            /// The number as sent, checked or not.
            pub fn get(self) -> $int {
                self.0
            }

            pub fn within(self) -> bool {
                (MIN..=MAX).contains(&self.0)
            }
        }

        impl<const MIN: $int, const MAX: $int> PartialSchema for $name<MIN, MAX> {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat($format)))
                    .minimum(Some(MIN))
                    // No bound is the type's own bound; `openapi` writes a 32-bit one.
                    .maximum((MAX != <$int>::MAX).then_some(MAX))
                    .into()
            }
        }

        impl<const MIN: $int, const MAX: $int> ToSchema for $name<MIN, MAX> {}
    };
}

whole_type!(Int, i32, KnownFormat::Int32);
whole_type!(Int64, i64, KnownFormat::Int64);

/// A 1-based position among siblings (the operation checks it against their number).
pub type Position = Int<1>;

/// An email address: at most 254 characters, an `@` after a non-empty local part, a dot in
/// the domain after its first character, no white space once trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;
    /// What `email` accepts once trimmed, as the document says it.
    pub const PATTERN: &str =
        r"^[ \t\n\f\r]*[^@ \t\n\f\r\x00]+@[^ \t\n\f\r.\x00][^ \t\n\f\r\x00]*\.[^ \t\n\f\r\x00]*[ \t\n\f\r]*$";

    pub fn new(address: impl Into<String>) -> Self {
        Self(address.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address trimmed, or why it is none.
    pub fn check(&self, v: &mut Validator, field: &str) -> String {
        // Trimmed of what `PATTERN` lets around an address, and nothing else: a vertical tab
        // is a character of the address to the pattern, so it is one here too.
        let email = self.0.trim_matches([' ', '\t', '\n', '\x0c', '\r']).to_owned();
        let well_formed = self.0.chars().count() <= Self::MAX
            && email
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'))
            && !email.contains(|c: char| c.is_ascii_whitespace() || c == '\0');
        if !well_formed {
            v.push(
                field,
                ErrorCode::InvalidEmail,
                Text::new(
                    format!("« {email} » n'est pas une adresse courriel."),
                    format!("\"{email}\" is not an email address."),
                ),
            );
        }
        email
    }
}

impl From<String> for Email {
    fn from(address: String) -> Self {
        Self(address)
    }
}

impl PartialSchema for Email {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(Self::MAX))
            .pattern(Some(Self::PATTERN))
            .into()
    }
}

impl ToSchema for Email {}

/// A password as typed: its length here, its other rules in `security::passwords`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Password(String);

impl Password {
    /// NIST SP 800-63B: at least 8; we ask 10. At most 128 bounds the hashing work.
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Self(password)
    }
}

/// Never printed, not even in a debug log.
impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl PartialSchema for Password {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(Self::MIN))
            .max_length(Some(Self::MAX))
            .pattern(Some(NO_NUL))
            .into()
    }
}

impl ToSchema for Password {}

impl Validator {
    /// A required text, trimmed.
    pub fn required<const MAX: usize>(&mut self, field: &str, value: &Required<MAX>) -> String {
        self.required_text(field, &value.0, MAX)
    }

    /// An optional text, trimmed; blank is none.
    pub fn optional<const MAX: usize>(&mut self, field: &str, value: Option<&Optional<MAX>>) -> Option<String> {
        self.optional_text(field, value.map(|v| v.0.as_str()), MAX)
    }

    /// A number within its bounds, or `out_of_range` with them.
    pub fn whole<const MIN: i32, const MAX: i32>(&mut self, field: &str, value: Int<MIN, MAX>) -> i32 {
        if !value.within() {
            self.out_of_range(field, i64::from(value.0), i64::from(MIN), i64::from(MAX));
        }
        value.0
    }

    pub fn whole64<const MIN: i64, const MAX: i64>(&mut self, field: &str, value: Int64<MIN, MAX>) -> i64 {
        if !value.within() {
            self.out_of_range(field, value.0, MIN, MAX);
        }
        value.0
    }

    fn out_of_range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        let message = if max == i64::from(i32::MAX) || max == i64::MAX {
            Text::new(
                format!("Le champ « {field} » vaut {value}; le minimum est {min}."),
                format!("The field \"{field}\" is {value}; the minimum is {min}."),
            )
        } else {
            Text::new(
                format!("Le champ « {field} » vaut {value}, hors limites : choisissez entre {min} et {max}."),
                format!("The field \"{field}\" is {value}, out of range: choose between {min} and {max}."),
            )
        };
        self.push(field, ErrorCode::OutOfRange, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_valid_exactly_when_its_documented_pattern_matches() {
        let pattern = regex::Regex::new(Email::PATTERN).unwrap_or_else(|e| panic!("{e}"));
        // The second: a vertical tab is no white space to the pattern (schemathesis sent it).
        for address in [
            "a@b.c",
            "\u{b}@1q.\u{12}x",
            " a@b.c\n",
            "@b.c",
            "a@.b",
            "a@bc",
            "a b@c.d",
            "a@b.c\u{b}",
        ] {
            let mut v = Validator::new();
            Email::new(address).check(&mut v, "email");
            assert_eq!(v.finish().is_ok(), pattern.is_match(address), "{address:?}");
        }
    }

    #[test]
    fn a_limit_is_one_number_for_the_validator_and_the_schema() {
        type Title = Required<5>;
        assert_eq!(Title::MAX, 5);
        let schema = serde_json::to_value(<Title as PartialSchema>::schema()).unwrap_or_default();
        assert_eq!(schema["maxLength"], 5);
        assert_eq!(schema["minLength"], 1);
        let mut v = Validator::new();
        assert_eq!(v.required("title", &Title::from(" abcde ")), "abcde");
        assert!(v.finish().is_err(), "7 characters as sent are over 5");
        let mut v = Validator::new();
        assert_eq!(v.optional::<5>("note", Some(&Optional::from("   "))), None);
        assert_eq!(v.whole("position", Position::new(0)), 0);
        assert_eq!(v.whole64("limit", Int64::<1, 200>::new(200)), 200);
        assert!(v.finish().is_err(), "position 0 is below 1");
    }

    #[test]
    fn bounded_types_deserialize_what_was_sent() {
        let title: Required<3> = serde_json::from_str("\"far too long\"").unwrap_or_default();
        assert_eq!(title.as_str(), "far too long", "checked later, with every other field");
        assert!(serde_json::from_str::<Int<1>>("-4").is_ok());
        assert!(serde_json::from_str::<Int<1>>("\"4\"").is_err());
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
