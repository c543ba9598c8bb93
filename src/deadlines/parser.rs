//! French échéancier labels → periods, in the context of a plan's fiscal period.
//!
//! Pure: no I/O. Never fails and never guesses: a label it cannot read is `unparsed`,
//! kept as written.
//!
//! Seasons (used everywhere, exports included): printemps 21 March – 20 June,
//! été 21 June – 21 September, automne 22 September – 20 December, hiver 21 December –
//! 20 March. "Hiver 2014" is the winter that ends in 2014 (21 December 2013 – 20 March 2014),
//! so "Automne 2013 – Hiver 2014" runs without a gap.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text::{fold, month_number};

crate::text_enum! {
    /// What a deadline label says: `date` (3 octobre 2013), `month` (Novembre 2013), `season`
    /// (Automne 2013), `year` (En 2014), `range` (Aut.13 - Hiver 14, or two deadlines in one
    /// label: Novembre 2013 Mai 2014), `ongoing` (En continu: the whole plan), `recurring`
    /// (Mensuel, 4 régions par mois), `on_request` (Sur invitation, Au besoin), `event`
    /// (AGA 2013), `unparsed` (kept as written, never guessed).
    pub enum DeadlineKind {
        Date => "date",
        Month => "month",
        Season => "season",
        Year => "year",
        Range => "range",
        Ongoing => "ongoing",
        Recurring => "recurring",
        OnRequest => "on_request",
        Event => "event",
        Unparsed => "unparsed",
    }
}

crate::text_enum! {
    pub enum FrequencyUnit {
        Week => "week",
        Month => "month",
        Quarter => "quarter",
        Year => "year",
    }
}

/// From `start` to `end`, both included; `start <= end` always.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Period {
    #[schema(example = "2013-09-22")]
    pub start: NaiveDate,
    #[schema(example = "2014-03-20")]
    pub end: NaiveDate,
}

/// "4 régions par mois": `{unit: month, count: 4, what: "régions"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Frequency {
    pub unit: FrequencyUnit,
    pub count: Option<i32>,
    #[schema(example = "régions")]
    pub what: Option<String>,
}

/// What the parser understood of a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ParsedDeadline {
    pub kind: DeadlineKind,
    /// In order; empty for `on_request`, `unparsed` and events without a date.
    pub periods: Vec<Period>,
    pub frequency: Option<Frequency>,
    /// The free text around the period ("Bases au" in "Bases au printemps 2014").
    pub qualifier: Option<String>,
    /// The canonical French rendering, for exports: "du 22 septembre 2013 au 20 mars 2014".
    #[schema(example = "du 22 septembre 2013 au 20 mars 2014")]
    pub rendering: String,
}

impl ParsedDeadline {
    /// The first start and the last end of the periods.
    pub fn envelope(&self) -> Option<Period> {
        let start = self.periods.iter().map(|p| p.start).min()?;
        let end = self.periods.iter().map(|p| p.end).max()?;
        Some(Period { start, end })
    }
}

/// What the parser knows of the plan: its fiscal period and its dated events.
#[derive(Debug, Clone)]
pub struct PlanContext {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// ("AGA 2013", 2013-11-22): a label naming an event resolves to its date.
    pub events: Vec<(String, NaiveDate)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl Season {
    fn parse(word: &str) -> Option<Season> {
        let word = word.trim_end_matches('.');
        Some(match word {
            "printemps" | "print" | "prin" => Season::Spring,
            "ete" => Season::Summer,
            "automne" | "aut" | "autom" => Season::Autumn,
            "hiver" | "hiv" => Season::Winter,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Season::Spring => "printemps",
            Season::Summer => "été",
            Season::Autumn => "automne",
            Season::Winter => "hiver",
        }
    }

    /// The season named with `year` (the winter ending in `year`).
    fn period(self, year: i32) -> Option<Period> {
        let (start, end) = match self {
            Season::Spring => ((year, 3, 21), (year, 6, 20)),
            Season::Summer => ((year, 6, 21), (year, 9, 21)),
            Season::Autumn => ((year, 9, 22), (year, 12, 20)),
            Season::Winter => ((year - 1, 12, 21), (year, 3, 20)),
        };
        Some(Period {
            start: ymd(start)?,
            end: ymd(end)?,
        })
    }
}

fn ymd((y, m, d): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_period(year: i32, month: u32) -> Option<Period> {
    let start = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some(Period {
        start,
        end: next.pred_opt()?,
    })
}

fn year_period(year: i32) -> Option<Period> {
    Some(Period {
        start: NaiveDate::from_ymd_opt(year, 1, 1)?,
        end: NaiveDate::from_ymd_opt(year, 12, 31)?,
    })
}

/// One thing a label names, with or without its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day(u32, u32),
    Month(u32),
    Season(Season),
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    unit: Unit,
    year: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Number(u32, usize),
    Dash,
    Comma,
}

/// Lower case, no accents; dashes and commas become tokens; "aut.13" → "aut." "13".
fn tokens(label: &str) -> Vec<Token> {
    let folded = fold(label).replace(['–', '—', '‑'], "-");
    let mut out = Vec::new();
    for raw in folded.split_whitespace() {
        let mut word = String::new();
        let mut digits = String::new();
        let flush = |word: &mut String, digits: &mut String, out: &mut Vec<Token>| {
            if !word.is_empty() {
                out.push(Token::Word(std::mem::take(word)));
            }
            if !digits.is_empty() {
                let width = digits.len();
                if let Ok(n) = digits.parse::<u32>() {
                    out.push(Token::Number(n, width));
                } else {
                    out.push(Token::Word(std::mem::take(digits)));
                }
                digits.clear();
            }
        };
        for c in raw.chars() {
            match c {
                '-' => {
                    flush(&mut word, &mut digits, &mut out);
                    out.push(Token::Dash);
                }
                ',' | ';' => {
                    flush(&mut word, &mut digits, &mut out);
                    out.push(Token::Comma);
                }
                '0'..='9' => {
                    if !word.is_empty() {
                        flush(&mut word, &mut digits, &mut out);
                    }
                    digits.push(c);
                }
                _ => {
                    if !digits.is_empty() {
                        flush(&mut word, &mut digits, &mut out);
                    }
                    word.push(c);
                }
            }
        }
        flush(&mut word, &mut digits, &mut out);
    }
    out
}

/// Expands a year as written: four digits as is; two digits to the year closest to
/// the plan's start ("13" in a 2013–2014 plan is 2013).
fn full_year(n: u32, width: usize, ctx: &PlanContext) -> Option<i32> {
    let n = i32::try_from(n).ok()?;
    match width {
        4 if (1900..=2200).contains(&n) => Some(n),
        2 => {
            let base = ctx.start.year();
            let century = base - base.rem_euclid(100);
            [century - 100, century, century + 100]
                .into_iter()
                .map(|c| c + n)
                .min_by_key(|y| (y - base).abs())
        }
        _ => None,
    }
}

/// A parsed run of tokens: the points and how they are joined.
#[derive(Debug, Default)]
struct Reading {
    /// Groups: one point, or two for a span "A - B".
    groups: Vec<Vec<Point>>,
    /// Words that are not part of any date ("bases au").
    other_words: Vec<String>,
}

fn read(tokens: &[Token], ctx: &PlanContext) -> Reading {
    let mut reading = Reading::default();
    let mut pending_dash = false;
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let mut point = None;
        match token {
            Token::Dash => pending_dash = !reading.groups.is_empty(),
            Token::Comma => pending_dash = false,
            Token::Number(n, width) => {
                // "1er mai": skip the ordinal's "er".
                let after = if tokens.get(i + 1) == Some(&Token::Word("er".to_owned())) {
                    i + 2
                } else {
                    i + 1
                };
                let next_month = match tokens.get(after) {
                    Some(Token::Word(w)) => month_number(w),
                    _ => None,
                };
                match next_month {
                    // "3 octobre 2013", "1er mai": a day and its month.
                    Some(month) if *width <= 2 && (1..=31).contains(n) => {
                        point = Some(Point {
                            unit: Unit::Day(*n, month),
                            year: None,
                        });
                        i = after;
                    }
                    _ => match full_year(*n, *width, ctx) {
                        // A year right after a month or season is that point's year.
                        Some(year) => match reading.groups.last_mut().and_then(|g| g.last_mut()) {
                            Some(last) if last.year.is_none() && !pending_dash && last.unit != Unit::Year => {
                                last.year = Some(year);
                            }
                            _ => {
                                point = Some(Point {
                                    unit: Unit::Year,
                                    year: Some(year),
                                })
                            }
                        },
                        None => reading.other_words.push(n.to_string()),
                    },
                }
            }
            Token::Word(word) if word == "er" => {}
            Token::Word(word) => {
                if let Some(month) = month_number(word) {
                    point = Some(Point {
                        unit: Unit::Month(month),
                        year: None,
                    });
                } else if let Some(season) = Season::parse(word) {
                    point = Some(Point {
                        unit: Unit::Season(season),
                        year: None,
                    });
                } else {
                    reading.other_words.push(word.trim_end_matches('.').to_owned());
                }
            }
        }
        if let Some(point) = point {
            match reading.groups.last_mut() {
                Some(group) if pending_dash && group.len() == 1 => group.push(point),
                _ => reading.groups.push(vec![point]),
            }
            pending_dash = false;
        }
        i += 1;
    }
    reading
}

/// Points without a year take the next year written after them ("Hiver - Printemps 2014",
/// "Février, Sept. 2014"), else the one before; dates and months left without any year
/// are placed within the plan.
fn carry_years(groups: &mut [Vec<Point>]) {
    let flat: Vec<(usize, usize)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, points)| (0..points.len()).map(move |p| (g, p)))
        .collect();
    for (index, &(g, p)) in flat.iter().enumerate() {
        if groups[g][p].year.is_some() {
            continue;
        }
        let later = flat[index + 1..].iter().find_map(|&(g2, p2)| groups[g2][p2].year);
        let earlier = flat[..index].iter().rev().find_map(|&(g2, p2)| groups[g2][p2].year);
        groups[g][p].year = later.or(earlier);
    }
}

fn point_period(point: Point, ctx: &PlanContext) -> Option<Period> {
    match (point.unit, point.year) {
        (Unit::Day(day, month), Some(year)) => {
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            Some(Period { start: date, end: date })
        }
        (Unit::Month(month), Some(year)) => month_period(year, month),
        (Unit::Season(season), Some(year)) => season.period(year),
        (Unit::Year, Some(year)) => year_period(year),
        // No year anywhere: the occurrence that falls in the plan's period.
        (unit, None) => (ctx.start.year() - 1..=ctx.end.year() + 1)
            .filter_map(|year| point_period(Point { unit, year: Some(year) }, ctx))
            .max_by_key(|p| overlap_days(*p, ctx))
            .filter(|p| overlap_days(*p, ctx) > 0),
    }
}

fn overlap_days(period: Period, ctx: &PlanContext) -> i64 {
    let start = period.start.max(ctx.start);
    let end = period.end.min(ctx.end);
    (end - start).num_days() + 1
}

fn unit_kind(unit: Unit) -> DeadlineKind {
    match unit {
        Unit::Day(..) => DeadlineKind::Date,
        Unit::Month(_) => DeadlineKind::Month,
        Unit::Season(_) => DeadlineKind::Season,
        Unit::Year => DeadlineKind::Year,
    }
}

const ONGOING: [&str; 4] = ["en continu", "en tout temps", "toute l'annee", "continu"];
const ON_REQUEST: [&str; 6] = [
    "sur invitation",
    "au besoin",
    "sur demande",
    "selon les besoins",
    "a determiner",
    "si necessaire",
];
const EVENT_WORDS: [&str; 8] = [
    "aga",
    "assemblee",
    "activite",
    "colloque",
    "forum",
    "seminaire",
    "congres",
    "lac-a-l'epaule",
];

fn frequency_unit(word: &str) -> Option<FrequencyUnit> {
    Some(match word.trim_end_matches('.') {
        "semaine" | "hebdomadaire" | "hebdo" => FrequencyUnit::Week,
        "mois" | "mensuel" | "mensuelle" | "mensuellement" => FrequencyUnit::Month,
        "trimestre" | "trimestriel" | "trimestrielle" => FrequencyUnit::Quarter,
        "an" | "annee" | "annuel" | "annuelle" | "annuellement" => FrequencyUnit::Year,
        _ => return None,
    })
}

/// "Mensuel", "Chaque trimestre", "4 régions par mois".
fn recurring(folded: &str, label: &str) -> Option<Frequency> {
    let words: Vec<&str> = folded.split_whitespace().collect();
    if let [only] = words.as_slice() {
        return frequency_unit(only).map(|unit| Frequency {
            unit,
            count: None,
            what: None,
        });
    }
    if let ["chaque" | "tous" | "toutes", .., last] = words.as_slice() {
        return frequency_unit(last).map(|unit| Frequency {
            unit,
            count: None,
            what: None,
        });
    }
    let par = words.iter().position(|w| *w == "par")?;
    let unit = frequency_unit(words.get(par + 1)?)?;
    if par + 2 != words.len() {
        return None;
    }
    let count = words.first().and_then(|w| w.parse::<i32>().ok());
    let original: Vec<&str> = label.split_whitespace().collect();
    let what_from = usize::from(count.is_some());
    let what = original
        .get(what_from..par)
        .map(|w| w.join(" "))
        .filter(|w| !w.is_empty());
    Some(Frequency { unit, count, what })
}

/// Reads a label. Never panics; every period has `start <= end`.
pub fn parse(label: &str, ctx: &PlanContext) -> ParsedDeadline {
    let folded = fold(label).trim_end_matches('.').trim().to_owned();
    let plan = Period {
        start: ctx.start.min(ctx.end),
        end: ctx.end.max(ctx.start),
    };
    let mut parsed = ParsedDeadline {
        kind: DeadlineKind::Unparsed,
        periods: Vec::new(),
        frequency: None,
        qualifier: None,
        rendering: label.trim().to_owned(),
    };
    if folded.is_empty() {
        return parsed;
    }
    if ONGOING.contains(&folded.as_str()) {
        parsed.kind = DeadlineKind::Ongoing;
        parsed.periods = vec![plan];
    } else if ON_REQUEST.contains(&folded.as_str()) {
        parsed.kind = DeadlineKind::OnRequest;
    } else if let Some(frequency) = recurring(&folded, label.trim()) {
        parsed.kind = DeadlineKind::Recurring;
        parsed.periods = vec![plan];
        parsed.frequency = Some(frequency);
    } else if let Some(date) = iso_or_numeric_date(&folded) {
        parsed.kind = DeadlineKind::Date;
        parsed.periods = vec![Period { start: date, end: date }];
    } else if let Some((_, date)) = ctx.events.iter().find(|(name, _)| fold(name) == folded) {
        parsed.kind = DeadlineKind::Event;
        parsed.periods = vec![Period {
            start: *date,
            end: *date,
        }];
    } else if folded
        .split_whitespace()
        .next()
        .is_some_and(|first| EVENT_WORDS.contains(&first))
    {
        parsed.kind = DeadlineKind::Event;
    } else {
        read_periods(&folded, ctx, &mut parsed);
    }
    parsed.rendering = render(&parsed, label.trim());
    parsed
}

/// "2013-10-03", "03/10/2013" (day first, as in Québec).
fn iso_or_numeric_date(folded: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(folded, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(folded, "%d/%m/%Y"))
        .ok()
        .filter(|_| folded.len() == 10)
}

fn read_periods(folded: &str, ctx: &PlanContext, parsed: &mut ParsedDeadline) {
    let tokens = tokens(folded);
    let mut reading = read(&tokens, ctx);
    if reading.groups.is_empty() {
        return;
    }
    carry_years(&mut reading.groups);
    let mut periods = Vec::new();
    for group in &reading.groups {
        let spans: Option<Vec<Period>> = group.iter().map(|p| point_period(*p, ctx)).collect();
        let Some(spans) = spans else {
            return; // a date that does not exist ("31 février 2014"): unparsed
        };
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
            return;
        };
        if last.end < first.start {
            return; // "Hiver 2015 - Automne 2013": backwards, not guessed
        }
        periods.push(Period {
            start: first.start,
            end: last.end,
        });
    }
    let words: Vec<&str> = reading
        .other_words
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "en" | "et" | "a" | "au" | "de" | "du"))
        .collect();
    parsed.kind = if periods.len() > 1 || reading.groups.iter().any(|g| g.len() > 1) {
        DeadlineKind::Range
    } else {
        unit_kind(reading.groups[0][0].unit)
    };
    parsed.periods = periods;
    if !words.is_empty() {
        // "Bases au printemps 2014": the period found inside free text.
        let label_words: Vec<&str> = folded.split_whitespace().collect();
        let date_start = label_words
            .iter()
            .position(|w| {
                month_number(w).is_some() || Season::parse(w).is_some() || w.chars().all(|c| c.is_ascii_digit())
            })
            .unwrap_or(0);
        parsed.qualifier = Some(label_words[..date_start].join(" ")).filter(|q| !q.is_empty());
    }
}

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

/// "1er juillet 2013", "3 octobre 2013".
pub fn render_date(date: NaiveDate) -> String {
    let day = if date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    };
    let month = MONTH_NAMES.get(date.month0() as usize).copied().unwrap_or("");
    format!("{day} {month} {}", date.year())
}

fn render_period(kind: DeadlineKind, period: Period) -> String {
    match kind {
        DeadlineKind::Date => render_date(period.start),
        DeadlineKind::Month => {
            let month = MONTH_NAMES.get(period.start.month0() as usize).copied().unwrap_or("");
            format!("{month} {}", period.start.year())
        }
        DeadlineKind::Year => period.start.year().to_string(),
        DeadlineKind::Season => {
            let season = [Season::Spring, Season::Summer, Season::Autumn, Season::Winter]
                .into_iter()
                .find(|s| s.period(period.end.year()) == Some(period));
            match season {
                Some(season) => format!("{} {}", season.name(), period.end.year()),
                None => format!("du {} au {}", render_date(period.start), render_date(period.end)),
            }
        }
        _ if period.start == period.end => render_date(period.start),
        _ => format!("du {} au {}", render_date(period.start), render_date(period.end)),
    }
}

/// A period of a multi-deadline label, named as what it is (a month, a season, a day…).
fn render_any(period: Period) -> String {
    let kind = if Some(period) == month_period(period.start.year(), period.start.month()) {
        DeadlineKind::Month
    } else if period.start == period.end {
        DeadlineKind::Date
    } else {
        DeadlineKind::Season
    };
    render_period(kind, period)
}

/// The canonical French rendering of what was understood.
fn render(parsed: &ParsedDeadline, label: &str) -> String {
    let periods = |kind| {
        parsed
            .periods
            .iter()
            .map(|p| render_period(kind, *p))
            .collect::<Vec<_>>()
            .join(" et ")
    };
    let text = match parsed.kind {
        DeadlineKind::Unparsed => label.to_owned(),
        DeadlineKind::Ongoing => "en continu".to_owned(),
        DeadlineKind::OnRequest => fold(label).trim_end_matches('.').to_owned(),
        DeadlineKind::Recurring => match &parsed.frequency {
            Some(Frequency { unit, count, what }) => {
                let per = match unit {
                    FrequencyUnit::Week => "semaine",
                    FrequencyUnit::Month => "mois",
                    FrequencyUnit::Quarter => "trimestre",
                    FrequencyUnit::Year => "année",
                };
                match (count, what) {
                    (Some(count), Some(what)) => format!("{count} {what} par {per}"),
                    (Some(count), None) => format!("{count} fois par {per}"),
                    _ => format!("chaque {per}"),
                }
            }
            None => label.to_owned(),
        },
        DeadlineKind::Event => match parsed.periods.first() {
            Some(p) => format!("{label} ({})", render_date(p.start)),
            None => label.to_owned(),
        },
        DeadlineKind::Range if parsed.periods.len() > 1 => parsed
            .periods
            .iter()
            .map(|p| render_any(*p))
            .collect::<Vec<_>>()
            .join(" et "),
        kind => periods(kind),
    };
    match &parsed.qualifier {
        Some(qualifier) => format!("{text} ({qualifier})"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    /// The 2013–2014 plan (July to June), with no dated event.
    fn plan() -> PlanContext {
        PlanContext {
            start: date("2013-07-01"),
            end: date("2014-06-30"),
            events: Vec::new(),
        }
    }

    fn check(label: &str, kind: DeadlineKind, periods: &[(&str, &str)]) {
        let parsed = parse(label, &plan());
        assert_eq!(parsed.kind, kind, "{label}: {parsed:?}");
        let expected: Vec<Period> = periods
            .iter()
            .map(|(s, e)| Period {
                start: date(s),
                end: date(e),
            })
            .collect();
        assert_eq!(parsed.periods, expected, "{label}");
    }

    #[test]
    fn every_label_of_the_2013_2014_plan() {
        use DeadlineKind::*;
        check("Automne 2013", Season, &[("2013-09-22", "2013-12-20")]);
        check("3 octobre 2013", Date, &[("2013-10-03", "2013-10-03")]);
        check("En 2014", Year, &[("2014-01-01", "2014-12-31")]);
        check("Sur invitation", OnRequest, &[]);
        check("Aut.13 - Hiver 14", Range, &[("2013-09-22", "2014-03-20")]);
        check("Hiver 2014", Season, &[("2013-12-21", "2014-03-20")]);
        check("Printemps 14", Season, &[("2014-03-21", "2014-06-20")]);
        check("En continu", Ongoing, &[("2013-07-01", "2014-06-30")]);
        check(
            "Novembre 2013 Mai 2014",
            Range,
            &[("2013-11-01", "2013-11-30"), ("2014-05-01", "2014-05-31")],
        );
        check("Mensuel", Recurring, &[("2013-07-01", "2014-06-30")]);
        check(
            "Février, Sept. 2014",
            Range,
            &[("2014-02-01", "2014-02-28"), ("2014-09-01", "2014-09-30")],
        );
        check("Septembre 2013", Month, &[("2013-09-01", "2013-09-30")]);
        check("Printemps 2014", Season, &[("2014-03-21", "2014-06-20")]);
        check("Automne 2013 – Hiver 2014", Range, &[("2013-09-22", "2014-03-20")]);
        check("Automne 2013 - Hiver 2014", Range, &[("2013-09-22", "2014-03-20")]);
        check("Août 2013", Month, &[("2013-08-01", "2013-08-31")]);
        check("Novembre 2013", Month, &[("2013-11-01", "2013-11-30")]);
        check("Mai 2014", Month, &[("2014-05-01", "2014-05-31")]);
        check("Décembre 2013", Month, &[("2013-12-01", "2013-12-31")]);
        check("Juin 2014", Month, &[("2014-06-01", "2014-06-30")]);
        check("Mai 2013", Month, &[("2013-05-01", "2013-05-31")]);
        check("AGA 2013", Event, &[]);
        check("Juin 13-Juin 15", Range, &[("2013-06-01", "2015-06-30")]);
        check("Au besoin", OnRequest, &[]);
        check("4 régions par mois", Recurring, &[("2013-07-01", "2014-06-30")]);
        check("Hiver - Printemps 2014", Range, &[("2013-12-21", "2014-06-20")]);
        check("Hiver- Printemps 2014", Range, &[("2013-12-21", "2014-06-20")]);
        check("Bases au printemps 2014", Season, &[("2014-03-21", "2014-06-20")]);
        check("Été 2014", Season, &[("2014-06-21", "2014-09-21")]);
    }

    #[test]
    fn other_forms_of_the_issue() {
        use DeadlineKind::*;
        check("2013-10-03", Date, &[("2013-10-03", "2013-10-03")]);
        check("03/10/2013", Date, &[("2013-10-03", "2013-10-03")]);
        check("1er mai 2014", Date, &[("2014-05-01", "2014-05-01")]);
        check("nov. 13", Month, &[("2013-11-01", "2013-11-30")]);
        check("Sept. 2014", Month, &[("2014-09-01", "2014-09-30")]);
        check("2014", Year, &[("2014-01-01", "2014-12-31")]);
        check("Chaque trimestre", Recurring, &[("2013-07-01", "2014-06-30")]);
        check("Activité biannuelle de mai", Event, &[]);
        check("  AUTOMNE   2013 ", Season, &[("2013-09-22", "2013-12-20")]);
        check("automne 2013 — hiver 2014", Range, &[("2013-09-22", "2014-03-20")]);
        check("Mai", Month, &[("2014-05-01", "2014-05-31")]);
    }

    #[test]
    fn what_cannot_be_read_is_kept_and_not_guessed() {
        use DeadlineKind::*;
        for label in [
            "",
            "Participation citoyenne",
            "5 tournages",
            "31 février 2014",
            "Hiver 2015 - Automne 2013",
            "3-4 fois",
        ] {
            let parsed = parse(label, &plan());
            assert_eq!(parsed.kind, Unparsed, "{label}: {parsed:?}");
            assert!(parsed.periods.is_empty());
            assert_eq!(parsed.rendering, label.trim());
        }
    }

    #[test]
    fn frequencies_and_qualifiers() {
        let parsed = parse("4 régions par mois", &plan());
        assert_eq!(
            parsed.frequency,
            Some(Frequency {
                unit: FrequencyUnit::Month,
                count: Some(4),
                what: Some("régions".to_owned())
            })
        );
        assert_eq!(
            parse("Mensuel", &plan()).frequency.map(|f| f.unit),
            Some(FrequencyUnit::Month)
        );
        assert_eq!(
            parse("Bases au printemps 2014", &plan()).qualifier.as_deref(),
            Some("bases au")
        );
    }

    #[test]
    fn events_of_the_plan_resolve_to_their_date() {
        let mut ctx = plan();
        ctx.events.push(("AGA 2013".to_owned(), date("2013-11-22")));
        let parsed = parse("AGA 2013", &ctx);
        assert_eq!(parsed.kind, DeadlineKind::Event);
        assert_eq!(
            parsed.periods,
            vec![Period {
                start: date("2013-11-22"),
                end: date("2013-11-22")
            }]
        );
        assert_eq!(parsed.rendering, "AGA 2013 (22 novembre 2013)");
    }

    #[test]
    fn canonical_french_renderings() {
        let render = |label: &str| parse(label, &plan()).rendering;
        assert_eq!(render("Aut.13 - Hiver 14"), "du 22 septembre 2013 au 20 mars 2014");
        assert_eq!(render("Automne 2013"), "automne 2013");
        assert_eq!(render("Hiver 2014"), "hiver 2014");
        assert_eq!(render("nov. 13"), "novembre 2013");
        assert_eq!(render("3 octobre 2013"), "3 octobre 2013");
        assert_eq!(render("Février, Sept. 2014"), "février 2014 et septembre 2014");
        assert_eq!(render("En 2014"), "2014");
        assert_eq!(render("En continu"), "en continu");
        assert_eq!(render("4 régions par mois"), "4 régions par mois");
        assert_eq!(render("Mensuel"), "chaque mois");
        assert_eq!(render("Sur invitation"), "sur invitation");
        assert_eq!(render("Bases au printemps 2014"), "printemps 2014 (bases au)");
        assert_eq!(render_date(date("2013-07-01")), "1er juillet 2013");
    }

    const WORDS: [&str; 34] = [
        "automne",
        "Aut.13",
        "hiver",
        "Hiver-",
        "printemps",
        "été",
        "2013",
        "14",
        "99",
        "0",
        "31",
        "1er",
        "février",
        "Sept.",
        "nov.",
        "-",
        "–",
        ",",
        "en",
        "continu",
        "par",
        "mois",
        "4",
        "régions",
        "AGA",
        "sur",
        "invitation",
        "2013-02-30",
        "29/02/2013",
        "29",
        "février",
        "2400",
        "1900",
        "x",
    ];

    fn ordered(label: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let parsed = parse(label, &plan());
        for period in &parsed.periods {
            proptest::prop_assert!(period.start <= period.end, "{label:?}: {parsed:?}");
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Labels made of the parser's own vocabulary: it never panics, and every period
        /// starts no later than it ends.
        #[test]
        fn never_panics_on_its_vocabulary(words in proptest::collection::vec(proptest::sample::select(WORDS.to_vec()), 0..7), glue in "[ ,-]?") {
            ordered(&words.join(if glue.is_empty() { " " } else { glue.as_str() }))?;
        }

        /// And on any text at all.
        #[test]
        fn never_panics_on_any_text(label in "\\PC{0,40}") {
            ordered(&label)?;
        }
    }
}
