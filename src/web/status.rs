//! How a status looks on the page: a colour and always its words.

use maud::{Markup, PreEscaped, html};

use crate::i18n::Lang;
use crate::progress::ActionStatus;

pub fn badge(status: ActionStatus, lang: Lang) -> Markup {
    html! { span class={ "status status-" (status.as_str()) } { (status.label(lang)) } }
}

/// A title or note with its `*emphasis*` in italics, every other character escaped.
pub fn rich(text: &str) -> PreEscaped<String> {
    PreEscaped(crate::reports::html::markup(text))
}
