//! A row of the plan's table → the orientation, objective and actions it adds, its columns
//! read by what their header named (`Layout`). Pure, every problem named by line.

use super::cells::{self, ActionItem, CellValues};
use super::document::Cell;
use super::numbering::{self, Number};
use super::parse::{LineMessage, ParsedPlan};
use crate::columns::{self, ColumnKind, NamedField, TableColumn};
use crate::deadlines::reading::labels;
use crate::plans::draft::{ActionDraft, Details, ObjectiveDraft, OrientationDraft};
use crate::progress::{ActionStatus, Progress};
use crate::{actions, deadlines, objectives};

type LineResult = Result<(), LineMessage>;

static EMPTY: Cell = Cell {
    paragraphs: Vec::new(),
    merged_above: false,
};

/// The table's columns, in order: the header row's, or the RQDS's four.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub columns: Vec<TableColumn>,
    /// Read from a header row (not the four assumed).
    pub named: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            columns: columns::classic(),
            named: false,
        }
    }
}

impl Layout {
    pub fn named(columns: Vec<TableColumn>) -> Self {
        Layout { columns, named: true }
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }

    fn kind(&self, index: usize) -> Option<ColumnKind> {
        self.columns.get(index).map(|c| c.kind)
    }

    /// The index of the column of this kind, for messages that name a cell.
    fn at(&self, kind: ColumnKind) -> Option<usize> {
        self.columns.iter().position(|c| c.kind == kind)
    }

    pub fn has(&self, kind: ColumnKind) -> bool {
        self.columns.iter().any(|c| c.kind == kind)
    }

    /// The row's cell for a column of this kind (the first, for `Other`), empty when none.
    fn cell<'c>(&self, cells: &'c [Cell], kind: ColumnKind) -> &'c Cell {
        self.at(kind).and_then(|i| cells.get(i)).unwrap_or(&EMPTY)
    }

    /// The headers of the columns, as the messages name them.
    fn listed(&self) -> String {
        self.columns
            .iter()
            .map(|c| c.header.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The cells of a row with each one merged with the cell above resolved: a value spanning
    /// rows (échéancier, état, responsable…) belongs to each row's actions; an orientation,
    /// objective or actions cell spanning rows is the same one, not a new one.
    pub fn merged(&self, cells: &[Cell], above: &[Cell]) -> Vec<Cell> {
        cells
            .iter()
            .enumerate()
            .map(|(i, cell)| match (cell.merged_above, self.kind(i)) {
                (true, Some(ColumnKind::Orientation | ColumnKind::Objective | ColumnKind::Actions) | None) => {
                    Cell::default()
                }
                (true, Some(_)) => above.get(i).cloned().unwrap_or_default(),
                (false, _) => cell.clone(),
            })
            .collect()
    }
}

/// Whether a list is numbered with letters: a lone letter is then a number even where it does
/// not fit, and said.
#[derive(Debug, Default)]
pub struct Numbering {
    objectives_lettered: bool,
    actions_lettered: bool,
}

pub fn row(
    plan: &mut ParsedPlan,
    number: usize,
    cells: &[Cell],
    layout: &Layout,
    numbering: &mut Numbering,
) -> LineResult {
    check_width(plan, number, cells, layout)?;
    let orientation_cell = layout.cell(cells, ColumnKind::Orientation).markup();
    if !orientation_cell.is_empty() {
        orientation_from_column(plan, number, &orientation_cell)?;
    }
    let items = cells::action_items(layout.cell(cells, ColumnKind::Actions));
    within_limits(plan, number, items.len())?;
    let orientation = plan
        .draft
        .orientations
        .last_mut()
        .ok_or_else(|| no_orientation(number))?;
    let objective_title = layout.cell(cells, ColumnKind::Objective).markup();
    let objective_title = match cells::bullet_of(&objective_title) {
        Some((_, length)) => objective_title[length..].trim().to_owned(),
        None => objective_title,
    };
    let others_blank = cells
        .iter()
        .enumerate()
        .filter(|(i, _)| layout.kind(*i) != Some(ColumnKind::Objective))
        .all(|(_, c)| c.is_blank());
    if others_blank && super::parse::shouting(&objective_title) {
        return Err(super::parse::unnamed_heading(number, &objective_title));
    }
    if !objective_title.is_empty() {
        let position = orientation.objectives.len() + 1;
        let across = plan_objectives(&plan.draft.orientations) + 1;
        let orientation = plan
            .draft
            .orientations
            .last_mut()
            .ok_or_else(|| no_orientation(number))?;
        let in_cell = |e: LineMessage| e.in_column(layout.at(ColumnKind::Objective));
        let title = numbered(
            number,
            &objective_title,
            &[position, across],
            &[orientation.number],
            &mut numbering.objectives_lettered,
            ("l'objectif", "objective"),
        )
        .map_err(in_cell)?;
        check_length(number, "objectif", "objective", &title, objectives::dto::Title::MAX).map_err(in_cell)?;
        orientation.objectives.push(ObjectiveDraft {
            line: Some(number),
            title,
            deadlines: Vec::new(),
            actions: Vec::new(),
        });
        numbering.actions_lettered = false;
    }
    let orientation = plan
        .draft
        .orientations
        .last_mut()
        .ok_or_else(|| no_orientation(number))?;
    let orientation_number = orientation.number;
    let objective_position = i32::try_from(orientation.objectives.len()).unwrap_or(i32::MAX);
    let Some(objective) = orientation.objectives.last_mut() else {
        return Err(LineMessage::new(
            number,
            "cette rangée n'a pas d'objectif et ne suit aucun objectif.",
            "this row has no objective and follows none.",
        ));
    };
    let deadlines = cells::cell_values(layout.cell(cells, ColumnKind::Deadlines), items.len(), labels::segment);
    let progress = cells::cell_values(
        layout.cell(cells, ColumnKind::Status),
        items.len(),
        cells::split_statuses,
    );
    for values in [&deadlines, &progress] {
        if values.unsplit {
            plan.warnings.push(LineMessage::new(
                number,
                format!(
                    "« {} » semble regrouper plusieurs valeurs pour {} actions; recopié tel quel à chacune, à vérifier.",
                    values.values.join(" "),
                    items.len()
                ),
                format!(
                    "\"{}\" seems to hold several values for {} actions; copied as is to each, to be checked.",
                    values.values.join(" "),
                    items.len()
                ),
            ));
        }
    }
    let details = details(cells, layout, items.len());
    if items.is_empty() {
        return objective_without_action(objective, number, deadlines, progress, &details);
    }
    let deadline_shares = share(
        &mut plan.warnings,
        number,
        "échéances",
        "deadlines",
        &deadlines,
        items.len(),
    );
    let progress_shares = share(&mut plan.warnings, number, "états", "statuses", &progress, items.len());
    // One état with a note, for several actions: each gets it, which may not be what was meant.
    if let [only] = progress.values.as_slice()
        && items.len() > 1
        && !progress.unsplit // already said: "semble regrouper plusieurs valeurs"
        && cells::read_progress(only).1.is_some()
    {
        plan.warnings.push(LineMessage::new(
            number,
            format!(
                "la note « {only} » est recopiée aux {} actions de la rangée ; à vérifier.",
                items.len()
            ),
            format!(
                "the note \"{only}\" is copied to the row's {} actions; to be checked.",
                items.len()
            ),
        ));
    }
    let first = objective.actions.len() + 1;
    let shares = deadline_shares.into_iter().zip(progress_shares).zip(details);
    for (i, (mut item, ((deadlines, progress), details))) in items.into_iter().zip(shares).enumerate() {
        if let Some((written, rest)) = item.number.take() {
            item.title = checked_number(
                number,
                (written, &rest, &item.title),
                // Across the objective, or restarting in each row's cell.
                &[first + i, i + 1],
                &[orientation_number, objective_position],
                &mut numbering.actions_lettered,
                ("l'action", "action"),
            )
            .map_err(|e| e.in_column(layout.at(ColumnKind::Actions)))?;
        }
        let read = Read {
            item,
            deadlines,
            progress,
            details,
        };
        let draft = action(&mut plan.warnings, number, &objective.title, read, layout)?;
        objective.actions.push(draft);
    }
    Ok(())
}

fn no_orientation(number: usize) -> LineMessage {
    LineMessage::new(
        number,
        "rangée de tableau hors de toute ORIENTATION.",
        "table row outside any ORIENTATION.",
    )
}

fn plan_objectives(orientations: &[OrientationDraft]) -> usize {
    orientations.iter().map(|o| o.objectives.len()).sum()
}

/// More cells than the header names (beyond it, blank ones do not count), or fewer (read as
/// empty, and said).
fn check_width(plan: &mut ParsedPlan, number: usize, cells: &[Cell], layout: &Layout) -> LineResult {
    let width = layout.width();
    let written = cells.iter().rposition(|c| !c.is_blank()).map_or(0, |i| i + 1);
    if written > width {
        let (fr, en) = if layout.named {
            (
                format!("l'en-tête du tableau en nomme {width} ({})", layout.listed()),
                format!("the table's header names {width} ({})", layout.listed()),
            )
        } else {
            (
                "le tableau sans rangée d'en-tête en a 4 (objectifs, actions, échéancier, état d'avancement) ; donnez-lui une rangée d'en-tête qui nomme ses colonnes (OBJECTIFS, ACTIONS, RESPONSABLE, ÉCHÉANCIER, INDICATEURS…)".to_owned(),
                "the table without a header row has 4 (objectives, actions, deadlines, status); give it a header row naming its columns (OBJECTIFS, ACTIONS, RESPONSABLE, ÉCHÉANCIER, INDICATEURS…)".to_owned(),
            )
        };
        return Err(LineMessage::new(
            number,
            format!("{} colonnes trouvées; {fr}.", cells.len()),
            format!("{} columns found; {en}.", cells.len()),
        )
        .in_column(Some(width)));
    }
    if cells.len() < width {
        plan.warnings.push(LineMessage::new(
            number,
            format!(
                "cette rangée a {} colonne(s) sur {width}; les cellules manquantes sont lues vides, à vérifier.",
                cells.len()
            ),
            format!(
                "this row has {} of {width} columns; the missing cells are read as empty, check it.",
                cells.len()
            ),
        ));
    }
    Ok(())
}

/// A spreadsheet's orientation column: a value other than the current orientation's title
/// starts the next one (« 2. Soutenir… », « Orientation 2 : Soutenir… », or its title alone).
fn orientation_from_column(plan: &mut ParsedPlan, number: usize, text: &str) -> LineResult {
    let (found, title) = match super::parse::orientation_heading(number, text) {
        Some(heading) => heading?,
        None => match numbering::leading(text) {
            Some((Number::Levels(levels), title)) if levels.len() == 1 => (levels.first().map(|n| *n as i32), title),
            Some((Number::Roman(n), title)) => (i32::try_from(n).ok(), title),
            _ => (None, text.to_owned()),
        },
    };
    if plan
        .draft
        .orientations
        .last()
        .is_some_and(|o| crate::text::fold(&o.title) == crate::text::fold(&title))
    {
        return Ok(());
    }
    super::parse::push_orientation(plan, number, found, title)
}

/// The title without its number, checked against the place the row stands at.
fn numbered(
    line: usize,
    title: &str,
    positions: &[usize],
    parents: &[i32],
    lettered: &mut bool,
    what: (&str, &str),
) -> Result<String, LineMessage> {
    match numbering::leading(title) {
        Some((written, rest)) => checked_number(line, (written, &rest, title), positions, parents, lettered, what),
        None => Ok(title.to_owned()),
    }
}

/// `rest` when `written` fits the place; the whole title when it is a lone letter that may be
/// a word; an error naming the row when it is out of sequence.
fn checked_number(
    line: usize,
    (written, rest, title): (Number, &str, &str),
    positions: &[usize],
    parents: &[i32],
    lettered: &mut bool,
    (what_fr, what_en): (&str, &str),
) -> Result<String, LineMessage> {
    let to_u32 = |n: i64| u32::try_from(n).unwrap_or(0);
    let places: Vec<u32> = positions.iter().map(|p| to_u32(*p as i64)).collect();
    let parents: Vec<u32> = parents.iter().map(|p| to_u32(i64::from(*p))).collect();
    if written.fits(&places, &parents) {
        *lettered |= written.is_ambiguous();
        return Ok(rest.to_owned());
    }
    if written.is_ambiguous() && !*lettered {
        return Ok(title.to_owned()); // a word (« M. Tremblay »), not a number
    }
    let place = positions.first().copied().unwrap_or(1);
    Err(LineMessage::new(
        line,
        format!(
            "{what_fr} numéroté « {written} » est à la place {place} : les numéros suivent l'ordre du tableau (corrigez le numéro ou l'ordre des rangées)."
        ),
        format!(
            "the {what_en} numbered \"{written}\" stands at place {place}: numbers follow the table's order (correct the number or the rows' order)."
        ),
    ))
}

/// The row's other columns (responsable, indicateurs, cible, partenaires, any other), for
/// each of its actions: one paragraph each when the cell has one per action, else the whole
/// cell to each.
fn details(cells: &[Cell], layout: &Layout, actions: usize) -> Vec<RowDetails> {
    let mut each = vec![RowDetails::default(); actions.max(1)];
    for (i, column) in layout.columns.iter().enumerate() {
        let Some(cell) = cells.get(i).filter(|c| !c.is_blank()) else {
            continue;
        };
        let values: Vec<String> = if actions > 1 && cell.paragraphs.len() == actions {
            cell.paragraphs.iter().map(super::document::Paragraph::markup).collect()
        } else {
            vec![cell.markup(); actions.max(1)]
        };
        for (details, value) in each.iter_mut().zip(values) {
            if value.is_empty() {
                continue;
            }
            match column.kind {
                ColumnKind::Responsible => details.responsible = Some(value),
                ColumnKind::Indicators => details.values.indicators = Some(value),
                ColumnKind::Target => details.values.target = Some(value),
                ColumnKind::Partners => details.values.partners = Some(value),
                ColumnKind::Other => details.values.other_fields.push(NamedField {
                    name: if column.header.is_empty() {
                        format!("Colonne {}", i + 1)
                    } else {
                        column.header.clone()
                    },
                    value,
                }),
                _ => {}
            }
        }
    }
    each
}

#[derive(Debug, Clone, Default)]
struct RowDetails {
    responsible: Option<String>,
    values: Details,
}

impl RowDetails {
    fn is_empty(&self) -> bool {
        self.responsible.is_none() && self.values == Details::default()
    }
}

fn objective_without_action(
    objective: &mut ObjectiveDraft,
    number: usize,
    deadlines: CellValues,
    progress: CellValues,
    details: &[RowDetails],
) -> LineResult {
    if progress.values.iter().any(|v| !v.is_empty()) || details.iter().any(|d| !d.is_empty()) {
        return Err(LineMessage::new(
            number,
            "un état d'avancement, un responsable, un indicateur ou une autre valeur sans action : ajoutez l'action dans la colonne des actions.",
            "a status, a responsible party, an indicator or another value without an action: add the action in the actions column.",
        ));
    }
    for label in deadlines.values.into_iter().filter(|l| !l.is_empty()) {
        check_length(number, "échéance", "deadline", &label, deadlines::dto::Label::MAX)?;
        objective.deadlines.push(label);
    }
    Ok(())
}

fn share(
    warnings: &mut Vec<LineMessage>,
    number: usize,
    what_fr: &str,
    what_en: &str,
    cell: &CellValues,
    actions: usize,
) -> Vec<Vec<String>> {
    cells::distribute(&cell.values, actions).unwrap_or_else(|| {
        warnings.push(LineMessage::new(
            number,
            format!(
                "{} {what_fr} pour {actions} actions : attribuées dans l'ordre, le surplus à la dernière.",
                cell.values.len()
            ),
            format!(
                "{} {what_en} for {actions} actions: given in order, the extra ones to the last.",
                cell.values.len()
            ),
        ));
        cells::distribute_in_order(&cell.values, actions)
    })
}

/// What a row holds for one of its actions.
struct Read {
    item: ActionItem,
    deadlines: Vec<String>,
    progress: Vec<String>,
    details: RowDetails,
}

fn action(
    warnings: &mut Vec<LineMessage>,
    number: usize,
    objective_title: &str,
    read: Read,
    layout: &Layout,
) -> Result<ActionDraft, LineMessage> {
    let Read {
        item,
        deadlines,
        progress,
        details,
    } = read;
    let cell = |kind| move |e: LineMessage| e.in_column(layout.at(kind));
    let progress_text = progress
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let (mut status, progress_note) = cells::read_progress(&progress_text);
    let mut title = item.title;
    if let Some(in_title) = item.status_in_title {
        warnings.push(LineMessage::new(
            number,
            format!(
                "la cellule d'action ne contient qu'un état (« {title} ») : l'action prend le titre de l'objectif."
            ),
            format!("the action cell holds only a status (\"{title}\"): the action takes the objective's title."),
        ));
        status = in_title;
        title = objective_title.to_owned();
    }
    if item.bold && progress_text.is_empty() {
        warnings.push(LineMessage::new(
            number,
            format!(
                "« {title} » est en gras (complétée ou en cours) sans état d'avancement : lue « En cours », à vérifier."
            ),
            format!("\"{title}\" is in bold (done or under way) with no status: read as \"En cours\", to be checked."),
        ));
        status = ActionStatus::InProgress;
    }
    check_length(number, "action", "action", &title, actions::dto::Title::MAX).map_err(cell(ColumnKind::Actions))?;
    // The responsible column, else « (organisation responsable : X) » in the action's cell.
    let responsible_organization = details.responsible.or(item.responsible_organization);
    if let Some(org) = &responsible_organization {
        check_length(
            number,
            "organisation responsable",
            "responsible organization",
            org,
            actions::dto::Organization::MAX,
        )
        .map_err(cell(ColumnKind::Responsible))?;
    }
    if let Some(note) = &progress_note {
        check_length(
            number,
            "état d'avancement",
            "status note",
            note,
            actions::dto::Note::MAX,
        )
        .map_err(cell(ColumnKind::Status))?;
    }
    let deadlines: Vec<String> = deadlines.into_iter().filter(|d| !d.is_empty()).collect();
    for label in &deadlines {
        check_length(number, "échéance", "deadline", label, deadlines::dto::Label::MAX)
            .map_err(cell(ColumnKind::Deadlines))?;
    }
    let mut details = details.values;
    check_details(number, &details, layout)?;
    details.progress = measured(&details, status, progress_note.as_deref());
    Ok(ActionDraft {
        line: Some(number),
        title,
        responsible_organization,
        status,
        progress_note,
        deadlines,
        details,
        continues: None,
    })
}

fn check_details(number: usize, details: &Details, layout: &Layout) -> LineResult {
    let max = actions::dto::Detail::MAX;
    for (kind, fr, en, text) in [
        (ColumnKind::Indicators, "indicateurs", "indicators", &details.indicators),
        (ColumnKind::Target, "cible", "target", &details.target),
        (ColumnKind::Partners, "partenaires", "partners", &details.partners),
    ] {
        if let Some(text) = text {
            check_length(number, fr, en, text, max).map_err(|e| e.in_column(layout.at(kind)))?;
        }
    }
    for field in &details.other_fields {
        let column = layout
            .columns
            .iter()
            .position(|c| c.kind == ColumnKind::Other && c.header == field.name);
        check_length(number, "en-tête", "header", &field.name, actions::dto::FieldName::MAX)
            .and_then(|()| {
                check_length(
                    number,
                    "autre colonne",
                    "other column",
                    &field.value,
                    actions::dto::FieldValue::MAX,
                )
            })
            .map_err(|e| e.in_column(column))?;
    }
    Ok(())
}

/// The measurable progress a target gives (« 16 régions rencontrées »; the indicators' when
/// the plan has no target column): done is what the note counts of it (« 6 régions
/// visitées »), all of it when the action is completed, else none yet.
fn measured(details: &Details, status: ActionStatus, note: Option<&str>) -> Option<Progress> {
    let (target, unit) = details
        .target
        .as_deref()
        .or(details.indicators.as_deref().filter(|_| details.target.is_none()))
        .and_then(columns::measurable)?;
    let done = note
        .and_then(|n| columns::counted(n, &unit))
        .or((status == ActionStatus::Completed).then_some(target))
        .unwrap_or(0);
    Some(Progress::new(done, target, unit))
}

/// A plan holds at most `PLAN_ACTIONS_MAX` actions and as many objectives: a 2 MB text or
/// a 1.5 KB Word cell of bullets would otherwise make hundreds of thousands.
fn within_limits(plan: &ParsedPlan, number: usize, adding: usize) -> LineResult {
    use crate::upload::{PLAN_ACTIONS_MAX, grouped};
    let objectives = plan.draft.objectives().count();
    let actions = plan.draft.action_count() + adding;
    if actions > PLAN_ACTIONS_MAX || objectives > PLAN_ACTIONS_MAX {
        let max = grouped(PLAN_ACTIONS_MAX as u64);
        return Err(LineMessage::new(
            number,
            format!(
                "le plan dépasse {max} actions ou {max} objectifs, la limite d'un plan ; importez-le en plusieurs plans."
            ),
            format!(
                "the plan is over {PLAN_ACTIONS_MAX} actions or {PLAN_ACTIONS_MAX} objectives, the limit of one plan; import it as several plans."
            ),
        ));
    }
    Ok(())
}

pub(super) fn check_length(number: usize, what_fr: &str, what_en: &str, text: &str, max: usize) -> LineResult {
    let length = text.chars().count();
    if length > max {
        return Err(LineMessage::new(
            number,
            format!("texte d'{what_fr} de {length} caractères; le maximum est {max}."),
            format!("{what_en} text of {length} characters; the maximum is {max}."),
        ));
    }
    Ok(())
}
