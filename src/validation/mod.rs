//! Field checks shared by every request body: trimmed text, lengths, no raw HTML.
//!
//! Text fields are plain text with one documented light markup: `*emphasis*`
//! (the italic titles of the plan document). HTML is refused so that no client
//! ever has to sanitise what the API gives back.

pub mod bounded;

use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::i18n::Text;
use bounded::Int64;

/// What a browser's HTML tokenizer reads as markup (WHATWG HTML §13.2.5.6, "tag open
/// state"): `<` followed by an ASCII letter (a tag, even unclosed: `<img src=x onerror=…`),
/// `/` (an end tag, or a bogus comment), `!` (a comment, `<!DOCTYPE`, `<![CDATA[`) or `?`
/// (a bogus comment). Any other `<` is text to it (`3 < 4`, `<3`, `<<`). This is the
/// rule, not a list of known tags, so that no spelling of a tag slips through.
pub fn html_fragment(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    let at = bytes
        .windows(2)
        .position(|pair| pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || matches!(pair[1], b'/' | b'!' | b'?')))?;
    let end = value[at..].char_indices().nth(12).map_or(value.len(), |(i, _)| at + i);
    Some(&value[at..end])
}

pub fn contains_html(value: &str) -> bool {
    html_fragment(value).is_some()
}

/// A character no text of ours holds: C0 controls but tab, line feed and carriage return,
/// DEL, and U+FFFE/U+FFFF. XML 1.0 cannot hold most of them (a Word export writing one is
/// no longer a document Word opens), and no person types them.
pub fn is_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}'
}

pub fn control_character(value: &str) -> Option<char> {
    value.chars().find(|&c| c != '\0' && is_control(c))
}

/// What is wrong with a text, whatever door it came in by (a request body, an imported
/// document, a status sheet): a NUL, a control character, HTML. `field` names it.
pub fn text_fault(field: &str, value: &str) -> Option<FieldError> {
    if value.contains('\0') {
        return Some(nul_character(field));
    }
    if let Some(c) = control_character(value) {
        let code = format!("U+{:04X}", u32::from(c));
        return Some(FieldError::new(
            field,
            ErrorCode::ControlCharacter,
            Text::new(
                format!(
                    "Le champ « {field} » contient un caractère de contrôle ({code}), qui n'est pas accepté : retirez-le (les tabulations et retours à la ligne sont acceptés)."
                ),
                format!(
                    "The field \"{field}\" contains a control character ({code}), which is not accepted: remove it (tabs and line breaks are accepted)."
                ),
            ),
        ));
    }
    let fragment = html_fragment(value)?;
    Some(FieldError::new(
        field,
        ErrorCode::HtmlNotAllowed,
        Text::new(
            format!(
                "Le champ « {field} » contient du HTML (« {fragment} »), qui n'est pas accepté : un « < » ne peut pas être suivi d'une lettre, de « / », « ! » ou « ? ». Écrivez *texte* pour l'italique."
            ),
            format!(
                "The field \"{field}\" contains HTML (\"{fragment}\"), which is not accepted: a \"<\" cannot be followed by a letter, \"/\", \"!\" or \"?\". Write *text* for emphasis."
            ),
        ),
    ))
}

/// The size of a page of a list (`limit`), and the page when none is asked for.
pub type PageSize = Int64<1, 200>;
pub const PAGE_DEFAULT: i64 = 50;
/// How many items of a list to skip (`offset`).
pub type Offset = Int64<0>;

/// No text holds U+0000: PostgreSQL stores none, and no person types one.
pub fn nul_character(field: &str) -> FieldError {
    FieldError::new(
        field,
        ErrorCode::NulCharacter,
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

    pub fn push(&mut self, field: &str, code: ErrorCode, message: Text) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// A required text: at most `max` characters as sent (what `maxLength` says), not
    /// blank, no HTML. Returns it trimmed.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        self.length(field, value, max);
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.push(
                field,
                ErrorCode::Required,
                Text::new(
                    format!("Le champ « {field} » est obligatoire et ne peut pas être vide."),
                    format!("The field \"{field}\" is required and cannot be blank."),
                ),
            );
        } else {
            self.text_rules(field, value);
        }
        trimmed.to_owned()
    }

    /// An optional text of at most `max` characters as sent: a blank value means "none".
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let value = value?;
        self.length(field, value, max);
        // Checked as sent, as the document's pattern is: a control character is refused
        // even where trimming would drop it.
        self.text_rules(field, value);
        let trimmed = Some(value.trim()).filter(|v| !v.is_empty())?;
        Some(trimmed.to_owned())
    }

    /// Counted as sent, white space included: the document's `maxLength` cannot say
    /// "after trimming", and a limit must mean the same on both sides.
    fn length(&mut self, field: &str, value: &str, max: usize) {
        let length = value.chars().count();
        if length > max {
            self.push(
                field,
                ErrorCode::TooLong,
                Text::new(
                    format!("Le champ « {field} » compte {length} caractères; le maximum est {max}."),
                    format!("The field \"{field}\" has {length} characters; the maximum is {max}."),
                ),
            );
        }
    }

    fn text_rules(&mut self, field: &str, value: &str) {
        self.errors.extend(text_fault(field, value));
    }

    /// A 1-based position that must lie within `1..=max`.
    pub fn position(&mut self, field: &str, value: i32, max: i64) {
        if value < 1 || i64::from(value) > max {
            self.push(
                field,
                ErrorCode::OutOfRange,
                Text::new(
                    format!("La position {value} est hors limites : choisissez entre 1 et {max}."),
                    format!("Position {value} is out of range: choose between 1 and {max}."),
                ),
            );
        }
    }

    /// `limit` (default `PAGE_DEFAULT`) and `offset` (default 0) of a list.
    pub fn page(&mut self, limit: Option<PageSize>, offset: Option<Offset>) -> (i64, i64) {
        let limit = limit.map_or(PAGE_DEFAULT, |limit| self.whole64("limit", limit));
        let offset = offset.map_or(0, |offset| self.whole64("offset", offset));
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

    /// Filter-evasion payloads (OWASP's XSS Filter Evasion Cheat Sheet and the attack on
    /// this service): every one is something a browser would read as markup.
    const EVASIONS: &[&str] = &[
        "<script>alert(1)</script>",
        "<svg/onload=alert(1)>",
        "<img/src=x/onerror=alert(1)>",
        "<img src=x onerror=alert(1)//",
        "<!--x--><script/x>alert(1)</script/x>",
        "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
        "<ScRiPt>alert(1)</sCrIpT>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
        "<a onmouseover=\"alert(document.cookie)\">xxs</a>",
        "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
        "<img src=x onerror=\"&#0000106&#0000097vascript:alert(1)\">",
        "<svg><script>alert&#40;1&#41;</script>",
        "<body onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">",
        "<object data=\"javascript:alert(1)\">",
        "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<input autofocus onfocus=alert(1)>",
        "<video><source onerror=alert(1)>",
        "<marquee onstart=alert(1)>",
        "<style>@import 'javascript:alert(1)';</style>",
        "<link rel=stylesheet href=javascript:alert(1)>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<form action=javascript:alert(1)><input type=submit>",
        "<isindex action=javascript:alert(1) type=image>",
        "<x onclick=alert(1)>click",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<!DOCTYPE html>",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<?xml version=\"1.0\"?>",
        "</script><script>alert(1)</script>",
        "</ p>",
        "<!-- -->",
        "Titre<b>gras",
        "Plan <i>gouvernemental</i>",
        "<br/>",
        "<<script>alert(1);//<</script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<div style=\"background:url(javascript:alert(1))\">",
        "<table background=\"javascript:alert(1)\">",
        "<TABLE><TD BACKGROUND=\"javascript:alert(1)\">",
        "<sVg OnLoAd=alert(1)>",
        "<svg\tonload=alert(1)>",
        "<svg\nonload=alert(1)>",
        "<img src=`x`onerror=alert(1)>",
        "<a href=\"\u{1}javascript:alert(1)\">x</a>",
    ];

    /// Text a coordinator writes: a browser reads no markup in any of it.
    const PLAIN: &[&str] = &[
        "3 < 4 et 5 > 2",
        "*Tournée des régions*",
        "Objectif <3 régions",
        "<< Communagir >>",
        "Rendement < 50 % (à revoir)",
        "a <= b",
        "« Plan d'action » — révisé",
        "Prix : 3 $ < 5 $",
        "<",
        "Texte qui finit par <",
        "<é>",
        "< script>",
    ];

    #[test]
    fn anything_a_browser_reads_as_markup_is_html() {
        for payload in EVASIONS {
            assert!(contains_html(payload), "not refused: {payload}");
        }
        for text in PLAIN {
            assert!(!contains_html(text), "refused: {text}");
        }
        assert_eq!(html_fragment("Bonjour <svg/onload=alert(1)> !"), Some("<svg/onload="));
    }

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        let mut v = Validator::new();
        assert_eq!(v.required_text("title", "  Revue K  ", 11), "Revue K");
        assert!(v.finish().is_ok());
        // The limit counts the text as sent, as the OpenAPI `maxLength` does.
        let mut v = Validator::new();
        v.required_text("title", "  Revue K  ", 10);
        v.optional_text("note", Some(&" ".repeat(11)), 10);
        assert_eq!(v.errors.len(), 2);

        let mut v = Validator::new();
        v.required_text("title", "   ", 10);
        v.required_text("note", "abcdefghijk", 10);
        match v.finish() {
            Err(ApiError::Validation(errors)) => {
                let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
                assert_eq!(codes, [("title", ErrorCode::Required), ("note", ErrorCode::TooLong)]);
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
