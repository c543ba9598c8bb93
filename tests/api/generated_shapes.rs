//! Plans made up by proptest in other organizations' shapes (issue 31): columns in other
//! orders and with other names, extra columns, numbered objectives and actions, written as
//! text, Word (DOCX), Excel (XLSX) and LibreOffice (ODT) files, and read back.

use std::io::Write as _;

use planaction::import::read;
use planaction::progress::{ActionStatus, Progress};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "rencontre",
    "des",
    "régions",
    "tournée",
    "bilan",
    "membres",
    "réseau",
    "Québec",
    "outils",
    "d'information",
    "partage",
    "infolettre",
];
const STATUSES: &[(ActionStatus, &str)] = &[
    (ActionStatus::NotStarted, ""),
    (ActionStatus::InProgress, "En cours"),
    (ActionStatus::Completed, "Complété"),
    (ActionStatus::Postponed, "Reporté"),
];
const DEADLINES: &[&str] = &[
    "Automne 2013",
    "3 octobre 2013",
    "En continu",
    "2e quinzaine de mai 2014",
];
const RESPONSIBLE: &[&str] = &["Coordination", "CA", "Comité outils"];
const INDICATORS: &[&str] = &["Bilan déposé", "4 rencontres", "16 régions rencontrées"];
const PARTNERS: &[&str] = &["MRC", "Centraide, CISSS"];
const BUDGETS: &[&str] = &["2 000 $", "500 $"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Objective,
    Actions,
    Responsible,
    Deadlines,
    Indicators,
    Partners,
    Status,
    Budget,
}

/// Layouts as organizations write them: the RQDS's four, six in Word's usual order, and
/// eight with other names in another order.
const LAYOUTS: &[&[(Column, &str)]] = &[
    &[
        (Column::Objective, "OBJECTIFS"),
        (Column::Actions, "ACTIONS"),
        (Column::Deadlines, "ÉCHÉANCIER"),
        (Column::Status, "ÉTAT D'AVANCEMENT"),
    ],
    &[
        (Column::Objective, "OBJECTIFS"),
        (Column::Actions, "ACTIONS"),
        (Column::Responsible, "RESPONSABLE"),
        (Column::Deadlines, "ÉCHÉANCIER"),
        (Column::Indicators, "INDICATEURS"),
        (Column::Status, "ÉTAT D'AVANCEMENT"),
    ],
    &[
        (Column::Objective, "Objectif(s)"),
        (Column::Responsible, "Qui ?"),
        (Column::Actions, "Activités"),
        (Column::Deadlines, "Date cible"),
        (Column::Indicators, "Résultats attendus"),
        (Column::Partners, "Partenaires"),
        (Column::Status, "Statut"),
        (Column::Budget, "Budget"),
    ],
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Text,
    Docx,
    Xlsx,
    Odt,
}

#[derive(Debug, Clone)]
struct Action {
    title: String,
    status: usize,
    deadline: usize,
    responsible: usize,
    indicator: usize,
    partner: usize,
    budget: usize,
}

#[derive(Debug, Clone)]
struct Objective {
    title: String,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Style {
    layout: usize,
    numbered: bool,
    row_per_action: bool,
    format: Format,
}

fn title() -> impl Strategy<Value = String> {
    crate::import_forms::generated::title_of(WORDS)
}

fn action() -> impl Strategy<Value = Action> {
    (
        title(),
        0..STATUSES.len(),
        0..DEADLINES.len(),
        (
            0..RESPONSIBLE.len(),
            0..INDICATORS.len(),
            0..PARTNERS.len(),
            0..BUDGETS.len(),
        ),
    )
        .prop_map(
            |(title, status, deadline, (responsible, indicator, partner, budget))| Action {
                title,
                status,
                deadline,
                responsible,
                indicator,
                partner,
                budget,
            },
        )
}

/// Orientations of objectives of actions.
fn plan() -> impl Strategy<Value = Vec<(String, Vec<Objective>)>> {
    let objective =
        (title(), prop::collection::vec(action(), 1..4)).prop_map(|(title, actions)| Objective { title, actions });
    let orientation = (title(), prop::collection::vec(objective, 1..4)).prop_map(|(t, o)| (t.to_uppercase(), o));
    prop::collection::vec(orientation, 1..3)
}

fn style() -> impl Strategy<Value = Style> {
    (
        0..LAYOUTS.len(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![Format::Text, Format::Docx, Format::Xlsx, Format::Odt]),
    )
        .prop_map(|(layout, numbered, row_per_action, format)| Style {
            layout,
            numbered,
            row_per_action,
            format,
        })
}

fn value(column: Column, a: &Action) -> String {
    match column {
        Column::Objective | Column::Actions => String::new(),
        Column::Responsible => RESPONSIBLE[a.responsible].to_owned(),
        Column::Deadlines => DEADLINES[a.deadline].to_owned(),
        Column::Indicators => INDICATORS[a.indicator].to_owned(),
        Column::Partners => PARTNERS[a.partner].to_owned(),
        Column::Status => STATUSES[a.status].1.to_owned(),
        Column::Budget => BUDGETS[a.budget].to_owned(),
    }
}

/// A block of the document: a paragraph, or a row of cells each holding paragraphs.
enum Block {
    Paragraph(String),
    Row(Vec<Vec<String>>),
}

fn blocks(plan: &[(String, Vec<Objective>)], style: &Style) -> Vec<Block> {
    let layout = LAYOUTS[style.layout];
    let mut out = vec![
        Block::Paragraph("PLAN D'ACTION 2013-2014 (juillet à juin)".to_owned()),
        Block::Paragraph("Mise à jour : 2013-10-11".to_owned()),
    ];
    for (n, (orientation, objectives)) in plan.iter().enumerate() {
        out.push(Block::Paragraph(format!("ORIENTATION {} : {orientation}", n + 1)));
        out.push(Block::Row(layout.iter().map(|(_, h)| vec![(*h).to_owned()]).collect()));
        for (k, objective) in objectives.iter().enumerate() {
            let objective_title = if style.numbered {
                format!("{}.{} {}", n + 1, k + 1, objective.title)
            } else {
                objective.title.clone()
            };
            let action_title = |i: usize, a: &Action| {
                if style.numbered {
                    format!("{}.{}.{} {}", n + 1, k + 1, i + 1, a.title)
                } else {
                    format!("- {}", a.title)
                }
            };
            let cell = |column: Column, actions: &[(usize, &Action)], first: bool| -> Vec<String> {
                match column {
                    Column::Objective if first => vec![objective_title.clone()],
                    Column::Objective => vec![String::new()],
                    Column::Actions => actions.iter().map(|(i, a)| action_title(*i, a)).collect(),
                    _ => actions.iter().map(|(_, a)| value(column, a)).collect(),
                }
            };
            let actions: Vec<(usize, &Action)> = objective.actions.iter().enumerate().collect();
            if style.row_per_action {
                for (i, action) in &actions {
                    out.push(Block::Row(
                        layout.iter().map(|(c, _)| cell(*c, &[(*i, action)], *i == 0)).collect(),
                    ));
                }
            } else {
                out.push(Block::Row(
                    layout.iter().map(|(c, _)| cell(*c, &actions, true)).collect(),
                ));
            }
        }
    }
    out
}

fn text_form(blocks: &[Block]) -> Vec<u8> {
    let lines: Vec<String> = blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => p.clone(),
            Block::Row(cells) => cells
                .iter()
                .map(|ps| match ps.as_slice() {
                    [one] => one.clone(),
                    many => many.iter().map(|p| format!("<p>{p}</p>")).collect(),
                })
                .collect::<Vec<_>>()
                .join("\t"),
        })
        .collect();
    (lines.join("\n") + "\n").into_bytes()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        // ODT's mimetype is stored, first and uncompressed, as the format asks.
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        let written = zip
            .start_file(*name, options)
            .and_then(|()| zip.write_all(body.as_bytes()).map_err(zip::result::ZipError::from));
        assert!(written.is_ok(), "{written:?}");
    }
    zip.finish().map(std::io::Cursor::into_inner).unwrap_or_default()
}

fn docx(blocks: &[Block]) -> Vec<u8> {
    let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", escape(t));
    let mut body = String::new();
    let mut in_table = false;
    for block in blocks {
        let is_row = matches!(block, Block::Row(_));
        if is_row != in_table {
            body += if is_row { "<w:tbl>" } else { "</w:tbl>" };
            in_table = is_row;
        }
        match block {
            Block::Paragraph(t) => body += &p(t),
            Block::Row(cells) => {
                body += "<w:tr>";
                for cell in cells {
                    body += &format!("<w:tc>{}</w:tc>", cell.iter().map(|t| p(t)).collect::<String>());
                }
                body += "</w:tr>";
            }
        }
    }
    if in_table {
        body += "</w:tbl>";
    }
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip(&[("word/document.xml", xml)])
}

fn odt(blocks: &[Block]) -> Vec<u8> {
    let p = |t: &str| format!("<text:p>{}</text:p>", escape(t));
    let mut body = String::new();
    let mut table = 0;
    let mut in_table = false;
    for block in blocks {
        let is_row = matches!(block, Block::Row(_));
        if is_row != in_table {
            if is_row {
                table += 1;
                body += &format!("<table:table table:name=\"Tableau{table}\">");
            } else {
                body += "</table:table>";
            }
            in_table = is_row;
        }
        match block {
            Block::Paragraph(t) => body += &p(t),
            Block::Row(cells) => {
                body += "<table:table-row>";
                for cell in cells {
                    body += &format!(
                        "<table:table-cell>{}</table:table-cell>",
                        cell.iter().map(|t| p(t)).collect::<String>()
                    );
                }
                body += "</table:table-row>";
            }
        }
    }
    if in_table {
        body += "</table:table>";
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".to_owned()),
        ("content.xml", content),
    ])
}

/// One row per block: a paragraph in column A, a row's cells with their paragraphs on lines.
fn xlsx(blocks: &[Block]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, block) in (0u32..).zip(blocks) {
        let written = match block {
            Block::Paragraph(t) => sheet.write_string(r, 0, t).map(|_| ()),
            Block::Row(cells) => (0u16..).zip(cells).try_for_each(|(c, ps)| {
                let text = ps.join("\n");
                if text.is_empty() {
                    Ok(())
                } else {
                    sheet.write_string(r, c, &text).map(|_| ())
                }
            }),
        };
        assert!(written.is_ok(), "{written:?}");
    }
    workbook.save_to_buffer().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_plan_in_any_shape_reads_back_the_same(plan in plan(), style in style()) {
        let blocks = blocks(&plan, &style);
        let bytes = match style.format {
            Format::Text => text_form(&blocks),
            Format::Docx => docx(&blocks),
            Format::Xlsx => xlsx(&blocks),
            Format::Odt => odt(&blocks),
        };
        let shown = String::from_utf8_lossy(&text_form(&blocks)).into_owned();
        let read = read(&bytes).map_err(|e| TestCaseError::fail(format!("{e:?}\n{style:?}\n{shown}")))?;
        let layout = LAYOUTS[style.layout];
        let has = |column: Column| layout.iter().any(|(c, _)| *c == column);
        let headers: Vec<&str> = read.columns.iter().map(|c| c.header.as_str()).collect();
        let wanted: Vec<&str> = layout.iter().map(|(_, h)| *h).collect();
        prop_assert_eq!(headers, wanted);
        prop_assert_eq!(read.draft.orientations.len(), plan.len());
        for ((got, (_, objectives)), n) in read.draft.orientations.iter().zip(&plan).zip(1..) {
            prop_assert_eq!(got.number, n);
            prop_assert_eq!(got.objectives.len(), objectives.len());
            for (got, want) in got.objectives.iter().zip(objectives) {
                prop_assert_eq!(&got.title, &want.title, "{}", shown);
                prop_assert_eq!(got.actions.len(), want.actions.len(), "{}", shown);
                for (got, want) in got.actions.iter().zip(&want.actions) {
                    prop_assert_eq!(&got.title, &want.title, "{}", shown);
                    let status = STATUSES[want.status].0;
                    prop_assert_eq!(got.status, status);
                    prop_assert_eq!(&got.deadlines, &vec![DEADLINES[want.deadline].to_owned()]);
                    let responsible = has(Column::Responsible).then(|| RESPONSIBLE[want.responsible].to_owned());
                    prop_assert_eq!(&got.responsible_organization, &responsible);
                    let indicator = has(Column::Indicators).then(|| INDICATORS[want.indicator].to_owned());
                    prop_assert_eq!(&got.details.indicators, &indicator);
                    let partners = has(Column::Partners).then(|| PARTNERS[want.partner].to_owned());
                    prop_assert_eq!(&got.details.partners, &partners);
                    let budget: Vec<String> = got.details.other_fields.iter().map(|f| format!("{}={}", f.name, f.value)).collect();
                    let wanted: Vec<String> = has(Column::Budget).then(|| format!("Budget={}", BUDGETS[want.budget])).into_iter().collect();
                    prop_assert_eq!(budget, wanted);
                    // « 4 rencontres » counts something: the measurable target.
                    let progress = indicator.as_deref().and_then(|i| i.split_once(' ')).and_then(|(n, unit)| {
                        let target: i32 = n.parse().ok()?;
                        Some(Progress::new(if status == ActionStatus::Completed { target } else { 0 }, target, unit))
                    });
                    prop_assert_eq!(&got.details.progress, &progress);
                }
            }
        }
        prop_assert!(read.warnings.is_empty(), "{:?}\n{}", read.warnings, shown);
    }
}
