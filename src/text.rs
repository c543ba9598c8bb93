//! Small text helpers shared by the importer and the search.

use chrono::{Datelike, NaiveDate};

use crate::i18n::Lang;

/// Lower case without French accents, whitespace collapsed: "  Réalisé " → "realise".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            '\u{a0}' | '\t' | '\n' | '\r' => ' ',
            other => other,
        };
        if plain == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(plain);
    }
    out.trim_end().to_owned()
}

/// "Avant le" → "avant le": a phrase that no longer starts a sentence.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Collapses runs of whitespace (including non-breaking spaces) into one space and trims.
pub fn squash(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// 1 to 12 for a French month name, whole or abbreviated ("Août", "sept.", "Nov", "févr.").
pub fn month_number(word: &str) -> Option<u32> {
    let folded = fold(word);
    let name = folded.trim_end_matches('.');
    if name.is_empty() {
        return None;
    }
    let whole = MONTHS.iter().position(|m| *m == name);
    // An abbreviation is at least three letters of one month only ("ju" could be two).
    let abbreviated = || {
        let mut matches = MONTHS
            .iter()
            .enumerate()
            .filter(|(_, m)| name.len() >= 3 && m.starts_with(name));
        match (matches.next(), matches.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    whole.or_else(abbreviated).and_then(|i| u32::try_from(i + 1).ok())
}

static LONG_DATE: lazy_regex::Lazy<regex::Regex> = lazy_regex::lazy_regex!(
    r"(?i)^(?:le\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(\d{1,2})(?:er|ᵉʳ)?\s+(\p{L}+\.?)\s+(\d{4})$"
);

/// A date as people write it in French ("5 décembre 2015", "1er juil. 2014", "12 janv.
/// 2016"), or as ISO 8601 ("2015-12-05").
pub fn french_date(text: &str) -> Option<chrono::NaiveDate> {
    let text = squash(text);
    if let Ok(date) = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Some(date);
    }
    let caps = LONG_DATE.captures(&text)?;
    let day = caps.get(1)?.as_str().parse().ok()?;
    let month = month_number(caps.get(2)?.as_str())?;
    let year = caps.get(3)?.as_str().parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(year, month, day)
}

// ---- French dates, numbers and typography, as every format prints them -----------------

const MONTH_NAMES: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "janvier" for 1, "décembre" for 12.
pub fn month_name(month: u32) -> &'static str {
    MONTH_NAMES.get(month.saturating_sub(1) as usize).copied().unwrap_or("")
}

pub fn day_number(day: u32) -> String {
    if day == 1 { "1er".to_owned() } else { day.to_string() }
}

/// "1er juillet 2013", "3 octobre 2013".
pub fn render_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        day_number(date.day()),
        month_name(date.month()),
        date.year()
    )
}

/// "31 octobre 2013", "31 October 2013".
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fr => render_date(date),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// "du 1er au 31 octobre 2013", "du 15 octobre 2013 au 14 janvier 2014".
pub fn period_words(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let start = if (from.year(), from.month()) == (to.year(), to.month()) {
        match lang {
            Lang::Fr if from.day() == 1 => "1er".to_owned(),
            _ => from.day().to_string(),
        }
    } else {
        long_date(from, lang)
    };
    match lang {
        Lang::Fr => format!("du {start} au {}", long_date(to, lang)),
        Lang::En => format!("from {start} to {}", long_date(to, lang)),
    }
}

/// French typography for printed text: a no-break space before `:` `;` `!` `?` `%` and
/// inside « », so that no sign begins a line and no « ends one.
pub fn typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let previous = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let glued = c == ' ' && (matches!(next, Some(':' | ';' | '!' | '?' | '%' | '»')) || previous == Some('«'));
        out.push(if glued { '\u{a0}' } else { c });
    }
    out
}

/// "49,8 %" (a no-break space before the sign, a decimal comma in French), "49.8%" in
/// English, "—" when there is nothing to measure.
pub fn percent(completion: Option<f64>, lang: Lang) -> String {
    match completion {
        None => "—".to_owned(),
        Some(share) => {
            let number = format!("{:.1}", share * 100.0);
            match lang {
                Lang::Fr => format!("{}\u{a0}%", number.replace('.', ",")),
                Lang::En => format!("{number}%"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates_as_people_write_them() {
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(french_date("5 décembre 2015"), date(2015, 12, 5));
        assert_eq!(french_date("12 janv. 2016"), date(2016, 1, 12));
        assert_eq!(french_date("1er\u{a0}juillet 2014"), date(2014, 7, 1));
        assert_eq!(french_date("le jeudi 5 décembre 2013"), date(2013, 12, 5));
        assert_eq!(french_date("2013-10-11"), date(2013, 10, 11));
        assert_eq!(french_date("31 février 2014"), None);
        assert_eq!(french_date("11 octobre"), None);
    }

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("  Réalisé "), "realise");
        assert_eq!(fold("ÉTÉ  2014"), "ete 2014");
        assert_eq!(fold("Août\u{a0}2013"), "aout 2013");
        assert_eq!(fold("Français"), "francais");
    }

    #[test]
    fn months_whole_and_abbreviated() {
        assert_eq!(month_number("Août"), Some(8));
        assert_eq!(month_number("sept."), Some(9));
        assert_eq!(month_number("Nov"), Some(11));
        assert_eq!(month_number("févr."), Some(2));
        assert_eq!(month_number("juin"), Some(6));
        assert_eq!(month_number("jui"), None, "juin or juillet");
        assert_eq!(month_number("hiver"), None);
    }

    #[test]
    fn squash_keeps_words() {
        assert_eq!(squash("  Revue K ,\t etc. "), "Revue K , etc.");
    }
}
