//! Texts that the printed formats (HTML, XLSX, PDF) share, so that they say the same thing.

use super::model::{
    Certification, Counts, Heading, Movement, PostponedAction, ProgressReport, TableAction, TableOrientation,
};
use crate::i18n::Lang;
use crate::progress::ActionStatus;
use crate::text::{long_date, percent, period_words, typography};

/// "Période : du 1er au 31 octobre 2013 ; états au 31 octobre 2013 ; mise à jour : 20 octobre 2013"
pub fn period_line(heading: &Heading, lang: Lang) -> String {
    typography(&format!(
        "{} {} ; {} {} ; {} {}",
        lang.pick("Période :", "Period:"),
        period_words(heading.from, heading.to, lang),
        lang.pick("états au", "statuses as of"),
        long_date(heading.as_of, lang),
        lang.pick("mise à jour :", "updated:"),
        long_date(heading.last_updated_on, lang)
    ))
}

/// "Plan adopté par le CA le 12 septembre 2013 (résolution CA-2013-09-12-03) ; fermé le
/// 30 juin 2014", or nothing for a draft.
pub fn standing_line(heading: &Heading, lang: Lang) -> Option<String> {
    let adoption = heading.adoption.as_ref()?;
    let mut line = format!(
        "{} {} ({} {})",
        lang.pick("Plan adopté par le CA le", "Plan adopted by the board on"),
        long_date(adoption.on, lang),
        lang.pick("résolution", "resolution"),
        adoption.resolution
    );
    if let Some(closed_on) = heading.closed_on {
        line += &format!(
            " ; {} {}",
            lang.pick("fermé le", "closed on"),
            long_date(closed_on, lang)
        );
    }
    Some(typography(&line))
}

/// "Rapport n° 3 enregistré le 1er novembre 2013. Validé par le CA le 4 novembre 2013 (CA du …) — Marie."
pub fn certification_line(certification: &Certification, lang: Lang) -> String {
    let signed = match &certification.signed_off {
        Some(sign) => format!(
            "{} {} ({}) — {}.",
            lang.pick("Validé par le CA le", "Signed off by the board on"),
            long_date(sign.on, lang),
            sign.meeting_reference,
            sign.by
        ),
        None => lang.pick("Non validé.", "Not signed off.").to_owned(),
    };
    typography(&format!(
        "{} {} {} {}. {signed}",
        lang.pick("Rapport n°", "Report no."),
        certification.report_id,
        lang.pick("enregistré le", "saved on"),
        long_date(certification.saved_on, lang)
    ))
}

pub fn fingerprint_label(lang: Lang) -> &'static str {
    lang.pick("Empreinte SHA-256 :", "SHA-256 fingerprint:")
}

/// The columns of a count row: each status, then the total and the share done.
pub fn count_headers(lang: Lang) -> Vec<&'static str> {
    let mut headers: Vec<&'static str> = ActionStatus::ALL.iter().map(|s| s.label(lang)).collect();
    headers.push("Total");
    headers.push(lang.pick("Réalisé", "Done"));
    headers
}

/// The numbers of a count row, in the order of `count_headers`.
pub fn count_numbers(counts: &Counts) -> [usize; 8] {
    [
        counts.not_started,
        counts.in_preparation,
        counts.in_progress,
        counts.completed,
        counts.ongoing,
        counts.postponed,
        counts.cancelled,
        counts.total,
    ]
}

/// Printed (PDF): `*emphasis*` pairs as the PDF's emphasis markers (an unpaired `*` stays
/// as it is), with French typography.
pub fn printed(text: &str) -> String {
    let text = typography(text);
    let runs: Vec<&str> = emphasis_runs(&text).into_iter().map(|(_, run)| run).collect();
    runs.join(&crate::reports::pdf::EMPHASIS.to_string())
}

/// The text without its `*emphasis*` markers (paired only), for formats without italics.
pub fn plain(text: &str) -> String {
    emphasis_runs(text).into_iter().map(|(_, run)| run).collect()
}

/// The runs of a text with `*emphasis*`, each with whether it is emphasised; the whole text
/// as one plain run when its `*` do not pair up ("3 * 4"). Every format reads emphasis here.
pub fn emphasis_runs(text: &str) -> Vec<(bool, &str)> {
    let runs: Vec<&str> = text.split('*').collect();
    if runs.len().is_multiple_of(2) {
        return vec![(false, text)];
    }
    runs.into_iter().enumerate().map(|(i, run)| (i % 2 == 1, run)).collect()
}

/// "Décision : Résolution CA-2013-11-04-05".
fn decision_line(decision: Option<&str>, lang: Lang) -> Option<String> {
    decision.map(|d| format!("{} {d}", lang.pick("Décision :", "Decision:")))
}

/// "ORIENTATION 2 : Soutenir…", as the plan document titles them.
pub fn orientation_heading(number: i32, title: &str) -> String {
    format!("ORIENTATION {number} : {title}")
}

/// "Responsable : Communagir · Cible : 16 régions · suite du plan 2013-2014", under an
/// action's title in the plan table: who carries it, the plan's other columns, and the year
/// it continues.
pub fn responsible_line(action: &TableAction, lang: Lang) -> Option<String> {
    let responsible = action
        .responsible_organization
        .as_deref()
        .map(|org| format!("{} {org}", lang.pick("Responsable :", "Responsible:")));
    let continued = action
        .continued_from
        .as_deref()
        .map(|years| format!("{} {years}", lang.pick("suite du plan", "continued from")));
    let parts: Vec<String> = responsible
        .into_iter()
        .chain(details_line(action, lang))
        .chain(continued)
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// "Cible : 16 régions · Budget : 2 000 $": the plan's other columns, for one action.
pub fn details_line(action: &TableAction, lang: Lang) -> Option<String> {
    let colon = lang.pick(" : ", ": ");
    let parts: Vec<String> = action
        .details
        .iter()
        .map(|field| format!("{}{colon}{}", field.name, field.value))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The header of the column the spreadsheets give the plan's other columns, when any action
/// of the report has some.
pub fn details_header(table: &[TableOrientation], lang: Lang) -> Option<&'static str> {
    let any = table
        .iter()
        .flat_map(|o| &o.objectives)
        .flat_map(|o| &o.actions)
        .any(|a| !a.details.is_empty());
    any.then(|| lang.pick("Autres colonnes du plan", "Other columns of the plan"))
}

/// État d'avancement as one text: "En cours — 6 régions visitées — 6 / 16 régions".
pub fn state_text(action: &TableAction) -> String {
    [
        Some(action.status_label.as_str()),
        action.note.as_deref(),
        action.progress_text.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" — ")
}

/// "En cours → Complété"; "Suivi mis à jour" when the status stayed (a new note or progress).
pub fn change_text(movement: &Movement, lang: Lang) -> String {
    match movement.previous_label.as_deref() {
        Some(previous) if movement.previous_status == Some(movement.new_status) => {
            format!("{previous} : {}", lang.pick("suivi mis à jour", "follow-up updated"))
        }
        Some(previous) => format!("{previous} → {}", movement.new_label),
        None => movement.new_label.clone(),
    }
}

/// What came with a movement: its note, its measurable progress and the CA's decision.
pub fn movement_details(movement: &Movement, lang: Lang) -> String {
    let decision = decision_line(movement.decision.as_deref(), lang);
    [
        movement.note.clone(),
        // "8 / 16 régions" holds together on a line.
        movement.progress.as_ref().map(|p| p.render().replace(' ', "\u{a0}")),
        decision,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" — ")
}

/// Why an action waits: the CA's decision, then the note.
pub fn postponed_details(postponed: &PostponedAction, lang: Lang) -> String {
    let decision = decision_line(postponed.decision.as_deref(), lang);
    [decision, postponed.note.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — ")
}

/// "+3,2 points" between two shares.
fn points(now: f64, before: f64, lang: Lang) -> String {
    let delta = (now - before) * 100.0;
    let number = format!("{delta:+.1}");
    match lang {
        Lang::Fr => format!("{}\u{a0}points", number.replace('.', ",")),
        Lang::En => format!("{number} points"),
    }
}

/// How many items page one names before pointing to the full list.
const GLANCE_ITEMS: usize = 5;

/// "A ; B ; C ; D ; E ; et 12 autres (voir « En retard »)".
fn first_few(items: &[String], section: &str, lang: Lang) -> String {
    let mut shown = items.iter().take(GLANCE_ITEMS).cloned().collect::<Vec<_>>().join(" ; ");
    if items.len() > GLANCE_ITEMS {
        let rest = items.len() - GLANCE_ITEMS;
        shown.push_str(&match lang {
            Lang::Fr => format!(" ; et {rest} autres (voir {section})"),
            Lang::En => format!("; and {rest} more (see {section})"),
        });
    }
    shown
}

/// Page one, in sentences: the share done and its change, the counts, what was completed,
/// what is late and why.
pub fn glance(report: &ProgressReport, lang: Lang) -> Vec<String> {
    let plan = &report.summary.plan;
    let mut share = format!("{} {}", lang.pick("Réalisé :", "Done:"), percent(plan.completion, lang));
    if let Some(previous) = &report.since_previous
        && let (Some(now), Some(before)) = (plan.completion, previous.completion)
    {
        share.push_str(&format!(
            " ({} {} {} {} {})",
            points(now, before, lang),
            lang.pick("depuis le rapport n°", "since report no."),
            previous.report_id,
            lang.pick("du", "of"),
            long_date(previous.until, lang)
        ));
    }
    let counts: Vec<String> = ActionStatus::ALL
        .iter()
        .zip(count_numbers(plan))
        .filter(|(_, n)| *n > 0)
        .map(|(status, n)| format!("{} {n}", status.label(lang)))
        .collect();
    let counts = format!("{} actions — {}", plan.total, counts.join(", "));
    let completed = if report.highlights.completed.is_empty() {
        lang.pick(
            "Aucune action complétée dans la période.",
            "No action completed in the period.",
        )
        .to_owned()
    } else {
        let list: Vec<String> = report
            .highlights
            .completed
            .iter()
            .map(|c| format!("{} ({})", c.action, long_date(c.on, lang)))
            .collect();
        format!(
            "{} ({}) : {}",
            lang.pick("Complétées dans la période", "Completed in the period"),
            list.len(),
            first_few(&list, lang.pick("« Ce qui a bougé »", "\"What moved\""), lang)
        )
    };
    let late = if report.late.is_empty() {
        lang.pick("Aucune action en retard.", "No action is late.").to_owned()
    } else {
        let list: Vec<String> = report
            .late
            .iter()
            .map(|l| match &l.note {
                Some(note) => format!("{} ({}, {} — {note})", l.action, l.deadline, l.status_label),
                None => format!("{} ({}, {})", l.action, l.deadline, l.status_label),
            })
            .collect();
        format!(
            "{} ({}) : {}",
            lang.pick("En retard", "Late"),
            list.len(),
            first_few(&list, lang.pick("« En retard »", "\"Late\""), lang)
        )
    };
    [share, counts, completed, late]
        .iter()
        .map(|line| typography(line))
        .collect()
}

/// The comparison with the previous saved report, one line per change.
pub fn since_previous_lines(report: &ProgressReport, lang: Lang) -> Vec<String> {
    let Some(previous) = &report.since_previous else {
        return Vec::new();
    };
    let mut lines: Vec<String> = previous
        .status_changes
        .iter()
        .map(|c| format!("{} : {} → {}", c.action, c.before, c.after))
        .collect();
    lines.extend(previous.slipped.iter().map(|c| {
        format!(
            "{} : {} {} → {}",
            c.action,
            lang.pick("échéancier", "deadline"),
            c.before,
            c.after
        )
    }));
    lines.extend(
        previous
            .added
            .iter()
            .map(|a| format!("{} : {a}", lang.pick("Ajoutée", "Added"))),
    );
    lines.extend(
        previous
            .removed
            .iter()
            .map(|a| format!("{} : {a}", lang.pick("Retirée", "Removed"))),
    );
    if lines.is_empty() {
        lines.push(
            lang.pick(
                "Aucun changement d'état ni d'échéancier.",
                "No change of status or deadline.",
            )
            .to_owned(),
        );
    }
    lines.iter().map(|line| typography(line)).collect()
}

/// "Depuis le rapport n° 2 (31 octobre 2013)"
pub fn since_previous_title(report: &ProgressReport, lang: Lang) -> Option<String> {
    report.since_previous.as_ref().map(|p| {
        format!(
            "{} {} ({})",
            lang.pick("Depuis le rapport n°", "Since report no."),
            p.report_id,
            long_date(p.until, lang)
        )
    })
}

/// Section titles, in the order the report prints them.
pub struct Titles {
    pub glance: &'static str,
    pub summary: &'static str,
    pub moved: &'static str,
    pub late: &'static str,
    pub postponed: &'static str,
    pub coming_up: &'static str,
    pub plan: &'static str,
    pub glossary: &'static str,
}

pub fn titles(lang: Lang) -> Titles {
    Titles {
        glance: lang.pick("En bref", "At a glance"),
        summary: lang.pick("Sommaire", "Summary"),
        moved: lang.pick("Ce qui a bougé", "What moved"),
        late: lang.pick("En retard", "Late"),
        postponed: lang.pick("Reportées", "Postponed"),
        coming_up: lang.pick("À venir le mois prochain", "Coming up next month"),
        plan: lang.pick("Plan d'action", "Action plan"),
        glossary: lang.pick("Liste des sigles et acronymes utilisés", "Acronyms"),
    }
}

/// Column headers of the plan table, as in the document.
pub fn plan_headers(lang: Lang) -> [&'static str; 4] {
    [
        lang.pick("OBJECTIFS", "OBJECTIVES"),
        "ACTIONS",
        lang.pick("ÉCHÉANCIER", "DEADLINES"),
        lang.pick("ÉTAT D'AVANCEMENT", "STATUS"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_are_written_as_people_write_them() {
        let day = NaiveDate::from_ymd_opt(2013, 11, 1).unwrap_or_default();
        assert_eq!(long_date(day, Lang::Fr), "1er novembre 2013");
        assert_eq!(long_date(day, Lang::En), "1 November 2013");
    }

    #[test]
    fn no_sign_begins_a_line_and_no_guillemet_ends_one() {
        assert_eq!(
            typography("Note : « Tournée » ; 49 % ! Vraiment ?"),
            "Note\u{a0}: «\u{a0}Tournée\u{a0}»\u{a0}; 49\u{a0}%\u{a0}! Vraiment\u{a0}?"
        );
        let day = |d| NaiveDate::from_ymd_opt(2013, 10, d).unwrap_or_default();
        assert_eq!(period_words(day(1), day(31), Lang::Fr), "du 1er au 31 octobre 2013");
    }

    #[test]
    fn page_one_names_a_few_and_points_to_the_rest() {
        let items: Vec<String> = (1..=8).map(|i| format!("A{i}")).collect();
        assert_eq!(
            first_few(&items, "« En retard »", Lang::Fr),
            "A1 ; A2 ; A3 ; A4 ; A5 ; et 3 autres (voir « En retard »)"
        );
        assert_eq!(first_few(&items[..2], "x", Lang::Fr), "A1 ; A2");
    }

    #[test]
    fn shares_are_written_the_french_way() {
        assert_eq!(percent(Some(0.498), Lang::Fr), "49,8\u{a0}%");
        assert_eq!(percent(Some(0.498), Lang::En), "49.8%");
        assert_eq!(percent(None, Lang::Fr), "—");
    }

    #[test]
    fn count_headers_match_count_numbers() {
        let headers = count_headers(Lang::Fr);
        assert_eq!(headers.len(), count_numbers(&Counts::default()).len() + 1);
        assert_eq!(headers[3], "Complété");
        assert_eq!(headers[8], "Réalisé");
    }
}
