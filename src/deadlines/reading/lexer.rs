//! Échéancier labels as tokens: folded words (lower case, no accents), numbers, ordinals and
//! punctuation, each with its place in the label so that renderings can quote the label's
//! own words with their accents.

use crate::text::fold;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lexeme {
    /// Folded, without an abbreviation's final period ("sept." → "sept"). An elided article
    /// keeps its apostrophe: "l'", "d'", "jusqu'".
    Word(String),
    /// Digits as written, with how many there were ("13" is two, "2013" four).
    Number {
        value: u32,
        width: usize,
    },
    /// "1er", "3e", "2ème".
    Ordinal(u32),
    Dash,
    Slash,
    /// "," or ";".
    Comma,
    Open,
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub lexeme: Lexeme,
    /// Byte range in the label.
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn word(&self) -> Option<&str> {
        match &self.lexeme {
            Lexeme::Word(word) => Some(word),
            _ => None,
        }
    }

    pub fn is_word(&self, expected: &str) -> bool {
        self.word() == Some(expected)
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '‑')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// The class of a character within a run: letters and digits make separate runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
}

pub fn tokens(label: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut run: Option<(Class, usize)> = None;
    let mut chars = label.char_indices().peekable();
    let flush = |out: &mut Vec<Token>, run: &mut Option<(Class, usize)>, end: usize| {
        if let Some((class, start)) = run.take() {
            out.push(run_token(class, &label[start..end], start, end));
        }
    };
    while let Some((i, c)) = chars.next() {
        let single = |lexeme| Token {
            lexeme,
            start: i,
            end: i + c.len_utf8(),
        };
        match c {
            _ if c.is_alphabetic() => {
                if run.is_some_and(|(class, _)| class != Class::Letter) {
                    flush(&mut out, &mut run, i);
                }
                run.get_or_insert((Class::Letter, i));
            }
            '0'..='9' => {
                // "3e", "1er": letters glued to digits stay with them as an ordinal suffix.
                if run.is_some_and(|(class, _)| class != Class::Digit) {
                    flush(&mut out, &mut run, i);
                }
                run.get_or_insert((Class::Digit, i));
            }
            _ if is_apostrophe(c) => {
                // "l'automne": the elided word keeps its apostrophe.
                let end = i + c.len_utf8();
                if let Some((Class::Letter, start)) = run.take() {
                    out.push(Token {
                        lexeme: Lexeme::Word(format!("{}'", fold(&label[start..i]))),
                        start,
                        end,
                    });
                } else {
                    flush(&mut out, &mut run, i);
                }
            }
            '.' => flush(&mut out, &mut run, i),
            _ => {
                flush(&mut out, &mut run, i);
                let lexeme = match c {
                    _ if is_dash(c) => Some(Lexeme::Dash),
                    '/' => Some(Lexeme::Slash),
                    ',' | ';' => Some(Lexeme::Comma),
                    '(' | '[' => Some(Lexeme::Open),
                    ')' | ']' => Some(Lexeme::Close),
                    _ => None,
                };
                if let Some(lexeme) = lexeme {
                    out.push(single(lexeme));
                }
            }
        }
        if chars.peek().is_none() {
            flush(&mut out, &mut run, label.len());
        }
    }
    merge_ordinals(out)
}

fn run_token(class: Class, text: &str, start: usize, end: usize) -> Token {
    let lexeme = match class {
        Class::Letter => Lexeme::Word(fold(text)),
        Class::Digit => match text.parse::<u32>() {
            Ok(value) => Lexeme::Number {
                value,
                width: text.len(),
            },
            Err(_) => Lexeme::Word(text.to_owned()),
        },
    };
    Token { lexeme, start, end }
}

/// "1" + "er" written together → `Ordinal(1)`; "3" + "e" → `Ordinal(3)`.
fn merge_ordinals(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if let (Some(last), Lexeme::Word(word)) = (out.last_mut(), &token.lexeme)
            && let Lexeme::Number { value, width: 1..=2 } = last.lexeme
            && last.end == token.start
            && matches!(word.as_str(), "er" | "re" | "ere" | "e" | "eme" | "ieme")
        {
            last.lexeme = Lexeme::Ordinal(value);
            last.end = token.end;
            continue;
        }
        out.push(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexemes(label: &str) -> Vec<Lexeme> {
        tokens(label).into_iter().map(|t| t.lexeme).collect()
    }

    #[test]
    fn words_numbers_and_marks() {
        use Lexeme::*;
        let word = |w: &str| Word(w.to_owned());
        assert_eq!(
            lexemes("Aut.13 - Hiver 14"),
            [
                word("aut"),
                Number { value: 13, width: 2 },
                Dash,
                word("hiver"),
                Number { value: 14, width: 2 }
            ]
        );
        assert_eq!(
            lexemes("D’ici l'AGA, 1er mai"),
            [
                word("d'"),
                word("ici"),
                word("l'"),
                word("aga"),
                Comma,
                Ordinal(1),
                word("mai")
            ]
        );
        assert_eq!(lexemes("T3"), [word("t"), Number { value: 3, width: 1 }]);
        assert_eq!(lexemes("3e trimestre"), [Ordinal(3), word("trimestre")]);
        assert_eq!(lexemes("(à confirmer)"), [Open, word("a"), word("confirmer"), Close]);
    }

    #[test]
    fn tokens_know_where_they_are_in_the_label() {
        let label = "Bases au printemps 2014";
        let tokens = tokens(label);
        assert_eq!(&label[tokens[2].start..tokens[2].end], "printemps");
        let label = "Dès l’été";
        let tokens = super::tokens(label);
        assert_eq!(&label[tokens[1].start..tokens[1].end], "l’");
    }
}
