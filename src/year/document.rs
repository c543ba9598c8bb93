//! The plan as the board's own Word document: the table of the original (title, "Mise à
//! jour", ORIENTATION rows, the four columns, bold for what is done or under way, the
//! acronyms), for adoption and for the AGA. The importer reads it back to the same plan.

use std::io::Cursor;

use chrono::Datelike;
use docx_rs::{Docx, PageOrientationType, Paragraph, Run, Table, TableCell, TableRow, VMergeType, WidthType};

use crate::i18n::Lang;
use crate::plans::tree::{ActionNode, ObjectiveNode, PlanTree};
use crate::progress::ActionStatus;
use crate::text::month_name;
use crate::text::render_date;

pub const MEDIA_TYPE: &str = crate::import::docx::MEDIA_TYPE;

/// Column widths in twentieths of a point: a landscape Letter page less its margins.
const COLUMNS: [usize; 4] = [3000, 5160, 2200, 2600];

/// `text` without the characters XML 1.0 cannot hold (the API refuses them, but rows stored
/// before that rule, or by other means, must not make a document Word refuses to open).
fn xml_safe(text: &str) -> String {
    text.chars().filter(|&c| !crate::validation::is_control(c)).collect()
}

/// Runs of `text`, italic between `*` as the API's light markup writes emphasis.
fn runs(text: &str, bold: bool) -> Vec<Run> {
    text.split('*')
        .enumerate()
        .filter(|(_, piece)| !piece.is_empty())
        .map(|(i, piece)| {
            let run = Run::new().add_text(xml_safe(piece));
            let run = if bold { run.bold() } else { run };
            if i % 2 == 1 { run.italic() } else { run }
        })
        .collect()
}

fn paragraph(text: &str, bold: bool) -> Paragraph {
    runs(text, bold).into_iter().fold(Paragraph::new(), Paragraph::add_run)
}

fn cell(paragraphs: Vec<Paragraph>, column: usize) -> TableCell {
    let cell = TableCell::new().width(COLUMNS[column], WidthType::Dxa);
    let paragraphs = if paragraphs.is_empty() {
        vec![Paragraph::new()]
    } else {
        paragraphs
    };
    paragraphs.into_iter().fold(cell, TableCell::add_paragraph)
}

/// The état as the importer reads it: the status word, then the note after a colon.
fn progress_text(action: &ActionNode) -> String {
    let a = &action.action;
    match (a.status, a.progress_note.as_deref()) {
        (ActionStatus::NotStarted, None) => String::new(),
        (status, None) => status.label(Lang::Fr).to_owned(),
        (status, Some(note)) => format!("{} : {note}", status.label(Lang::Fr)),
    }
}

fn action_title(action: &ActionNode) -> String {
    let a = &action.action;
    match &a.responsible_organization {
        Some(organization) => format!("- {} (organisation responsable : {organization})", a.title),
        None => format!("- {}", a.title),
    }
}

fn deadline_paragraphs<'a>(labels: impl Iterator<Item = &'a str>, bold: bool) -> Vec<Paragraph> {
    labels.map(|label| paragraph(label, bold)).collect()
}

/// One row per action, the objective's cell merged down its rows as in the original.
fn objective_rows(objective: &ObjectiveNode) -> Vec<TableRow> {
    let title = cell(vec![paragraph(&objective.objective.title, false)], 0);
    if objective.actions.is_empty() {
        let labels = objective.deadlines.iter().map(|d| d.label.as_str());
        return vec![TableRow::new(vec![
            title,
            cell(Vec::new(), 1),
            cell(deadline_paragraphs(labels, false), 2),
            cell(Vec::new(), 3),
        ])];
    }
    objective
        .actions
        .iter()
        .enumerate()
        .map(|(i, action)| {
            let bold = action.action.status.is_highlighted();
            let first = if i == 0 {
                title.clone().vertical_merge(VMergeType::Restart)
            } else {
                cell(Vec::new(), 0).vertical_merge(VMergeType::Continue)
            };
            let progress = progress_text(action);
            let labels = action.deadlines.iter().map(|d| d.label.as_str());
            TableRow::new(vec![
                first,
                cell(vec![paragraph(&action_title(action), bold)], 1),
                cell(deadline_paragraphs(labels, bold), 2),
                cell(
                    if progress.is_empty() {
                        Vec::new()
                    } else {
                        vec![paragraph(&progress, bold)]
                    },
                    3,
                ),
            ])
        })
        .collect()
}

fn header_row() -> TableRow {
    let headers = ["OBJECTIFS", "ACTIONS", "ÉCHÉANCIER", "ÉTAT D'AVANCEMENT"];
    TableRow::new(
        headers
            .iter()
            .enumerate()
            .map(|(i, h)| cell(vec![paragraph(h, true)], i))
            .collect(),
    )
}

/// The plan as a DOCX file. `updated_on` is its "Mise à jour" (the day of its latest change).
pub fn render(tree: &PlanTree, updated_on: chrono::NaiveDate) -> Result<Vec<u8>, docx_rs::DocxError> {
    let plan = &tree.plan;
    let title = format!(
        "PLAN D'ACTION {}-{} ({} à {})",
        plan.period_start.year(),
        plan.period_end.year(),
        month_name(plan.period_start.month()),
        month_name(plan.period_end.month())
    );
    let mut docx = Docx::new()
        .page_orient(PageOrientationType::Landscape)
        .page_size(15840, 12240)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(xml_safe(&title)).bold().size(32)));
    if let Some(note) = &plan.heading_note {
        docx = docx.add_paragraph(paragraph(&format!("Note : {note}"), false));
    }
    docx = docx.add_paragraph(paragraph(&format!("Mise à jour : {}", render_date(updated_on)), false));
    if let (Some(on), Some(resolution)) = (plan.adopted_on, &plan.adoption_resolution) {
        let line = format!("Adopté par le CA le {} (résolution {resolution})", render_date(on));
        docx = docx.add_paragraph(paragraph(&line, false));
    }
    let mut rows = vec![header_row()];
    for (n, orientation) in tree.orientations.iter().enumerate() {
        let heading = format!("ORIENTATION {} : {}", n + 1, orientation.orientation.title);
        rows.push(TableRow::new(vec![
            TableCell::new()
                .width(COLUMNS.iter().sum(), WidthType::Dxa)
                .grid_span(4)
                .add_paragraph(paragraph(&heading, true)),
        ]));
        rows.extend(orientation.objectives.iter().flat_map(objective_rows));
    }
    docx = docx.add_table(Table::new(rows).set_grid(COLUMNS.to_vec()));
    if !tree.glossary.is_empty() {
        docx = docx
            .add_paragraph(Paragraph::new())
            .add_paragraph(paragraph("Liste des sigles et acronymes utilisés", true));
        let rows = tree
            .glossary
            .iter()
            .map(|g| {
                TableRow::new(vec![
                    cell(vec![paragraph(&g.acronym, true)], 0),
                    cell(vec![paragraph(&g.definition, false)], 1),
                ])
            })
            .collect();
        docx = docx.add_table(Table::new(rows).set_grid(vec![COLUMNS[0], COLUMNS[1]]));
    }
    let mut out = Cursor::new(Vec::new());
    docx.build().pack(&mut out)?;
    Ok(out.into_inner())
}
