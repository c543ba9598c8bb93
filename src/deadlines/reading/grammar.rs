//! The grammar of dated échéancier labels, read from tokens into a small syntax tree. What
//! the tree means in days is `meaning`'s job; this module only says what was written.
//!
//! ```text
//! label      := qualifier* expression qualifier*
//! expression := relation? (event | item) | list
//! relation   := avant | d'ici | au plus tard | jusqu'(à|au|en) | dès | à partir de | à compter de | après | lors de
//! list       := item ((, | ; | / | et | ou)? item)*          (all "ou", or none)
//! item       := filler* (week | point ((- | à | au | jusqu'à | et after "entre") filler* point)?)
//! week       := semaine (du|de) point
//! point      := division | part? base
//! division   := ordinal (semestre year? | quinzaine de? month year? | semaine de? month year?
//!               | moitié de? base)       (ordinal: 1er, 1re, première, deuxième, 2e, second, dernière…)
//! part       := début (de|du|d')? | mi -? | fin (de|du|d')?   (then "mois de" may follow)
//! base       := weekday? day month? year? | T1…T4 | 3e trimestre year? | month year? | season year?
//!             | rentrée | fêtes | Noël | année financière | année year | year
//! year       := 2013 | 13 | 2013-2014 | 2013-14 | 2013/2014   (the last three: a fiscal year)
//! ```

use super::lexer::{Lexeme, Token};
use super::periods::{LAST_WEEK, Named, Part, Season};
use crate::text::month_number;

/// The year a point was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSpec {
    /// None written: taken from a neighbour, else the plan's.
    Unknown,
    /// "2013".
    Calendar(i32),
    /// "13": the year ending so that is closest to the plan's start.
    Short(u32),
    /// "2013-2014": the fiscal year that starts in 2013.
    Fiscal(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A day; its month may come from a later day ("du 4 au 8 novembre"). `weekday` is 0 for
    /// Monday when one was written ("lundi 4 novembre"), to be checked.
    Day {
        day: u32,
        month: Option<u32>,
        weekday: Option<u32>,
    },
    Month(u32),
    Season(Season),
    Named(Named),
    /// A calendar year.
    Year,
    FiscalYear,
    Quarter(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub unit: Unit,
    pub year: YearSpec,
    pub part: Option<Part>,
    /// Where the point starts in the label (after fillers such as "en", "le", "l'").
    pub start: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Point(Point),
    Span(Point, Point),
    /// "Semaine du 14 avril": the Monday-to-Sunday week of that day.
    Week(Point),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    And,
    Or,
}

/// How the period relates to the time named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// At that time (no word, "en", "lors de").
    At,
    /// "avant": until the day before.
    Before,
    /// "d'ici", "au plus tard", "jusqu'à": until its last day.
    By,
    /// "dès", "à partir de", "à compter de": from its first day to the end of the plan.
    From,
    /// "après": from the day after to the end of the plan.
    After,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Items(Vec<Item>, Joiner),
    /// An event's name as written from its first word ("AGA 2013"), folded.
    Event {
        folded: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    pub relation: Relation,
    pub target: Target,
}

/// A label read: the expression and where it lies in the label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub expression: Expression,
    /// Byte offsets in the label: the expression's first token, and the end of its last.
    pub start: usize,
    pub end: usize,
    /// « 15 mai 2025 au plus tard »: the relation written after the time (within `end`).
    pub by_after: bool,
}

/// Words that set a condition without moving the time (« (selon le financement) », « si
/// possible »): allowed in a qualifier after the time, unlike the words of `MEANING`.
const CONDITIONS: &[&str] = &["selon", "si", "quand", "lorsque"];

/// Words that change what a date means: left outside the grammar, they make a label
/// unreadable rather than a qualifier ("Pas avant mai", "Sauf en juillet", "Mai ou plus tard").
const MEANING: &[&str] = &[
    "pas",
    "sauf",
    "excepte",
    "hors",
    "sans",
    "plus",
    "moins",
    "tard",
    "tot",
    "apres",
    "avant",
    "depuis",
    "jusqu'",
    "ici",
    "ou",
    "selon",
    "quand",
    "si",
    "lorsque",
    "environ",
    "chaque",
    "tous",
    "toutes",
    "fois",
    "par",
    "aux",
    "semaine",
    "semaines",
    "sem",
    "mi",
    "debut",
    "fin",
    "entre",
    "annee",
    "annees",
    "an",
    "ans",
    "mois",
    "jour",
    "jours",
    "trimestre",
    "prochain",
    "prochaine",
    "dernier",
    "derniere",
    "suivant",
    "suivante",
    "precedent",
    "precedente",
    "reporte",
    "reportee",
    "annule",
    "annulee",
    "milieu",
    "semestre",
    "semestres",
    "quinzaine",
    "quinzaines",
    "moitie",
    "demi",
    "tiers",
    "quart",
    "premier",
    "premiere",
    "deuxieme",
    "second",
    "seconde",
    "troisieme",
    "quatrieme",
    "courant",
    "partir",
    "compter",
    "lors",
];

const WEEKDAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// The first words of the events a plan has ("AGA 2013", "Colloque de novembre").
pub const EVENT_WORDS: [&str; 8] = [
    "aga",
    "assemblee",
    "activite",
    "colloque",
    "forum",
    "seminaire",
    "congres",
    "lac",
];

/// Whether a token may stand around the date as free text ("Bases au", "(à confirmer)").
fn is_plain(token: &Token) -> bool {
    match &token.lexeme {
        Lexeme::Word(word) => {
            !MEANING.contains(&word.as_str())
                && !WEEKDAYS.contains(&word.as_str())
                && month_number(word).is_none()
                && Season::parse(word).is_none()
                && Named::parse(word).is_none()
                && !EVENT_WORDS.contains(&word.as_str())
                && word.chars().all(char::is_alphabetic)
                || matches!(word.as_str(), "l'" | "d'")
        }
        Lexeme::Open | Lexeme::Close => true,
        _ => false,
    }
}

/// Reads a label's tokens, or `None` when no reading accounts for all of them.
pub fn read(tokens: &[Token], events: &[String]) -> Option<Reading> {
    for start in 0..tokens.len() {
        // Free text before the time: words (conditions too), ending with a dash or a comma
        // if any (« À confirmer – mai 2025 »).
        let prefix = &tokens[..start];
        let body = match prefix.split_last() {
            Some((last, body)) if matches!(last.lexeme, Lexeme::Dash | Lexeme::Comma) => body,
            _ => prefix,
        };
        if !body.iter().all(qualifying) {
            return None;
        }
        if !balanced(body) {
            continue;
        }
        let mut reader = Reader {
            tokens,
            pos: start,
            events,
        };
        if let Some(mut expression) = reader.expression() {
            let single = matches!(&expression.target, Target::Items(items, _) if items.len() == 1);
            let by_after = expression.relation == Relation::At && single && reader.eat_all(&["au", "plus", "tard"]);
            if by_after {
                expression.relation = Relation::By;
            }
            let rest = &tokens[reader.pos..];
            if trailing_qualifier(rest) {
                let end = tokens.get(reader.pos.wrapping_sub(1)).map_or(0, |t| t.end);
                return Some(Reading {
                    expression,
                    start: tokens[start].start,
                    end,
                    by_after,
                });
            }
        }
    }
    None
}

/// Free text after the time: words, or words in parentheses (« (à confirmer) »), or after a
/// dash or a comma (« – à confirmer », « , selon le financement »); conditions allowed.
fn trailing_qualifier(rest: &[Token]) -> bool {
    let words = match rest.split_first() {
        Some((first, words)) if matches!(first.lexeme, Lexeme::Dash | Lexeme::Comma) => {
            if words.is_empty() {
                return false;
            }
            words
        }
        _ => rest,
    };
    words.iter().all(qualifying) && balanced(words)
}

/// A token a qualifier may hold.
fn qualifying(token: &Token) -> bool {
    is_plain(token) || token.word().is_some_and(|w| CONDITIONS.contains(&w))
}

/// Parentheses open and close in order.
fn balanced(rest: &[Token]) -> bool {
    let mut depth = 0i32;
    for token in rest {
        match token.lexeme {
            Lexeme::Open => depth += 1,
            Lexeme::Close => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

struct Reader<'a> {
    tokens: &'a [Token],
    pos: usize,
    /// The plan's event names, folded.
    events: &'a [String],
}

impl Reader<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.pos + offset)
    }

    fn word(&self) -> Option<&str> {
        self.peek().and_then(Token::word)
    }

    fn eat(&mut self, word: &str) -> bool {
        let found = self.word() == Some(word);
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_any(&mut self, words: &[&str]) -> bool {
        words.iter().any(|w| self.eat(w))
    }

    /// All of `words` in order, or nothing consumed.
    fn eat_all(&mut self, words: &[&str]) -> bool {
        let saved = self.pos;
        if words.iter().all(|w| self.eat(w)) {
            return true;
        }
        self.pos = saved;
        false
    }

    fn eat_lexeme(&mut self, lexeme: &Lexeme) -> bool {
        let found = self.peek().is_some_and(|t| &t.lexeme == lexeme);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Runs `read`; on `None`, puts the reader back where it was.
    fn attempt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let saved = self.pos;
        let result = read(self);
        if result.is_none() {
            self.pos = saved;
        }
        result
    }

    fn expression(&mut self) -> Option<Expression> {
        self.attempt(|r| {
            let relation = r.relation();
            if let Some(target) = r.attempt(Self::event) {
                return Some(Expression { relation, target });
            }
            let target = if relation == Relation::At {
                r.list()?
            } else {
                Target::Items(vec![r.item()?], Joiner::And)
            };
            Some(Expression { relation, target })
        })
    }

    fn relation(&mut self) -> Relation {
        let of = ["de", "du", "d'"];
        if self.eat("avant") {
            Relation::Before
        } else if self.eat_all(&["d'", "ici"]) {
            self.eat("a");
            Relation::By
        } else if self.eat_all(&["au", "plus", "tard"]) {
            Relation::By
        } else if self.eat("jusqu'") {
            self.eat_any(&["a", "au", "en"]);
            Relation::By
        } else if self.eat("des")
            || self
                .attempt(|r| (r.eat_all(&["a", "partir"]) && r.eat_any(&of)).then_some(()))
                .is_some()
            || self
                .attempt(|r| (r.eat_all(&["a", "compter"]) && r.eat_any(&of)).then_some(()))
                .is_some()
        {
            Relation::From
        } else if self.eat("apres") {
            Relation::After
        } else {
            self.attempt(|r| (r.eat("lors") && r.eat_any(&of)).then_some(()));
            Relation::At
        }
    }

    /// The plan's event named by the words that follow (up to a parenthesis), or a word
    /// that names an event ("AGA", "Colloque").
    fn event(&mut self) -> Option<Target> {
        self.fillers();
        self.peek()?;
        let words: Vec<String> = self.tokens[self.pos..]
            .iter()
            .map_while(|t| match &t.lexeme {
                Lexeme::Word(w) => Some(w.clone()),
                Lexeme::Number { value, .. } => Some(value.to_string()),
                _ => None,
            })
            .collect();
        let folded = words.join(" ");
        let named = self.events.contains(&folded)
            || (words.len() == 1
                && self
                    .events
                    .iter()
                    .filter(|e| e.split(' ').next() == Some(folded.as_str()))
                    .count()
                    == 1);
        if !named && !EVENT_WORDS.contains(&words.first()?.as_str()) {
            return None;
        }
        self.pos += words.len();
        Some(Target::Event { folded })
    }

    fn list(&mut self) -> Option<Target> {
        let mut items = vec![self.item()?];
        let mut joiner = None;
        loop {
            let next = self.attempt(|r| {
                let word = if r.eat("ou") {
                    Some(Joiner::Or)
                } else if r.eat("et") {
                    Some(Joiner::And)
                } else {
                    if !r.eat_lexeme(&Lexeme::Comma) {
                        r.eat_lexeme(&Lexeme::Slash);
                    }
                    None
                };
                Some((word, r.item()?))
            });
            let Some((word, item)) = next else { break };
            match (joiner, word) {
                (Some(a), Some(b)) if a != b => return None, // "et" and "ou" mixed: not guessed
                (_, Some(b)) => joiner = Some(b),
                _ => {}
            }
            items.push(item);
        }
        Some(Target::Items(items, joiner.unwrap_or(Joiner::And)))
    }

    /// Words that carry nothing before a time: "en", "le", "l'", "au cours de"… Returns
    /// whether "entre" was among them (then "et" closes a span).
    fn fillers(&mut self) -> bool {
        let mut between = false;
        loop {
            if self.eat("entre") {
                between = true;
            } else if !(self.eat_all(&["au", "cours", "de"])
                || self.eat_all(&["au", "cours", "du"])
                || self.eat_all(&["au", "cours", "d'"])
                || self.eat_any(&[
                    "en", "le", "la", "l'", "les", "a", "au", "de", "du", "d'", "courant", "durant", "pendant",
                ]))
            {
                return between;
            }
        }
    }

    fn item(&mut self) -> Option<Item> {
        self.attempt(|r| {
            let between = r.fillers();
            if let Some(week) = r.attempt(Self::week) {
                return Some(week);
            }
            let first = r.point()?;
            let span = r.attempt(|r| {
                let joined = r.eat_lexeme(&Lexeme::Dash)
                    || r.eat_all(&["jusqu'", "a"])
                    || r.eat_all(&["jusqu'", "au"])
                    || r.eat_any(&["a", "au"])
                    || (between && r.eat("et"));
                if !joined {
                    return None;
                }
                r.fillers();
                r.point()
            });
            Some(match span {
                Some(last) => Item::Span(first, last),
                None => Item::Point(first),
            })
        })
    }

    fn week(&mut self) -> Option<Item> {
        if !self.eat_any(&["semaine", "sem"]) || !self.eat_any(&["du", "de"]) {
            return None;
        }
        let day = self.point()?;
        matches!(day.unit, Unit::Day { .. }).then_some(Item::Week(day))
    }

    fn point(&mut self) -> Option<Point> {
        self.attempt(|r| {
            let start = r.peek()?.start;
            if let Some(point) = r.attempt(|r| r.division(start)) {
                return Some(point);
            }
            let part = r.part();
            if part.is_some() {
                r.eat_any(&["de", "du", "d'"]);
                r.eat_any(&["la", "l'", "le", "les"]);
                if !r.eat_all(&["mois", "de"]) {
                    r.eat_all(&["mois", "d'"]);
                }
            }
            let (unit, year) = r.base()?;
            Some(Point {
                unit,
                year,
                part,
                start,
            })
        })
    }

    /// « 2e semestre 2025 », « 1re quinzaine d'octobre », « dernière semaine de juin »,
    /// « première moitié de 2025 ».
    fn division(&mut self, start: usize) -> Option<Point> {
        let n = self.ordinal()?;
        let halves = |n: u32| match n {
            LAST_WEEK => Some(2),
            1 | 2 => Some(n),
            _ => None,
        };
        let of = ["de", "du", "d'"];
        let (unit, year, part) = match self.word()? {
            "semestre" | "semestres" => {
                self.pos += 1;
                self.eat_any(&of);
                self.eat_any(&["l'", "la"]);
                self.eat("annee");
                let financial = self.eat_any(&["financiere", "fiscale"]);
                // « 1er semestre janvier »: a half of a year only.
                if self
                    .word()
                    .is_some_and(|w| month_number(w).is_some() || Season::parse(w).is_some())
                {
                    return None;
                }
                let year = self.year();
                // A half of the plan's year runs into no other time (« 1er semestre 12 janvier »).
                if year == YearSpec::Unknown
                    && self.peek().is_some_and(|t| {
                        !is_plain(t) && !matches!(t.lexeme, Lexeme::Dash | Lexeme::Comma | Lexeme::Slash)
                    })
                {
                    return None;
                }
                let unit = match year {
                    YearSpec::Calendar(_) | YearSpec::Short(_) if !financial => Unit::Year,
                    YearSpec::Calendar(_) | YearSpec::Short(_) => return None,
                    // No year, or a fiscal one: a half of the plan's (or that) fiscal year.
                    YearSpec::Fiscal(_) | YearSpec::Unknown => Unit::FiscalYear,
                };
                (unit, year, Part::Half(halves(n)?))
            }
            "quinzaine" | "semaine" | "sem" => {
                let fortnight = self.word() == Some("quinzaine");
                self.pos += 1;
                self.eat_any(&of);
                if !self.eat_all(&["mois", "de"]) {
                    self.eat_all(&["mois", "d'"]);
                }
                let month = self.word().and_then(month_number)?;
                self.pos += 1;
                let part = if fortnight {
                    Part::Fortnight(halves(n)?)
                } else {
                    Part::Week(n)
                };
                (Unit::Month(month), self.year(), part)
            }
            "moitie" => {
                self.pos += 1;
                self.eat_any(&of);
                self.eat_any(&["la", "l'", "le", "les"]);
                let (unit, year) = self.base()?;
                if matches!(unit, Unit::Day { .. }) {
                    return None;
                }
                (unit, year, Part::Half(halves(n)?))
            }
            _ => return None,
        };
        Some(Point {
            unit,
            year,
            part: Some(part),
            start,
        })
    }

    /// « 1er », « 1re », « première », « deuxième », « second », « dernière »… (`LAST_WEEK`
    /// for the last).
    fn ordinal(&mut self) -> Option<u32> {
        let n = match self.peek()?.lexeme {
            Lexeme::Ordinal(n) if (1..=4).contains(&n) => n,
            Lexeme::Word(ref word) => match word.as_str() {
                "premier" | "premiere" => 1,
                "deuxieme" | "second" | "seconde" => 2,
                "troisieme" => 3,
                "quatrieme" => 4,
                "dernier" | "derniere" => LAST_WEEK,
                _ => return None,
            },
            _ => return None,
        };
        self.pos += 1;
        Some(n)
    }

    fn part(&mut self) -> Option<Part> {
        if self.eat("debut") {
            Some(Part::Early)
        } else if self.eat("mi") {
            self.eat_lexeme(&Lexeme::Dash);
            Some(Part::Middle)
        } else if self.eat("fin") {
            Some(Part::Late)
        } else {
            None
        }
    }

    fn base(&mut self) -> Option<(Unit, YearSpec)> {
        let token = self.peek()?.clone();
        match token.lexeme {
            Lexeme::Word(ref word) if WEEKDAYS.contains(&word.as_str()) => {
                self.pos += 1;
                let weekday = WEEKDAYS
                    .iter()
                    .position(|w| w == word)
                    .and_then(|i| u32::try_from(i).ok());
                match self.base()? {
                    (
                        Unit::Day {
                            day,
                            month,
                            weekday: None,
                        },
                        year,
                    ) => Some((Unit::Day { day, month, weekday }, year)),
                    _ => None,
                }
            }
            Lexeme::Number { value, width: 1..=2 } | Lexeme::Ordinal(value @ 1) if (1..=31).contains(&value) => {
                if self.peek_at(1).is_some_and(|t| t.is_word("trimestre")) {
                    return self.quarter();
                }
                self.pos += 1;
                let month = self.word().and_then(month_number);
                if month.is_some() {
                    self.pos += 1;
                }
                let year = if month.is_some() {
                    self.year()
                } else {
                    YearSpec::Unknown
                };
                Some((
                    Unit::Day {
                        day: value,
                        month,
                        weekday: None,
                    },
                    year,
                ))
            }
            Lexeme::Ordinal(_) => self.quarter(),
            Lexeme::Number { value, width: 4 } => {
                self.pos += 1;
                match self.fiscal_after(value) {
                    Some(spec) => Some((Unit::FiscalYear, spec)),
                    None => Some((Unit::Year, YearSpec::Calendar(i32::try_from(value).ok()?))),
                }
            }
            Lexeme::Word(ref word) => {
                if let Some(month) = month_number(word) {
                    self.pos += 1;
                    return Some((Unit::Month(month), self.year()));
                }
                if let Some(season) = Season::parse(word) {
                    self.pos += 1;
                    return Some((Unit::Season(season), self.year()));
                }
                if let Some(named) = Named::parse(word) {
                    self.pos += 1;
                    if named == Named::BackToSchool {
                        // "Rentrée de septembre"
                        self.attempt(|r| (r.eat("de") && r.eat("septembre")).then_some(()));
                    }
                    return Some((Unit::Named(named), self.year()));
                }
                match word.as_str() {
                    "t" | "trimestre" | "premier" | "deuxieme" | "second" | "troisieme" | "quatrieme" => self.quarter(),
                    "annee" => {
                        self.pos += 1;
                        let financial = self.eat_any(&["financiere", "fiscale"]);
                        match self.year() {
                            spec @ YearSpec::Fiscal(_) => Some((Unit::FiscalYear, spec)),
                            spec @ YearSpec::Calendar(_) if !financial => Some((Unit::Year, spec)),
                            YearSpec::Unknown if financial => Some((Unit::FiscalYear, YearSpec::Unknown)),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// "T3", "3e trimestre", "troisième trimestre", "trimestre 3", then a year if any.
    fn quarter(&mut self) -> Option<(Unit, YearSpec)> {
        self.attempt(|r| {
            let token = r.peek()?.clone();
            r.pos += 1;
            let n = match (&token.lexeme, r.peek().map(|t| t.lexeme.clone())) {
                (Lexeme::Word(w), Some(Lexeme::Number { value, width: 1 })) if w == "t" || w == "trimestre" => {
                    r.pos += 1;
                    value
                }
                (Lexeme::Word(w), Some(Lexeme::Word(next))) if next == "trimestre" => {
                    r.pos += 1;
                    match w.as_str() {
                        "premier" => 1,
                        "deuxieme" | "second" => 2,
                        "troisieme" => 3,
                        "quatrieme" => 4,
                        _ => return None,
                    }
                }
                (Lexeme::Ordinal(n) | Lexeme::Number { value: n, width: 1 }, Some(Lexeme::Word(next)))
                    if next == "trimestre" =>
                {
                    r.pos += 1;
                    *n
                }
                _ => return None,
            };
            (1..=4).contains(&n).then_some(())?;
            Some((Unit::Quarter(n), r.year()))
        })
    }

    /// The year written after a point, if any.
    fn year(&mut self) -> YearSpec {
        match self.peek().map(|t| t.lexeme.clone()) {
            Some(Lexeme::Number { value, width: 4 }) => {
                self.pos += 1;
                match (self.fiscal_after(value), i32::try_from(value)) {
                    (Some(spec), _) => spec,
                    (None, Ok(year)) => YearSpec::Calendar(year),
                    (None, Err(_)) => YearSpec::Unknown,
                }
            }
            // Two digits right after a month or season ("Aut.13", "nov. 13"), not a day.
            Some(Lexeme::Number { value, width: 2 })
                if self
                    .peek_at(1)
                    .and_then(Token::word)
                    .is_none_or(|w| month_number(w).is_none()) =>
            {
                self.pos += 1;
                YearSpec::Short(value)
            }
            _ => YearSpec::Unknown,
        }
    }

    /// After a four-digit year: "-2014", "–14", "/2014" make it a fiscal year.
    fn fiscal_after(&mut self, first: u32) -> Option<YearSpec> {
        self.attempt(|r| {
            if !(r.eat_lexeme(&Lexeme::Dash) || r.eat_lexeme(&Lexeme::Slash)) {
                return None;
            }
            let Some(Lexeme::Number { value, width }) = r.peek().map(|t| t.lexeme.clone()) else {
                return None;
            };
            let follows = match width {
                4 => value == first + 1,
                2 => value == (first + 1) % 100,
                _ => false,
            };
            follows.then_some(())?;
            r.pos += 1;
            Some(YearSpec::Fiscal(i32::try_from(first).ok()?))
        })
    }
}
