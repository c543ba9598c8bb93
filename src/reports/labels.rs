//! Texts that the printed formats (HTML, XLSX, PDF) share, so that they say the same thing.

use chrono::NaiveDate;

use super::model::{Certification, Counts, Heading, Movement, PostponedAction, TableAction};
use crate::deadlines::parser::render_date;
use crate::i18n::Lang;
use crate::progress::ActionStatus;

/// "31 octobre 2013", "31 October 2013".
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fr => render_date(date),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// "Période : 2013-10-01 – 2013-10-31 ; état au 2013-10-31 ; mise à jour : 2013-10-11"
pub fn period_line(heading: &Heading, lang: Lang) -> String {
    format!(
        "{} {} – {} ; {} {} ; {} {}",
        lang.pick("Période :", "Period:"),
        heading.from,
        heading.to,
        lang.pick("état au", "as of"),
        heading.as_of,
        lang.pick("mise à jour :", "updated:"),
        heading.last_updated_on
    )
}

/// "Rapport n° 3 enregistré le 2013-11-01. Validé par le CA le 2013-11-04 (CA du …) — Marie."
pub fn certification_line(certification: &Certification, lang: Lang) -> String {
    let signed = match &certification.signed_off {
        Some(sign) => format!(
            "{} {} ({}) — {}.",
            lang.pick("Validé par le CA le", "Signed off by the board on"),
            sign.on,
            sign.meeting_reference,
            sign.by
        ),
        None => lang.pick("Non validé.", "Not signed off.").to_owned(),
    };
    format!(
        "{} {} {} {}. {signed}",
        lang.pick("Rapport n°", "Report no."),
        certification.report_id,
        lang.pick("enregistré le", "saved on"),
        certification.saved_on
    )
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

/// "49,8 %" (a no-break space before the sign, a decimal comma in French), "49.8%" in
/// English, "—" when there is nothing to measure.
pub fn percent(completion: Option<f64>, lang: Lang) -> String {
    match completion {
        None => "—".to_owned(),
        Some(share) => {
            let number = format!("{:.1}", share * 100.0);
            match lang {
                Lang::Fr => format!("{}\u{a0}%", number.replace('.', ",")),
                Lang::En => format!("{number}%"),
            }
        }
    }
}

/// "ORIENTATION 2 : Soutenir…", as the plan document titles them.
pub fn orientation_heading(number: i32, title: &str) -> String {
    format!("ORIENTATION {number} : {title}")
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
    let decision = movement
        .decision
        .as_deref()
        .map(|d| format!("{} {d}", lang.pick("Décision :", "Decision:")));
    [
        movement.note.clone(),
        movement.progress.as_ref().map(crate::progress::Progress::render),
        decision,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" — ")
}

/// Why an action waits: the CA's decision, then the note.
pub fn postponed_details(postponed: &PostponedAction, lang: Lang) -> String {
    let decision = postponed
        .decision
        .as_deref()
        .map(|d| format!("{} {d}", lang.pick("Décision :", "Decision:")));
    [decision, postponed.note.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — ")
}

/// Section titles, in the order the report prints them.
pub struct Titles {
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

    #[test]
    fn dates_are_written_as_people_write_them() {
        let day = NaiveDate::from_ymd_opt(2013, 11, 1).unwrap_or_default();
        assert_eq!(long_date(day, Lang::Fr), "1er novembre 2013");
        assert_eq!(long_date(day, Lang::En), "1 November 2013");
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
