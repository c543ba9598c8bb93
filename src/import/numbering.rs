//! Numbers written before objectives and actions (`1.1`, `1.2.3`, `A.`, `b)`, `IV.`): read
//! as positions, taken out of titles, and checked against where the row stands. Pure.

/// A number as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Number {
    /// `1.2.3`, or `3.` / `3)` (one level).
    Levels(Vec<u32>),
    /// `A.`, `b)`: also a Roman numeral when it is one (`I.`, `V.`, `X.`).
    Letter(char),
    /// `II.`, `iv)`.
    Roman(u32),
}

/// A title's leading number and the title without it; `None` when it has none. A single
/// letter or Roman numeral needs `.` or `)` after it, a single number too, so that « 3
/// octobre » or « M. Tremblay » keep their words (the second is then checked, see `fits`).
pub fn leading(text: &str) -> Option<(Number, String)> {
    let (_, levels, single, letter, roman, rest) = lazy_regex::regex_captures!(
        r"^\s*(?:(\d{1,3}(?:\.\d{1,3})+)\.?|(\d{1,3})[.)]|([A-Za-z])[.)]|([IVXivx]{2,6})[.)])\s*[-–—:]?\s+(\S.*)$",
        text
    )?;
    let number = if !levels.is_empty() {
        Number::Levels(levels.split('.').filter_map(|n| n.parse().ok()).collect())
    } else if !single.is_empty() {
        Number::Levels(vec![single.parse().ok()?])
    } else if let Some(c) = letter.chars().next() {
        Number::Letter(c)
    } else {
        Number::Roman(roman_value(roman)?)
    };
    Some((number, rest.trim().to_owned()))
}

fn roman_value(text: &str) -> Option<u32> {
    let digit = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        _ => None,
    };
    let digits: Vec<u32> = text.chars().map(digit).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        match digits.get(i + 1) {
            Some(next) if next > d => total -= *d as i64,
            _ => total += *d as i64,
        }
    }
    let value = u32::try_from(total).ok().filter(|v| *v > 0)?;
    // Only the canonical spelling: « IIII » or « VX » is a word, not a number.
    (to_roman(value) == text.to_ascii_uppercase()).then_some(value)
}

fn to_roman(mut n: u32) -> String {
    let mut out = String::new();
    for (value, digits) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

impl Number {
    /// The values this number may stand for at its last level: a letter is its rank in the
    /// alphabet, or its Roman value (`I.`, `V.`, `X.`).
    fn last_values(&self) -> Vec<u32> {
        match self {
            Number::Levels(levels) => levels.last().copied().into_iter().collect(),
            Number::Letter(c) => {
                let rank = u32::from(c.to_ascii_uppercase()) - u32::from('A') + 1;
                let roman = roman_value(&c.to_string());
                std::iter::once(rank).chain(roman).collect()
            }
            Number::Roman(value) => vec![*value],
        }
    }

    /// Whether the number may be read as position `positions` (one of them: within the parent,
    /// or across the plan), under the parents' numbers `parents` (`[orientation]` for an
    /// objective, `[orientation, objective]` for an action): a number of several levels ends
    /// with the position, its other levels the parents' last ones.
    pub fn fits(&self, positions: &[u32], parents: &[u32]) -> bool {
        if let Number::Levels(levels) = self
            && let Some((_, prefix)) = levels.split_last()
            && !parents.ends_with(prefix)
        {
            return false;
        }
        self.last_values().iter().any(|value| positions.contains(value))
    }

    /// A single letter out of place (« M. Tremblay » first in a list) may be a word: only a
    /// letter that fits, or one in a list already numbered so, is a number.
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, Number::Letter(_))
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Levels(levels) => {
                let parts: Vec<String> = levels.iter().map(u32::to_string).collect();
                write!(f, "{}", parts.join("."))
            }
            Number::Letter(c) => write!(f, "{c}"),
            Number::Roman(value) => write!(f, "{}", to_roman(*value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Option<Number> {
        leading(text).map(|(n, _)| n)
    }

    #[test]
    fn leading_numbers_are_read_and_taken_out() {
        assert_eq!(
            leading("1.2 Diffuser des informations"),
            Some((Number::Levels(vec![1, 2]), "Diffuser des informations".to_owned()))
        );
        assert_eq!(number("1.2.3. Tenir l'AGA"), Some(Number::Levels(vec![1, 2, 3])));
        assert_eq!(number("3) Tenir l'AGA"), Some(Number::Levels(vec![3])));
        assert_eq!(number("B. Soutenir"), Some(Number::Letter('B')));
        assert_eq!(number("b) Soutenir"), Some(Number::Letter('b')));
        assert_eq!(number("IV. Soutenir"), Some(Number::Roman(4)));
        assert_eq!(number("2.1 – Soutenir"), Some(Number::Levels(vec![2, 1])));
        for words in [
            "3 octobre 2013",
            "2013-2014 : bilan",
            "Soutenir 1.2",
            "IIII. x",
            "Tour du Québec",
            "1.2",
        ] {
            assert_eq!(number(words), None, "{words}");
        }
    }

    #[test]
    fn numbers_fit_their_position_and_parents() {
        let n = |text: &str| number(text).unwrap_or(Number::Roman(999));
        assert!(n("1.2 x").fits(&[2], &[1]));
        assert!(!n("1.3 x").fits(&[2], &[1]), "out of sequence");
        assert!(!n("2.2 x").fits(&[2], &[1]), "under another orientation");
        assert!(n("1.2.3 x").fits(&[3], &[1, 2]));
        assert!(n("2.3 x").fits(&[3], &[1, 2]), "objective.action");
        assert!(n("C. x").fits(&[3], &[1]));
        assert!(n("I. x").fits(&[1], &[1]), "I is a letter and a Roman numeral");
        assert!(n("V. x").fits(&[5], &[]));
        assert!(n("IX. x").fits(&[9], &[]));
        assert!(n("7. x").fits(&[2, 7], &[1]), "numbered across the plan");
        assert!(!n("M. Tremblay").fits(&[1], &[1]));
        assert_eq!(n("1.2.3 x").to_string(), "1.2.3");
        assert_eq!(n("iv) x").to_string(), "IV");
    }
}
