//! French échéancier labels → periods, in the context of a plan's fiscal period.
//!
//! Pure: no I/O. Never fails and never guesses: a label it cannot read is `unparsed`,
//! kept as written. Labels without a date (ongoing, on request, recurring, not yet set) are
//! recognized here; dated ones go through `lexer` → `grammar` → `meaning`, whose rules
//! (seasons, fiscal years, début / mi- / fin) the README documents.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{grammar, lexer, meaning};
use crate::text::{fold, lower_first, squash};

pub use crate::text::render_date;

crate::text_enum! {
    /// What a deadline label says: `date` (3 octobre 2013), `month` (Novembre 2013), `season`
    /// (Automne 2013, Rentrée 2013), `year` (En 2014), `fiscal_year` (2013-2014), `quarter`
    /// (T3: of the plan's fiscal year), `part` (Début septembre, Mi-novembre, Fin de l'été),
    /// `week` (Semaine du 14 avril), `range` (Aut.13 - Hiver 14, Du 4 au 8 novembre, or
    /// several deadlines in one label: Novembre 2013 Mai 2014), `alternatives` (Printemps ou
    /// automne 2014), `by` (Avant les fêtes, D'ici l'AGA: from the plan's start), `from`
    /// (Dès septembre: to the plan's end), `ongoing` (En continu: the whole plan),
    /// `recurring` (Mensuel, 4 régions par mois, Aux 2 mois), `on_request` (Sur invitation),
    /// `undetermined` (À déterminer, Dès que possible), `event` (AGA 2013), `unparsed` (kept
    /// as written, never guessed).
    pub enum DeadlineKind {
        Date => "date",
        Month => "month",
        Season => "season",
        Year => "year",
        FiscalYear => "fiscal_year",
        Quarter => "quarter",
        Part => "part",
        Week => "week",
        Range => "range",
        Alternatives => "alternatives",
        By => "by",
        From => "from",
        Ongoing => "ongoing",
        Recurring => "recurring",
        OnRequest => "on_request",
        Undetermined => "undetermined",
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

/// "4 régions par mois": `{unit: month, count: 4, what: "régions"}`; "Aux 2 mois":
/// `{unit: month, every: 2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Frequency {
    pub unit: FrequencyUnit,
    /// How many times per `unit` ("Deux fois par année": 2).
    pub count: Option<i32>,
    #[schema(example = "régions")]
    pub what: Option<String>,
    /// Once every so many `unit`s ("Aux 2 mois": 2).
    pub every: Option<i32>,
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
    /// The French rendering, for exports: the label's words in a set form, accents kept.
    #[schema(example = "de l'automne 2013 à l'hiver 2014")]
    pub rendering: String,
    /// Some period lies wholly outside the plan's period ("Mai 2013" in a plan that starts in
    /// July 2013): read as written, and worth a second look.
    pub outside_plan: bool,
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

impl PlanContext {
    /// The plan's period, in order even if its bounds were given the wrong way round.
    pub fn period(&self) -> Period {
        Period {
            start: self.start.min(self.end),
            end: self.end.max(self.start),
        }
    }
}

/// Labels that name no date, with the rendering exports print.
const ONGOING: [&str; 8] = [
    "en continu",
    "continu",
    "en tout temps",
    "toute l'annee",
    "tout au long de l'annee",
    "durant toute l'annee",
    "en permanence",
    "permanent",
];
const ON_REQUEST: [(&str, &str); 9] = [
    ("sur invitation", "sur invitation"),
    ("au besoin", "au besoin"),
    ("sur demande", "sur demande"),
    ("selon les besoins", "selon les besoins"),
    ("si necessaire", "si nécessaire"),
    ("selon les opportunites", "selon les opportunités"),
    ("lorsque requis", "lorsque requis"),
    ("ponctuellement", "ponctuellement"),
    ("sur appel", "sur appel"),
];
const UNDETERMINED: [(&str, &str); 11] = [
    ("a determiner", "à déterminer"),
    ("a confirmer", "à confirmer"),
    ("a definir", "à définir"),
    ("date a determiner", "date à déterminer"),
    ("date a confirmer", "date à confirmer"),
    ("a venir", "à venir"),
    ("date a venir", "date à venir"),
    ("des que possible", "dès que possible"),
    ("le plus tot possible", "le plus tôt possible"),
    ("au plus tot", "au plus tôt"),
    ("indetermine", "indéterminé"),
];

/// A unit of recurrence: its singular and plural names as written, and as printed.
fn frequency_unit(word: &str) -> Option<FrequencyUnit> {
    Some(match word {
        "semaine" | "semaines" => FrequencyUnit::Week,
        "mois" => FrequencyUnit::Month,
        "trimestre" | "trimestres" => FrequencyUnit::Quarter,
        "an" | "ans" | "annee" | "annees" => FrequencyUnit::Year,
        _ => return None,
    })
}

fn unit_name(unit: FrequencyUnit, plural: bool) -> &'static str {
    match (unit, plural) {
        (FrequencyUnit::Week, false) => "semaine",
        (FrequencyUnit::Week, true) => "semaines",
        (FrequencyUnit::Month, _) => "mois",
        (FrequencyUnit::Quarter, false) => "trimestre",
        (FrequencyUnit::Quarter, true) => "trimestres",
        (FrequencyUnit::Year, false) => "année",
        (FrequencyUnit::Year, true) => "ans",
    }
}

fn count_word(word: &str) -> Option<i32> {
    let words = [
        "zero", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
    ];
    word.parse::<i32>()
        .ok()
        .or_else(|| if word == "un" { Some(1) } else { None })
        .or_else(|| {
            words
                .iter()
                .position(|w| *w == word)
                .and_then(|i| i32::try_from(i).ok())
        })
        .filter(|n| (1..=366).contains(n))
}

/// One-word recurrences: "Mensuel", "Bimensuel" (twice a month), "Bimestriel" (every two
/// months), "Semestriel" (every six months).
fn recurring_word(word: &str) -> Option<Frequency> {
    let every = |unit, every| Frequency {
        unit,
        count: None,
        what: None,
        every: Some(every),
    };
    Some(match word {
        "mensuel" | "mensuelle" | "mensuellement" => every(FrequencyUnit::Month, 1),
        "hebdomadaire" | "hebdo" => every(FrequencyUnit::Week, 1),
        "trimestriel" | "trimestrielle" | "trimestriellement" => every(FrequencyUnit::Quarter, 1),
        "annuel" | "annuelle" | "annuellement" => every(FrequencyUnit::Year, 1),
        "bimestriel" | "bimestrielle" => every(FrequencyUnit::Month, 2),
        "semestriel" | "semestrielle" => every(FrequencyUnit::Month, 6),
        "bimensuel" | "bimensuelle" => Frequency {
            unit: FrequencyUnit::Month,
            count: Some(2),
            what: None,
            every: None,
        },
        _ => return None,
    })
}

/// "Mensuel", "Chaque trimestre", "Aux 2 mois", "Tous les 3 mois", "4 régions par mois",
/// "Deux fois par année"; with the rendering.
fn recurring(folded: &str, label: &str) -> Option<(Frequency, String)> {
    let words: Vec<&str> = folded.split_whitespace().collect();
    let frequency = match words.as_slice() {
        [only] => recurring_word(only)?,
        ["chaque", unit] | ["tous" | "toutes", "les", unit] => Frequency {
            unit: frequency_unit(unit)?,
            count: None,
            what: None,
            every: Some(1),
        },
        ["aux" | "a", n, unit] | ["tous" | "toutes", "les", n, unit] => Frequency {
            unit: frequency_unit(unit)?,
            count: None,
            what: None,
            every: Some(count_word(n)?),
        },
        [.., "par", unit] => {
            let unit = frequency_unit(unit)?;
            let before = &words[..words.len() - 2];
            let count = before.first().and_then(|w| count_word(w));
            // The words between the count and "par", as written ("régions").
            let original: Vec<&str> = label.split_whitespace().collect();
            let what_words = original.get(usize::from(count.is_some())..before.len())?;
            if what_words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) || before.is_empty() {
                return None;
            }
            let what = Some(what_words.join(" ")).filter(|w| !w.is_empty() && fold(w) != "fois");
            Frequency {
                unit,
                count,
                what,
                every: None,
            }
        }
        _ => return None,
    };
    let rendering = match (&frequency, words.as_slice()) {
        (Frequency { count: Some(_), .. }, [.., "par", _]) => {
            let written: Vec<&str> = label.split_whitespace().collect();
            let head = written[..written.len() - 2].join(" ");
            format!("{} par {}", lower_first(&head), unit_name(frequency.unit, false))
        }
        (Frequency { count: Some(2), .. }, _) => format!("deux fois par {}", unit_name(frequency.unit, false)),
        (Frequency { what: Some(what), .. }, _) => format!("{what} par {}", unit_name(frequency.unit, false)),
        (Frequency { every: Some(n), .. }, _) if *n > 1 => format!("aux {n} {}", unit_name(frequency.unit, true)),
        _ => format!("chaque {}", unit_name(frequency.unit, false)),
    };
    Some((frequency, rendering))
}

/// "2013-10-03", "03/10/2013" (day first, as in Québec).
fn iso_or_numeric_date(folded: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(folded, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(folded, "%d/%m/%Y"))
        .ok()
        .filter(|_| folded.len() == 10)
}

/// Reads a label. Never panics; every period has `start <= end`.
pub fn parse(label: &str, ctx: &PlanContext) -> ParsedDeadline {
    let written = squash(label);
    let written = written.trim_end_matches('.').trim();
    let folded = fold(written).replace('’', "'");
    let plan = ctx.period();
    let mut parsed = ParsedDeadline {
        kind: DeadlineKind::Unparsed,
        periods: Vec::new(),
        frequency: None,
        qualifier: None,
        rendering: label.trim().to_owned(),
        outside_plan: false,
    };
    if folded.is_empty() {
        return parsed;
    }
    if ONGOING.contains(&folded.as_str()) {
        parsed.kind = DeadlineKind::Ongoing;
        parsed.periods = vec![plan];
        parsed.rendering = "en continu".to_owned();
    } else if let Some((_, rendering)) = ON_REQUEST.iter().find(|(f, _)| *f == folded) {
        parsed.kind = DeadlineKind::OnRequest;
        parsed.rendering = (*rendering).to_owned();
    } else if let Some((_, rendering)) = UNDETERMINED.iter().find(|(f, _)| *f == folded) {
        parsed.kind = DeadlineKind::Undetermined;
        parsed.rendering = (*rendering).to_owned();
    } else if let Some((frequency, rendering)) = recurring(&folded, written) {
        parsed.kind = DeadlineKind::Recurring;
        parsed.periods = vec![plan];
        parsed.frequency = Some(frequency);
        parsed.rendering = rendering;
    } else if let Some(date) = iso_or_numeric_date(&folded) {
        parsed.kind = DeadlineKind::Date;
        parsed.periods = vec![Period { start: date, end: date }];
        parsed.rendering = render_date(date);
    } else {
        let tokens = lexer::tokens(label);
        let events: Vec<String> = ctx
            .events
            .iter()
            .map(|(name, _)| fold(name).replace('’', "'"))
            .collect();
        let understood = grammar::read(&tokens, &events)
            .zip(tokens.first())
            .and_then(|(reading, first)| meaning::understand(label, &reading, ctx, first.start));
        if let Some(understood) = understood {
            parsed.kind = understood.kind;
            parsed.periods = understood.periods;
            parsed.qualifier = understood.qualifier;
            parsed.rendering = understood.rendering;
        }
    }
    parsed.outside_plan = outside_plan(&parsed.periods, plan);
    parsed
}

/// Whether some period lies wholly outside the plan's period.
fn outside_plan(periods: &[Period], plan: Period) -> bool {
    periods.iter().any(|p| p.end < plan.start || p.start > plan.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadlines::reading::corpus::{self, Case};

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

    fn mismatch(case: &Case) -> Option<String> {
        let parsed = parse(&case.label, &case.plan);
        let kind_ok = parsed.kind.as_str() == case.kind;
        let rendering_ok = case.rendering.as_ref().is_none_or(|r| *r == parsed.rendering);
        (!kind_ok || parsed.periods != case.periods || !rendering_ok).then(|| {
            format!(
                "line {}: {:?} → {} {:?} {:?} (expected {} {:?} {:?})",
                case.line,
                case.label,
                parsed.kind.as_str(),
                parsed.periods,
                parsed.rendering,
                case.kind,
                case.periods,
                case.rendering
            )
        })
    }

    #[test]
    fn the_corpus_is_read_as_written() {
        let cases = corpus::cases();
        assert!(cases.len() >= 200, "{} labels", cases.len());
        let failures: Vec<String> = cases.iter().filter_map(mismatch).collect();
        assert!(
            failures.is_empty(),
            "{} of {}:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        let (counts, wrong) = corpus::count(|case| {
            let parsed = parse(&case.label, &case.plan);
            (parsed.kind == DeadlineKind::Unparsed, parsed.periods)
        });
        assert!(wrong.is_empty(), "{wrong:?}");
        println!("corpus: {counts:?}");
    }

    #[test]
    fn labels_outside_the_plan_are_flagged() {
        for (label, outside) in [
            ("Mai 2013", true),
            ("Sept. 2014", true),
            ("Février, Sept. 2014", true),
            ("Juin 2014", false),
            ("Été 2014", false),
            ("En continu", false),
            ("Sur invitation", false),
        ] {
            assert_eq!(parse(label, &plan()).outside_plan, outside, "{label}");
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
                what: Some("régions".to_owned()),
                every: None,
            })
        );
        let every = parse("Aux 2 mois", &plan()).frequency;
        assert_eq!(every.map(|f| (f.unit, f.every)), Some((FrequencyUnit::Month, Some(2))));
        let twice = parse("Deux fois par année", &plan()).frequency;
        assert_eq!(
            twice.map(|f| (f.unit, f.count, f.what)),
            Some((FrequencyUnit::Year, Some(2), None))
        );
        assert_eq!(
            parse("Bases au printemps 2014", &plan()).qualifier.as_deref(),
            Some("Bases")
        );
        assert_eq!(
            parse("Octobre 2013 (à confirmer)", &plan()).qualifier.as_deref(),
            Some("(à confirmer)")
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
        assert_eq!(render_date(date("2013-07-01")), "1er juillet 2013");
    }

    /// Words of the grammar's vocabulary, for the properties below.
    const WORDS: [&str; 59] = [
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
        "2400",
        "1900",
        "x",
        "à",
        "au",
        "du",
        "de",
        "ou",
        "et",
        "entre",
        "début",
        "mi-",
        "fin",
        "T3",
        "3e",
        "trimestre",
        "semaine",
        "2013-2014",
        "semestre",
        "quinzaine",
        "moitié",
        "première",
        "dernière",
        "1re",
        "2e",
        "au plus tard",
        "selon",
        "(à confirmer)",
        "–",
    ];

    fn ordered(label: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let parsed = parse(label, &plan());
        for period in &parsed.periods {
            proptest::prop_assert!(period.start <= period.end, "{label:?}: {parsed:?}");
        }
        Ok(())
    }

    /// Single points a label can name, written several ways: the label, the most days it
    /// may cover (what its words support), and whether it carries its own year.
    fn points() -> Vec<(String, i64, bool)> {
        let mut out = Vec::new();
        for month in ["janvier", "mars", "juin", "septembre", "novembre", "décembre", "févr."] {
            for year in ["", " 2013", " 2014", " 14"] {
                let own = !year.is_empty();
                out.push((format!("{month}{year}"), 31, own));
                out.push((format!("12 {month}{year}"), 1, own));
                out.push((format!("fin {month}{year}"), 11, own));
                out.push((format!("mi-{month}{year}"), 10, own));
            }
        }
        for season in ["automne", "hiver", "printemps", "été", "Aut."] {
            for year in ["", " 2013", " 2014", " 13"] {
                let own = !year.is_empty();
                out.push((format!("{season}{year}"), 93, own));
                out.push((format!("début de l'{season}{year}"), 31, own));
            }
        }
        for year in ["2013", "2014"] {
            out.push((year.to_owned(), 365, true));
            out.push((format!("début {year}"), 123, true));
        }
        for quarter in ["T1", "T2", "T3", "T4", "2e trimestre"] {
            out.push((quarter.to_owned(), 92, true));
        }
        out.push(("2013-2014".to_owned(), 365, true));
        out.push(("rentrée".to_owned(), 47, false));
        for month in ["janvier", "mars", "juin", "octobre", "févr."] {
            for year in ["", " 2013", " 2014"] {
                let own = !year.is_empty();
                let of = if month.starts_with('o') { "d'" } else { "de " };
                out.push((format!("1re quinzaine {of}{month}{year}"), 15, own));
                out.push((format!("dernière semaine {of}{month}{year}"), 7, own));
                out.push((format!("2e semaine {of}{month}{year}"), 7, own));
            }
        }
        for year in ["2013", "2014", "2013-2014"] {
            out.push((format!("2e semestre {year}"), 184, true));
            out.push((format!("première moitié de {year}"), 184, true));
        }
        out
    }

    /// The narrowed forms of a label naming a month, a season or a year: each names part
    /// of what it names.
    fn narrowed(label: &str, kind: DeadlineKind) -> Vec<String> {
        let of = if label.starts_with(['a', 'o', 'é', 'A', 'O', 'É']) {
            "d'"
        } else {
            "de "
        };
        match kind {
            DeadlineKind::Month => vec![
                format!("Première quinzaine {of}{label}"),
                format!("Dernière quinzaine {of}{label}"),
                format!("Première semaine {of}{label}"),
                format!("Dernière semaine {of}{label}"),
                format!("Deuxième moitié {of}{label}"),
            ],
            DeadlineKind::Year | DeadlineKind::FiscalYear => vec![
                format!("1er semestre {label}"),
                format!("Deuxième semestre {label}"),
                format!("Première moitié {of}{label}"),
            ],
            DeadlineKind::Season => vec![format!("Deuxième moitié {of}{label}")],
            _ => Vec::new(),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Labels made of the grammar's own vocabulary: no panic, every period in order.
        #[test]
        fn never_panics_on_its_vocabulary(words in proptest::collection::vec(proptest::sample::select(WORDS.to_vec()), 0..7), glue in "[ ,-]?") {
            ordered(&words.join(if glue.is_empty() { " " } else { glue.as_str() }))?;
        }

        /// And on any text at all.
        #[test]
        fn never_panics_on_any_text(label in "\\PC{0,40}") {
            ordered(&label)?;
        }

        /// No period longer than what its words name: a point covers at most its own unit.
        #[test]
        fn a_point_covers_no_more_than_it_names(index in 0..points().len()) {
            let (label, most, _) = points()[index].clone();
            let parsed = parse(&label, &plan());
            proptest::prop_assert_eq!(parsed.periods.len(), 1, "{}: {:?}", label, parsed);
            let period = parsed.periods[0];
            proptest::prop_assert!((period.end - period.start).num_days() < most, "{}: {:?}", label, parsed);
        }

        /// "X à Y", "de X à Y", "X - Y" and "entre X et Y" all name exactly X's start to Y's
        /// end, or nothing when Y ends before X starts.
        #[test]
        fn a_span_runs_from_its_first_point_to_its_last(a in 0..points().len(), b in 0..points().len(), form in 0..4usize) {
            let (first, _, first_own) = points()[a].clone();
            let (last, _, last_own) = points()[b].clone();
            let (x, y) = (parse(&first, &plan()), parse(&last, &plan()));
            let label = match form {
                0 => format!("{first} à {last}"),
                1 => format!("De {first} à {last}"),
                2 => format!("{first} - {last}"),
                _ => format!("Entre {first} et {last}"),
            };
            let span = parse(&label, &plan());
            // Points written without a year take it from the other end, and two bare years
            // are not a span, so only points with their own year and a unit are compared.
            if first_own && last_own && first.contains(char::is_alphabetic) && last.contains(char::is_alphabetic) {
                match (x.envelope(), y.envelope()) {
                    (Some(x), Some(y)) if x.start <= y.start && x.end <= y.end => {
                        proptest::prop_assert_eq!(&span.periods, &vec![Period { start: x.start, end: y.end }], "{}", label);
                    }
                    _ => proptest::prop_assert!(span.kind == DeadlineKind::Unparsed || span.periods.len() == 1, "{}: {:?}", label, span),
                }
            }
            for period in &span.periods {
                proptest::prop_assert!(period.start <= period.end);
            }
        }

        /// "X ou Y" names X and Y as they are, and "début X" lies within X.
        #[test]
        fn alternatives_and_parts_stay_within_their_points(a in 0..points().len(), b in 0..points().len()) {
            let (first, _, first_own) = points()[a].clone();
            let (last, _, last_own) = points()[b].clone();
            let either = parse(&format!("{first} ou {last}"), &plan());
            if first_own && last_own && either.kind == DeadlineKind::Alternatives {
                let expected: Vec<Period> = [parse(&first, &plan()), parse(&last, &plan())]
                    .iter()
                    .flat_map(|p| p.periods.clone())
                    .collect();
                proptest::prop_assert_eq!(either.periods, expected, "{} ou {}", first, last);
            }
            let whole = parse(&first, &plan());
            // A narrowing word is honoured: a part of the whole, never the whole.
            for label in narrowed(&first, whole.kind) {
                let narrowed = parse(&label, &plan());
                proptest::prop_assert_eq!(narrowed.kind, DeadlineKind::Part, "{}: {:?}", label, narrowed);
                let (Some(outer), Some(inner)) = (whole.envelope(), narrowed.envelope()) else {
                    return Err(proptest::test_runner::TestCaseError::fail(format!("{label}: {narrowed:?}")));
                };
                proptest::prop_assert!(outer.start <= inner.start && inner.end <= outer.end, "{}: {:?} in {:?}", label, inner, outer);
                proptest::prop_assert!(inner.end - inner.start < outer.end - outer.start, "{}: {:?} is not narrower than {:?}", label, inner, outer);
            }
            // A qualifier after a dash, a comma or in parentheses keeps the time as read.
            for qualified in [format!("{first} – à confirmer"), format!("{first}, selon le financement"), format!("{first} (selon le budget)")] {
                let read = parse(&qualified, &plan());
                if whole.kind != DeadlineKind::Unparsed {
                    proptest::prop_assert_eq!(&read.periods, &whole.periods, "{}", qualified);
                }
            }
            for part in ["Début", "Fin"] {
                let narrowed = parse(&format!("{part} {first}"), &plan());
                if let (Some(outer), Some(inner)) = (whole.envelope(), narrowed.envelope()) {
                    proptest::prop_assert!(outer.start <= inner.start && inner.end <= outer.end, "{} {}: {:?} in {:?}", part, first, inner, outer);
                    proptest::prop_assert!(inner.end - inner.start < outer.end - outer.start || outer.start == outer.end);
                }
            }
        }
    }
}
