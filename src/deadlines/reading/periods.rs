//! The days each thing a label can name covers. Pure date arithmetic, documented in the
//! README ("Échéanciers"): seasons, fiscal years and quarters of the plan, and the thirds
//! that "début", "mi-" and "fin" name.

use chrono::{Datelike, Months, NaiveDate};

use super::parser::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl Season {
    pub fn parse(word: &str) -> Option<Season> {
        Some(match word {
            "printemps" | "print" | "prin" => Season::Spring,
            "ete" => Season::Summer,
            "automne" | "aut" | "autom" => Season::Autumn,
            "hiver" | "hiv" => Season::Winter,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Season::Spring => "printemps",
            Season::Summer => "été",
            Season::Autumn => "automne",
            Season::Winter => "hiver",
        }
    }

    /// The season named with `year`: the winter of 2014 ends in 2014 (21 December 2013 –
    /// 20 March 2014), so that "Automne 2013 – Hiver 2014" has no gap.
    pub fn period(self, year: i32) -> Option<Period> {
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

/// Times of the year people name: "la rentrée" (15 August – 30 September, when groups start
/// again), "les fêtes" (24 December – 2 January), "Noël" (25 December).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    BackToSchool,
    Holidays,
    Christmas,
}

impl Named {
    pub fn parse(word: &str) -> Option<Named> {
        Some(match word {
            "rentree" => Named::BackToSchool,
            "fetes" => Named::Holidays,
            "noel" => Named::Christmas,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Named::BackToSchool => "rentrée",
            Named::Holidays => "fêtes",
            Named::Christmas => "Noël",
        }
    }

    /// The occurrence that begins in `year`.
    pub fn period(self, year: i32) -> Option<Period> {
        let (start, end) = match self {
            Named::BackToSchool => ((year, 8, 15), (year, 9, 30)),
            Named::Holidays => ((year, 12, 24), (year + 1, 1, 2)),
            Named::Christmas => ((year, 12, 25), (year, 12, 25)),
        };
        Some(Period {
            start: ymd(start)?,
            end: ymd(end)?,
        })
    }
}

pub fn ymd((y, m, d): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub fn day(year: i32, month: u32, day: u32) -> Option<Period> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(Period { start: date, end: date })
}

/// `count` whole months from the first day of `start`'s month.
fn months_from(start: NaiveDate, count: u32) -> Option<Period> {
    let end = start.checked_add_months(Months::new(count))?.pred_opt()?;
    Some(Period { start, end })
}

pub fn month(year: i32, month: u32) -> Option<Period> {
    months_from(NaiveDate::from_ymd_opt(year, month, 1)?, 1)
}

pub fn year(year: i32) -> Option<Period> {
    months_from(NaiveDate::from_ymd_opt(year, 1, 1)?, 12)
}

/// The fiscal year that begins in `start_year`, on the plan's first month and day
/// ("2013-2014" of a July–June organization: 1 July 2013 – 30 June 2014).
pub fn fiscal_year(start_year: i32, plan_start: NaiveDate) -> Option<Period> {
    let start = NaiveDate::from_ymd_opt(start_year, plan_start.month(), plan_start.day())?;
    let end = start.checked_add_months(Months::new(12))?.pred_opt()?;
    Some(Period { start, end })
}

/// Quarter `n` (1–4) of a fiscal year: three months from its start.
pub fn quarter(fiscal: Period, n: u32) -> Option<Period> {
    if !(1..=4).contains(&n) {
        return None;
    }
    let start = fiscal.start.checked_add_months(Months::new(3 * (n - 1)))?;
    let end = start.checked_add_months(Months::new(3))?.pred_opt()?;
    Some(Period { start, end })
}

/// "début", "mi-", "fin"; and the divisions people name with an ordinal: a half (« 2e
/// semestre », « première moitié »), a half-month (« 1re quinzaine »), a week of a month
/// (« deuxième semaine », « dernière semaine »).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Early,
    Middle,
    Late,
    /// 1 or 2.
    Half(u32),
    /// 1 or 2: days 1–15, 16 to the end of the month.
    Fortnight(u32),
    /// 1 to 4: days 1–7, 8–14, 15–21, 22–28; `LAST_WEEK`: the month's last seven days.
    Week(u32),
}

/// « dernière semaine ».
pub const LAST_WEEK: u32 = 5;

/// How a period splits into thirds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thirds {
    /// A month: days 1–10, 11–20, 21 to the end.
    Month,
    /// A year, a fiscal year or a quarter: equal runs of whole months.
    Months,
    /// A season or a named time: equal runs of days, the last third taking the rest.
    Days,
}

pub fn part(period: Period, part: Part, thirds: Thirds) -> Option<Period> {
    let index = match part {
        Part::Early => 0,
        Part::Middle => 1,
        Part::Late => 2,
        Part::Half(n) => return half(period, n, thirds),
        Part::Fortnight(n) if thirds == Thirds::Month => return half(period, n, thirds),
        Part::Week(n) if thirds == Thirds::Month => return week(period, n),
        // A half-month or a week of anything but a month is not guessed.
        Part::Fortnight(_) | Part::Week(_) => return None,
    };
    match thirds {
        Thirds::Month => {
            let first = period.start.with_day(1 + 10 * index)?;
            let last = if index == 2 {
                period.end
            } else {
                period.start.with_day(10 * (index + 1))?
            };
            Some(Period {
                start: first,
                end: last,
            })
        }
        Thirds::Months => {
            let months = (period.end.year() - period.start.year()) * 12 + period.end.month() as i32
                - period.start.month() as i32
                + 1;
            let each = u32::try_from(months / 3).ok().filter(|n| *n > 0)?;
            let start = period.start.checked_add_months(Months::new(each * index))?;
            months_from(start, each)
        }
        Thirds::Days => {
            let days = (period.end - period.start).num_days() + 1;
            let each = days / 3;
            let start = period.start + chrono::Duration::days(each * i64::from(index));
            let end = if index == 2 {
                period.end
            } else {
                start + chrono::Duration::days(each - 1)
            };
            Some(Period { start, end })
        }
    }
}

/// Half `n` (1 or 2): of a month, days 1–15 and 16 to its end; of months, as many whole
/// months each (none for an odd count); of days, as many days each, the second taking the rest.
fn half(period: Period, n: u32, thirds: Thirds) -> Option<Period> {
    if !(1..=2).contains(&n) {
        return None;
    }
    match thirds {
        Thirds::Month => {
            let (start, end) = if n == 1 {
                (period.start, period.start.with_day(15)?)
            } else {
                (period.start.with_day(16)?, period.end)
            };
            Some(Period { start, end })
        }
        Thirds::Months => {
            let months = (period.end.year() - period.start.year()) * 12 + period.end.month() as i32
                - period.start.month() as i32
                + 1;
            if months % 2 != 0 {
                return None;
            }
            let each = u32::try_from(months / 2).ok()?;
            let start = period.start.checked_add_months(Months::new(each * (n - 1)))?;
            months_from(start, each)
        }
        Thirds::Days => {
            let days = (period.end - period.start).num_days() + 1;
            let first_end = period.start + chrono::Duration::days(days / 2 - 1);
            Some(if n == 1 {
                Period {
                    start: period.start,
                    end: first_end,
                }
            } else {
                Period {
                    start: first_end.succ_opt()?,
                    end: period.end,
                }
            })
        }
    }
}

/// Week `n` of a month: seven days from day 7n − 6; the last one, its last seven days.
fn week(month: Period, n: u32) -> Option<Period> {
    if n == LAST_WEEK {
        return Some(Period {
            start: month.end - chrono::Duration::days(6),
            end: month.end,
        });
    }
    if !(1..=4).contains(&n) {
        return None;
    }
    Some(Period {
        start: month.start.with_day(7 * n - 6)?,
        end: month.start.with_day(7 * n)?,
    })
}

/// Days a period shares with another.
pub fn overlap_days(period: Period, other: Period) -> i64 {
    let start = period.start.max(other.start);
    let end = period.end.min(other.end);
    (end - start).num_days() + 1
}

pub fn contains(outer: Period, inner: Period) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(start: &str, end: &str) -> Period {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        Period {
            start: date(start),
            end: date(end),
        }
    }

    #[test]
    fn thirds_of_a_month_a_year_and_a_season() {
        let february = month(2014, 2).unwrap_or(period("2000-01-01", "2000-01-01"));
        assert_eq!(
            part(february, Part::Late, Thirds::Month),
            Some(period("2014-02-21", "2014-02-28"))
        );
        assert_eq!(
            part(february, Part::Middle, Thirds::Month),
            Some(period("2014-02-11", "2014-02-20"))
        );
        let fiscal = period("2013-07-01", "2014-06-30");
        assert_eq!(
            part(fiscal, Part::Late, Thirds::Months),
            Some(period("2014-03-01", "2014-06-30"))
        );
        assert_eq!(
            part(fiscal, Part::Early, Thirds::Months),
            Some(period("2013-07-01", "2013-10-31"))
        );
        let autumn = Season::Autumn.period(2013).unwrap_or(fiscal);
        assert_eq!(
            part(autumn, Part::Middle, Thirds::Days),
            Some(period("2013-10-22", "2013-11-20"))
        );
        assert_eq!(
            part(autumn, Part::Late, Thirds::Days),
            Some(period("2013-11-21", "2013-12-20"))
        );
    }

    #[test]
    fn quarters_follow_the_fiscal_year() {
        let fiscal = fiscal_year(2013, period("2013-07-01", "2014-06-30").start);
        assert_eq!(fiscal, Some(period("2013-07-01", "2014-06-30")));
        let third = fiscal.and_then(|f| quarter(f, 3));
        assert_eq!(third, Some(period("2014-01-01", "2014-03-31")));
        assert_eq!(fiscal.and_then(|f| quarter(f, 5)), None);
    }
}
