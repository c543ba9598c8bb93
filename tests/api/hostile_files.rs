//! The hostile-files corpus: uploads made to be huge once inflated, or to declare sizes
//! they do not have, each made here (small when compressed, never committed) and sent
//! as an ordinary account would. Every one gets a clear answer, and the service stays up.

use std::io::Write;

use planaction::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{Reply, TestApp, TestResult};

const SHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A zip of `parts`, deflated.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        out.start_file(*name, options).unwrap_or_else(|e| panic!("{e}"));
        out.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    out.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

fn inline(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

fn header_row() -> String {
    let cells: String = planaction::sheets::HEADERS
        .iter()
        .enumerate()
        .map(|(i, h)| inline(&format!("{}1", (b'A' + i as u8) as char), h))
        .collect();
    format!(r#"<row r="1">{cells}</row>"#)
}

/// A workbook whose first sheet has `sheet_data` inside `<sheetData>` (after the header
/// row), `dimension` declared, and `strings` as its shared strings.
fn workbook(dimension: &str, sheet_data: &[u8], strings: Option<&[u8]>) -> Vec<u8> {
    let workbook = br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Actions" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let mut sheet = format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{}"#,
        header_row()
    )
    .into_bytes();
    sheet.extend_from_slice(sheet_data);
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", &sheet),
    ];
    if let Some(strings) = strings {
        parts.push(("xl/sharedStrings.xml", strings));
    }
    zip_of(&parts)
}

fn docx(body: &[u8]) -> Vec<u8> {
    let mut document = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>PLAN D'ACTION 2013-2014 (juillet à juin)</w:t></w:r></w:p><w:p><w:r><w:t>ORIENTATION 1 : OUTILLER</w:t></w:r></w:p>"#.as_bytes().to_vec();
    document.extend_from_slice(body);
    document.extend_from_slice(b"</w:body></w:document>");
    zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", &document)])
}

/// A table of one row: an objective and `cell` as its actions.
fn docx_table_row(actions_cell: &[u8]) -> Vec<u8> {
    let cell = |text: &str| format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>");
    let mut row = format!(
        "<w:tbl><w:tr>{}{}{}{}</w:tr><w:tr>{}<w:tc>",
        cell("OBJECTIFS"),
        cell("ACTIONS"),
        cell("ÉCHÉANCIER"),
        cell("ÉTAT D'AVANCEMENT"),
        cell("Un objectif")
    )
    .into_bytes();
    row.extend_from_slice(actions_cell);
    row.extend_from_slice(format!("</w:tc>{}{}</w:tr></w:tbl>", cell("Automne 2013"), cell("En cours")).as_bytes());
    row
}

async fn preview(app: &TestApp, plan: &Value, file: Vec<u8>) -> Reply {
    app.send_raw(
        Method::POST,
        &format!("/api/v1/plans/{plan}/status-sheet/preview"),
        SHEET,
        file,
    )
    .await
}

fn problem(reply: &Reply, status: StatusCode, says: &str, what: &str) {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    assert_eq!(reply.content_type(), "application/problem+json", "{what}");
    let detail = reply.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(says), "{what}: {detail}");
}

#[tokio::test]
async fn spreadsheets_that_declare_or_inflate_to_gigabytes_are_answered_and_harm_nothing() -> TestResult {
    let admin = TestApp::spawn().await;
    let (plan, action) = admin.seed_with_an_action().await;
    let member = admin.as_role(Role::Member);

    // One cell at the last of Excel's cells: calamine allocated rows × columns for it.
    let far_row = format!(r#"<row r="1048576">{}</row>"#, inline("XFD1048576", "x"));
    let far = workbook("A1:XFD1048576", far_row.as_bytes(), None);
    assert!(far.len() < 5_000, "{} bytes", far.len());
    let reply = preview(&member, &plan, far).await;
    assert_eq!(reply.status, StatusCode::OK, "far cell: {}", reply.body);
    assert_eq!(reply.body["changes"], serde_json::json!([]));

    // A declared count of 100 billion shared strings, for one string.
    let strings = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="100000000000" uniqueCount="100000000000"><si><t>En cours</t></si></sst>"#;
    let reply = preview(&member, &plan, workbook("A1:L1", b"", Some(strings))).await;
    assert_eq!(reply.status, StatusCode::OK, "declared strings: {}", reply.body);

    // One shared string of 64 MB (64 KB compressed).
    let mut huge = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#.to_vec();
    huge.extend(std::iter::repeat_n(b'a', 64 << 20));
    huge.extend_from_slice(b"</t></si></sst>");
    let file = workbook("A1:L1", b"", Some(&huge));
    assert!(file.len() < 1 << 20, "{} bytes", file.len());
    problem(
        &preview(&member, &plan, file).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Mo",
        "huge string",
    );

    // A string past Excel's 32,767 characters a cell, under the size caps.
    let mut long = br#"<sst><si><t>"#.to_vec();
    long.extend(std::iter::repeat_n(b'a', 40_000));
    long.extend_from_slice(b"</t></si></sst>");
    problem(
        &preview(&member, &plan, workbook("A1:L1", b"", Some(&long))).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "32\u{a0}767 caractères",
        "long cell",
    );

    // 64 MB of white space inside <sheetData>.
    let spaces = vec![b' '; 64 << 20];
    problem(
        &preview(&member, &plan, workbook("A1:L1", &spaces, None)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Mo une fois décompressée",
        "white space",
    );

    // A row past Excel's 1,048,576, and more cells than a sheet may have.
    let row = br#"<row r="8000000"><c r="A8000000"><v>1</v></c></row>"#;
    problem(
        &preview(&member, &plan, workbook("A1:A8000000", row, None)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "1\u{a0}048\u{a0}576",
        "row 8,000,000",
    );
    let many = format!("<row>{}</row>", "<c/>".repeat(10)).repeat(100_001);
    problem(
        &preview(&member, &plan, workbook("A1:A2", many.as_bytes(), None)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "1\u{a0}000\u{a0}000 cellules",
        "a million cells",
    );

    // A NUL written the OOXML way, and a date of -1e300: rows refused with why, no 500.
    let tree = admin.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let mut actions = crate::helpers::actions_of(&tree);
    let (first, second) = (
        actions.next().cloned().unwrap_or_default(),
        actions.next().cloned().unwrap_or_default(),
    );
    assert_eq!(first["id"], action);
    let (version, other, other_version) = (&first["version"], &second["id"], &second["version"]);
    let bad_rows = format!(
        r#"<row r="2"><c r="A2"><v>{action}</v></c><c r="B2"><v>{version}</v></c>{}{}</row><row r="3"><c r="A3"><v>{other}</v></c><c r="B3"><v>{other_version}</v></c>{}<c r="L3"><v>-1e300</v></c></row>"#,
        inline("J2", "En cours"),
        inline("K2", "avant_x0000_après"),
        inline("J3", "Complété"),
    );
    let reply = admin
        .send_raw(
            Method::POST,
            &format!("/api/v1/plans/{plan}/status-sheet/preview"),
            SHEET,
            workbook("A1:L3", bad_rows.as_bytes(), None),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "bad rows: {}", reply.body);
    let refused: Vec<(i64, &str)> = reply.body["refused"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["row"].as_i64().unwrap_or(0), r["reason"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].1.contains("U+0000") || refused[0].1.contains("caractère nul"),
        "{refused:?}"
    );
    assert!(refused[1].1.contains("illisible"), "{refused:?}");

    // Still up, and answering.
    assert_eq!(member.get("/api/v1/plans").await.status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn plan_documents_cannot_make_more_than_a_plan() -> TestResult {
    let app = TestApp::spawn().await;
    let import = |bytes: Vec<u8>, content_type: &'static str| {
        let app = &app;
        async move {
            app.send_raw(Method::POST, "/api/v1/plans/import", content_type, bytes)
                .await
        }
    };
    // One Word cell of 100,000 list paragraphs: 60 KB of zip.
    let bullet = br#"<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>A</w:t></w:r></w:p>"#;
    let cell: Vec<u8> = bullet.repeat(100_000);
    let bullets = docx(&docx_table_row(&cell));
    assert!(bullets.len() < 100_000, "{} bytes", bullets.len());
    let reply = import(bullets, DOCX).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("5\u{a0}000 actions"),
        "{}",
        reply.body
    );

    // A Word document of 20 MB of text once inflated.
    let paragraph = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "x".repeat(1000));
    let big = docx(paragraph.repeat(20_000).as_bytes());
    problem(
        &import(big, DOCX).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "16 Mo",
        "large document",
    );

    // The text form, 6,000 actions in 1.5 MB.
    let mut text = "PLAN D'ACTION 2013-2014 (juillet à juin)\n\nORIENTATION 1 : OUTILLER\n\nOBJECTIFS\tACTIONS\tÉCHÉANCIER\tÉTAT D'AVANCEMENT\n".to_owned();
    for i in 0..6000 {
        text.push_str(&format!("Objectif {i}\t- Action {i}\tAutomne 2013\tEn cours\n"));
    }
    let reply = import(text.into_bytes(), "text/plain").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.body["errors"][0]["field"], "line 5006", "{}", reply.body);

    // HTML written as entities in the text form becomes a tag once read: refused.
    let svg = "PLAN D'ACTION 2013-2014 (juillet à juin)\n\nORIENTATION 1 : OUTILLER\n\nOBJECTIFS\tACTIONS\tÉCHÉANCIER\tÉTAT D'AVANCEMENT\nObjectif\t- &lt;svg onload=alert(1)&gt;\tAutomne 2013\tEn cours\n";
    let reply = import(svg.as_bytes().to_vec(), "text/plain").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("HTML"),
        "{}",
        reply.body
    );
    assert_eq!(
        app.get("/api/v1/plans").await.body.as_array().map(Vec::len),
        Some(0),
        "nothing stored"
    );
    Ok(())
}

/// An ODT whose `content.xml` holds `tables` after a title and an ORIENTATION paragraph.
fn odt(tables: &[u8]) -> Vec<u8> {
    let mut content = br#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text><text:p>PLAN D'ACTION 2013-2014</text:p><text:p>ORIENTATION 1 : OUTILLER</text:p>"#.to_vec();
    content.extend_from_slice(tables);
    content.extend_from_slice(b"</office:text></office:body></office:document-content>");
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", &content),
    ])
}

#[tokio::test]
async fn plan_workbooks_and_odt_texts_are_read_within_bounds() -> TestResult {
    let app = TestApp::spawn().await;
    let odt_type = "application/vnd.oasis.opendocument.text";
    let row = |cells: &str| format!("<table:table-row>{cells}</table:table-row>");
    let cell = |text: &str| format!("<table:table-cell><text:p>{text}</text:p></table:table-cell>");
    let header = row(&["Objectifs", "Actions", "Échéance", "Suivi"].map(cell).concat());

    // A cell repeated a billion times and one spanning a billion rows: 64 columns at most.
    let repeated = format!(
        r#"<table:table table:name="T">{header}{}</table:table>"#,
        row(&format!(
            r#"{}{}<table:table-cell table:number-rows-spanned="1000000000"><text:p>Automne 2013</text:p></table:table-cell>{}<table:table-cell table:number-columns-repeated="1000000000"/><table:covered-table-cell table:number-columns-repeated="1000000000"/>"#,
            cell("Objectif"),
            cell("- Action"),
            cell("En cours")
        ))
    );
    let reply = app
        .send_raw(Method::POST, "/api/v1/plans/import", odt_type, odt(repeated.as_bytes()))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "repeated cells: {}", reply.body);
    assert_eq!(reply.body["counts"]["actions"], 1);

    // 64 MB of white space in content.xml (64 KB compressed).
    let spaces = vec![b' '; 64 << 20];
    let file = odt(&spaces);
    assert!(file.len() < 1 << 20, "{} bytes", file.len());
    problem(
        &app.send_raw(Method::POST, "/api/v1/plans/import", odt_type, file).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Mo",
        "inflated ODT",
    );

    // A plan workbook declaring Excel's whole grid, with a cell at its far corner.
    let plan_rows = format!(
        r#"<row r="2">{}{}{}{}</row><row r="3">{}{}{}{}</row><row r="1048576">{}</row>"#,
        inline("A2", "ORIENTATION 1 : OUTILLER"),
        "",
        "",
        "",
        inline("A3", "Objectif"),
        inline("B3", "- Action"),
        inline("C3", "Automne 2013"),
        inline("D3", "En cours"),
        inline("XFD1048576", "x"),
    );
    let title = format!(r#"<row r="1">{}</row>"#, inline("A1", "PLAN D'ACTION 2013-2014"));
    let mut data = title.into_bytes();
    data.extend_from_slice(plan_rows.as_bytes());
    let far = plan_workbook(&data);
    assert!(far.len() < 5_000, "{} bytes", far.len());
    let reply = app.send_raw(Method::POST, "/api/v1/plans/import", SHEET, far).await;
    assert_eq!(reply.status, StatusCode::CREATED, "far cell: {}", reply.body);

    // More cells than a sheet may have.
    let many = format!("<row>{}</row>", "<c/>".repeat(10)).repeat(100_001);
    problem(
        &app.send_raw(
            Method::POST,
            "/api/v1/plans/import",
            SHEET,
            plan_workbook(many.as_bytes()),
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "1\u{a0}000\u{a0}000 cellules",
        "a million cells",
    );
    assert_eq!(app.get("/api/v1/plans").await.body.as_array().map(Vec::len), Some(2));
    Ok(())
}

/// A workbook of one sheet holding `rows` (the plan's, without the status sheet's header).
fn plan_workbook(rows: &[u8]) -> Vec<u8> {
    let workbook = br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let mut sheet = br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>"#.to_vec();
    sheet.extend_from_slice(rows);
    sheet.extend_from_slice(b"</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A3:A9\"/></mergeCells></worksheet>");
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}
