//! Small text helpers shared by the importer and the search.

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
