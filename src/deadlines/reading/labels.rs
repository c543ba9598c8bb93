//! Finding where one échéancier label ends and the next begins when a cell lost its
//! line breaks ("En continu Mensuel Février, Sept. 2014 Septembre 2013").
//!
//! This is only segmentation; turning a label into dates is the deadline parser's job.

use crate::text::{fold, month_number};

/// Labels that stand alone, with no date in them.
const STANDALONE: [&str; 9] = [
    "en continu",
    "mensuel",
    "hebdomadaire",
    "annuel",
    "trimestriel",
    "sur invitation",
    "au besoin",
    "a determiner",
    "chaque trimestre",
];

fn is_dash(token: &str) -> bool {
    matches!(token, "-" | "–" | "—") || token.starts_with(['-', '–', '—'])
}

/// "2013", "14", "Aut.13": a token that ends with a two- or four-digit year.
fn ends_with_year(token: &str) -> bool {
    let digits = token.chars().rev().take_while(char::is_ascii_digit).count();
    digits == 4 || digits == 2
}

/// Splits `text` into consecutive labels, at the end of each year or standalone phrase
/// (unless a dash or a month continues it, as in "Aut.13 - Hiver 14" or "13 octobre 2013").
pub fn segment(text: &str) -> Vec<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut labels = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        current.push(token);
        let next = tokens.get(i + 1).copied();
        // A day number goes on into its month ("13 octobre 2013"); a year does not.
        let is_day = token.len() <= 2 && token.chars().all(|c| c.is_ascii_digit());
        let continues = next.is_some_and(|n| is_dash(n) || (is_day && month_number(n).is_some()))
            || token.ends_with(['-', '–', '—']);
        let phrase = fold(&current.join(" "));
        let ends_phrase = STANDALONE.iter().any(|s| phrase.ends_with(s))
            || phrase.ends_with("par mois")
            || phrase.ends_with("par annee");
        if (ends_with_year(token) && !continues) || ends_phrase {
            labels.push(current.join(" "));
            current.clear();
        }
    }
    if !current.is_empty() {
        labels.push(current.join(" "));
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_the_seed_plan() {
        assert_eq!(
            segment("En continu Mensuel Février, Sept. 2014 Septembre 2013"),
            ["En continu", "Mensuel", "Février, Sept. 2014", "Septembre 2013"]
        );
        assert_eq!(
            segment("Automne 2013 - Hiver 2014 Mai 2014"),
            ["Automne 2013 - Hiver 2014", "Mai 2014"]
        );
        assert_eq!(segment("Novembre 2013 Mai 2013"), ["Novembre 2013", "Mai 2013"]);
        assert_eq!(
            segment("Bases au printemps 2014 Été 2014"),
            ["Bases au printemps 2014", "Été 2014"]
        );
    }

    #[test]
    fn ranges_and_dates_stay_whole() {
        assert_eq!(segment("Aut.13 - Hiver 14"), ["Aut.13 - Hiver 14"]);
        assert_eq!(segment("Juin 13-Juin 15"), ["Juin 13-Juin 15"]);
        assert_eq!(segment("Hiver- Printemps 2014"), ["Hiver- Printemps 2014"]);
        assert_eq!(segment("13 octobre 2013"), ["13 octobre 2013"]);
        assert_eq!(segment("4 régions par mois"), ["4 régions par mois"]);
        assert_eq!(segment("Sur invitation"), ["Sur invitation"]);
    }
}
