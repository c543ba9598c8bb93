//! The PDF report, read back with poppler's tools (`pdftotext`, `pdftohtml`, `pdffonts`,
//! from Debian's poppler-utils, which `scripts/test` installs when missing).

use std::io::Write as _;
use std::process::Command;

use serde_json::Value;

use crate::helpers::TestResult;
use crate::reports::{download, scripted};

/// Runs a poppler tool on the PDF (`FILE` in `args`) and returns what it printed.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
    let mut file = tempfile()?;
    file.1.write_all(pdf)?;
    let output = Command::new(tool)
        .args(args.iter().map(|a| {
            if *a == "FILE" {
                file.0.as_os_str()
            } else {
                std::ffi::OsStr::new(a)
            }
        }))
        .output()
        .map_err(|e| format!("{tool} not found ({e}): install poppler-utils (scripts/test does)"))?;
    let _ = std::fs::remove_file(&file.0);
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?)
}

fn tempfile() -> Result<(std::path::PathBuf, std::fs::File), std::io::Error> {
    let path = std::env::temp_dir().join(format!("planaction-{}.pdf", uuid::Uuid::new_v4()));
    let file = std::fs::File::create(&path)?;
    Ok((path, file))
}

/// The text laid out as on the page, one printed line per line, spaces squeezed.
pub fn lines(pdf: &[u8]) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    Ok(poppler("pdftotext", &["-layout", "FILE", "-"], pdf)?
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect())
}

fn line_with<'a>(lines: &'a [String], part: &str) -> &'a str {
    lines.iter().find(|l| l.contains(part)).map_or("", String::as_str)
}

#[tokio::test]
async fn pdf_reads_like_the_plan_document_as_it_stood_in_october() -> TestResult {
    let s = scripted().await;
    let path = format!("/api/v1/plans/{}/reports/progress", s.plan);
    let period = "?since=2013-10-01&until=2013-10-31";
    let (content_type, pdf) = download(&s.app, &format!("{path}.pdf{period}")).await?;
    assert_eq!(content_type, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        download(&s.app, &format!("{path}.pdf{period}")).await?.1,
        pdf,
        "same report, same bytes"
    );
    let (_, json) = download(&s.app, &format!("{path}{period}")).await?;
    let report: Value = serde_json::from_slice(&json)?;

    // The pages as pictures, kept to be looked at: target/tmp/report-pages/october-2013-N.png.
    let pages = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-pages");
    std::fs::create_dir_all(&pages)?;
    let prefix = pages.join("october-2013");
    poppler(
        "pdftoppm",
        &["-r", "60", "-png", "FILE", &prefix.to_string_lossy()],
        &pdf,
    )?;
    assert!(pages.join("october-2013-1.png").exists(), "page one rendered");
    let lines = lines(&pdf)?;
    let text = lines.join("\n");
    // Heading, with French dates and accents.
    assert_eq!(lines[0], "Plan d'action 2013-2014");
    assert_eq!(lines[1], "Réseau québécois de développement social");
    assert_eq!(lines[2], "Rapport d'avancement du 1er au 31 octobre 2013");
    assert_eq!(lines[3], "États au 31 octobre 2013 — mise à jour : 20 octobre 2013");

    // Summary: the plan's counts as in the JSON report (4 completed on 31 October).
    let plan = &report["summary"]["plan"];
    let expected: Vec<String> = [
        "not_started",
        "in_preparation",
        "in_progress",
        "completed",
        "ongoing",
        "postponed",
        "cancelled",
        "total",
    ]
    .iter()
    .map(|k| plan[*k].to_string())
    .collect();
    assert_eq!(plan["completed"], 4);
    // The share in French: a decimal comma (pdftotext reads the no-break space as a space).
    let completion = format!("{:.1}", plan["completion"].as_f64().unwrap_or_default() * 100.0).replace('.', ",");
    assert_eq!(
        line_with(&lines, &format!("Plan {} ", expected[0])),
        format!("Plan {} {completion} %", expected.join(" "))
    );

    // What moved in October, on its Québec day in words: the Tournée, by the board member,
    // a new note on the same status.
    let moved = line_with(&lines, "20 octobre 2013 Rencontres");
    assert_eq!(
        moved,
        "20 octobre 2013 Rencontres de la Tournée des régions En cours : suivi mis à 8 régions visitées — Compte board"
    );
    // Its measurable progress, kept on one line on the next.
    assert!(text.contains("8 / 16 régions"), "{text}");
    // Late on 31 October: the strategy (May 2013), 153 days.
    assert_eq!(
        line_with(&lines, "Développement d'une stratégie, d'un argumentaire Mai"),
        "Développement d'une stratégie, d'un argumentaire Mai 2013 (31 mai 2013) En cours 153"
    );
    // As of 31 October, not today: 8 regions, not the 16 of February; the consultation
    // still in progress (completed in November).
    assert!(text.contains("En cours — 8 régions"), "{text}");
    assert!(!text.contains("16 régions visitées"));
    let consultation = line_with(&lines, "Consultation du MESS sur le Plan d'action");
    assert!(consultation.ends_with("Automne 2013 En cours"), "{consultation}");

    // French as the document writes it: accents, « », the acronyms.
    // French typography: « » hold to their words, so that no line ends on «.
    assert!(text.contains("« l'hyperconcertation » (hypermobilisation)"), "{text}");
    assert!(lines.iter().all(|l| !l.ends_with('«')), "{text}");
    assert!(text.contains("MESS : Ministère de l'Emploi et de la Solidarité sociale"));
    assert!(text.contains("ORIENTATION 2 : OUTILLER LES MEMBRES DU RQDS"));
    assert!(text.contains("OBJECTIFS ACTIONS ÉCHÉANCIER ÉTAT D'AVANCEMENT"));

    // Page numbers on every page.
    let pages: usize = poppler("pdfinfo", &["FILE"], &pdf)?
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_default();
    assert!(pages >= 3, "{pages} pages");
    for page in 1..=pages {
        assert!(text.contains(&format!("Page {page} / {pages}")), "page {page}");
    }
    assert!(text.contains("Plan d'action 2013-2014 — état au 31 octobre 2013"));

    // Fonts embedded (subset, with a Unicode map): no font left to the reader's machine.
    let fonts = poppler("pdffonts", &["FILE"], &pdf)?;
    let embedded: Vec<&str> = fonts.lines().filter(|l| l.contains("DejaVuSansCondensed")).collect();
    // Upright and bold, and the oblique faces for the document's titles in italics.
    assert!((3..=4).contains(&embedded.len()), "{fonts}");
    assert!(
        embedded.iter().any(|l| l.contains("DejaVuSansCondensed-Oblique")),
        "{fonts}"
    );
    assert!(embedded.iter().all(|l| l.contains("yes yes yes")), "{fonts}");

    // Completed and in-progress actions in bold, the others not.
    let xml = poppler("pdftohtml", &["-xml", "-i", "-q", "-stdout", "FILE"], &pdf)?;
    assert!(xml.contains("<b>Rencontres de la Tournée des régions</b>"));
    assert!(
        xml.contains(">Rencontres du groupe de réflexion sur la</text>"),
        "not started: regular"
    );
    Ok(())
}

#[tokio::test]
async fn pdf_in_english_on_request() -> TestResult {
    let s = scripted().await;
    let reply = s
        .app
        .client
        .get(format!(
            "{}/api/v1/plans/{}/reports/progress.pdf?since=2013-10-01&until=2013-10-31&lang=en",
            s.app.address, s.plan
        ))
        .bearer_auth(s.app.token())
        .send()
        .await?;
    assert_eq!(
        reply.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let pdf = reply.bytes().await?.to_vec();
    let text = lines(&pdf)?.join("\n");
    assert!(text.contains("Progress report from 1 to 31 October 2013"), "{text}");
    assert!(text.contains("OBJECTIVES ACTIONS DEADLINES STATUS"));
    assert!(text.contains("In progress — 8 régions"));
    assert!(text.contains("Page 1 / "));
    Ok(())
}

/// The PDF of a saved report: byte-identical later, and printing its sign-off and fingerprint.
pub async fn saved_pdf_text(
    app: &crate::helpers::TestApp,
    path: &str,
) -> Result<(Vec<u8>, String), Box<dyn std::error::Error>> {
    let (content_type, pdf) = download(app, &format!("{path}/report.pdf")).await?;
    assert_eq!(content_type, "application/pdf");
    let text = lines(&pdf)?.join("\n");
    Ok((pdf, text))
}

#[tokio::test]
async fn a_report_saved_before_the_pdf_existed_gets_the_same_pdf_from_its_json() -> TestResult {
    use diesel_async::RunQueryDsl;
    let s = scripted().await;
    let saved = s
        .app
        .post(
            &format!("/api/v1/plans/{}/reports", s.plan),
            serde_json::json!({"since": "2013-10-01", "until": "2013-10-31"}),
        )
        .await
        .body;
    let path = format!("/api/v1/reports/{}", saved["id"]);
    let (stored, _) = saved_pdf_text(&s.app, &path).await?;
    // As if the report had been saved before PDF was a format.
    let mut conn = s.app.db.connect().await;
    let removed = diesel::sql_query(format!(
        "DELETE FROM saved_report_files WHERE report_id = {} AND format = 'pdf'",
        saved["id"]
    ))
    .execute(&mut conn)
    .await?;
    assert_eq!(removed, 1);
    let (made_now, text) = saved_pdf_text(&s.app, &path).await?;
    assert_eq!(made_now, stored, "the same bytes as the day it was saved");
    assert!(text.contains(&format!("Rapport n° {}", saved["id"])), "{text}");
    Ok(())
}
