//! What a reading of a label means in days, in a plan's period, and how to say it back in
//! French. `None` whenever the words do not settle the days: a label is read right or left
//! unparsed.

use chrono::{Datelike, Duration, NaiveDate};

use super::grammar::{Item, Joiner, Reading, Relation, Target, Unit, YearSpec};
use super::parser::{DeadlineKind, Period, PlanContext};
use super::periods::{self, Named, Part, Season, Thirds, contains, overlap_days};
use crate::text::{day_number, month_name, render_date};
use crate::text::{fold, lower_first, squash};

/// The kind, periods, qualifier and rendering of a dated label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Understood {
    pub kind: DeadlineKind,
    pub periods: Vec<Period>,
    pub qualifier: Option<String>,
    pub rendering: String,
}

/// A point placed in time: its days, and the year it is named with ("hiver 2014"), or the
/// first year of its fiscal year ("3e trimestre 2013-2014").
#[derive(Debug, Clone, Copy)]
struct Dated {
    /// Where the point starts in the label.
    start: usize,
    unit: Unit,
    part: Option<Part>,
    period: Period,
    year: i32,
}

pub fn understand(label: &str, reading: &Reading, ctx: &PlanContext, first_token: usize) -> Option<Understood> {
    let Target::Items(items, joiner) = &reading.expression.target else {
        return Some(event(label, reading, ctx));
    };
    let items = place_years(items, ctx)?;
    let relation = reading.expression.relation;
    let mut periods = Vec::new();
    for item in &items {
        periods.push(item_period(item)?);
    }
    let plan = ctx.period();
    let kind = match (relation, items.as_slice()) {
        (Relation::At, [DatedItem::Point(d)]) if d.part.is_some() => DeadlineKind::Part,
        (Relation::At, [DatedItem::Point(d)]) => unit_kind(d.unit),
        (Relation::At, [DatedItem::Span(..)]) => DeadlineKind::Range,
        (Relation::At, [DatedItem::Week(_)]) => DeadlineKind::Week,
        (Relation::At, _) if *joiner == Joiner::Or => DeadlineKind::Alternatives,
        (Relation::At, _) => DeadlineKind::Range,
        (relation, [_]) => {
            let period = periods[0];
            periods = vec![relative(relation, period, plan)];
            relation_kind(relation)
        }
        _ => return None,
    };
    let core = match relation {
        Relation::At => render_items(&items, *joiner),
        _ => render_items(&items, Joiner::And),
    };
    let point_start = items.first().map_or(reading.start, |i| i.first().start);
    let qualified = reading.start > first_token;
    let leading = if reading.by_after {
        String::new()
    } else if qualified || relation != Relation::At {
        let text = label[..point_start].trim_start();
        if qualified { text.to_owned() } else { lower_first(text) }
    } else {
        String::new()
    };
    let trailing = label[reading.end..].trim_matches(|c: char| c.is_whitespace() || c == '.');
    let after = if reading.by_after { "au plus tard" } else { "" };
    let rendering = [join_elided(&leading, &core), after.to_owned()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // « mai 2025, à confirmer »: a comma stays against the time.
    let rendering = match trailing {
        "" => rendering,
        t if t.starts_with([',', ';']) => format!("{rendering}{t}"),
        t => format!("{rendering} {t}"),
    };
    let leading_words = if qualified {
        label[..reading.start].trim_end_matches(|c: char| c.is_whitespace() || "-–—,;:".contains(c))
    } else {
        ""
    };
    // « – à confirmer », « , selon le financement »: the qualifier without its separator.
    let trailing = trailing.trim_start_matches(|c: char| c.is_whitespace() || "-–—,;".contains(c));
    let qualifier = [leading_words, trailing]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Understood {
        kind,
        periods,
        qualifier: Some(qualifier).filter(|q| !q.is_empty()),
        rendering,
    })
}

/// "avant X" ends the day before X, "d'ici X" on its last day, both from the plan's start;
/// "dès X" and "après X" run to the plan's end.
fn relative(relation: Relation, period: Period, plan: Period) -> Period {
    let until = |end: NaiveDate| Period {
        start: plan.start.min(end),
        end,
    };
    let from = |start: NaiveDate| Period {
        start,
        end: plan.end.max(start),
    };
    match relation {
        Relation::At => period,
        Relation::Before => until(period.start.pred_opt().unwrap_or(period.start)),
        Relation::By => until(period.end),
        Relation::From => from(period.start),
        Relation::After => from(period.end.succ_opt().unwrap_or(period.end)),
    }
}

fn relation_kind(relation: Relation) -> DeadlineKind {
    match relation {
        Relation::At => DeadlineKind::Event,
        Relation::Before | Relation::By => DeadlineKind::By,
        Relation::From | Relation::After => DeadlineKind::From,
    }
}

fn unit_kind(unit: Unit) -> DeadlineKind {
    match unit {
        Unit::Day { .. } => DeadlineKind::Date,
        Unit::Month(_) => DeadlineKind::Month,
        Unit::Season(_) | Unit::Named(Named::BackToSchool | Named::Holidays) => DeadlineKind::Season,
        Unit::Named(Named::Christmas) => DeadlineKind::Date,
        Unit::Year => DeadlineKind::Year,
        Unit::FiscalYear => DeadlineKind::FiscalYear,
        Unit::Quarter(_) => DeadlineKind::Quarter,
    }
}

/// An event of the plan: its date when the plan gives one, else no period.
fn event(label: &str, reading: &Reading, ctx: &PlanContext) -> Understood {
    let Target::Event { folded } = &reading.expression.target else {
        unreachable!("called for events only")
    };
    let date = ctx
        .events
        .iter()
        .find(|(name, _)| fold(name) == *folded)
        .or_else(|| {
            let mut named = ctx
                .events
                .iter()
                .filter(|(name, _)| fold(name).split(' ').next() == Some(folded.as_str()));
            match (named.next(), named.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        })
        .map(|(_, date)| *date);
    let written = squash(label).trim_end_matches('.').to_owned();
    match date {
        Some(date) => {
            let relation = reading.expression.relation;
            let period = relative(relation, Period { start: date, end: date }, ctx.period());
            Understood {
                kind: relation_kind(relation),
                periods: vec![period],
                qualifier: None,
                rendering: format!("{written} ({})", render_date(date)),
            }
        }
        None => Understood {
            kind: DeadlineKind::Event,
            periods: Vec::new(),
            qualifier: None,
            rendering: written,
        },
    }
}

#[derive(Debug, Clone, Copy)]
enum DatedItem {
    Point(Dated),
    Span(Dated, Dated),
    Week(Dated),
}

impl DatedItem {
    fn first(&self) -> &Dated {
        match self {
            DatedItem::Point(d) | DatedItem::Span(d, _) | DatedItem::Week(d) => d,
        }
    }
}

fn item_period(item: &DatedItem) -> Option<Period> {
    match item {
        DatedItem::Point(d) => Some(d.period),
        DatedItem::Span(first, last) => Some(Period {
            start: first.period.start,
            end: last.period.end,
        }),
        DatedItem::Week(day) => {
            let monday =
                day.period.start - Duration::days(i64::from(day.period.start.weekday().num_days_from_monday()));
            Some(Period {
                start: monday,
                end: monday + Duration::days(6),
            })
        }
    }
}

/// A point as the grammar read it, and whether its year and month were its own.
#[derive(Debug, Clone, Copy)]
struct Written {
    point: super::grammar::Point,
    own_year: bool,
    own_month: bool,
}

/// Gives each point its month and year (a day's month from the next day that has one; a
/// year from the next point that has one, else the previous, else the plan's), then its days.
fn place_years(items: &[Item], ctx: &PlanContext) -> Option<Vec<DatedItem>> {
    let mut flat: Vec<Written> = items
        .iter()
        .flat_map(|item| match item {
            Item::Point(p) | Item::Week(p) => vec![*p],
            Item::Span(a, b) => vec![*a, *b],
        })
        .map(|point| Written {
            point,
            own_year: point.year != YearSpec::Unknown,
            own_month: !matches!(point.unit, Unit::Day { month: None, .. }),
        })
        .collect();
    for i in 0..flat.len() {
        if let Unit::Day { month: None, .. } = flat[i].point.unit {
            let (month, year) = flat[i + 1..].iter().find_map(|w| match w.point.unit {
                Unit::Day { month: Some(m), .. } => Some((m, w.point.year)),
                _ => None,
            })?;
            if let Unit::Day { month: own, .. } = &mut flat[i].point.unit {
                *own = Some(month);
            }
            if flat[i].point.year == YearSpec::Unknown {
                flat[i].point.year = year;
            }
        }
    }
    let written: Vec<YearSpec> = flat.iter().map(|w| w.point.year).collect();
    for (i, w) in flat.iter_mut().enumerate() {
        if w.point.year == YearSpec::Unknown {
            // A quarter belongs to a fiscal year: it takes no calendar year from a neighbour.
            let fits = |y: &&YearSpec| match w.point.unit {
                Unit::Quarter(_) | Unit::FiscalYear => matches!(y, YearSpec::Fiscal(_)),
                _ => **y != YearSpec::Unknown,
            };
            let later = written[i + 1..].iter().find(fits);
            let earlier = written[..i].iter().rev().find(fits);
            w.point.year = later.or(earlier).copied().unwrap_or(YearSpec::Unknown);
        }
    }
    let mut flat = flat.into_iter();
    let mut out = Vec::new();
    for item in items {
        out.push(match item {
            Item::Point(_) => DatedItem::Point(place(flat.next()?, ctx)?),
            Item::Week(_) => DatedItem::Week(place(flat.next()?, ctx)?),
            Item::Span(..) => {
                let (first, last) = (flat.next()?, flat.next()?);
                span(first, last, ctx)?
            }
        });
    }
    Some(out)
}

/// "X à Y": Y ends after X starts. A first point that took its year from Y may go back a
/// year ("novembre à février 2014" starts in November 2013); written years are never moved.
fn span(first: Written, last: Written, ctx: &PlanContext) -> Option<DatedItem> {
    let bare_year = |w: &Written| w.point.unit == Unit::Year && w.point.part.is_none();
    if bare_year(&first) && bare_year(&last) {
        return None; // "2013-2015": calendar or fiscal years, not guessed
    }
    let end = place(last, ctx)?;
    let mut start = place(first, ctx)?;
    let ordered = |a: &Dated| a.period.start <= end.period.start && a.period.end <= end.period.end;
    if !ordered(&start) {
        let movable = !first.own_year
            && matches!(
                first.point.unit,
                Unit::Month(_) | Unit::Season(_) | Unit::Named(_) | Unit::Day { .. }
            )
            // "du 8 au 4 novembre": the day took its month from the next; not moved.
            && first.own_month;
        if !movable {
            return None;
        }
        let at = start.start;
        start = dated(first.point.unit, first.point.part, start.year - 1).map(|d| Dated { start: at, ..d })?;
        if !ordered(&start) {
            return None;
        }
    }
    Some(DatedItem::Span(start, end))
}

fn place(written: Written, ctx: &PlanContext) -> Option<Dated> {
    let start = written.point.start;
    place_unmarked(written, ctx).map(|d| Dated { start, ..d })
}

fn place_unmarked(written: Written, ctx: &PlanContext) -> Option<Dated> {
    let point = written.point;
    let plan = ctx.period();
    match point.year {
        YearSpec::Calendar(year) => dated(point.unit, point.part, year),
        YearSpec::Short(n) => dated(point.unit, point.part, full_year(n, ctx)?),
        YearSpec::Fiscal(first) => {
            let fiscal = periods::fiscal_year(first, ctx.start)?;
            match point.unit {
                Unit::FiscalYear | Unit::Quarter(_) => fiscal_dated(point.unit, point.part, fiscal, first),
                unit => {
                    let mut inside = (first - 1..=first + 1)
                        .filter_map(|y| dated(unit, point.part, y))
                        .filter(|d| contains(fiscal, d.period));
                    match (inside.next(), inside.next()) {
                        (Some(only), None) => Some(only),
                        _ => None,
                    }
                }
            }
        }
        YearSpec::Unknown => match point.unit {
            Unit::FiscalYear | Unit::Quarter(_) => fiscal_dated(point.unit, point.part, plan, plan.start.year()),
            Unit::Year => None,
            unit => (ctx.start.year() - 1..=ctx.end.year() + 1)
                .filter_map(|y| dated(unit, None, y))
                .filter(|d| overlap_days(d.period, plan) > 0)
                .max_by_key(|d| overlap_days(d.period, plan))
                .and_then(|d| dated(unit, point.part, d.year)),
        },
    }
}

fn fiscal_dated(unit: Unit, part: Option<Part>, fiscal: Period, first: i32) -> Option<Dated> {
    let whole = match unit {
        Unit::FiscalYear => fiscal,
        Unit::Quarter(n) => periods::quarter(fiscal, n)?,
        _ => return None,
    };
    Some(Dated {
        start: 0,
        unit,
        part,
        period: with_part(whole, part, Thirds::Months)?,
        year: first,
    })
}

fn with_part(period: Period, part: Option<Part>, thirds: Thirds) -> Option<Period> {
    match part {
        Some(part) => periods::part(period, part, thirds),
        None => Some(period),
    }
}

/// The point in calendar year `year`.
fn dated(unit: Unit, part: Option<Part>, year: i32) -> Option<Dated> {
    let (whole, thirds) = match unit {
        Unit::Day {
            day,
            month: Some(month),
            weekday,
        } => {
            let period = periods::day(year, month, day)?;
            if weekday.is_some_and(|w| w != period.start.weekday().num_days_from_monday()) {
                return None; // "mardi 4 novembre 2013" was a Monday: not guessed
            }
            (period, None)
        }
        Unit::Day { month: None, .. } | Unit::FiscalYear | Unit::Quarter(_) => return None,
        Unit::Month(month) => (periods::month(year, month)?, Some(Thirds::Month)),
        Unit::Season(season) => (season.period(year)?, Some(Thirds::Days)),
        Unit::Named(named) => (named.period(year)?, Some(Thirds::Days)),
        Unit::Year => (periods::year(year)?, Some(Thirds::Months)),
    };
    let period = match (part, thirds) {
        (None, _) => whole,
        (Some(part), Some(thirds)) => periods::part(whole, part, thirds)?,
        (Some(_), None) => return None,
    };
    Some(Dated {
        start: 0,
        unit,
        part,
        period,
        year,
    })
}

/// Two digits: the year ending so that is closest to the plan's start ("13" in a 2013–2014
/// plan is 2013).
fn full_year(n: u32, ctx: &PlanContext) -> Option<i32> {
    let n = i32::try_from(n).ok()?;
    let base = ctx.start.year();
    let century = base - base.rem_euclid(100);
    [century - 100, century, century + 100]
        .into_iter()
        .map(|c| c + n)
        .min_by_key(|y| (y - base).abs())
}

// ---- French -------------------------------------------------------------------------------

fn ordinal(n: u32) -> String {
    if n == 1 { "1er".to_owned() } else { format!("{n}e") }
}

/// « 1re », « 2e », « dernière » (a quinzaine, a semaine, a moitié).
fn feminine(n: u32) -> String {
    match n {
        1 => "1re".to_owned(),
        super::periods::LAST_WEEK => "dernière".to_owned(),
        n => format!("{n}e"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Article {
    None,
    Le,
    La,
    Elided,
    Les,
}

fn article(dated: &Dated) -> Article {
    match dated.part {
        Some(Part::Early) => return Article::Le,
        Some(Part::Half(_)) if matches!(dated.unit, Unit::Year | Unit::FiscalYear) => return Article::Le,
        Some(Part::Middle | Part::Late | Part::Half(_) | Part::Fortnight(_) | Part::Week(_)) => return Article::La,
        None => {}
    }
    unit_article(dated.unit)
}

fn unit_article(unit: Unit) -> Article {
    match unit {
        Unit::Day { .. } | Unit::Quarter(_) => Article::Le,
        Unit::Season(Season::Spring) => Article::Le,
        Unit::Season(_) | Unit::FiscalYear => Article::Elided,
        Unit::Named(Named::BackToSchool) => Article::La,
        Unit::Named(Named::Holidays) => Article::Les,
        Unit::Month(_) | Unit::Year | Unit::Named(Named::Christmas) => Article::None,
    }
}

fn starts_with_vowel(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| "aeiouyàâéèêëîïôûùh".contains(c.to_lowercase().next().unwrap_or(c)))
}

/// "de" + article + word, contracted as French does: "du printemps", "de l'été", "d'avril".
fn de(article: Article, word: &str) -> String {
    match article {
        Article::Le => format!("du {word}"),
        Article::La => format!("de la {word}"),
        Article::Elided => format!("de l'{word}"),
        Article::Les => format!("des {word}"),
        Article::None if starts_with_vowel(word) => format!("d'{word}"),
        Article::None => format!("de {word}"),
    }
}

/// "à" + article + word: "au printemps", "à l'hiver", "aux fêtes".
fn a(article: Article, word: &str) -> String {
    match article {
        Article::Le => format!("au {word}"),
        Article::La => format!("à la {word}"),
        Article::Elided => format!("à l'{word}"),
        Article::Les => format!("aux {word}"),
        Article::None => format!("à {word}"),
    }
}

/// The point's name without its article; `with_year` false leaves the year to a neighbour.
fn name(dated: &Dated, with_year: bool) -> String {
    let year = |text: String| {
        if with_year {
            format!("{text} {}", dated.year)
        } else {
            text
        }
    };
    let fiscal = format!("{}-{}", dated.year, dated.year + 1);
    let bare = match dated.unit {
        Unit::Day { day, month, .. } => year(format!("{} {}", day_number(day), month_name(month.unwrap_or(1)))),
        Unit::Month(month) => year(month_name(month).to_owned()),
        Unit::Season(season) => year(season.name().to_owned()),
        Unit::Named(named) => year(named.name().to_owned()),
        Unit::Year => dated.year.to_string(),
        Unit::FiscalYear => format!("année {fiscal}"),
        Unit::Quarter(n) => format!("{} trimestre {fiscal}", ordinal(n)),
    };
    let Some(part) = dated.part else { return bare };
    match (dated.unit, part) {
        (Unit::Year, Part::Half(n)) => format!("{} semestre {}", ordinal(n), dated.year),
        (Unit::FiscalYear, Part::Half(n)) => format!("{} semestre {fiscal}", ordinal(n)),
        (unit, Part::Half(n)) => format!("{} moitié {}", feminine(n), de(unit_article(unit), &bare)),
        (unit, Part::Fortnight(n)) => format!("{} quinzaine {}", feminine(n), de(unit_article(unit), &bare)),
        (unit, Part::Week(n)) => format!("{} semaine {}", feminine(n), de(unit_article(unit), &bare)),
        (Unit::Month(_) | Unit::Year, Part::Early) => format!("début {bare}"),
        (Unit::Month(_) | Unit::Year, Part::Middle) => format!("mi-{bare}"),
        (Unit::Month(_) | Unit::Year, Part::Late) => format!("fin {bare}"),
        (Unit::Season(_), Part::Middle) => format!("mi-{bare}"),
        (unit, Part::Early) => format!("début {}", de(unit_article(unit), &bare)),
        (unit, Part::Middle) => format!("milieu {}", de(unit_article(unit), &bare)),
        (unit, Part::Late) => format!("fin {}", de(unit_article(unit), &bare)),
    }
}

/// Whether a point's year may be left to the next point of a list or span.
fn shares_year(first: &Dated, next: &Dated) -> bool {
    let calendar = |d: &Dated| {
        matches!(
            d.unit,
            Unit::Day { .. } | Unit::Month(_) | Unit::Season(_) | Unit::Named(_)
        )
    };
    calendar(first) && calendar(next) && first.year == next.year
}

fn same_month(first: &Dated, next: &Dated) -> bool {
    matches!((first.unit, next.unit), (Unit::Day { month: a, .. }, Unit::Day { month: b, .. }) if a == b)
        && first.year == next.year
        && first.part.is_none()
}

/// "du 4 au 8 novembre 2013", "de l'automne 2013 à l'hiver 2014", "du 2e au 3e trimestre".
fn render_span(first: &Dated, last: &Dated) -> String {
    if let (Unit::Quarter(a), Unit::Quarter(b)) = (first.unit, last.unit)
        && first.year == last.year
        && first.part.is_none()
        && last.part.is_none()
    {
        return format!(
            "du {} au {} trimestre {}-{}",
            ordinal(a),
            ordinal(b),
            first.year,
            first.year + 1
        );
    }
    let start = if same_month(first, last) {
        match first.unit {
            Unit::Day { day, .. } => day_number(day),
            _ => name(first, true),
        }
    } else {
        name(first, !shares_year(first, last))
    };
    format!("{} {}", de(article(first), &start), a(article(last), &name(last, true)))
}

fn render_items(items: &[DatedItem], joiner: Joiner) -> String {
    let names: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            DatedItem::Span(first, last) => render_span(first, last),
            DatedItem::Week(day) => format!("semaine du {}", name(day, true)),
            DatedItem::Point(dated) => match items.get(i + 1) {
                Some(DatedItem::Point(next)) if same_month(dated, next) => match dated.unit {
                    Unit::Day { day, .. } => day_number(day),
                    _ => name(dated, true),
                },
                Some(DatedItem::Point(next)) => name(dated, !shares_year(dated, next)),
                _ => name(dated, true),
            },
        })
        .collect();
    let word = match joiner {
        Joiner::And => " et ",
        Joiner::Or => " ou ",
    };
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{word}{last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "d'ici" + "décembre 2013", "dès l'" + "automne 2013".
fn join_elided(prefix: &str, core: &str) -> String {
    let prefix = prefix.trim_end();
    if prefix.is_empty() {
        core.to_owned()
    } else if prefix.ends_with(['\'', '’']) {
        format!("{prefix}{core}")
    } else {
        format!("{prefix} {core}")
    }
}
