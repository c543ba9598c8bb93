//! PDF on letter paper, made in the process with krilla: the same sections as the HTML page,
//! the plan table as in the board's document (completed and in-progress actions in bold),
//! "Page n / N" at the foot of each page, DejaVu Sans embedded for the accents and « ».

mod draw;
mod layout;
mod typeface;

pub use typeface::EMPHASIS;

use layout::{CONTENT_WIDTH, Cell, Layout, Table};
use typeface::Style;

use super::labels::{self, printed};
use super::model::ProgressReport;
use crate::i18n::Lang;
use crate::text::{long_date, percent, period_words};

const BODY: f32 = 8.5;

/// Widths as shares of the page's width.
fn widths(shares: &[f32]) -> Vec<f32> {
    let total: f32 = shares.iter().sum();
    shares.iter().map(|share| share / total * CONTENT_WIDTH).collect()
}

fn heading(layout: &mut Layout<'_>, report: &ProgressReport, lang: Lang) {
    let h = &report.heading;
    layout.paragraph(&printed(&h.title), Style::Bold, 16.0);
    layout.space(4.0);
    layout.paragraph(&h.organization, Style::Regular, 10.0);
    layout.paragraph(
        &format!(
            "{} {}",
            lang.pick("Rapport d'avancement", "Progress report"),
            period_words(h.from, h.to, lang)
        ),
        Style::Bold,
        10.0,
    );
    layout.paragraph(
        &format!(
            "{} {} — {} {}",
            lang.pick("États au", "Statuses as of"),
            long_date(h.as_of, lang),
            lang.pick("mise à jour :", "updated:"),
            long_date(h.last_updated_on, lang)
        ),
        Style::Regular,
        BODY,
    );
    if let Some(standing) = labels::standing_line(h, lang) {
        layout.paragraph(&standing, Style::Regular, BODY);
    }
    if let Some(certification) = &report.certification {
        layout.space(4.0);
        layout.paragraph(&labels::certification_line(certification, lang), Style::Bold, BODY);
        layout.paragraph(
            &format!("{} {}", labels::fingerprint_label(lang), certification.fingerprint),
            Style::Regular,
            7.0,
        );
    }
}

fn summary(layout: &mut Layout<'_>, report: &ProgressReport, lang: Lang) {
    let counts_row = |label: String, style: Style, counts: &super::model::Counts| {
        let mut row = vec![Cell::new(label, style)];
        row.extend(
            labels::count_numbers(counts)
                .iter()
                .map(|n| Cell::new(n.to_string(), style)),
        );
        row.push(Cell::new(percent(counts.completion, lang), style));
        row
    };
    let mut rows = vec![counts_row("Plan".to_owned(), Style::Bold, &report.summary.plan)];
    for orientation in &report.summary.orientations {
        rows.push(counts_row(
            printed(&labels::orientation_heading(orientation.number, &orientation.title)),
            Style::Bold,
            &orientation.counts,
        ));
        for objective in &orientation.objectives {
            rows.push(counts_row(printed(&objective.title), Style::Regular, &objective.counts));
        }
    }
    let mut titles = vec![""];
    titles.extend(labels::count_headers(lang));
    layout.table(Table {
        widths: widths(&[30.0, 7.0, 8.5, 7.0, 8.0, 7.0, 7.0, 8.5, 6.0, 7.5]),
        header: titles,
        rows,
        size: 7.5,
        merge_first_column: false,
    });
    layout.paragraph(
        lang.pick(
            "Réalisé : complété = 1, en cours ou en continu = part de la cible atteinte (ou ½), \
             autres = 0, abandonné exclu ; moyenne des actions, puis des objectifs et des orientations.",
            "Done: completed = 1, in progress or ongoing = share of the target reached (or ½), \
             others = 0, cancelled left out; mean of the actions, then of objectives and orientations.",
        ),
        Style::Regular,
        7.0,
    );
}

/// A table of plain cells, or "Aucune." when there is nothing to list.
fn list(layout: &mut Layout<'_>, lang: Lang, shares: &[f32], titles: &[&'static str], rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        layout.paragraph(lang.pick("Aucune.", "None."), Style::Regular, BODY);
        layout.space(6.0);
        return;
    }
    layout.table(Table {
        widths: widths(shares),
        header: titles.to_vec(),
        rows: rows
            .into_iter()
            .map(|row| row.into_iter().map(Cell::plain).collect())
            .collect(),
        size: BODY,
        merge_first_column: false,
    });
}

fn moved(layout: &mut Layout<'_>, report: &ProgressReport, lang: Lang) {
    let rows = report
        .moved
        .iter()
        .map(|m| {
            vec![
                long_date(m.on, lang),
                printed(&m.action),
                labels::change_text(m, lang),
                printed(&labels::movement_details(m, lang)),
                m.author.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let titles = [
        "Date",
        "Action",
        lang.pick("Changement", "Change"),
        lang.pick("Suivi", "Follow-up"),
        lang.pick("Auteur", "Author"),
    ];
    list(layout, lang, &[15.0, 34.0, 19.0, 20.0, 12.0], &titles, rows);
}

fn late(layout: &mut Layout<'_>, report: &ProgressReport, lang: Lang) {
    let rows = report
        .late
        .iter()
        .map(|l| {
            vec![
                printed(&l.action),
                format!("{} ({})", l.deadline, long_date(l.ended_on, lang)),
                l.status_label.clone(),
                l.days_late.to_string(),
            ]
        })
        .collect();
    let titles = [
        "Action",
        lang.pick("Échéance (terminée le)", "Deadline (ended on)"),
        lang.pick("État", "Status"),
        lang.pick("Jours de retard", "Days late"),
    ];
    list(layout, lang, &[50.0, 24.0, 14.0, 12.0], &titles, rows);
}

fn postponed(layout: &mut Layout<'_>, report: &ProgressReport, lang: Lang) {
    let rows = report
        .postponed
        .iter()
        .map(|p| {
            vec![
                printed(&p.action),
                long_date(p.since, lang),
                printed(&labels::postponed_details(p, lang)),
            ]
        })
        .collect();
    let titles = [
        "Action",
        lang.pick("Depuis le", "Since"),
        lang.pick("Décision et note", "Decision and note"),
    ];
    list(layout, lang, &[46.0, 16.0, 38.0], &titles, rows);
}

fn coming_up(layout: &mut Layout<'_>, report: &ProgressReport, lang: Lang) {
    let rows = report
        .coming_up
        .iter()
        .map(|c| {
            vec![
                c.deadline_rendering.clone(),
                printed(c.action.as_deref().unwrap_or("")),
                printed(&c.objective),
                c.status_label.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let titles = [
        lang.pick("Échéance", "Deadline"),
        "Action",
        lang.pick("Objectif", "Objective"),
        lang.pick("État", "Status"),
    ];
    list(layout, lang, &[22.0, 38.0, 26.0, 14.0], &titles, rows);
}

fn plan_table(layout: &mut Layout<'_>, report: &ProgressReport, lang: Lang) {
    for orientation in &report.table {
        layout.heading(
            &printed(&labels::orientation_heading(orientation.number, &orientation.title)),
            10.0,
        );
        let mut rows = Vec::new();
        for objective in &orientation.objectives {
            let objective_cell = || Cell::plain(printed(&objective.title));
            if objective.actions.is_empty() {
                rows.push(vec![
                    objective_cell(),
                    Cell::plain(""),
                    Cell::plain(objective.deadlines.join("\n")),
                    Cell::plain(""),
                ]);
            }
            for action in &objective.actions {
                // The document sets completed and in-progress actions in bold.
                let style = if action.highlighted {
                    Style::Bold
                } else {
                    Style::Regular
                };
                let title = match labels::responsible_line(action, lang) {
                    Some(line) => format!("{}\n{line}", printed(&action.title)),
                    None => printed(&action.title),
                };
                rows.push(vec![
                    objective_cell(),
                    Cell::new(title, style),
                    Cell::new(action.deadlines.join("\n"), style),
                    Cell::new(labels::state_text(action), style),
                ]);
            }
        }
        layout.table(Table {
            widths: widths(&[23.0, 38.0, 16.0, 23.0]),
            header: labels::plan_headers(lang).to_vec(),
            rows,
            size: BODY,
            merge_first_column: true,
        });
    }
}

pub fn render(report: &ProgressReport, lang: Lang) -> Result<Vec<u8>, String> {
    let faces = typeface::faces()?;
    let titles = labels::titles(lang);
    let mut layout = Layout::new(faces);
    heading(&mut layout, report, lang);
    layout.heading(titles.glance, 13.0);
    for line in labels::glance(report, lang) {
        layout.paragraph(&printed(&line), Style::Regular, BODY + 0.5);
        layout.space(2.0);
    }
    layout.space(4.0);
    for o in &report.summary.orientations {
        let label = printed(&labels::orientation_heading(o.number, &o.title));
        layout.bar(&label, o.counts.completion, &percent(o.counts.completion, lang), BODY);
    }
    layout.heading(titles.summary, 13.0);
    summary(&mut layout, report, lang);
    layout.heading(titles.moved, 13.0);
    moved(&mut layout, report, lang);
    layout.heading(titles.late, 13.0);
    late(&mut layout, report, lang);
    layout.heading(titles.postponed, 13.0);
    postponed(&mut layout, report, lang);
    layout.heading(titles.coming_up, 13.0);
    coming_up(&mut layout, report, lang);
    if let Some(title) = labels::since_previous_title(report, lang) {
        layout.heading(&title, 13.0);
        for line in labels::since_previous_lines(report, lang) {
            layout.paragraph(&printed(&line), Style::Regular, BODY);
        }
    }
    layout.heading(titles.plan, 13.0);
    plan_table(&mut layout, report, lang);
    // A plan without acronyms has no list, not an empty heading.
    if !report.glossary.is_empty() {
        layout.heading(titles.glossary, 13.0);
    }
    for line in &report.glossary {
        layout.paragraph(&format!("{} : {}", line.acronym, line.definition), Style::Regular, BODY);
    }
    let h = &report.heading;
    let footer = draw::Footer {
        left: format!(
            "{} — {} {}",
            printed(&h.title),
            lang.pick("état au", "as of"),
            long_date(h.as_of, lang)
        ),
        page_word: "Page",
    };
    let info = draw::Info {
        title: format!("{} — {} – {}", printed(&h.title), h.from, h.to),
        language: lang.pick("fr-CA", "en-CA"),
    };
    draw::document(faces, &layout.pages, &footer, &info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_pairs_become_markers_and_a_lone_star_stays() {
        assert_eq!(
            printed("la *Tournée des régions*"),
            "la \u{e000}Tournée des régions\u{e000}"
        );
        assert_eq!(printed("3 * 4"), "3 * 4");
    }

    #[test]
    fn a_line_broken_inside_emphasis_closes_it_and_the_next_reopens_it() -> Result<(), String> {
        let faces = typeface::faces()?;
        let text = printed("Planification de la *Tournée des régions en collaboration avec les régions* du Québec");
        let lines = layout::wrap(faces, &text, typeface::Style::Regular, 9.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert_eq!(line.matches(EMPHASIS).count() % 2, 0, "{line:?}");
        }
        let words: String = lines.concat().replace(EMPHASIS, "").split_whitespace().collect();
        assert_eq!(
            words,
            "Planification de la Tournée des régions en collaboration avec les régions du Québec"
                .split_whitespace()
                .collect::<String>()
        );
        Ok(())
    }
}
