//! XLSX: a sheet for the summary, one for the plan table (frozen header, widths, wrapped
//! text, bold marking), one for what moved, one for late actions. The workbook's dates
//! come from the report, so the same report always gives the same bytes.

use rust_xlsxwriter::{ConditionalFormatDataBar, DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::csv::neutralise;
use super::labels::{
    certification_line, count_headers, count_numbers, emphasis_runs, fingerprint_label, glance, orientation_heading,
    period_line, since_previous_lines, standing_line,
};
use super::model::{Counts, ProgressReport};
use crate::i18n::Lang;

struct Formats {
    header: Format,
    text: Format,
    bold: Format,
    title: Format,
    percent: Format,
    date: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color("D9E1F2")
            .set_align(FormatAlign::Top),
        text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        date: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top),
        bold: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top),
        title: Format::new().set_bold().set_font_size(14),
        percent: Format::new().set_num_format("0.0%"),
    }
}

/// Writes text as text (formulas are neutralised), `*emphasis*` in italics as rich text.
fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str, format: &Format) -> Result<(), XlsxError> {
    let value = neutralise(value);
    let runs = emphasis_runs(&value);
    if !runs.iter().any(|(emphasis, run)| *emphasis && !run.is_empty()) {
        sheet.write_string_with_format(row, col, &value, format)?;
        return Ok(());
    }
    let italic = format.clone().set_italic();
    let runs: Vec<(&Format, &str)> = runs
        .into_iter()
        .filter(|(_, run)| !run.is_empty())
        .map(|(emphasis, run)| (if emphasis { &italic } else { format }, run))
        .collect();
    sheet.write_rich_string_with_format(row, col, &runs, format)?;
    Ok(())
}

/// Headers that stay in view, and a sheet that prints on letter paper in landscape, as wide
/// as the page, with its header row on every page.
fn header_row(sheet: &mut Worksheet, row: u32, headers: &[&str], formats: &Formats) -> Result<(), XlsxError> {
    for (col, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(row, col, *header, &formats.header)?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    sheet.set_landscape().set_paper_size(1).set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(row, row)?;
    Ok(())
}

fn counts_row(
    sheet: &mut Worksheet,
    row: u32,
    label: &str,
    counts: &Counts,
    formats: &Formats,
) -> Result<(), XlsxError> {
    text(sheet, row, 0, label, &formats.text)?;
    for (col, value) in (1u16..).zip(count_numbers(counts)) {
        sheet.write_number(row, col, value as f64)?;
    }
    match counts.completion {
        Some(share) => sheet.write_number_with_format(row, 9, share, &formats.percent)?,
        None => sheet.write_string(row, 9, "—")?,
    };
    Ok(())
}

/// Widths of the first columns, from column A.
fn column_widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in (0u16..).zip(widths) {
        sheet.set_column_width(col, *width)?;
    }
    Ok(())
}

pub fn render(report: &ProgressReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut workbook = Workbook::new();
    let heading = &report.heading;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&heading.title)
            .set_company(&heading.organization)
            .set_creation_datetime(&heading.as_of),
    );
    summary(&mut workbook, report, lang, &f)?;
    plan_table(&mut workbook, report, lang, &f)?;
    moved(&mut workbook, report, lang, &f)?;
    late(&mut workbook, report, lang, &f)?;
    postponed(&mut workbook, report, lang, &f)?;
    coming_up(&mut workbook, report, lang, &f)?;
    workbook.save_to_buffer()
}

/// The summary: the heading, the counts by orientation and objective, the glance.
fn summary(workbook: &mut Workbook, report: &ProgressReport, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    let heading = &report.heading;
    sheet.set_name(lang.pick("Sommaire", "Summary"))?;
    sheet.write_string_with_format(0, 0, &heading.title, &f.title)?;
    text(sheet, 1, 0, &period_line(heading, lang), &f.text)?;
    let organization = match standing_line(heading, lang) {
        Some(standing) => format!("{} — {standing}", heading.organization),
        None => heading.organization.clone(),
    };
    text(sheet, 2, 0, &organization, &f.text)?;
    if let Some(c) = &report.certification {
        let line = format!(
            "{} {} {}",
            certification_line(c, lang),
            fingerprint_label(lang),
            c.fingerprint
        );
        text(sheet, 3, 0, &line, &f.text)?;
    }
    let mut headers = vec![""];
    headers.extend(count_headers(lang));
    header_row(sheet, 4, &headers, f)?;
    counts_row(sheet, 5, lang.pick("Plan", "Plan"), &report.summary.plan, f)?;
    let mut row = 6;
    for orientation in &report.summary.orientations {
        counts_row(
            sheet,
            row,
            &orientation_heading(orientation.number, &orientation.title),
            &orientation.counts,
            f,
        )?;
        row += 1;
        for objective in &orientation.objectives {
            counts_row(sheet, row, &format!("    {}", objective.title), &objective.counts, f)?;
            row += 1;
        }
    }
    // The share done as data bars, as the PDF and HTML draw them.
    sheet.add_conditional_format(5, 9, row.saturating_sub(1), 9, &ConditionalFormatDataBar::new())?;
    row += 1;
    for line in glance(report, lang).iter().chain(&since_previous_lines(report, lang)) {
        text(sheet, row, 0, &line.replace('\u{a0}', " "), &f.text)?;
        row += 1;
    }
    sheet.set_column_width(0, 70)?;
    Ok(())
}

/// The plan table, one row per action, as the board reads it.
fn plan_table(workbook: &mut Workbook, report: &ProgressReport, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("Plan", "Plan"))?;
    let mut headers = vec![
        lang.pick("Orientation", "Orientation"),
        lang.pick("Objectifs", "Objectives"),
        lang.pick("Actions", "Actions"),
        lang.pick("Échéancier", "Deadlines"),
        lang.pick("État d'avancement", "Status"),
        lang.pick("Note", "Note"),
        lang.pick("Progression", "Progress"),
        lang.pick("Organisation responsable", "Responsible organization"),
    ];
    // The plan's other columns, only for a plan that has some.
    let details = super::labels::details_header(&report.table, lang);
    headers.extend(details);
    header_row(sheet, 0, &headers, f)?;
    let mut row = 1;
    for orientation in &report.table {
        for objective in &orientation.objectives {
            let orientation_cell = orientation_heading(orientation.number, &orientation.title);
            if objective.actions.is_empty() {
                text(sheet, row, 0, &orientation_cell, &f.text)?;
                text(sheet, row, 1, &objective.title, &f.text)?;
                text(sheet, row, 3, &objective.deadlines.join("\n"), &f.text)?;
                row += 1;
            }
            for action in &objective.actions {
                let format = if action.highlighted { &f.bold } else { &f.text };
                text(sheet, row, 0, &orientation_cell, &f.text)?;
                text(sheet, row, 1, &objective.title, &f.text)?;
                let title = match &action.continued_from {
                    Some(years) => format!(
                        "{} ({} {years})",
                        action.title,
                        lang.pick("suite du plan", "continued from")
                    ),
                    None => action.title.clone(),
                };
                text(sheet, row, 2, &title, format)?;
                text(sheet, row, 3, &action.deadlines.join("\n"), format)?;
                text(sheet, row, 4, &action.status_label, format)?;
                text(sheet, row, 5, action.note.as_deref().unwrap_or(""), format)?;
                text(sheet, row, 6, action.progress_text.as_deref().unwrap_or(""), format)?;
                let organization = action.responsible_organization.as_deref().unwrap_or("");
                text(sheet, row, 7, organization, format)?;
                if details.is_some() {
                    let line = super::labels::details_line(action, lang).unwrap_or_default();
                    text(sheet, row, 8, &line, format)?;
                }
                row += 1;
            }
        }
    }
    column_widths(sheet, &[30.0, 35.0, 60.0, 22.0, 16.0, 35.0, 16.0, 24.0, 40.0])?;
    Ok(())
}

/// What moved in the month.
fn moved(workbook: &mut Workbook, report: &ProgressReport, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("Mouvements", "Moved"))?;
    let headers = [
        lang.pick("Date", "Date"),
        lang.pick("Orientation", "Orientation"),
        lang.pick("Action", "Action"),
        lang.pick("Avant", "Before"),
        lang.pick("Après", "After"),
        lang.pick("Note", "Note"),
        lang.pick("Auteur", "Author"),
        lang.pick("Décision", "Decision"),
        lang.pick("Progrès", "Progress"),
    ];
    header_row(sheet, 0, &headers, f)?;
    for (row, movement) in (1u32..).zip(&report.moved) {
        sheet.write_date_with_format(row, 0, movement.on, &f.date)?;
        sheet.write_number(row, 1, f64::from(movement.orientation))?;
        text(sheet, row, 2, &movement.action, &f.text)?;
        text(sheet, row, 3, movement.previous_label.as_deref().unwrap_or(""), &f.text)?;
        text(sheet, row, 4, &movement.new_label, &f.text)?;
        text(sheet, row, 5, movement.note.as_deref().unwrap_or(""), &f.text)?;
        text(sheet, row, 6, movement.author.as_deref().unwrap_or(""), &f.text)?;
        text(sheet, row, 7, movement.decision.as_deref().unwrap_or(""), &f.text)?;
        let progress = movement.progress.as_ref().map(crate::progress::Progress::render);
        text(sheet, row, 8, progress.as_deref().unwrap_or(""), &f.text)?;
    }
    column_widths(sheet, &[12.0, 11.0, 60.0, 16.0, 16.0, 35.0, 22.0, 25.0, 16.0])?;
    Ok(())
}

/// Late actions.
fn late(workbook: &mut Workbook, report: &ProgressReport, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("Retards", "Late"))?;
    let headers = [
        lang.pick("Orientation", "Orientation"),
        lang.pick("Action", "Action"),
        lang.pick("État", "Status"),
        lang.pick("Échéance", "Deadline"),
        lang.pick("Échéance passée le", "Deadline passed on"),
        lang.pick("Jours de retard", "Days late"),
    ];
    header_row(sheet, 0, &headers, f)?;
    for (row, late) in (1u32..).zip(&report.late) {
        sheet.write_number(row, 0, f64::from(late.orientation))?;
        text(sheet, row, 1, &late.action, &f.text)?;
        text(sheet, row, 2, &late.status_label, &f.text)?;
        text(sheet, row, 3, &late.deadline, &f.text)?;
        sheet.write_date_with_format(row, 4, late.ended_on, &f.date)?;
        sheet.write_number(row, 5, late.days_late as f64)?;
    }
    column_widths(sheet, &[11.0, 60.0, 16.0, 22.0, 14.0, 14.0])?;
    Ok(())
}

/// Postponed actions.
fn postponed(workbook: &mut Workbook, report: &ProgressReport, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("Reportées", "Postponed"))?;
    let headers = [
        lang.pick("Orientation", "Orientation"),
        lang.pick("Action", "Action"),
        lang.pick("Depuis le", "Since"),
        lang.pick("Décision", "Decision"),
        lang.pick("Note", "Note"),
    ];
    header_row(sheet, 0, &headers, f)?;
    for (row, postponed) in (1u32..).zip(&report.postponed) {
        sheet.write_number(row, 0, f64::from(postponed.orientation))?;
        text(sheet, row, 1, &postponed.action, &f.text)?;
        sheet.write_date_with_format(row, 2, postponed.since, &f.date)?;
        text(sheet, row, 3, postponed.decision.as_deref().unwrap_or(""), &f.text)?;
        text(sheet, row, 4, postponed.note.as_deref().unwrap_or(""), &f.text)?;
    }
    column_widths(sheet, &[11.0, 60.0, 14.0, 30.0, 40.0])?;
    Ok(())
}

/// Deadlines coming up.
fn coming_up(workbook: &mut Workbook, report: &ProgressReport, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("À venir", "Coming up"))?;
    let headers = [
        lang.pick("Début", "Start"),
        lang.pick("Fin", "End"),
        lang.pick("Échéance", "Deadline"),
        lang.pick("Action", "Action"),
        lang.pick("Objectif", "Objective"),
        lang.pick("État", "Status"),
    ];
    header_row(sheet, 0, &headers, f)?;
    for (row, coming) in (1u32..).zip(&report.coming_up) {
        sheet.write_date_with_format(row, 0, coming.start, &f.date)?;
        sheet.write_date_with_format(row, 1, coming.end, &f.date)?;
        text(sheet, row, 2, &coming.deadline_rendering, &f.text)?;
        text(sheet, row, 3, coming.action.as_deref().unwrap_or(""), &f.text)?;
        text(sheet, row, 4, &coming.objective, &f.text)?;
        text(sheet, row, 5, coming.status_label.as_deref().unwrap_or(""), &f.text)?;
    }
    column_widths(sheet, &[12.0, 12.0, 30.0, 60.0, 40.0, 16.0])?;
    Ok(())
}
