//! The plan as people have it (issue 16): the Word document itself, and the variants
//! people and Word write, read to the same plan as the seed's text form.

use planaction::import::parse::{LineMessage, ParsedPlan};
use planaction::import::{ReadError, read};
use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, TestResult};

const SEED_TEXT: &str = include_str!("../../data/plan-action-2013-2014.txt");
/// The seed's text made into HTML (tests/import/text-to-html.py) and saved as DOCX by
/// LibreOffice: a Word document written by another program than ours.
const SEED_DOCX: &[u8] = include_bytes!("../import/plan-action-2013-2014.docx");

/// The plan without where things were read (lines differ between a text and a Word
/// document); warnings keep their message without its "Ligne N :" prefix.
pub fn without_lines(mut plan: ParsedPlan) -> ParsedPlan {
    for orientation in &mut plan.draft.orientations {
        for objective in &mut orientation.objectives {
            objective.line = None;
            for action in &mut objective.actions {
                action.line = None;
            }
        }
    }
    for warning in &mut plan.warnings {
        warning.line = 0;
        for message in [&mut warning.message.fr, &mut warning.message.en] {
            if let Some((_, rest)) = message.split_once(": ") {
                *message = rest.to_owned();
            }
        }
    }
    plan
}

pub fn read_plan(bytes: &[u8]) -> Result<ParsedPlan, String> {
    read(bytes).map_err(|e| match e {
        ReadError::NotUtf8(at) => format!("not UTF-8 at {at}"),
        ReadError::Document(LineMessage { message, .. }) => message.en,
        ReadError::TooLarge(text) => text.en,
    })
}

#[test]
fn the_seed_as_a_word_document_is_the_plan_of_its_text() -> Result<(), String> {
    let from_text = without_lines(read_plan(SEED_TEXT.as_bytes())?);
    let from_docx = without_lines(read_plan(SEED_DOCX)?);
    assert_eq!(from_docx.draft.orientations.len(), 5);
    assert_eq!(from_docx, from_text);
    Ok(())
}

#[tokio::test]
async fn a_word_document_imports_over_http() -> TestResult {
    let app = TestApp::spawn().await;
    let media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let reply = app
        .send_raw(Method::POST, "/api/v1/plans/import", media_type, SEED_DOCX.to_vec())
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        reply.body["counts"],
        serde_json::json!({"orientations": 5, "objectives": 22, "actions": 42, "deadlines": 48, "glossary_entries": 4})
    );
    // A broken Word document: 422 naming what is wrong, nothing created.
    let mut broken = SEED_DOCX.to_vec();
    broken.truncate(2000);
    let reply = app
        .send_raw(Method::POST, "/api/v1/plans/import", media_type, broken)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body["detail"].as_str().unwrap_or_default().contains("Word"),
        "{}",
        reply.body
    );
    Ok(())
}

/// The columns beyond the four, one line each, only those an action has.
fn details(details: &planaction::plans::draft::Details) -> String {
    let mut out = String::new();
    for (name, value) in [
        ("indicateurs", &details.indicators),
        ("cible", &details.target),
        ("partenaires", &details.partners),
    ] {
        if let Some(value) = value {
            out += &format!("      {name} : {value}\n");
        }
    }
    for field in &details.other_fields {
        out += &format!("      « {} » : {}\n", field.name, field.value);
    }
    if let Some(progress) = &details.progress {
        out += &format!("      progression : {}\n", progress.render());
    }
    out
}

/// A plan written so that a person can check it against its document.
fn summary(plan: &ParsedPlan) -> String {
    let mut out = format!(
        "{} ({} – {}), mise à jour {:?}\n",
        plan.draft.title, plan.draft.period_start, plan.draft.period_end, plan.draft.updated_on
    );
    let columns: Vec<String> = plan
        .columns
        .iter()
        .map(|c| format!("{} = {}", c.header, c.kind.as_str()))
        .collect();
    out += &format!("colonnes : {}\n", columns.join(" | "));
    for orientation in &plan.draft.orientations {
        out += &format!("ORIENTATION {} : {}\n", orientation.number, orientation.title);
        for objective in &orientation.objectives {
            out += &format!("  objectif « {} » {:?}\n", objective.title, objective.deadlines);
            for a in &objective.actions {
                out += &format!(
                    "    action « {} » {} {:?} {:?} {:?}\n",
                    a.title,
                    a.status.as_str(),
                    a.progress_note,
                    a.deadlines,
                    a.responsible_organization
                );
                out += &details(&a.details);
            }
        }
    }
    for (acronym, definition) in &plan.draft.glossary {
        out += &format!("sigle {acronym} = {definition}\n");
    }
    for warning in &plan.warnings {
        out += &format!("avertissement : {}\n", warning.message.fr);
    }
    out
}

/// Every document of tests/import/corpus read, and compared with what a person checked:
/// `NAME.expected` (the plan, or the error). `UPDATE_CORPUS=1` writes them anew.
#[test]
fn the_corpus_of_variants_reads_as_checked() -> Result<(), String> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/corpus");
    let mut documents: Vec<_> = std::fs::read_dir(&folder)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ["txt", "docx", "xlsx", "odt"].iter().any(|known| ext == *known))
        })
        .collect();
    documents.sort();
    assert!(documents.len() >= 12, "{documents:?}");
    let mut differences = Vec::new();
    for document in documents {
        let bytes = std::fs::read(&document).map_err(|e| e.to_string())?;
        let got = match read(&bytes) {
            Ok(plan) => summary(&plan),
            Err(ReadError::Document(e)) => format!("erreur : {}\n", e.message.fr),
            Err(ReadError::NotUtf8(at)) => format!("erreur : pas en UTF-8 (octet {at})\n"),
            Err(ReadError::TooLarge(text)) => format!("erreur : {}\n", text.fr),
        };
        let expected_path = document.with_extension("expected");
        if std::env::var_os("UPDATE_CORPUS").is_some() {
            std::fs::write(&expected_path, &got).map_err(|e| e.to_string())?;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            differences.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                document.display()
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    Ok(())
}

pub mod generated {
    //! Plans made up by proptest, written the ways people and Word write them, read back.

    use std::io::Write as _;

    use planaction::import::read;
    use planaction::progress::ActionStatus;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "rencontre",
        "des",
        "régions",
        "tournée",
        "bilan",
        "annuel",
        "membres",
        "l’assemblée",
        "du",
        "réseau",
        "Québec",
        "Communagir",
        "outils",
        "«\u{a0}portrait\u{a0}»",
        "d'information",
        "partage",
        "site",
        "infolettre",
    ];
    const HEADINGS: &[&str] = &[
        "ORIENTATION {n} : {t}",
        "ORIENTATION {n} – {t}",
        "ORIENTATION {n} - {t}",
        "Orientation {n}. {t}",
        "ORIENTATION\u{a0}{n}\u{a0}: {t}",
        "ORIENTATION : {t}",
    ];
    const BULLETS: &[&str] = &["- ", "– ", "• ", "* ", "{i}. ", "{i}) "];
    const STATUSES: &[(ActionStatus, &[&str])] = &[
        (ActionStatus::NotStarted, &["", "Non débuté", "À venir"]),
        (ActionStatus::InProgress, &["En cours", "En cours de réalisation"]),
        (
            ActionStatus::Completed,
            &["Complété", "Complétée", "Réalisé", "Réalisée"],
        ),
        (ActionStatus::Postponed, &["Reporté", "Reportée"]),
        (ActionStatus::Cancelled, &["Annulé", "Abandonnée"]),
    ];
    const DEADLINES: &[&str] = &["Automne 2013", "3 octobre 2013", "En continu", "Hiver 2014", "Mai 2014"];
    const UPDATED: &[&str] = &["2013-10-11", "11 octobre 2013", "11 oct. 2013"];
    const ACRONYM_SEPARATORS: &[&str] = &[" : ", "\t", " – "];

    #[derive(Debug, Clone)]
    struct Action {
        title: String,
        status: (usize, usize),
        deadline: usize,
    }

    #[derive(Debug, Clone)]
    struct Objective {
        title: String,
        actions: Vec<Action>,
    }

    #[derive(Debug, Clone)]
    struct Orientation {
        title: String,
        objectives: Vec<Objective>,
    }

    #[derive(Debug, Clone)]
    struct Style {
        heading: usize,
        bullet: usize,
        /// One row per action, else one row per objective with one `<p>` per action.
        row_per_action: bool,
        crlf: bool,
        docx: bool,
        updated: usize,
        acronym: usize,
    }

    fn title() -> impl Strategy<Value = String> {
        title_of(WORDS)
    }

    /// A title of 1 to 5 of `words`, capitalized.
    pub fn title_of(words: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(words), 1..6).prop_map(|words| {
            let text = words.join(" ");
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
    }

    fn action() -> impl Strategy<Value = Action> {
        (title(), (0..STATUSES.len(), 0..4usize), 0..DEADLINES.len()).prop_map(|(title, (s, form), deadline)| Action {
            title,
            status: (s, form % STATUSES[s].1.len()),
            deadline,
        })
    }

    fn plan() -> impl Strategy<Value = Vec<Orientation>> {
        let objective =
            (title(), prop::collection::vec(action(), 1..4)).prop_map(|(title, actions)| Objective { title, actions });
        let orientation =
            (title(), prop::collection::vec(objective, 1..4)).prop_map(|(title, objectives)| Orientation {
                title: title.to_uppercase(),
                objectives,
            });
        prop::collection::vec(orientation, 1..4)
    }

    fn style() -> impl Strategy<Value = Style> {
        (
            0..HEADINGS.len(),
            0..BULLETS.len(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0..UPDATED.len(),
            0..ACRONYM_SEPARATORS.len(),
        )
            .prop_map(
                |(heading, bullet, row_per_action, crlf, docx, updated, acronym)| Style {
                    heading,
                    bullet,
                    row_per_action,
                    crlf,
                    docx,
                    updated,
                    acronym,
                },
            )
    }

    fn bullet(style: &Style, i: usize) -> String {
        BULLETS[style.bullet].replace("{i}", &(i + 1).to_string())
    }

    /// The plan's text form, in the given style, as lines.
    fn lines(plan: &[Orientation], style: &Style) -> Vec<String> {
        let mut out = vec![
            "PLAN D'ACTION 2013-2014 (juillet à juin)".to_owned(),
            format!("Mise à jour : {}", UPDATED[style.updated]),
        ];
        for (n, orientation) in plan.iter().enumerate() {
            out.push(
                HEADINGS[style.heading]
                    .replace("{n}", &(n + 1).to_string())
                    .replace("{t}", &orientation.title),
            );
            out.push("OBJECTIFS\tACTIONS\tÉCHÉANCIER\tÉTAT D'AVANCEMENT".to_owned());
            for objective in &orientation.objectives {
                let status = |a: &Action| STATUSES[a.status.0].1[a.status.1];
                if style.row_per_action {
                    for (i, a) in objective.actions.iter().enumerate() {
                        let first = if i == 0 { objective.title.as_str() } else { "" };
                        out.push(format!(
                            "{first}\t{}{}\t{}\t{}",
                            bullet(style, 0),
                            a.title,
                            DEADLINES[a.deadline],
                            status(a)
                        ));
                    }
                } else {
                    let paragraphs = |f: &dyn Fn(&Action) -> String| {
                        objective
                            .actions
                            .iter()
                            .map(|a| format!("<p>{}</p>", f(a)))
                            .collect::<String>()
                    };
                    let actions: Vec<String> = objective
                        .actions
                        .iter()
                        .enumerate()
                        .map(|(i, a)| format!("{}{}", bullet(style, i), a.title))
                        .collect();
                    out.push(format!(
                        "{}\t{}\t{}\t{}",
                        objective.title,
                        actions.join(" "),
                        paragraphs(&|a| DEADLINES[a.deadline].to_owned()),
                        paragraphs(&|a| status(a).to_owned()),
                    ));
                }
            }
        }
        out.push("Liste des sigles et acronymes utilisés".to_owned());
        out.push(format!(
            "MESS{}Ministère de l'Emploi et de la Solidarité sociale",
            ACRONYM_SEPARATORS[style.acronym]
        ));
        out
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    }

    fn paragraph(text: &str) -> String {
        let runs: Vec<String> = text
            .split('\t')
            .map(|part| format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", escape(part)))
            .collect();
        format!("<w:p>{}</w:p>", runs.join("<w:r><w:tab/></w:r>"))
    }

    /// The same lines as a Word document: rows with tabs as table rows, `<p>` as paragraphs.
    fn docx(lines: &[String]) -> Vec<u8> {
        let mut body = String::new();
        let mut in_table = false;
        for line in lines {
            let is_row = line.contains('\t') && !line.starts_with("MESS");
            if is_row != in_table {
                body += if is_row { "<w:tbl>" } else { "</w:tbl>" };
                in_table = is_row;
            }
            if !is_row {
                body += &paragraph(line);
                continue;
            }
            body += "<w:tr>";
            for cell in line.split('\t') {
                let parts: Vec<&str> = match cell.strip_prefix("<p>") {
                    Some(inner) => inner.trim_end_matches("</p>").split("</p><p>").collect(),
                    None => vec![cell],
                };
                body += &format!(
                    "<w:tc>{}</w:tc>",
                    parts.iter().map(|p| paragraph(p)).collect::<String>()
                );
            }
            body += "</w:tr>";
        }
        if in_table {
            body += "</w:tbl>";
        }
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let written = zip
            .start_file("word/document.xml", options)
            .and_then(|()| zip.write_all(xml.as_bytes()).map_err(zip::result::ZipError::from))
            .and_then(|()| zip.finish());
        written.map(std::io::Cursor::into_inner).unwrap_or_default()
    }

    /// The importer reads a non-breaking space as a space.
    fn spaced(text: &str) -> String {
        text.replace('\u{a0}', " ")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn a_plan_written_any_way_reads_back_the_same(plan in plan(), style in style()) {
            let lines = lines(&plan, &style);
            let bytes = if style.docx {
                docx(&lines)
            } else {
                lines.join(if style.crlf { "\r\n" } else { "\n" }).into_bytes()
            };
            let read = read(&bytes).map_err(|e| TestCaseError::fail(format!("{e:?}\n{}", lines.join("\n"))))?;
            prop_assert_eq!(read.draft.updated_on, chrono::NaiveDate::from_ymd_opt(2013, 10, 11));
            prop_assert_eq!(read.draft.orientations.len(), plan.len());
            for (n, (got, want)) in read.draft.orientations.iter().zip(&plan).enumerate() {
                prop_assert_eq!(got.number as usize, n + 1);
                prop_assert_eq!(&got.title, &spaced(&want.title));
                prop_assert_eq!(got.objectives.len(), want.objectives.len());
                for (got, want) in got.objectives.iter().zip(&want.objectives) {
                    prop_assert_eq!(&got.title, &spaced(&want.title));
                    let titles: Vec<&str> = got.actions.iter().map(|a| a.title.as_str()).collect();
                    let wanted: Vec<String> = want.actions.iter().map(|a| spaced(&a.title)).collect();
                    prop_assert_eq!(titles, wanted, "{}", lines.join("\n"));
                    for (got, want) in got.actions.iter().zip(&want.actions) {
                        prop_assert_eq!(got.status, STATUSES[want.status.0].0, "{}", lines.join("\n"));
                        prop_assert_eq!(&got.progress_note, &None);
                        prop_assert_eq!(&got.deadlines, &vec![DEADLINES[want.deadline].to_owned()]);
                    }
                }
            }
            prop_assert_eq!(read.draft.glossary.len(), 1);
            prop_assert!(read.warnings.is_empty(), "{:?}\n{}", read.warnings, lines.join("\n"));
        }
    }
}
