//! French by default, English on request (`Accept-Language: en`).

use actix_web::http::header::{ACCEPT_LANGUAGE, HeaderMap};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A language of the service: of its messages, labels and reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// Picks the preferred of French and English in an `Accept-Language` value,
    /// honouring q-values; anything else (or nothing) falls back to French.
    pub fn negotiate(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::Fr;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Some(lang) = Lang::parse(primary) else {
                continue;
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(Lang::Fr, |(_, lang)| lang)
    }

    pub fn from_headers(headers: &HeaderMap) -> Lang {
        Lang::negotiate(headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
    }

    /// The French or the English of a fixed label.
    pub fn pick(self, fr: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// The language of a code, `fr` or `en` (the only parser of one: headers, query
    /// strings, bodies, stored reports and the command line all go through it).
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// A message written in both languages; the language is chosen when the response is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub fr: String,
    pub en: String,
}

impl Text {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            fr: fr.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_is_the_default() {
        assert_eq!(Lang::negotiate(None), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("de-DE")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("*")), Lang::Fr);
    }

    #[test]
    fn english_when_preferred() {
        assert_eq!(Lang::negotiate(Some("en")), Lang::En);
        assert_eq!(Lang::negotiate(Some("en-CA,fr;q=0.5")), Lang::En);
        assert_eq!(Lang::negotiate(Some("fr-CA;q=0.4, en;q=0.9")), Lang::En);
    }

    #[test]
    fn french_wins_when_ranked_higher() {
        assert_eq!(Lang::negotiate(Some("fr-CA,en;q=0.8")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("en;q=0, fr")), Lang::Fr);
    }
}
