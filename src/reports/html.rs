//! HTML: a printable page that reads like the plan document (completed and in-progress
//! actions in bold). Every text is escaped; `*emphasis*` becomes italics.

use std::fmt::Write as _;

use super::model::{Counts, ProgressReport};
use crate::i18n::Lang;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text with `*emphasis*` in italics (an unpaired `*` stays as it is).
pub fn markup(text: &str) -> String {
    let parts: Vec<&str> = text.split('*').collect();
    if parts.len().is_multiple_of(2) {
        return escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<em>{}</em>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn counts_cells(counts: &Counts) -> String {
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1} %</td>",
        counts.not_started,
        counts.in_preparation,
        counts.in_progress,
        counts.completed,
        counts.ongoing,
        counts.postponed,
        counts.cancelled,
        counts.total,
        counts.completion * 100.0
    )
}

pub fn render(report: &ProgressReport, lang: Lang) -> String {
    let h = &report.heading;
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>\
body{{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt;margin:1.5cm}}table{{border-collapse:collapse;width:100%;margin:0.5em 0 1.5em}}\
th,td{{border:1px solid #999;padding:3px 5px;vertical-align:top;text-align:left}}th{{background:#d9e1f2}}\
.fait{{font-weight:bold}}h2{{page-break-before:auto;margin-top:1.5em}}@page{{size:letter;margin:1.5cm}}\
</style></head><body>\n<h1>{title}</h1>\n<p>{org}<br>{period_label} {from} – {to} ; {asof_label} {as_of} ; {update_label} {updated}</p>\n",
        lang = lang.code(),
        title = escape(&h.title),
        org = escape(&h.organization),
        period_label = lang.pick("Période :", "Period:"),
        from = h.from,
        to = h.to,
        asof_label = lang.pick("état au", "as of"),
        as_of = h.as_of,
        update_label = lang.pick("mise à jour :", "updated:"),
        updated = h.last_updated_on,
    );
    if let Some(c) = &report.certification {
        let signed = match &c.signed_off {
            Some(sign) => format!(
                "{} {} ({}) — {}.",
                lang.pick("Validé par le CA le", "Signed off by the board on"),
                sign.on,
                escape(&sign.meeting_reference),
                escape(&sign.by)
            ),
            None => lang.pick("Non validé.", "Not signed off.").to_owned(),
        };
        let _ = writeln!(
            page,
            "<p class=\"certification\">{} {} {} {}. {signed}<br>{} <code>{}</code></p>",
            lang.pick("Rapport n°", "Report no."),
            c.report_id,
            lang.pick("enregistré le", "saved on"),
            c.saved_on,
            lang.pick("Empreinte SHA-256 :", "SHA-256 fingerprint:"),
            c.fingerprint
        );
    }
    let _ = write!(
        page,
        "<h2>{}</h2>\n<table><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>Total</th><th>{}</th></tr>\n<tr><td>Plan</td>{}</tr>\n",
        lang.pick("Sommaire", "Summary"),
        lang.pick("À venir", "Not started"),
        lang.pick("En préparation", "In preparation"),
        lang.pick("En cours", "In progress"),
        lang.pick("Complété", "Completed"),
        lang.pick("En continu", "Ongoing"),
        lang.pick("Reporté", "Postponed"),
        lang.pick("Abandonné", "Cancelled"),
        lang.pick("Réalisé", "Done"),
        counts_cells(&report.summary.plan)
    );
    for o in &report.summary.orientations {
        let _ = writeln!(
            page,
            "<tr><td>ORIENTATION {} : {}</td>{}</tr>",
            o.number,
            markup(&o.title),
            counts_cells(&o.counts)
        );
    }
    page.push_str("</table>\n");

    let _ = write!(
        page,
        "<h2>{}</h2>\n<table><tr><th>{}</th><th>Action</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        lang.pick("Ce qui a bougé", "What moved"),
        lang.pick("Date", "Date"),
        lang.pick("Changement", "Change"),
        lang.pick("Note", "Note"),
        lang.pick("Auteur", "Author")
    );
    for m in &report.moved {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            m.at.format("%Y-%m-%d"),
            markup(&m.action),
            escape(m.previous_label.as_deref().unwrap_or("–")),
            escape(&m.new_label),
            escape(m.note.as_deref().unwrap_or("")),
            escape(m.author.as_deref().unwrap_or(""))
        );
    }
    page.push_str("</table>\n");

    let _ = write!(
        page,
        "<h2>{}</h2>\n<table><tr><th>Action</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        lang.pick("En retard", "Late"),
        lang.pick("Échéance", "Deadline"),
        lang.pick("État", "Status"),
        lang.pick("Jours de retard", "Days late")
    );
    for l in &report.late {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            markup(&l.action),
            escape(&l.deadline),
            escape(&l.status_label),
            l.days_late
        );
    }
    page.push_str("</table>\n");

    let _ = write!(
        page,
        "<h2>{}</h2>\n<table><tr><th>{}</th><th>Action</th><th>{}</th></tr>\n",
        lang.pick("À venir le mois prochain", "Coming up next month"),
        lang.pick("Échéance", "Deadline"),
        lang.pick("Objectif", "Objective")
    );
    for c in &report.coming_up {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.deadline_rendering),
            markup(c.action.as_deref().unwrap_or("")),
            markup(&c.objective)
        );
    }
    page.push_str("</table>\n");

    let _ = writeln!(page, "<h2>{}</h2>", lang.pick("Plan d'action", "Action plan"));
    for o in &report.table {
        let _ = write!(
            page,
            "<h3>ORIENTATION {} : {}</h3>\n<table><tr><th>{}</th><th>ACTIONS</th><th>{}</th><th>{}</th></tr>\n",
            o.number,
            markup(&o.title),
            lang.pick("OBJECTIFS", "OBJECTIVES"),
            lang.pick("ÉCHÉANCIER", "DEADLINES"),
            lang.pick("ÉTAT D'AVANCEMENT", "STATUS")
        );
        for b in &o.objectives {
            if b.actions.is_empty() {
                let _ = writeln!(
                    page,
                    "<tr><td>{}</td><td></td><td>{}</td><td></td></tr>",
                    markup(&b.title),
                    escape(&b.deadlines.join(" ; "))
                );
            }
            for a in &b.actions {
                let class = if a.highlighted { " class=\"fait\"" } else { "" };
                let state = [Some(a.status_label.clone()), a.note.clone(), a.progress_text.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — ");
                let _ = writeln!(
                    page,
                    "<tr{class}><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    markup(&b.title),
                    markup(&a.title),
                    escape(&a.deadlines.join(" ; ")),
                    escape(&state)
                );
            }
        }
        page.push_str("</table>\n");
    }
    let _ = write!(
        page,
        "<h2>{}</h2>\n<ul>\n",
        lang.pick("Liste des sigles et acronymes utilisés", "Acronyms")
    );
    for g in &report.glossary {
        let _ = writeln!(page, "<li>{} : {}</li>", escape(&g.acronym), escape(&g.definition));
    }
    page.push_str("</ul>\n</body></html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_emphasis_kept() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(
            markup("Présentation de la *Tournée des régions* <b>"),
            "Présentation de la <em>Tournée des régions</em> &lt;b&gt;"
        );
        assert_eq!(markup("3 * 4"), "3 * 4");
    }
}
