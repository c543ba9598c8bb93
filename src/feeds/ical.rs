//! A calendar feed as iCalendar (RFC 5545), from the periods the échéanciers were read as:
//! one all-day event per period, over the days it covers (`Aut.13 - Hiver 14`: 22 September
//! 2013 to 20 March 2014, its `DTEND` being the day after, as RFC 5545 has it), titled with
//! the label as written and the action. Its `UID` is the deadline's and the period's, so a
//! calendar that fetches it again updates what it shows instead of doubling it. Pure.

use chrono::{Duration, NaiveDate};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::i18n::Lang;
use crate::progress::ActionStatus;
use crate::text::long_date;

/// One period of one échéancier, with what it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    pub deadline_id: i64,
    pub position: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// As written: `Aut.13 - Hiver 14`.
    pub label: String,
    /// What it was read as, in words: `de l'automne 2013 à l'hiver 2014`.
    pub rendering: String,
    /// The action's title, or the objective's for an objective without actions.
    pub title: String,
    pub plan: String,
    pub status: Option<ActionStatus>,
    /// The action's page (or the plan's).
    pub link: String,
}

/// The feed named `name`, its events in the order given.
pub fn render(name: &str, events: &[FeedEvent], lang: Lang) -> String {
    let mut calendar = Calendar::new();
    calendar
        .name(name)
        .description(lang.pick(
            "Les échéanciers du plan d'action, tels que Planaction les a lus.",
            "The action plan's deadlines, as Planaction read them.",
        ))
        .ttl(&Duration::hours(1));
    for event in events {
        let status = event
            .status
            .map(|s| format!("\n{} {}", lang.pick("État :", "Status:"), s.label(lang)))
            .unwrap_or_default();
        let description = format!(
            "{} « {} » ({}, {} – {}).\n{}{status}\n{}",
            lang.pick("Échéancier", "Deadline"),
            event.label,
            event.rendering,
            long_date(event.start, lang),
            long_date(event.end, lang),
            event.plan,
            event.link
        );
        calendar.push(
            Event::new()
                .uid(&format!("deadline-{}-{}@planaction", event.deadline_id, event.position))
                .summary(&format!(
                    "{} — {}",
                    event.label,
                    crate::reports::labels::plain(&event.title)
                ))
                .description(&description)
                .starts(event.start)
                .ends(event.end.succ_opt().unwrap_or(event.end))
                .url(&event.link)
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn event(deadline_id: i64, label: &str, start: NaiveDate, end: NaiveDate) -> FeedEvent {
        FeedEvent {
            deadline_id,
            position: 1,
            start,
            end,
            label: label.to_owned(),
            rendering: "de l'automne 2013 à l'hiver 2014".to_owned(),
            title: "Tournée des *régions*".to_owned(),
            plan: "Plan d'action 2013-2014".to_owned(),
            status: Some(ActionStatus::InProgress),
            link: "https://plan.rqds.example/actions/5".to_owned(),
        }
    }

    #[test]
    fn a_period_is_an_all_day_event_ending_the_day_after_its_last_day() {
        let feed = render(
            "Planaction — Plan d'action 2013-2014",
            &[
                event(7, "Aut.13 - Hiver 14", day(2013, 9, 22), day(2014, 3, 20)),
                event(8, "3 octobre 2013", day(2013, 10, 3), day(2013, 10, 3)),
            ],
            Lang::Fr,
        );
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"), "{feed}");
        assert!(feed.contains("UID:deadline-7-1@planaction"), "{feed}");
        assert!(feed.contains("DTSTART;VALUE=DATE:20130922\r\n"), "{feed}");
        assert!(feed.contains("DTEND;VALUE=DATE:20140321\r\n"), "{feed}");
        assert!(
            feed.contains("DTSTART;VALUE=DATE:20131003\r\nDTEND;VALUE=DATE:20131004")
                || (feed.contains("DTSTART;VALUE=DATE:20131003") && feed.contains("DTEND;VALUE=DATE:20131004")),
            "{feed}"
        );
        // The label as written, the action without its markup.
        assert!(
            feed.contains("SUMMARY:Aut.13 - Hiver 14 — Tournée des régions"),
            "{feed}"
        );
        assert!(feed.contains("REFRESH-INTERVAL;VALUE=DURATION:PT3600S"), "{feed}");
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2);
    }
}
