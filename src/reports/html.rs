//! HTML: a printable page that reads like the plan document (completed and in-progress
//! actions in bold). Every text is escaped; `*emphasis*` becomes italics.

use std::fmt::Write as _;

use super::labels::{
    certification_line, change_text, count_headers, count_numbers, emphasis_runs, fingerprint_label, glance,
    movement_details, orientation_heading, period_line, plan_headers, postponed_details, responsible_line,
    since_previous_lines, since_previous_title, standing_line, state_text, titles,
};
use super::model::{Counts, ProgressReport};
use crate::i18n::Lang;
use crate::text::{long_date, percent, period_words, typography};

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
    let text = typography(text);
    emphasis_runs(&text)
        .into_iter()
        .map(|(emphasis, run)| {
            if emphasis {
                format!("<em>{}</em>", escape(run))
            } else {
                escape(run)
            }
        })
        .collect()
}

fn counts_cells(counts: &Counts, lang: Lang) -> String {
    let mut cells: String = count_numbers(counts).iter().map(|n| format!("<td>{n}</td>")).collect();
    let _ = write!(cells, "<td>{}</td>", percent(counts.completion, lang));
    cells
}

/// A titled list as a table of already-escaped cells, or "Aucune." when it is empty.
fn section(page: &mut String, title: &str, headers: &[&str], rows: impl Iterator<Item = Vec<String>>, lang: Lang) {
    let rows: Vec<Vec<String>> = rows.collect();
    let _ = writeln!(page, "<h2>{title}</h2>");
    if rows.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", lang.pick("Aucune.", "None."));
        return;
    }
    let header: String = headers.iter().map(|h| format!("<th>{h}</th>")).collect();
    let _ = writeln!(page, "<table><tr>{header}</tr>");
    for row in rows {
        let cells: String = row.iter().map(|c| format!("<td>{c}</td>")).collect();
        let _ = writeln!(page, "<tr>{cells}</tr>");
    }
    page.push_str("</table>\n");
}

pub fn render(report: &ProgressReport, lang: Lang) -> String {
    let h = &report.heading;
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{document_title}</title>\n<style>\
body{{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt;margin:1.5cm}}table{{border-collapse:collapse;width:100%;margin:0.5em 0 1.5em}}\
th,td{{border:1px solid #999;padding:3px 5px;vertical-align:top;text-align:left}}th{{background:#d9e1f2}}\
.fait{{font-weight:bold}}h2{{page-break-before:auto;margin-top:1.5em}}@page{{size:letter;margin:1.5cm}}\
@media print{{body{{margin:0}}}}.barres td{{border:none}}progress{{width:12em}}tr.orientation td{{font-weight:bold}}td.objectif{{padding-left:1.5em}}\
</style></head><body>\n",
        lang = lang.code(),
        // The page's margins are the paper's when printed: the body's would add to them.
        document_title = escape(&format!(
            "{} — {} {}",
            h.title,
            lang.pick("rapport d'avancement", "progress report"),
            period_words(h.from, h.to, lang)
        )),
    );
    page.push_str(&body(report, lang));
    page.push_str("</body></html>\n");
    page
}

/// The report itself, without the document around it: the printable page's body and the
/// web page's reading of the report.
pub fn body(report: &ProgressReport, lang: Lang) -> String {
    let h = &report.heading;
    let mut page = String::new();
    let _ = write!(
        page,
        "<h1>{title}</h1>\n<p>{org}<br>{period}</p>\n",
        title = escape(&h.title),
        org = escape(&h.organization),
        period = escape(&period_line(h, lang)),
    );
    if let Some(standing) = standing_line(h, lang) {
        let _ = writeln!(page, "<p class=\"standing\">{}</p>", escape(&standing));
    }
    if let Some(c) = &report.certification {
        let _ = writeln!(
            page,
            "<p class=\"certification\">{}<br>{} <code>{}</code></p>",
            escape(&certification_line(c, lang)),
            fingerprint_label(lang),
            c.fingerprint
        );
    }
    let titles = titles(lang);
    // Page one: in sentences, then a bar per orientation.
    let _ = writeln!(page, "<h2>{}</h2>\n<ul class=\"bref\">", titles.glance);
    for line in glance(report, lang) {
        let _ = writeln!(page, "<li>{}</li>", markup(&line));
    }
    page.push_str("</ul>\n<table class=\"barres\">\n");
    for o in &report.summary.orientations {
        let share = percent(o.counts.completion, lang);
        let bar = match o.counts.completion {
            Some(value) => format!("<progress value=\"{value:.3}\" max=\"1\">{share}</progress> {share}"),
            None => share,
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{bar}</td></tr>",
            markup(&orientation_heading(o.number, &o.title))
        );
    }
    page.push_str("</table>\n");
    let count_titles: String = count_headers(lang).iter().map(|t| format!("<th>{t}</th>")).collect();
    let _ = write!(
        page,
        "<h2>{}</h2>\n<table><tr><th></th>{count_titles}</tr>\n<tr><td>Plan</td>{}</tr>\n",
        titles.summary,
        counts_cells(&report.summary.plan, lang)
    );
    for o in &report.summary.orientations {
        let _ = writeln!(
            page,
            "<tr class=\"orientation\"><td>{}</td>{}</tr>",
            markup(&orientation_heading(o.number, &o.title)),
            counts_cells(&o.counts, lang)
        );
        for objective in &o.objectives {
            let _ = writeln!(
                page,
                "<tr><td class=\"objectif\">{}</td>{}</tr>",
                markup(&objective.title),
                counts_cells(&objective.counts, lang)
            );
        }
    }
    page.push_str("</table>\n");

    let rows = report.moved.iter().map(|m| {
        [
            escape(&long_date(m.on, lang)),
            markup(&m.action),
            escape(&change_text(m, lang)),
            markup(&movement_details(m, lang)),
            escape(m.author.as_deref().unwrap_or("")),
        ]
        .to_vec()
    });
    let headers = [
        "Date",
        "Action",
        lang.pick("Changement", "Change"),
        lang.pick("Suivi", "Follow-up"),
        lang.pick("Auteur", "Author"),
    ];
    section(&mut page, titles.moved, &headers, rows, lang);

    let rows = report.late.iter().map(|l| {
        [
            markup(&l.action),
            escape(&l.deadline),
            escape(&l.status_label),
            l.days_late.to_string(),
        ]
        .to_vec()
    });
    let headers = [
        "Action",
        lang.pick("Échéance", "Deadline"),
        lang.pick("État", "Status"),
        lang.pick("Jours de retard", "Days late"),
    ];
    section(&mut page, titles.late, &headers, rows, lang);

    let rows = report.postponed.iter().map(|p| {
        [
            markup(&p.action),
            escape(&long_date(p.since, lang)),
            markup(&postponed_details(p, lang)),
        ]
        .to_vec()
    });
    let headers = [
        "Action",
        lang.pick("Depuis le", "Since"),
        lang.pick("Décision et note", "Decision and note"),
    ];
    section(&mut page, titles.postponed, &headers, rows, lang);

    let rows = report.coming_up.iter().map(|c| {
        [
            escape(&c.deadline_rendering),
            markup(c.action.as_deref().unwrap_or("")),
            markup(&c.objective),
        ]
        .to_vec()
    });
    let headers = [
        lang.pick("Échéance", "Deadline"),
        "Action",
        lang.pick("Objectif", "Objective"),
    ];
    section(&mut page, titles.coming_up, &headers, rows, lang);

    if let Some(title) = since_previous_title(report, lang) {
        let _ = writeln!(page, "<h2>{}</h2>\n<ul>", escape(&title));
        for line in since_previous_lines(report, lang) {
            let _ = writeln!(page, "<li>{}</li>", markup(&line));
        }
        page.push_str("</ul>\n");
    }

    let _ = writeln!(page, "<h2>{}</h2>", titles.plan);
    let [objectives, actions, deadlines, state] = plan_headers(lang);
    for o in &report.table {
        let _ = write!(
            page,
            "<h3>{}</h3>\n<table><tr><th>{objectives}</th><th>{actions}</th><th>{deadlines}</th><th>{state}</th></tr>\n",
            markup(&orientation_heading(o.number, &o.title)),
        );
        for b in &o.objectives {
            // The objective once, over its actions' rows, as in the document.
            let objective = format!("<td rowspan=\"{}\">{}</td>", b.actions.len().max(1), markup(&b.title));
            if b.actions.is_empty() {
                let _ = writeln!(
                    page,
                    "<tr>{objective}<td></td><td>{}</td><td></td></tr>",
                    escape(&b.deadlines.join(" ; "))
                );
            }
            for (i, a) in b.actions.iter().enumerate() {
                // Done or under way in bold: the action's own cells, not the objective.
                let class = if a.highlighted { " class=\"fait\"" } else { "" };
                let responsible = responsible_line(a, lang)
                    .map(|line| format!("<br><small>{}</small>", escape(&line)))
                    .unwrap_or_default();
                let _ = writeln!(
                    page,
                    "<tr>{}<td{class}>{}{responsible}</td><td{class}>{}</td><td{class}>{}</td></tr>",
                    if i == 0 { objective.as_str() } else { "" },
                    markup(&a.title),
                    escape(&a.deadlines.join(" ; ")),
                    escape(&state_text(a))
                );
            }
        }
        page.push_str("</table>\n");
    }
    if !report.glossary.is_empty() {
        let _ = write!(page, "<h2>{}</h2>\n<ul>\n", titles.glossary);
        for g in &report.glossary {
            let _ = writeln!(page, "<li>{} : {}</li>", escape(&g.acronym), escape(&g.definition));
        }
        page.push_str("</ul>\n");
    }
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
