//! The plan as the board's own Word document: the table of the original (title, "Mise à
//! jour", ORIENTATION rows, its columns — the four of the RQDS plans, or those of the
//! document it was imported from —, bold for what is done or under way, the acronyms), for
//! adoption and for the AGA. The importer reads it back to the same plan.

use std::io::Cursor;

use chrono::Datelike;
use docx_rs::{Docx, PageOrientationType, Paragraph, Run, Table, TableCell, TableRow, VMergeType, WidthType};

use crate::columns::{self, ColumnKind, TableColumn};
use crate::i18n::Lang;
use crate::plans::tree::{ActionNode, ObjectiveNode, PlanTree};
use crate::progress::ActionStatus;
use crate::text::fold;
use crate::text::month_name;
use crate::text::render_date;

pub const MEDIA_TYPE: &str = crate::import::docx::MEDIA_TYPE;

/// The width of the table in twentieths of a point: a landscape Letter page less its margins.
const TABLE_WIDTH: usize = 12960;
/// The acronyms' two columns.
const GLOSSARY_COLUMNS: [usize; 2] = [3000, 5160];

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

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    let cell = TableCell::new().width(width, WidthType::Dxa);
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

/// The columns the document has: the plan's own (the four when it has none), and one more
/// for each kind of value its actions hold that none of those shows (set through the API).
pub fn export_columns(tree: &PlanTree) -> Vec<TableColumn> {
    let mut columns = match &tree.plan.table_columns.0 {
        stored if stored.is_empty() => columns::classic(),
        stored => stored.clone(),
    };
    let actions: Vec<&ActionNode> = tree
        .orientations
        .iter()
        .flat_map(|o| &o.objectives)
        .flat_map(|o| &o.actions)
        .collect();
    let status_at = columns
        .iter()
        .position(|c| c.kind == ColumnKind::Status)
        .unwrap_or(columns.len());
    let mut missing = Vec::new();
    for (kind, held) in [
        (
            ColumnKind::Indicators,
            actions.iter().any(|a| a.action.indicators.is_some()),
        ),
        (ColumnKind::Target, actions.iter().any(|a| a.action.target.is_some())),
        (
            ColumnKind::Partners,
            actions.iter().any(|a| a.action.partners.is_some()),
        ),
    ] {
        if held && !columns.iter().any(|c| c.kind == kind) {
            missing.push(TableColumn::new(kind, kind.header()));
        }
    }
    for field in actions.iter().flat_map(|a| &a.action.other_fields) {
        let named = |c: &TableColumn| c.kind == ColumnKind::Other && fold(&c.header) == fold(&field.name);
        if !columns.iter().any(named) && !missing.iter().any(named) {
            missing.push(TableColumn::new(ColumnKind::Other, field.name.clone()));
        }
    }
    columns.splice(status_at..status_at, missing);
    columns
}

/// Each column's width, shared out by what it usually holds.
fn widths(columns: &[TableColumn]) -> Vec<usize> {
    let weight = |kind| match kind {
        ColumnKind::Actions => 5,
        ColumnKind::Objective | ColumnKind::Orientation => 3,
        _ => 2,
    };
    let total: usize = columns.iter().map(|c| weight(c.kind)).sum();
    columns
        .iter()
        .map(|c| TABLE_WIDTH * weight(c.kind) / total.max(1))
        .collect()
}

/// The text of an action's cell in a column.
fn action_cell(action: &ActionNode, column: &TableColumn, layout: &[TableColumn], bold: bool) -> Vec<Paragraph> {
    let a = &action.action;
    let one = |text: Option<&str>| text.map(|t| vec![paragraph(t, bold)]).unwrap_or_default();
    match column.kind {
        ColumnKind::Actions => {
            let title = match &a.responsible_organization {
                // Without a column of its own, the way the RQDS plans write it.
                Some(org) if !layout.iter().any(|c| c.kind == ColumnKind::Responsible) => {
                    format!("- {} (organisation responsable : {org})", a.title)
                }
                _ => format!("- {}", a.title),
            };
            vec![paragraph(&title, bold)]
        }
        ColumnKind::Responsible => one(a.responsible_organization.as_deref()),
        ColumnKind::Deadlines => deadline_paragraphs(action.deadlines.iter().map(|d| d.label.as_str()), bold),
        ColumnKind::Status => {
            let progress = progress_text(action);
            one(Some(progress.as_str()).filter(|p| !p.is_empty()))
        }
        ColumnKind::Indicators => one(a.indicators.as_deref()),
        ColumnKind::Target => one(a.target.as_deref()),
        ColumnKind::Partners => one(a.partners.as_deref()),
        ColumnKind::Other => one(a
            .other_fields
            .iter()
            .find(|f| fold(&f.name) == fold(&column.header))
            .map(|f| f.value.as_str())),
        ColumnKind::Orientation | ColumnKind::Objective => Vec::new(),
    }
}

fn deadline_paragraphs<'a>(labels: impl Iterator<Item = &'a str>, bold: bool) -> Vec<Paragraph> {
    labels.map(|label| paragraph(label, bold)).collect()
}

/// A cell that starts (the first row) or continues (the next ones) a cell merged downwards.
fn merged_down(first: bool, paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    if first {
        cell(paragraphs, width).vertical_merge(VMergeType::Restart)
    } else {
        cell(Vec::new(), width).vertical_merge(VMergeType::Continue)
    }
}

/// One row per action, the objective's cell (and the orientation's, in its column) merged
/// down its rows as in the original.
fn objective_rows(
    objective: &ObjectiveNode,
    orientation: Option<&str>,
    layout: &[TableColumn],
    widths: &[usize],
) -> Vec<TableRow> {
    let title = vec![paragraph(&objective.objective.title, false)];
    let heading = |first: bool, kind: ColumnKind, width: usize| match (kind, orientation) {
        (ColumnKind::Orientation, Some(text)) if first => cell(vec![paragraph(text, true)], width),
        (ColumnKind::Orientation, _) => merged_down(false, Vec::new(), width),
        _ => merged_down(first, title.clone(), width),
    };
    if objective.actions.is_empty() {
        let labels = || objective.deadlines.iter().map(|d| d.label.as_str());
        let cells = layout
            .iter()
            .zip(widths)
            .map(|(column, &width)| match column.kind {
                ColumnKind::Objective => cell(title.clone(), width),
                ColumnKind::Orientation => heading(true, column.kind, width),
                ColumnKind::Deadlines => cell(deadline_paragraphs(labels(), false), width),
                _ => cell(Vec::new(), width),
            })
            .collect();
        return vec![TableRow::new(cells)];
    }
    objective
        .actions
        .iter()
        .enumerate()
        .map(|(i, action)| {
            let bold = action.action.status.is_highlighted();
            let cells = layout
                .iter()
                .zip(widths)
                .map(|(column, &width)| match column.kind {
                    ColumnKind::Objective | ColumnKind::Orientation => heading(i == 0, column.kind, width),
                    _ => cell(action_cell(action, column, layout, bold), width),
                })
                .collect();
            TableRow::new(cells)
        })
        .collect()
}

fn header_row(layout: &[TableColumn], widths: &[usize]) -> TableRow {
    TableRow::new(
        layout
            .iter()
            .zip(widths)
            .map(|(column, &width)| {
                let header = if column.header.is_empty() {
                    column.kind.header()
                } else {
                    &column.header
                };
                cell(vec![paragraph(header, true)], width)
            })
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
    let layout = export_columns(tree);
    let widths = widths(&layout);
    let in_column = layout.iter().any(|c| c.kind == ColumnKind::Orientation);
    let mut rows = vec![header_row(&layout, &widths)];
    for (n, orientation) in tree.orientations.iter().enumerate() {
        let heading = format!("ORIENTATION {} : {}", n + 1, orientation.orientation.title);
        if !in_column {
            // A row spanning the table, as the RQDS plans title their orientations.
            rows.push(TableRow::new(vec![
                TableCell::new()
                    .width(TABLE_WIDTH, WidthType::Dxa)
                    .grid_span(layout.len())
                    .add_paragraph(paragraph(&heading, true)),
            ]));
        }
        for (k, objective) in orientation.objectives.iter().enumerate() {
            let named = (in_column && k == 0).then_some(heading.as_str());
            rows.extend(objective_rows(objective, named, &layout, &widths));
        }
    }
    docx = docx.add_table(Table::new(rows).set_grid(widths));
    if !tree.glossary.is_empty() {
        docx = docx
            .add_paragraph(Paragraph::new())
            .add_paragraph(paragraph("Liste des sigles et acronymes utilisés", true));
        let rows = tree
            .glossary
            .iter()
            .map(|g| {
                TableRow::new(vec![
                    cell(vec![paragraph(&g.acronym, true)], GLOSSARY_COLUMNS[0]),
                    cell(vec![paragraph(&g.definition, false)], GLOSSARY_COLUMNS[1]),
                ])
            })
            .collect();
        docx = docx.add_table(Table::new(rows).set_grid(GLOSSARY_COLUMNS.to_vec()));
    }
    let mut out = Cursor::new(Vec::new());
    docx.build().pack(&mut out)?;
    Ok(out.into_inner())
}
