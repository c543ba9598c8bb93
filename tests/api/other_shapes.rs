//! Plans as other organizations write them (issue 31): a six-column Word table, an Excel
//! sheet, a LibreOffice text and a seven-column text, through the API and the command line,
//! and back from the Word export.

use std::process::Command;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{TestApp, TestResult};
use crate::plan_year::{document, plan_of};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ODT: &str = "application/vnd.oasis.opendocument.text";

pub fn corpus(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import/corpus")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shapes, each with the media type a client sends and what a person counted in it.
const SHAPES: [(&str, &str, [usize; 3], &str); 4] = [
    (
        "six-columns.docx",
        DOCX,
        [2, 3, 5],
        "OBJECTIFS ACTIONS RESPONSABLE ÉCHÉANCIER INDICATEURS ÉTAT D'AVANCEMENT",
    ),
    (
        "excel-sheet.xlsx",
        XLSX,
        [2, 3, 4],
        "Orientation Objectif Actions Porteur Date cible Cible Partenaires Budget Statut",
    ),
    (
        "libreoffice.odt",
        ODT,
        [2, 3, 5],
        "Objectifs Actions Échéance Moyens Suivi",
    ),
    (
        "seven-columns.txt",
        "text/plain",
        [1, 2, 3],
        "Objectif(s) Qui ? Activités Quand ? Résultats attendus Partenaires État",
    ),
];

async fn import(app: &TestApp, name: &str, media_type: &str) -> Value {
    let reply = app
        .send_raw(Method::POST, "/api/v1/plans/import", media_type, corpus(name))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.body);
    reply.body
}

#[tokio::test]
async fn each_shape_imports_over_http_and_from_the_command_line() -> TestResult {
    let app = TestApp::spawn().await;
    for (name, media_type, [orientations, objectives, actions], headers) in SHAPES {
        // Over HTTP, sent as what it is and as plain bytes: recognized by its content.
        for sent_as in [media_type, "application/octet-stream"] {
            let report = import(&app, name, sent_as).await;
            let counts = &report["counts"];
            assert_eq!(
                [&counts["orientations"], &counts["objectives"], &counts["actions"]],
                [orientations, objectives, actions].map(Value::from).each_ref(),
                "{name}: {report}"
            );
            let read: Vec<&str> = report["columns"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["header"].as_str())
                .collect();
            assert_eq!(read.join(" "), headers, "{name}");
            assert_eq!(
                report["plan"]["table_columns"].as_array().map(Vec::len),
                Some(read.len())
            );
        }
        // From the command line, into the same database.
        let file = std::env::temp_dir().join(format!("planaction-{}-{name}", std::process::id()));
        std::fs::write(&file, corpus(name))?;
        let output = Command::new(env!("CARGO_BIN_EXE_planaction"))
            .args(["import", "--organization", "Table régionale"])
            .arg(&file)
            .env("DATABASE_URL", &app.db.url)
            .env("RUST_LOG", "warn")
            .output()?;
        std::fs::remove_file(&file)?;
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            printed.contains(&format!(
                "{orientations} orientations, {objectives} objectifs, {actions} actions"
            )),
            "{name}: {printed}"
        );
        assert!(printed.contains("Colonnes lues : "), "{printed}");
    }
    Ok(())
}

#[tokio::test]
async fn the_columns_beyond_the_four_are_on_the_actions() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = import(&app, "excel-sheet.xlsx", XLSX).await["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let visits = &tree["orientations"][0]["objectives"][0]["actions"][0];
    assert_eq!(visits["title"], "Visites d'accompagnement");
    assert_eq!(visits["responsible_organization"], "Direction");
    assert_eq!(visits["target"], "8 tables accompagnées");
    assert_eq!(visits["partners"], "Centraide");
    assert_eq!(
        visits["other_fields"],
        serde_json::json!([{"name": "Budget", "value": "4 500 $"}])
    );
    assert_eq!(
        visits["progress"],
        serde_json::json!({"done": 3, "target": 8, "unit": "tables accompagnées"})
    );
    // A client changes them like any field, with If-Match.
    let path = format!("/api/v1/actions/{}", visits["id"]);
    let patched = app
        .patch(
            &path,
            serde_json::json!({"partners": "Centraide, MRC", "other_fields": [{"name": "Budget", "value": "5 000 $"}]}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.body["partners"], "Centraide, MRC");
    assert_eq!(patched.body["other_fields"][0]["value"], "5 000 $");
    assert_eq!(patched.body["target"], "8 tables accompagnées", "untouched");
    let twice = app
        .patch(
            &path,
            serde_json::json!({"other_fields": [{"name": "Budget", "value": "1"}, {"name": "budget", "value": "2"}]}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", twice.body);
    assert_eq!(twice.body["errors"][0]["field"], "other_fields[1].name");
    Ok(())
}

#[tokio::test]
async fn an_imported_plan_goes_to_word_and_back_the_same() -> TestResult {
    let app = TestApp::spawn().await;
    for (name, media_type, _, _) in SHAPES {
        let original = plan_of(&corpus(name));
        let plan = import(&app, name, media_type).await["plan"]["id"].clone();
        let exported = document(&app, &plan).await;
        let mut again = plan_of(&exported);
        // The export writes the day of the plan's last change, and the note it has.
        again.draft.updated_on = original.draft.updated_on;
        assert_eq!(again.draft, original.draft, "{name}");
        assert_eq!(again.columns, original.columns, "{name}");
        // Imported again and exported, it is the same document's plan once more.
        let reply = app
            .send_raw(Method::POST, "/api/v1/plans/import", DOCX, exported.clone())
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.body);
        let mut third = plan_of(&document(&app, &reply.body["plan"]["id"]).await);
        third.draft.updated_on = original.draft.updated_on;
        assert_eq!(third, again, "{name}");
    }
    Ok(())
}

#[tokio::test]
async fn a_number_out_of_sequence_names_the_sheet_and_cell() -> TestResult {
    let app = TestApp::spawn().await;
    let reply = app
        .send_raw(
            Method::POST,
            "/api/v1/plans/import",
            XLSX,
            corpus("excel-out-of-sequence.xlsx"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let detail = reply.body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("Feuille « Plan 2025-2026 », cellule B6 : l'objectif numéroté « C »"),
        "{}",
        reply.body
    );
    let plans = app.get("/api/v1/plans").await.body;
    assert_eq!(plans.as_array().map(Vec::len), Some(0), "nothing stored");
    Ok(())
}

#[tokio::test]
async fn the_reports_plan_table_shows_the_other_columns() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = import(&app, "six-columns.docx", DOCX).await["plan"]["id"].clone();
    let path = format!("/api/v1/plans/{plan}/reports/progress");
    let period = "?since=2024-11-01&until=2024-11-30";
    let (_, pdf) = crate::reports::download(&app, &format!("{path}.pdf{period}")).await?;
    // The pages as pictures, to be looked at: target/tmp/report-pages/six-columns-N.png.
    let pages = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-pages");
    std::fs::create_dir_all(&pages)?;
    let prefix = pages.join("six-columns");
    crate::pdf::poppler(
        "pdftoppm",
        &["-r", "60", "-png", "FILE", &prefix.to_string_lossy()],
        &pdf,
    )?;
    let text = crate::pdf::lines(&pdf)?.join("\n");
    assert!(!text.contains("sigles"), "no acronyms, no heading for them");
    for shown in ["Responsable : Coordination", "Indicateurs : Bilan", "2 / 6 MRC"] {
        assert!(text.contains(shown), "{shown} in\n{text}");
    }
    let (_, csv) = crate::reports::download(&app, &format!("{path}.csv{period}")).await?;
    let csv = String::from_utf8(csv)?;
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.ends_with(",Autres colonnes du plan"), "{header}");
    assert!(csv.contains("Indicateurs : 1 lancement, 80 personnes"), "{csv}");
    // The RQDS's own plan has none: its file keeps its columns.
    let seed = app.import_seed().await["plan"]["id"].clone();
    let (_, csv) = crate::reports::download(
        &app,
        &format!("/api/v1/plans/{seed}/reports/progress.csv?since=2013-10-01&until=2013-10-31"),
    )
    .await?;
    assert!(!String::from_utf8(csv)?.contains("Autres colonnes"));
    Ok(())
}
