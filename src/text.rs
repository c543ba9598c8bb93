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

#[cfg(test)]
mod tests {
    use super::*;

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
