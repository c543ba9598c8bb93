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

/// Collapses runs of whitespace (including non-breaking spaces) into one space and trims.
pub fn squash(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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
    fn squash_keeps_words() {
        assert_eq!(squash("  Revue K ,\t etc. "), "Revue K , etc.");
    }
}
