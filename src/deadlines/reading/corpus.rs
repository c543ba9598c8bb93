//! The acceptance corpus (`corpus.txt`): labels with the kind, periods and rendering they
//! must be read as. Test-only.

use chrono::NaiveDate;

use super::parser::{Period, PlanContext};

pub const CORPUS: &str = include_str!("corpus.txt");

/// One line of the corpus, with the plan it is read in.
#[derive(Debug, Clone)]
pub struct Case {
    pub line: usize,
    pub label: String,
    pub kind: String,
    pub periods: Vec<Period>,
    pub rendering: Option<String>,
    pub plan: PlanContext,
}

fn date(text: &str, line: usize) -> NaiveDate {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").unwrap_or_else(|e| panic!("line {line}: {text:?}: {e}"))
}

fn periods(text: &str, line: usize) -> Vec<Period> {
    if text.trim() == "-" {
        return Vec::new();
    }
    text.split(';')
        .map(|p| {
            let (start, end) = p.split_once("..").unwrap_or_else(|| panic!("line {line}: {p:?}"));
            Period {
                start: date(start, line),
                end: date(end, line),
            }
        })
        .collect()
}

pub fn cases() -> Vec<Case> {
    let mut plan = PlanContext {
        start: date("2013-07-01", 0),
        end: date("2014-06-30", 0),
        events: Vec::new(),
    };
    let mut cases = Vec::new();
    for (index, raw) in CORPUS.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if let Some(rest) = raw.strip_prefix("@plan ") {
            let (start, end) = rest.split_once(' ').unwrap_or_else(|| panic!("line {line}"));
            plan.start = date(start, line);
            plan.end = date(end, line);
            continue;
        }
        if let Some(rest) = raw.strip_prefix("@event ") {
            let (name, on) = rest.split_once(" = ").unwrap_or_else(|| panic!("line {line}"));
            plan.events.push((name.to_owned(), date(on, line)));
            continue;
        }
        if raw == "@events none" {
            plan.events.clear();
            continue;
        }
        let fields: Vec<&str> = raw.split(" | ").collect();
        let [label, kind, expected, rest @ ..] = fields.as_slice() else {
            panic!("line {line}: {raw:?}");
        };
        cases.push(Case {
            line,
            label: (*label).to_owned(),
            kind: kind.trim().to_owned(),
            periods: periods(expected, line),
            rendering: rest.first().map(|r| r.trim().to_owned()),
            plan: plan.clone(),
        });
    }
    cases
}

/// How a reading compares with the corpus: the counts the issue asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Read as the corpus says (an expected `unparsed` left unparsed counts here).
    pub right: usize,
    /// Left unparsed although the corpus gives it periods.
    pub unparsed: usize,
    /// Given periods other than the corpus's: a wrong date.
    pub wrong: usize,
}

/// Compares the periods of each reading with the corpus.
pub fn count(read: impl Fn(&Case) -> (bool, Vec<Period>)) -> (Counts, Vec<String>) {
    let mut counts = Counts::default();
    let mut wrong = Vec::new();
    for case in cases() {
        let (unparsed, periods) = read(&case);
        let expected_unparsed = case.kind == "unparsed";
        if unparsed == expected_unparsed && periods == case.periods {
            counts.right += 1;
        } else if unparsed {
            counts.unparsed += 1;
        } else {
            counts.wrong += 1;
            wrong.push(format!("line {}: {:?} → {periods:?}", case.line, case.label));
        }
    }
    (counts, wrong)
}
