//! The plan document → a plan in memory. Pure: no database, every problem named by line.

use chrono::{Datelike, NaiveDate};
use lazy_regex::{Lazy, Regex, lazy_regex};

use super::document::{Block, Cell, Cut, Document, Kind};
use super::rows::{self, Layout, Numbering};
use crate::columns::{self, ColumnKind, TableColumn};
use crate::deadlines::reading::parser::{PlanContext, parse as parse_label};
use crate::i18n::Text;
use crate::plans::draft::{OrientationDraft, PlanDraft};
use crate::text::render_date;
use crate::text::{fold, month_number, squash};

/// A plan read from a document: the plan, and what was read but could be read more than
/// one way (kept, and said).
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPlan {
    pub draft: PlanDraft,
    pub warnings: Vec<LineMessage>,
    /// The table's columns as read: its header row's, or the four of the RQDS plans.
    pub columns: Vec<TableColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMessage {
    pub line: usize,
    pub message: Text,
    /// The column (0-based) of the cell it is about, when it is about one.
    pub column: Option<usize>,
}

impl LineMessage {
    pub(crate) fn new(line: usize, fr: impl Into<String>, en: impl Into<String>) -> Self {
        let (fr, en) = (fr.into(), en.into());
        LineMessage {
            line,
            message: Text::new(format!("Ligne {line} : {fr}"), format!("Line {line}: {en}")),
            column: None,
        }
    }

    /// The same message, about the cell of this column.
    pub(crate) fn in_column(mut self, column: Option<usize>) -> Self {
        self.column = column;
        self
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
    /// The table's columns, as its header row named them.
    layout: Layout,
    numbering: Numbering,
    /// A spreadsheet leaves out the empty cells at a row's end: its rows are as wide as the
    /// table.
    sheet: bool,
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
        layout: Layout::default(),
        numbering: Numbering::default(),
        sheet: matches!(document.origin, super::places::Origin::Sheet(_)),
    };
    let mut last_row = None;
    for block in &document.blocks {
        parser.block(block)?;
        last_row = (parser.section == Section::Table && matches!(block.kind, Kind::Row(_))).then_some(block.line);
    }
    if let Some(cut) = document.cut.as_ref().filter(|cut| last_row == Some(cut.line)) {
        ends_in_a_row(&mut parser, cut)?;
    }
    let layout = parser.layout.clone();
    let mut plan = parser.plan.ok_or_else(|| {
        LineMessage::new(
            1,
            "aucun titre « PLAN D'ACTION AAAA-AAAA » trouvé.",
            "no \"PLAN D'ACTION YYYY-YYYY\" title found.",
        )
    })?;
    plan.columns = layout.columns;
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
    let width = parser.layout.width();
    if *columns < width || *open_paragraph {
        return Err(LineMessage::new(
            *line,
            format!(
                "le document semble coupé : il s'arrête sans fin de ligne dans une rangée incomplète (« {tail} », {columns} colonne(s) sur {width}). Envoyez le document entier."
            ),
            format!(
                "the document seems cut: it stops with no line end inside an incomplete row (\"{tail}\", {columns} of {width} columns). Send the whole document."
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
            push_orientation(plan, number, found, title)?;
            self.section = Section::Table;
            return Ok(());
        }
        if let Kind::Row(cells) = &block.kind {
            let headers: Vec<String> = cells.iter().map(Cell::markup).collect();
            if let Some(columns) = columns::header_row(&headers) {
                self.header_seen = true;
                let kinds = |columns: &[TableColumn]| columns.iter().map(|c| c.kind).collect::<Vec<_>>();
                if kinds(&columns) != kinds(&columns::classic()) {
                    plan.draft.columns.clone_from(&columns);
                }
                self.layout = Layout::named(columns);
                // A spreadsheet's rows name their orientation: the table starts here.
                if self.layout.has(ColumnKind::Orientation) {
                    self.section = Section::Table;
                }
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
                let mut cells = self.layout.merged(cells, &self.above);
                if self.sheet && cells.len() < self.layout.width() {
                    cells.resize(self.layout.width(), Cell::default());
                }
                self.above.clone_from(&cells);
                rows::row(plan, number, &cells, &self.layout, &mut self.numbering)
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
                columns: Vec::new(),
            },
            warnings: Vec::new(),
            columns: Vec::new(),
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
pub(super) fn orientation_heading(number: usize, line: &str) -> Option<Result<(Option<i32>, String), LineMessage>> {
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
    cells.len() == 2
        && written.len() == 2
        && looks_like_acronym(&written[0])
        && super::cells::bullet_of(&written[1]).is_none()
}

/// Adds an orientation, its number checked against its place (they are numbered in order).
pub(super) fn push_orientation(plan: &mut ParsedPlan, number: usize, found: Option<i32>, title: String) -> LineResult {
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
    Ok(())
}

pub(super) fn unnamed_heading(number: usize, title: &str) -> LineMessage {
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

pub(super) fn shouting(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::NamedField;
    use crate::progress::{ActionStatus, Progress};

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

    const SIX: &str = "PLAN D'ACTION 2024-2025\n\nORIENTATION 1 : MOBILISER LES RÉGIONS\n\nOBJECTIFS\tACTIONS\tRESPONSABLE\tÉCHÉANCIER\tINDICATEURS\tÉTAT D'AVANCEMENT\n1.1 Rencontrer les régions\t<p>1.1.1 Tournée des régions</p><p>1.1.2 Bilan de la tournée</p>\t<p>Coordination</p><p>CA</p>\t<p>Automne 2024</p><p>Juin 2025</p>\t16 régions rencontrées\t<p>En cours : 6 régions visitées</p><p></p>\n1.2 Diffuser\t- Bulletin\tComm.\tEn continu\t\tComplété\n";

    #[test]
    fn columns_are_read_by_their_headers_and_numbers_are_positions() -> Result<(), LineMessage> {
        let plan = parse(SIX)?;
        let kinds: Vec<ColumnKind> = plan.columns.iter().map(|c| c.kind).collect();
        assert_eq!(kinds[2], ColumnKind::Responsible);
        assert_eq!(plan.draft.columns.len(), 6, "a layout other than the four is kept");
        let objectives: Vec<_> = plan.draft.objectives().collect();
        assert_eq!(objectives[0].title, "Rencontrer les régions");
        assert_eq!(objectives[1].title, "Diffuser");
        let tour = &objectives[0].actions[0];
        assert_eq!(tour.title, "Tournée des régions");
        assert_eq!(tour.responsible_organization.as_deref(), Some("Coordination"));
        assert_eq!(tour.deadlines, ["Automne 2024"]);
        assert_eq!(tour.details.indicators.as_deref(), Some("16 régions rencontrées"));
        assert_eq!(tour.details.progress, Some(Progress::new(6, 16, "régions rencontrées")));
        assert_eq!(tour.status, ActionStatus::InProgress);
        let review = &objectives[0].actions[1];
        assert_eq!(
            (review.title.as_str(), review.responsible_organization.as_deref()),
            ("Bilan de la tournée", Some("CA"))
        );
        assert_eq!(
            review.details.progress,
            Some(Progress::new(0, 16, "régions rencontrées"))
        );
        assert_eq!(
            objectives[1].actions[0].responsible_organization.as_deref(),
            Some("Comm.")
        );
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        Ok(())
    }

    #[test]
    fn numbers_out_of_sequence_name_their_row() {
        assert_eq!(error_line(&SIX.replace("1.2 Diffuser", "1.3 Diffuser")), 7);
        assert_eq!(error_line(&SIX.replace("1.1.2 Bilan", "1.1.3 Bilan")), 6);
        assert_eq!(error_line(&SIX.replace("1.2 Diffuser", "2.2 Diffuser")), 7);
        let letters = SIX
            .replace("1.1 Rencontrer", "A. Rencontrer")
            .replace("1.2 Diffuser", "C. Diffuser");
        assert_eq!(error_line(&letters), 7, "B. expected after A.");
        let word = SIX.replace("1.1 Rencontrer les régions", "M. Tremblay rencontre les régions");
        let plan = parse(&word).map_err(|e| e.message.en).unwrap_or_else(|e| panic!("{e}"));
        let first = plan.draft.objectives().next().map(|o| o.title.clone());
        assert_eq!(first.as_deref(), Some("M. Tremblay rencontre les régions"));
    }

    #[test]
    fn other_columns_are_named_fields_and_a_wider_row_is_refused() -> Result<(), LineMessage> {
        let text = "PLAN D'ACTION 2024-2025\nORIENTATION 1 : X\nActions\tÉchéance\tBudget\tPartenaires\nObjectif\n";
        // No objective column: the row above has none either; an objective row first.
        let text = text.replace("Objectif\n", "");
        let with_objective = format!(
            "{}Objectif\t- Une action\tMai 2025\t2 000 $\tCentraide\n",
            text.replace("Actions\t", "Objectif\tActions\t")
        );
        let plan = parse(&with_objective)?;
        let action = &plan
            .draft
            .actions()
            .next()
            .map(|a| a.details.clone())
            .unwrap_or_default();
        assert_eq!(
            action.other_fields,
            [NamedField {
                name: "Budget".into(),
                value: "2 000 $".into()
            }]
        );
        assert_eq!(action.partners.as_deref(), Some("Centraide"));
        let wider = format!("{with_objective}Objectif 2\t- B\tMai 2025\t\t\tde trop\n");
        assert_eq!(error_line(&wider), 5);
        Ok(())
    }
}
