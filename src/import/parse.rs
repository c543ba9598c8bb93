//! The plan document → a plan in memory. Pure: no database, every problem named by line.

use chrono::{Datelike, NaiveDate};
use lazy_regex::{Lazy, Regex, lazy_regex};

use super::cells::{self, ActionItem, CellValues};
use super::document::{Block, Cell, Cut, Document, Kind};
use crate::deadlines::reading::labels;
use crate::deadlines::reading::parser::{PlanContext, parse as parse_label};
use crate::i18n::Text;
use crate::plans::draft::{ActionDraft, ObjectiveDraft, OrientationDraft, PlanDraft};
use crate::progress::ActionStatus;
use crate::text::render_date;
use crate::text::{fold, month_number, squash};
use crate::{actions, deadlines, objectives};

/// A plan read from a document: the plan, and what was read but could be read more than
/// one way (kept, and said).
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPlan {
    pub draft: PlanDraft,
    pub warnings: Vec<LineMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMessage {
    pub line: usize,
    pub message: Text,
}

impl LineMessage {
    pub(crate) fn new(line: usize, fr: impl Into<String>, en: impl Into<String>) -> Self {
        let (fr, en) = (fr.into(), en.into());
        LineMessage {
            line,
            message: Text::new(format!("Ligne {line} : {fr}"), format!("Line {line}: {en}")),
        }
    }
}

impl ParsedPlan {
    /// The first text that breaks the rules every stored text follows, with its line.
    pub fn text_fault(&self) -> Option<LineMessage> {
        self.draft.text_fault().map(|(line, fault)| {
            LineMessage::new(
                line.unwrap_or(1),
                crate::text::lower_first(&fault.message.fr),
                crate::text::lower_first(&fault.message.en),
            )
        })
    }
}

static TITLE: Lazy<Regex> =
    lazy_regex!(r"(?i)^plan d['’]action\s+(\d{4})\s*[-–]\s*(\d{4})\s*(?:\(\s*(\w+)\s+(?:à|a)\s+(\w+)\s*\))?");
static NOTE: Lazy<Regex> = lazy_regex!(r"(?i)^note\s*:\s*(.+)$");
static UPDATED: Lazy<Regex> = lazy_regex!(r"(?i)^mise (?:à|a) jour\s*:\s*(.+)$");
/// "Adopté par le CA le 12 septembre 2013 (résolution CA-2013-09-12-03)", as exported.
static ADOPTED: Lazy<Regex> = lazy_regex!(r"(?i)^adopt[ée]e? par le (?:CA|conseil d'administration)\b");
/// "ORIENTATION 2 : X", "Orientation 2 – X", "ORIENTATION 2. X", "Orientation no 2 : X",
/// "ORIENTATION : X" (numbered in order): the number and the separator are optional.
static ORIENTATION: Lazy<Regex> =
    lazy_regex!(r"(?i)^orientation\b\s*(?:n(?:o|°|º)\.?\s*)?(\d+)?\s*([:.\-–—]\s*)?(.*)$");
/// "MESS : Ministère…", "MESS<tab>Ministère…", "MESS – Ministère…".
static GLOSSARY_ENTRY: Lazy<Regex> = lazy_regex!(r"^([^\t]{1,40}?)(?:\s*\t\s*|\s*:\s+|\s+[-–—]\s+)(.+)$");

fn captures<'t>(re: &Regex, text: &'t str) -> Option<regex::Captures<'t>> {
    re.captures(text)
}

fn group(caps: &regex::Captures<'_>, i: usize) -> String {
    caps.get(i).map(|m| m.as_str().trim().to_owned()).unwrap_or_default()
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(next_year, next_month, 1).and_then(|d| d.pred_opt())
}

#[derive(PartialEq)]
enum Section {
    Heading,
    Table,
    Glossary,
}

struct Parser {
    plan: Option<ParsedPlan>,
    section: Section,
    /// The table's header row (OBJECTIFS, ACTIONS…) was seen: the columns are known.
    header_seen: bool,
    /// The last table row read, its merged cells resolved: what a cell merged with the one
    /// above continues.
    above: Vec<Cell>,
}

type LineResult = Result<(), LineMessage>;

/// Parses the text form (the seed, the command line's files).
pub fn parse(text: &str) -> Result<ParsedPlan, LineMessage> {
    parse_document(&super::text_form::read(text)?)
}

/// Parses a whole document; the first problem found stops it, naming its line.
pub fn parse_document(document: &Document) -> Result<ParsedPlan, LineMessage> {
    let mut parser = Parser {
        plan: None,
        section: Section::Heading,
        header_seen: false,
        above: Vec::new(),
    };
    let mut last_row = None;
    for block in &document.blocks {
        parser.block(block)?;
        last_row = (parser.section == Section::Table && matches!(block.kind, Kind::Row(_))).then_some(block.line);
    }
    if let Some(cut) = document.cut.as_ref().filter(|cut| last_row == Some(cut.line)) {
        ends_in_a_row(&mut parser, cut)?;
    }
    let mut plan = parser.plan.ok_or_else(|| {
        LineMessage::new(
            1,
            "aucun titre « PLAN D'ACTION AAAA-AAAA » trouvé.",
            "no \"PLAN D'ACTION YYYY-YYYY\" title found.",
        )
    })?;
    if let Some(fault) = plan.text_fault() {
        return Err(fault);
    }
    warn_outside_the_plan(&mut plan);
    if plan.draft.orientations.is_empty() {
        return Err(LineMessage::new(
            document.lines.max(1),
            "le document ne contient aucune « ORIENTATION ».",
            "the document holds no \"ORIENTATION\".",
        ));
    }
    Ok(plan)
}

/// Échéanciers naming a time wholly outside the plan's year ("Mai 2013" in a plan from July
/// 2013): read as written, and said.
fn warn_outside_the_plan(plan: &mut ParsedPlan) {
    let context = PlanContext {
        start: plan.draft.period_start,
        end: plan.draft.period_end,
        events: Vec::new(),
    };
    let labels = plan.draft.objectives().flat_map(|objective| {
        let own = objective.deadlines.iter().map(move |label| (objective.line, label));
        own.chain(
            objective
                .actions
                .iter()
                .flat_map(|a| a.deadlines.iter().map(move |label| (a.line, label))),
        )
    });
    let period = format!(
        "{} – {}",
        render_date(plan.draft.period_start),
        render_date(plan.draft.period_end)
    );
    let warnings: Vec<LineMessage> = labels
        .filter(|(_, label)| parse_label(label, &context).outside_plan)
        .map(|(line, label)| {
            LineMessage::new(
                line.unwrap_or(1),
                format!("l'échéance « {label} » tombe hors de la période du plan ({period}) ; lue telle quelle, à vérifier."),
                format!("the deadline \"{label}\" falls outside the plan's period ({period}); read as written, to be checked."),
            )
        })
        .collect();
    plan.warnings.extend(warnings);
    plan.warnings.sort_by_key(|w| w.line);
}

/// A document that stops inside the table with no line end after it may have been cut
/// (an upload or a copy that stopped). Refused when the row is visibly incomplete: short of
/// columns, or inside a paragraph (`<p>` not closed); otherwise imported with a warning.
fn ends_in_a_row(parser: &mut Parser, cut: &Cut) -> LineResult {
    let Cut {
        line,
        columns,
        open_paragraph,
        tail,
    } = cut;
    if *columns < 4 || *open_paragraph {
        return Err(LineMessage::new(
            *line,
            format!(
                "le document semble coupé : il s'arrête sans fin de ligne dans une rangée incomplète (« {tail} », {columns} colonne(s) sur 4). Envoyez le document entier."
            ),
            format!(
                "the document seems cut: it stops with no line end inside an incomplete row (\"{tail}\", {columns} of 4 columns). Send the whole document."
            ),
        ));
    }
    if let Some(plan) = parser.plan.as_mut() {
        plan.warnings.push(LineMessage::new(
            *line,
            format!("le document s'arrête dans le tableau sans fin de ligne; vérifiez que sa dernière cellule (« {tail} ») est entière."),
            format!("the document stops inside the table with no line end; check that its last cell (\"{tail}\") is whole."),
        ));
    }
    Ok(())
}

impl Parser {
    fn block(&mut self, block: &Block) -> LineResult {
        let number = block.line;
        let lone = block.lone_text();
        let text = match (&lone, &block.kind) {
            (Some(text), _) => text.clone(),
            (None, Kind::Row(cells)) => written(cells).join(" "),
            (None, Kind::Paragraph(p)) => p.markup(),
        };
        let Some(plan) = self.plan.as_mut() else {
            return self.title(number, &text);
        };
        if let Some(heading) = lone.as_deref().and_then(|text| orientation_heading(number, text)) {
            let (found, title) = heading?;
            let expected = i32::try_from(plan.draft.orientations.len() + 1).unwrap_or(i32::MAX);
            let found = found.unwrap_or(expected);
            if found != expected {
                return Err(LineMessage::new(
                    number,
                    format!(
                        "ORIENTATION {found} trouvée, ORIENTATION {expected} attendue (elles sont numérotées dans l'ordre)."
                    ),
                    format!(
                        "ORIENTATION {found} found where ORIENTATION {expected} was expected (they are numbered in order)."
                    ),
                ));
            }
            plan.draft.orientations.push(OrientationDraft {
                number: found,
                title,
                objectives: Vec::new(),
            });
            self.section = Section::Table;
            return Ok(());
        }
        if let Kind::Row(cells) = &block.kind {
            if is_header_row(cells) {
                self.header_seen = true;
                return Ok(());
            }
            if is_glossary_header(cells) && self.section != Section::Heading {
                self.section = Section::Glossary;
                return Ok(());
            }
        }
        if is_glossary_heading(&text) {
            self.section = Section::Glossary;
            return Ok(());
        }
        match (&self.section, &block.kind) {
            (Section::Heading, _) => heading(plan, number, &text),
            (Section::Table, Kind::Row(cells)) => {
                if acronym_row(cells) {
                    self.section = Section::Glossary;
                    return glossary_row(plan, number, cells);
                }
                if !std::mem::replace(&mut self.header_seen, true) {
                    plan.warnings.push(LineMessage::new(
                        number,
                        "le tableau n'a pas de rangée d'en-tête (OBJECTIFS, ACTIONS, ÉCHÉANCIER, ÉTAT D'AVANCEMENT) : ses colonnes sont lues dans cet ordre, à vérifier.",
                        "the table has no header row (OBJECTIFS, ACTIONS, ÉCHÉANCIER, ÉTAT D'AVANCEMENT): its columns are read in that order, to be checked.",
                    ));
                }
                let cells = merged(cells, &self.above);
                self.above.clone_from(&cells);
                row(plan, number, &cells)
            }
            (Section::Table, Kind::Paragraph(_)) => {
                if between_tables(plan, number, &text)? {
                    self.section = Section::Glossary;
                }
                Ok(())
            }
            (Section::Glossary, Kind::Row(cells)) => glossary_row(plan, number, cells),
            (Section::Glossary, Kind::Paragraph(_)) => glossary(plan, number, &text),
        }
    }

    fn title(&mut self, number: usize, line: &str) -> LineResult {
        let caps = captures(&TITLE, line).ok_or_else(|| {
            LineMessage::new(
                number,
                format!(
                    "le document doit commencer par « PLAN D'ACTION AAAA-AAAA », pas « {} ».",
                    excerpt(line)
                ),
                format!(
                    "the document must start with \"PLAN D'ACTION YYYY-YYYY\", not \"{}\".",
                    excerpt(line)
                ),
            )
        })?;
        let first: i32 = group(&caps, 1).parse().unwrap_or(0);
        let second: i32 = group(&caps, 2).parse().unwrap_or(0);
        let start_month = caps.get(3).and_then(|m| month_number(m.as_str())).unwrap_or(7);
        let end_month = caps.get(4).and_then(|m| month_number(m.as_str())).unwrap_or(6);
        let start = NaiveDate::from_ymd_opt(first, start_month, 1);
        let end = last_day_of_month(second, end_month);
        let (Some(period_start), Some(period_end)) = (start, end) else {
            return Err(LineMessage::new(number, "période illisible.", "unreadable period."));
        };
        if period_end <= period_start || second < first {
            return Err(LineMessage::new(
                number,
                format!("la période {first}-{second} se termine avant de commencer."),
                format!("the period {first}-{second} ends before it starts."),
            ));
        }
        self.plan = Some(ParsedPlan {
            draft: PlanDraft {
                title: format!("Plan d'action {}-{}", period_start.year(), period_end.year()),
                period_start,
                period_end,
                heading_note: None,
                updated_on: None,
                orientations: Vec::new(),
                glossary: Vec::new(),
            },
            warnings: Vec::new(),
        });
        Ok(())
    }
}

fn excerpt(text: &str) -> String {
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// A block whose only text starts with the word "orientation" (a paragraph, or a row
/// spanning the table): the number (when written) and the title; an error when it cannot be read as a
/// heading, rather than rows quietly put under the orientation before it.
fn orientation_heading(number: usize, line: &str) -> Option<Result<(Option<i32>, String), LineMessage>> {
    let caps = captures(&ORIENTATION, line)?;
    let found = caps.get(1).map(|m| m.as_str().parse::<i32>().unwrap_or(i32::MAX));
    let separated = caps.get(2).is_some();
    let title = squash(&group(&caps, 3));
    let shouting = title.chars().any(char::is_alphabetic) && !title.chars().any(char::is_lowercase);
    if title.is_empty() || (found.is_none() && !separated && !shouting) {
        return Some(Err(LineMessage::new(
            number,
            format!(
                "« {} » ressemble à un titre d'orientation mais ne se lit pas comme tel : écrivez « ORIENTATION 2 : TITRE ».",
                excerpt(line)
            ),
            format!(
                "\"{}\" looks like an orientation heading but cannot be read as one: write \"ORIENTATION 2 : TITLE\".",
                excerpt(line)
            ),
        )));
    }
    Some(Ok((found, title)))
}

/// The table's header row: OBJECTIFS, ACTIONS, ÉCHÉANCIER, ÉTAT D'AVANCEMENT.
fn is_header_row(cells: &[Cell]) -> bool {
    let mut cells = cells.iter().map(|c| fold(&c.markup()));
    matches!(cells.next().as_deref(), Some("objectifs" | "objectif"))
        && cells.next().is_none_or(|second| second.starts_with("action"))
}

/// The header row of a table of acronyms: « Sigle | Définition ».
fn is_glossary_header(cells: &[Cell]) -> bool {
    cells.first().is_some_and(|c| {
        matches!(
            fold(&c.markup()).as_str(),
            "sigle" | "sigles" | "acronyme" | "acronymes"
        )
    })
}

/// « CRÉ », « MESS », « SACAIS » : short, and written mostly in capitals.
fn looks_like_acronym(term: &str) -> bool {
    let upper = term.chars().filter(|c| c.is_uppercase()).count();
    let lower = term.chars().filter(|c| c.is_lowercase()).count();
    term.split_whitespace().count() <= 3 && term.chars().count() <= 20 && upper >= 2 && upper >= lower
}

/// A row of two cells, an acronym and its definition, where the plan's table would be: the
/// acronyms' table after the last one, without a heading.
fn acronym_row(cells: &[Cell]) -> bool {
    let written = written(cells);
    cells.len() == 2 && written.len() == 2 && looks_like_acronym(&written[0]) && cells::bullet_of(&written[1]).is_none()
}

/// The cells of a row with each one merged with the cell above resolved: an échéancier or an
/// état spanning rows belongs to each row's actions; an objective or actions cell spanning
/// rows is the same objective, not a new one.
fn merged(cells: &[Cell], above: &[Cell]) -> Vec<Cell> {
    cells
        .iter()
        .enumerate()
        .map(|(i, cell)| match (cell.merged_above, i) {
            (true, 2 | 3) => above.get(i).cloned().unwrap_or_default(),
            (true, _) => Cell::default(),
            (false, _) => cell.clone(),
        })
        .collect()
}

fn unnamed_heading(number: usize, title: &str) -> LineMessage {
    LineMessage::new(
        number,
        format!(
            "« {} » ressemble à un titre d'orientation sans le mot ORIENTATION : écrivez « ORIENTATION 2 : {} », ou en minuscules si c'est un objectif.",
            excerpt(title),
            excerpt(title)
        ),
        format!(
            "\"{}\" looks like an orientation heading without the word ORIENTATION: write \"ORIENTATION 2 : {}\", or in lower case if it is an objective.",
            excerpt(title),
            excerpt(title)
        ),
    )
}

fn shouting(text: &str) -> bool {
    text.split_whitespace().count() > 1
        && text.chars().any(char::is_alphabetic)
        && !text.chars().any(char::is_lowercase)
}

/// A paragraph after a table, outside any: an acronym (the list after the last table, its
/// heading left out) starts the glossary (`true`); a heading without its word is refused;
/// anything else is not part of the plan's table and is said, not made a row.
fn between_tables(plan: &mut ParsedPlan, number: usize, text: &str) -> Result<bool, LineMessage> {
    if shouting(text) {
        return Err(unnamed_heading(number, text));
    }
    if captures(&GLOSSARY_ENTRY, text).is_some_and(|caps| looks_like_acronym(&group(&caps, 1))) {
        glossary(plan, number, text)?;
        return Ok(true);
    }
    plan.warnings.push(LineMessage::new(
        number,
        format!("« {} » est hors du tableau : ce paragraphe n'est pas lu comme une rangée ; mettez-le dans une cellule s'il fait partie du plan.", excerpt(text)),
        format!("\"{}\" is outside the table: this paragraph is not read as a row; put it in a cell if it is part of the plan.", excerpt(text)),
    ));
    Ok(false)
}

fn is_glossary_heading(line: &str) -> bool {
    let folded = fold(line);
    [
        "liste des sigles",
        "liste des acronymes",
        "sigles et acronymes",
        "acronymes et sigles",
    ]
    .iter()
    .any(|start| folded.starts_with(start))
        || matches!(folded.trim_end_matches([':', '.']), "sigles" | "acronymes")
}

fn heading(plan: &mut ParsedPlan, number: usize, line: &str) -> LineResult {
    if let Some(caps) = captures(&NOTE, line) {
        plan.draft.heading_note = Some(group(&caps, 1));
        return Ok(());
    }
    if let Some(caps) = captures(&UPDATED, line) {
        let value = group(&caps, 1);
        let date = crate::text::french_date(&value).ok_or_else(|| {
            LineMessage::new(
                number,
                format!("date de mise à jour « {value} » illisible : écrivez-la « 5 décembre 2015 » ou 2015-12-05."),
                format!("update date \"{value}\" is unreadable: write it \"5 décembre 2015\" or 2015-12-05."),
            )
        })?;
        plan.draft.updated_on = Some(date);
        return Ok(());
    }
    if ADOPTED.is_match(line) {
        plan.warnings.push(LineMessage::new(
            number,
            format!("« {} » : l'adoption se fait dans le service (POST /plans/{{id}}/adoption) ; le plan importé est une ébauche.", excerpt(line)),
            format!("\"{}\": adoption is made in the service (POST /plans/{{id}}/adoption); the imported plan is a draft.", excerpt(line)),
        ));
        return Ok(());
    }
    Err(LineMessage::new(
        number,
        format!(
            "ligne inattendue avant la première ORIENTATION : « {} ».",
            excerpt(line)
        ),
        format!("unexpected line before the first ORIENTATION: \"{}\".", excerpt(line)),
    ))
}

/// A row of the acronyms' table: the acronym, then its definition.
fn glossary_row(plan: &mut ParsedPlan, number: usize, cells: &[Cell]) -> LineResult {
    glossary(plan, number, &written(cells).join("\t"))
}

/// The texts of a row's cells that hold any.
fn written(cells: &[Cell]) -> Vec<String> {
    cells.iter().filter(|c| !c.is_blank()).map(Cell::markup).collect()
}

fn glossary(plan: &mut ParsedPlan, number: usize, line: &str) -> LineResult {
    let line = line.trim();
    if matches!(
        fold(line.split('\t').next().unwrap_or("")).as_str(),
        "sigle" | "sigles" | "acronyme" | "acronymes"
    ) {
        return Ok(()); // the header row of an acronym table
    }
    let caps = captures(&GLOSSARY_ENTRY, line).ok_or_else(|| {
        LineMessage::new(
            number,
            format!(
                "un sigle s'écrit « SIGLE : définition » (ou séparé par une tabulation ou un tiret), pas « {} ».",
                excerpt(line)
            ),
            format!(
                "an acronym is written \"ACRONYM : definition\" (or separated by a tab or a dash), not \"{}\".",
                excerpt(line)
            ),
        )
    })?;
    plan.draft.glossary.push((group(&caps, 1), squash(&group(&caps, 2))));
    Ok(())
}

fn row(plan: &mut ParsedPlan, number: usize, cells: &[Cell]) -> LineResult {
    if cells.len() > 4 {
        return Err(LineMessage::new(
            number,
            format!(
                "{} colonnes trouvées; le tableau en a 4 (objectifs, actions, échéancier, état d'avancement).",
                cells.len()
            ),
            format!(
                "{} columns found; the table has 4 (objectives, actions, deadlines, status).",
                cells.len()
            ),
        ));
    }
    if cells.len() < 4 {
        plan.warnings.push(LineMessage::new(
            number,
            format!(
                "cette rangée a {} colonne(s) sur 4; les cellules manquantes sont lues vides, à vérifier.",
                cells.len()
            ),
            format!(
                "this row has {} of 4 columns; the missing cells are read as empty, check it.",
                cells.len()
            ),
        ));
    }
    let empty = Cell::default();
    let cell = |i: usize| cells.get(i).unwrap_or(&empty);
    let items = cells::action_items(cell(1));
    within_limits(plan, number, items.len())?;
    let Some(orientation) = plan.draft.orientations.last_mut() else {
        return Err(LineMessage::new(
            number,
            "rangée de tableau hors de toute ORIENTATION.",
            "table row outside any ORIENTATION.",
        ));
    };
    let objective_title = cell(0).markup();
    let objective_title = match cells::bullet_of(&objective_title) {
        Some((_, length)) => objective_title[length..].trim().to_owned(),
        None => objective_title,
    };
    if cells.iter().skip(1).all(Cell::is_blank) && shouting(&objective_title) {
        return Err(unnamed_heading(number, &objective_title));
    }
    if !objective_title.is_empty() {
        check_length(
            number,
            "objectif",
            "objective",
            &objective_title,
            objectives::dto::Title::MAX,
        )?;
        orientation.objectives.push(ObjectiveDraft {
            line: Some(number),
            title: objective_title,
            deadlines: Vec::new(),
            actions: Vec::new(),
        });
    }
    let Some(objective) = orientation.objectives.last_mut() else {
        return Err(LineMessage::new(
            number,
            "cette rangée n'a pas d'objectif et ne suit aucun objectif.",
            "this row has no objective and follows none.",
        ));
    };
    let deadlines = cells::cell_values(cell(2), items.len(), labels::segment);
    let progress = cells::cell_values(cell(3), items.len(), cells::split_statuses);
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
    if items.is_empty() {
        return objective_without_action(objective, number, deadlines, progress);
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
    for ((item, deadlines), progress) in items.into_iter().zip(deadline_shares).zip(progress_shares) {
        let action = action(&mut plan.warnings, number, &objective.title, item, deadlines, &progress)?;
        objective.actions.push(action);
    }
    Ok(())
}

fn objective_without_action(
    objective: &mut ObjectiveDraft,
    number: usize,
    deadlines: CellValues,
    progress: CellValues,
) -> LineResult {
    if progress.values.iter().any(|v| !v.is_empty()) {
        return Err(LineMessage::new(
            number,
            "un état d'avancement sans action : ajoutez l'action dans la 2e colonne.",
            "a status without an action: add the action in the 2nd column.",
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

fn action(
    warnings: &mut Vec<LineMessage>,
    number: usize,
    objective_title: &str,
    item: ActionItem,
    deadlines: Vec<String>,
    progress: &[String],
) -> Result<ActionDraft, LineMessage> {
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
    check_length(number, "action", "action", &title, actions::dto::Title::MAX)?;
    if let Some(org) = &item.responsible_organization {
        check_length(
            number,
            "organisation responsable",
            "responsible organization",
            org,
            actions::dto::Organization::MAX,
        )?;
    }
    if let Some(note) = &progress_note {
        check_length(
            number,
            "état d'avancement",
            "status note",
            note,
            actions::dto::Note::MAX,
        )?;
    }
    let deadlines: Vec<String> = deadlines.into_iter().filter(|d| !d.is_empty()).collect();
    for label in &deadlines {
        check_length(number, "échéance", "deadline", label, deadlines::dto::Label::MAX)?;
    }
    Ok(ActionDraft {
        line: Some(number),
        title,
        responsible_organization: item.responsible_organization,
        status,
        progress_note,
        deadlines,
        continues: None,
    })
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

fn check_length(number: usize, what_fr: &str, what_en: &str, text: &str, max: usize) -> LineResult {
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

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "PLAN D'ACTION 2013-2014 (juillet à juin)\n\nNote : Une note.\nMise à jour : 2013-10-11\n\nORIENTATION 1 : PREMIÈRE\n\nOBJECTIFS\tACTIONS\tÉCHÉANCIER\tÉTAT D'AVANCEMENT\nUn objectif\t- Une action\t3 octobre 2013\tComplété\n\t- Une autre\tEn 2014\t\nSans action\t\tEn continu\t\n\nListe des sigles et acronymes utilisés\n\nMESS : Ministère de l'Emploi\n";

    #[test]
    fn a_small_document() -> Result<(), LineMessage> {
        let plan = parse(SMALL)?;
        assert_eq!(plan.draft.title, "Plan d'action 2013-2014");
        assert_eq!(
            plan.draft.period_start,
            NaiveDate::from_ymd_opt(2013, 7, 1).unwrap_or_default()
        );
        assert_eq!(
            plan.draft.period_end,
            NaiveDate::from_ymd_opt(2014, 6, 30).unwrap_or_default()
        );
        assert_eq!(plan.draft.heading_note.as_deref(), Some("Une note."));
        assert_eq!(plan.draft.updated_on, NaiveDate::from_ymd_opt(2013, 10, 11));
        let objectives: Vec<_> = plan.draft.objectives().collect();
        assert_eq!(objectives.len(), 2);
        assert_eq!(objectives[0].actions.len(), 2);
        assert_eq!(objectives[0].actions[0].status, ActionStatus::Completed);
        assert_eq!(objectives[0].actions[1].deadlines, ["En 2014"]);
        assert_eq!(objectives[0].actions[1].status, ActionStatus::NotStarted);
        assert!(objectives[1].actions.is_empty());
        assert_eq!(objectives[1].deadlines, ["En continu"]);
        assert_eq!(
            plan.draft.glossary,
            [("MESS".to_owned(), "Ministère de l'Emploi".to_owned())]
        );
        assert!(plan.warnings.is_empty());
        Ok(())
    }

    fn error_line(text: &str) -> usize {
        match parse(text) {
            Err(e) => e.line,
            Ok(_) => 0,
        }
    }

    #[test]
    fn problems_name_their_line() {
        assert_eq!(error_line("Bonjour\n"), 1);
        assert_eq!(error_line("PLAN D'ACTION 2013-2014\nORIENTATION 2 : X\n"), 2);
        assert_eq!(
            error_line("PLAN D'ACTION 2013-2014\nORIENTATION 1 : X\n\t- orpheline\tEn 2014\t\n"),
            3
        );
        assert_eq!(
            error_line("PLAN D'ACTION 2013-2014\nORIENTATION 1 : X\na\tb\tc\td\te\n"),
            3
        );
        assert_eq!(error_line("PLAN D'ACTION 2013-2014\nMise à jour : 11 octobre\n"), 2);
        assert_eq!(error_line("PLAN D'ACTION 2013-2014\n\n"), 2);
        assert_eq!(error_line("PLAN D'ACTION 2014-2013\n"), 1);
        assert_eq!(error_line("PLAN D'ACTION 2013-2014\nORIENTATION 1 : X\u{0}\n"), 2);
        let long = format!(
            "PLAN D'ACTION 2013-2014\nORIENTATION 1 : X\nObjectif\t- {}\t\t\n",
            "a".repeat(1001)
        );
        assert_eq!(error_line(&long), 3);
    }

    #[test]
    fn a_document_cut_in_a_row_is_refused_and_a_short_row_is_said() {
        let whole = "PLAN D'ACTION 2013-2014\nORIENTATION 1 : X\nOBJECTIFS\tACTIONS\tÉCHÉANCIER\tÉTAT D'AVANCEMENT\nObjectif\t- Action\tEn 2014\tEn cours\n";
        let cut = &whole[..whole.find("- Act").unwrap_or_default() + 5];
        assert_eq!(error_line(cut), 4, "cut in the middle of the action's title");
        assert!(parse(whole).is_ok_and(|plan| plan.warnings.is_empty()));
        let in_a_paragraph = whole.replace("En cours\n", "<p>En co");
        assert_eq!(error_line(&in_a_paragraph), 4, "cut inside <p>");
        let no_line_end = parse(whole.trim_end())
            .map_err(|e| e.message.en)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            no_line_end.warnings[0]
                .message
                .en
                .contains("check that its last cell (\"En cours\") is whole")
        );
        // The same short row ended by a line end is read, with a warning naming it.
        let short = format!("{cut}\n");
        let plan = parse(&short)
            .map_err(|e| e.message.en)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.warnings.len(), 1);
        assert!(
            plan.warnings[0]
                .message
                .en
                .starts_with("Line 4: this row has 2 of 4 columns")
        );
    }

    #[test]
    fn messages_are_in_both_languages() {
        let Err(error) = parse("Bonjour\n") else {
            panic!("a document without title must be refused");
        };
        assert!(error.message.fr.starts_with("Ligne 1 : le document doit commencer"));
        assert!(error.message.en.starts_with("Line 1: the document must start"));
    }
}
