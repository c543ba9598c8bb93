//! The monthly progress report on the seed plan with a scripted history.

use planaction::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult, find_action};
use crate::pdf::saved_pdf_text;

/// Records, as a board member, a status update that took effect on `on` (the way the
/// coordination records after a CA meeting what happened weeks before).
pub async fn recorded(app: &TestApp, action: i64, on: &str, new: &str, note: Option<&str>, decision: Option<&str>) {
    recorded_with(
        app,
        action,
        json!({"status": new, "note": note, "decision": decision, "effective_on": on}),
    )
    .await;
}

/// `recorded` with any status update body.
pub async fn recorded_with(app: &TestApp, action: i64, body: Value) {
    let reply = app.as_role(Role::Board).record_status(action, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "scripting history: {}", reply.body);
}

pub struct Scripted {
    pub app: TestApp,
    pub plan: i64,
    pub tour: i64,
    pub consultation: i64,
}

/// The seed plan (états of 2013-10-11), then: the Tournée reaches 8 regions on 20 October,
/// the MESS consultation is completed on 5 November, the Tournée on 10 February.
pub async fn scripted() -> Scripted {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let tour = find_action(&tree, "Rencontres de la Tournée des régions")["id"]
        .as_i64()
        .unwrap_or_default();
    let consultation = find_action(
        &tree,
        "Consultation du MESS sur le *Plan d'action gouvernemental en action communautaire*",
    )["id"]
        .as_i64()
        .unwrap_or_default();
    recorded_with(
        &app,
        tour,
        json!({"status": "in_progress", "note": "8 régions visitées", "effective_on": "2013-10-20",
               "progress": {"done": 8, "target": 16, "unit": "régions"}}),
    )
    .await;
    recorded(
        &app,
        consultation,
        "2013-11-05",
        "completed",
        None,
        Some("Résolution CA-2013-11-04-05"),
    )
    .await;
    recorded(&app, tour, "2014-02-10", "completed", Some("16 régions visitées"), None).await;
    Scripted {
        app,
        plan,
        tour,
        consultation,
    }
}

fn table_action(report: &Value, id: i64) -> Value {
    report["table"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|o| o["objectives"].as_array().cloned().unwrap_or_default())
        .flat_map(|b| b["actions"].as_array().cloned().unwrap_or_default())
        .find(|a| a["action_id"] == id)
        .unwrap_or_default()
}

#[tokio::test]
async fn october_2013_as_it_stood_then() -> TestResult {
    let s = scripted().await;
    let reply = s
        .app
        .get(&format!(
            "/api/v1/plans/{}/reports/progress?since=2013-10-01&until=2013-10-31",
            s.plan
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let report = reply.body;
    assert_eq!(report["heading"]["title"], "Plan d'action 2013-2014");
    assert_eq!(report["heading"]["as_of"], "2013-10-31");
    assert_eq!(report["heading"]["last_updated_on"], "2013-10-20");

    // As of 31 October: the consultation was still in progress (completed in November).
    let consultation = table_action(&report, s.consultation);
    assert_eq!(consultation["status"], "in_progress");
    assert_eq!(consultation["status_label"], "En cours");
    assert_eq!(consultation["highlighted"], true);
    let tour = table_action(&report, s.tour);
    assert_eq!(tour["note"], "8 régions visitées");
    assert_eq!(tour["deadlines"], json!(["Aut.13 - Hiver 14"]));

    // What moved: the one change of October, not the document's own états.
    let moved = report["moved"].as_array().cloned().unwrap_or_default();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(moved[0]["action"], "Rencontres de la Tournée des régions");
    assert_eq!(moved[0]["note"], "8 régions visitées");
    assert_eq!(moved[0]["author"], "Compte board");
    assert_eq!(
        (moved[0]["previous_label"].clone(), moved[0]["new_label"].clone()),
        (json!("En cours"), json!("En cours"))
    );

    // Late on 31 October: the forum (September 2013) and the strategy (May 2013).
    let late: Vec<(String, i64)> = report["late"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            (
                l["action"].as_str().unwrap_or_default().to_owned(),
                l["days_late"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        late,
        [
            ("Développement d'une stratégie, d'un argumentaire".to_owned(), 153),
            (
                "Création d'un forum de discussion pour la *Tournée des régions*".to_owned(),
                31
            ),
        ]
    );

    // Coming up in November: every period ending then.
    let coming: Vec<&str> = report["coming_up"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["deadline"].as_str())
        .collect();
    // "Novembre 2013" deadlines and the first half of "Novembre 2013 Mai 2014", of the
    // actions still to do (the completed one among the six is left out).
    assert_eq!(coming.len(), 5, "{coming:?}");
    assert!(coming.iter().all(|d| d.starts_with("Novembre 2013")), "{coming:?}");

    // Counts: every action once, in the statuses of the table.
    let plan = &report["summary"]["plan"];
    assert_eq!(plan["total"], 42);
    let statuses = [
        "not_started",
        "in_preparation",
        "in_progress",
        "completed",
        "ongoing",
        "postponed",
        "cancelled",
    ];
    let sum: i64 = statuses.iter().map(|s| plan[*s].as_i64().unwrap_or_default()).sum();
    assert_eq!(sum, 42);
    assert_eq!(plan["completed"], 4);
    let per_orientation: i64 = report["summary"]["orientations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["counts"]["total"].as_i64().unwrap_or_default())
        .sum();
    assert_eq!(per_orientation, 42);
    assert!(plan["completion"].as_f64().is_some_and(|c| c > 0.0 && c < 1.0));
    assert_eq!(report["glossary"].as_array().map(Vec::len), Some(4));
    Ok(())
}

#[tokio::test]
async fn later_months_see_later_statuses() -> TestResult {
    let s = scripted().await;
    let november = s
        .app
        .get(&format!(
            "/api/v1/plans/{}/reports/progress?since=2013-11-01&until=2013-11-30",
            s.plan
        ))
        .await
        .body;
    assert_eq!(table_action(&november, s.consultation)["status"], "completed");
    assert_eq!(november["summary"]["plan"]["completed"], 5);
    assert_eq!(november["moved"].as_array().map(Vec::len), Some(1));
    let february = s
        .app
        .get(&format!(
            "/api/v1/plans/{}/reports/progress?since=2014-02-01&until=2014-02-28&lang=en",
            s.plan
        ))
        .await
        .body;
    assert_eq!(table_action(&february, s.tour)["status_label"], "Completed");
    assert_eq!(february["heading"]["lang"], "en");
    // An explicit as_of before the period: statuses of then, movements of the period.
    let early = s
        .app
        .get(&format!(
            "/api/v1/plans/{}/reports/progress?since=2013-11-01&until=2013-11-30&as_of=2013-10-15",
            s.plan
        ))
        .await
        .body;
    assert_eq!(table_action(&early, s.tour)["note"], "6 régions visitées");
    Ok(())
}

#[tokio::test]
async fn csv_opens_in_french_excel_and_runs_no_formula() -> TestResult {
    let s = scripted().await;
    let objective = s.app.get(&format!("/api/v1/actions/{}", s.tour)).await.body["objective_id"].clone();
    let created = s
        .app
        .post(
            &format!("/api/v1/objectives/{objective}/actions"),
            json!({"title": "=HYPERLINK(\"http://x\";\"clic\")"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let today = planaction::clock::today();
    let reply = s
        .app
        .client
        .get(format!(
            "{}/api/v1/plans/{}/reports/progress.csv?since=2013-10-01&until={today}",
            s.app.address, s.plan
        ))
        .bearer_auth(s.app.token())
        .send()
        .await?;
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(
        reply.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let bytes = reply.bytes().await?;
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec())?;
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let headers = rows.headers()?.clone();
    assert_eq!(&headers[5], "État d'avancement");
    let records: Vec<csv::StringRecord> = rows.records().collect::<Result<_, _>>()?;
    assert_eq!(records.len(), 43);
    let tour = records
        .iter()
        .find(|r| &r[2] == "Rencontres de la Tournée des régions")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        &tour[0],
        "ORIENTATION 1 : ASSURER LA REPRÉSENTATION DES DÉMARCHES RÉGIONALES DE DÉVELOPPEMENT SOCIAL"
    );
    assert_eq!(&tour[5], "Complété");
    assert_eq!(&tour[6], "16 régions visitées");
    let injected = records
        .iter()
        .find(|r| r[2].contains("HYPERLINK"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(&injected[2], "'=HYPERLINK(\"http://x\";\"clic\")", "neutralised");
    // Titles in italics in the document are plain text here: no asterisks.
    assert!(
        records
            .iter()
            .any(|r| &r[2] == "Mise à jour annuelle du document Tour du Québec")
    );
    assert!(records.iter().all(|r| !r[2].contains('*')));

    // For Excel in a French locale: the same fields, separated by semicolons.
    let (_, semicolons) = download(
        &s.app,
        &format!(
            "/api/v1/plans/{}/reports/progress.csv?since=2013-10-01&until={today}&separator=semicolon",
            s.plan
        ),
    )
    .await?;
    let mut french = csv::ReaderBuilder::new().delimiter(b';').from_reader(&semicolons[3..]);
    let french_records: Vec<csv::StringRecord> = french.records().collect::<Result<_, _>>()?;
    assert_eq!(french_records, records);
    Ok(())
}

#[tokio::test]
async fn report_parameters_are_checked_and_members_cannot_produce() -> TestResult {
    let s = scripted().await;
    let path = format!("/api/v1/plans/{}/reports/progress", s.plan);
    assert_eq!(
        s.app.get(&format!("{path}?since=2013-10-01")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        s.app
            .get(&format!("{path}?since=2013-11-01&until=2013-10-01"))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(s.app.get(&format!("{path}.docx")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        s.app.as_role(Role::Member).get(&path).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(s.app.as_role(Role::Observer).get(&path).await.status, StatusCode::OK);
    assert_eq!(
        s.app.get("/api/v1/plans/999999/reports/progress").await.status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}

pub async fn download(app: &TestApp, path: &str) -> Result<(String, Vec<u8>), Box<dyn std::error::Error>> {
    let reply = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(app.token())
        .send()
        .await?;
    assert_eq!(reply.status(), StatusCode::OK, "{path}");
    let content_type = reply
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Ok((content_type, reply.bytes().await?.to_vec()))
}

#[tokio::test]
async fn xlsx_has_its_six_sheets_and_the_same_bytes_each_time() -> TestResult {
    use calamine::{Reader, Xlsx};
    let s = scripted().await;
    let path = format!(
        "/api/v1/plans/{}/reports/progress.xlsx?since=2013-10-01&until=2013-10-31",
        s.plan
    );
    let (content_type, bytes) = download(&s.app, &path).await?;
    assert_eq!(
        content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let (_, again) = download(&s.app, &path).await?;
    assert_eq!(bytes, again, "the same report, the same bytes");

    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone()))?;
    assert_eq!(
        workbook.sheet_names(),
        ["Sommaire", "Plan", "Mouvements", "Retards", "Reportées", "À venir"]
    );
    let plan = workbook.worksheet_range("Plan")?;
    assert_eq!(
        plan.get_value((0, 4)).map(|v| v.to_string()),
        Some("État d'avancement".to_owned())
    );
    let tour = plan
        .rows()
        .find(|r| r[2] == "Rencontres de la Tournée des régions")
        .map(|r| r.to_vec())
        .unwrap_or_default();
    assert_eq!(tour[4].to_string(), "En cours");
    assert_eq!(tour[5].to_string(), "8 régions visitées");
    assert_eq!(
        plan.rows().count(),
        1 + 42 + 1,
        "header, 42 actions, one objective without action"
    );
    let late = workbook.worksheet_range("Retards")?;
    assert_eq!(late.rows().count(), 3);
    assert_eq!(late.get_value((1, 5)).map(|v| v.to_string()), Some("153".to_owned()));
    let moved = workbook.worksheet_range("Mouvements")?;
    assert_eq!(
        moved.get_value((1, 5)).map(|v| v.to_string()),
        Some("8 régions visitées".to_owned())
    );

    // Frozen header and bold marking, read from the sheet's XML.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/worksheets/sheet2.xml")?, &mut sheet)?;
    assert!(sheet.contains("state=\"frozen\""), "frozen header");
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/styles.xml")?, &mut styles)?;
    assert!(
        styles.contains("<b/>"),
        "a bold font for completed and in-progress actions"
    );
    Ok(())
}

#[tokio::test]
async fn html_is_printable_escaped_and_marks_what_is_done() -> TestResult {
    let s = scripted().await;
    let objective = s.app.get(&format!("/api/v1/actions/{}", s.tour)).await.body["objective_id"].clone();
    s.app
        .post(
            &format!("/api/v1/objectives/{objective}/actions"),
            json!({"title": "Budget < 5 000 $ & \"frais\" > 0"}),
        )
        .await;
    let today = planaction::clock::today();
    let path = format!(
        "/api/v1/plans/{}/reports/progress.html?since=2013-10-01&until={today}",
        s.plan
    );
    let (content_type, bytes) = download(&s.app, &path).await?;
    assert_eq!(content_type, "text/html; charset=utf-8");
    let page = String::from_utf8(bytes)?;
    assert!(page.contains("<html lang=\"fr\">"));
    assert!(page.contains("Liste des sigles et acronymes utilisés"));
    assert!(
        page.contains("Budget &lt; 5 000 $ &amp; &quot;frais&quot; &gt; 0"),
        "escaped"
    );
    assert!(!page.contains("<script"), "no script at all");
    assert!(page.contains("<em>Plan d&#39;action gouvernemental en action communautaire</em>"));
    // The objective once over its actions; done or under way in bold, in the action's cells.
    assert!(page.contains(
        "<td rowspan=\"8\">Participer à des événements régionaux et nationaux de membres et de partenaires</td>"
    ));
    assert!(page.contains("<td class=\"fait\">Rencontres de la Tournée des régions</td>"));
    assert!(page.contains("@page{size:letter"));
    Ok(())
}

#[tokio::test]
async fn a_saved_report_stays_byte_identical_and_is_signed_off_once() -> TestResult {
    let s = scripted().await;
    let reply = s
        .app
        .post(
            &format!("/api/v1/plans/{}/reports", s.plan),
            json!({"since": "2013-10-01", "until": "2013-10-31"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let saved = reply.body;
    let path = format!("/api/v1/reports/{}", saved["id"]);
    let fingerprint = saved["fingerprint"].as_str().unwrap_or_default().to_owned();

    // The fingerprint is the SHA-256 of the snapshot.
    let (_, snapshot) = download(&s.app, &format!("{path}/snapshot.json")).await?;
    assert_eq!(
        planaction::reports::saved::fingerprint(&String::from_utf8(snapshot)?),
        fingerprint
    );

    // The history moves on; the saved report does not.
    let (_, xlsx_before) = download(&s.app, &format!("{path}/report.xlsx")).await?;
    let (_, json_before) = download(&s.app, &format!("{path}/report.json")).await?;
    let (pdf_before, _) = saved_pdf_text(&s.app, &path).await?;
    s.app
        .patch(
            &format!("/api/v1/actions/{}", s.tour),
            json!({"progress_note": "Changé après la réunion"}),
        )
        .await;
    assert_eq!(download(&s.app, &format!("{path}/report.xlsx")).await?.1, xlsx_before);
    assert_eq!(download(&s.app, &format!("{path}/report.json")).await?.1, json_before);
    assert_eq!(saved_pdf_text(&s.app, &path).await?.0, pdf_before);
    let certified: Value = serde_json::from_slice(&json_before)?;
    assert_eq!(certified["certification"]["fingerprint"], fingerprint.as_str());
    assert_eq!(certified["certification"]["signed_off"], Value::Null);

    // Members read saved reports but cannot sign them off; the board signs off once.
    assert_eq!(s.app.as_role(Role::Member).get(&path).await.status, StatusCode::OK);
    let sign = json!({"meeting_reference": "CA du 4 novembre 2013", "signed_on": "2013-11-04"});
    assert_eq!(
        s.app
            .as_role(Role::Member)
            .request(
                reqwest::Method::POST,
                &format!("{path}/sign-off"),
                Some(sign.clone()),
                &[]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let board = s.app.as_role(Role::Board);
    let etag = board.etag(&path).await;
    let signed = board
        .request(
            reqwest::Method::POST,
            &format!("{path}/sign-off"),
            Some(sign.clone()),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.body["meeting_reference"], "CA du 4 novembre 2013");
    let (_, html) = download(&s.app, &format!("{path}/report.html")).await?;
    let html = String::from_utf8(html)?;
    assert!(
        html.contains("Validé par le CA le 4 novembre 2013 (CA du 4 novembre 2013) — Compte board."),
        "sign-off printed"
    );
    assert!(html.contains(&fingerprint), "fingerprint printed");
    let (_, pdf) = saved_pdf_text(&s.app, &path).await?;
    let words = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Validé par le CA le 4 novembre 2013 (CA du 4 novembre 2013) — Compte board."),
        "sign-off printed in the PDF: {pdf}"
    );
    assert!(pdf.contains(&format!("Empreinte SHA-256 : {fingerprint}")), "{pdf}");
    // The CSV too: the sign-off and fingerprint on every row, in their own columns.
    let (_, csv_bytes) = download(&s.app, &format!("{path}/report.csv")).await?;
    let mut saved_csv = csv::Reader::from_reader(&csv_bytes[3..]);
    assert_eq!(&saved_csv.headers()?[9], "Validation du CA");
    let first = saved_csv.records().next().transpose()?.unwrap_or_default();
    assert!(first[9].contains("Validé par le CA le 4"), "{first:?}");
    assert_eq!(&first[10], fingerprint.as_str());
    let etag = board.etag(&path).await;
    let again = board
        .request(
            reqwest::Method::POST,
            &format!("{path}/sign-off"),
            Some(sign),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // "Since the last meeting": the next report starts the day after.
    let next = s
        .app
        .post(&format!("/api/v1/plans/{}/reports", s.plan), json!({}))
        .await
        .body;
    assert_eq!(next["period_from"], "2013-11-01");
    let unknown_language = s
        .app
        .post(&format!("/api/v1/plans/{}/reports", s.plan), json!({"lang": "de"}))
        .await;
    assert_eq!(unknown_language.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_language.body["errors"][0]["field"], "lang");
    assert_eq!(unknown_language.body["errors"][0]["code"], "unknown_value");
    let list = s.app.get(&format!("/api/v1/plans/{}/reports", s.plan)).await.body;
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(2),
        "nothing saved for the refused one"
    );
    Ok(())
}

#[tokio::test]
async fn two_saved_reports_show_what_changed_between_meetings() -> TestResult {
    let s = scripted().await;
    let save = |from: &str, to: &str| json!({"since": from, "until": to});
    let october = s
        .app
        .post(
            &format!("/api/v1/plans/{}/reports", s.plan),
            save("2013-10-01", "2013-10-31"),
        )
        .await
        .body["id"]
        .clone();
    // Between the meetings: a deadline slips, an action is added, another removed.
    let tree = s.app.get(&format!("/api/v1/plans/{}/tree", s.plan)).await.body;
    let forum = find_action(&tree, "Création d'un forum de discussion pour la *Tournée des régions*");
    s.app
        .patch(
            &format!("/api/v1/deadlines/{}", forum["deadlines"][0]["id"]),
            json!({"label": "Janvier 2014"}),
        )
        .await;
    let objective = forum["objective_id"].clone();
    let added = s
        .app
        .post(
            &format!("/api/v1/objectives/{objective}/actions"),
            json!({"title": "Nouvelle action", "status": "in_progress", "effective_on": "2013-11-15"}),
        )
        .await
        .body["id"]
        .clone();
    let strategy = find_action(&tree, "Développement d'une stratégie, d'un argumentaire")["id"].clone();
    assert_eq!(
        s.app.delete(&format!("/api/v1/actions/{strategy}")).await.status,
        StatusCode::NO_CONTENT
    );
    // A saved report covers days of the plan, seen as they stood yesterday (a period
    // that is over): the deletion above happened today, in real time.
    let yesterday = (planaction::clock::today() - chrono::Duration::days(1)).to_string();
    let today = s
        .app
        .post(
            &format!("/api/v1/plans/{}/reports", s.plan),
            json!({"since": "2013-11-01", "until": "2014-06-30", "as_of": yesterday}),
        )
        .await
        .body["id"]
        .clone();

    // The later report carries the comparison itself, in French words, for the reader.
    let (_, later) = download(&s.app, &format!("/api/v1/reports/{today}/report.json")).await?;
    let later: Value = serde_json::from_slice(&later)?;
    assert_eq!(later["since_previous"]["report_id"], october);
    let tour_change = later["since_previous"]["status_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["action_id"] == s.tour)
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (tour_change["before"].clone(), tour_change["after"].clone()),
        (json!("En cours"), json!("Complété"))
    );
    let (_, html) = download(&s.app, &format!("/api/v1/reports/{today}/report.html")).await?;
    let html = String::from_utf8(html)?;
    assert!(
        html.contains("Depuis le rapport n° ")
            && html.contains("Rencontres de la Tournée des régions\u{a0}: En cours → Complété"),
        "{html}"
    );

    let diff = s
        .app
        .get(&format!("/api/v1/plans/{}/reports/{october}/diff/{today}", s.plan))
        .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    let diff = diff.body;
    let changed: Vec<(i64, &str, &str)> = diff["status_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["action_id"].as_i64().unwrap_or_default(),
                c["before"].as_str().unwrap_or_default(),
                c["after"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        changed.contains(&(s.consultation, "in_progress", "completed")),
        "{changed:?}"
    );
    assert!(changed.contains(&(s.tour, "in_progress", "completed")), "{changed:?}");
    let notes: Vec<i64> = diff["note_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["action_id"].as_i64())
        .collect();
    assert!(notes.contains(&s.tour));
    let slip = diff["slipped_deadlines"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["action_id"] == forum["id"])
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (slip["before"].clone(), slip["after"].clone()),
        (json!(["Septembre 2013"]), json!(["Janvier 2014"]))
    );
    assert_eq!(
        (slip["due_before"].clone(), slip["due_after"].clone()),
        (json!("2013-09-30"), json!("2014-01-31"))
    );
    assert_eq!(diff["added"], json!([{"action_id": added, "title": "Nouvelle action"}]));
    assert_eq!(diff["removed"][0]["action_id"], strategy);

    let other = s
        .app
        .get(&format!("/api/v1/plans/999/reports/{october}/diff/{today}"))
        .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "a report of another plan is not found"
    );
    Ok(())
}

/// Saving freezes a period that is over, the month after the last one by default, never
/// silently another; the board signs off on a day that has come; a plan that has ended
/// reports its last month by default.
#[tokio::test]
async fn reports_are_saved_for_periods_that_are_over_and_signed_on_days_that_came() -> TestResult {
    let s = scripted().await;
    let reports = format!("/api/v1/plans/{}/reports", s.plan);
    let today = planaction::clock::today();
    let unfinished = s
        .app
        .post(&reports, json!({"since": "2013-10-01", "until": today.to_string()}))
        .await;
    assert_eq!(
        unfinished.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unfinished.body
    );
    assert_eq!(unfinished.body["errors"][0]["field"], "until");

    // No report saved yet: the plan ended in June 2014, so its last month.
    let first = s.app.post(&reports, json!({})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let saved = s.app.get(&format!("/api/v1/reports/{}", first.body["id"])).await.body;
    assert_eq!(
        (saved["period_from"].clone(), saved["period_to"].clone()),
        (json!("2014-06-01"), json!("2014-06-30")),
        "{saved}"
    );
    // After it, nothing is left in the plan: refused, not an older month.
    let after_end = s.app.post(&reports, json!({})).await;
    assert_eq!(after_end.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", after_end.body);

    let october = s
        .app
        .post(&reports, json!({"since": "2013-10-01", "until": "2013-10-31"}))
        .await;
    assert_eq!(october.status, StatusCode::CREATED);
    let report = format!("/api/v1/reports/{}", october.body["id"]);
    let board = s.app.as_role(Role::Board);
    let sign = |on: String| {
        let (board, report) = (&board, report.clone());
        async move {
            let etag = board.etag(&report).await;
            let body = json!({"meeting_reference": "CA du 4 novembre 2013", "signed_on": on});
            board
                .request(
                    reqwest::Method::POST,
                    &format!("{report}/sign-off"),
                    Some(body),
                    &[("If-Match", &etag)],
                )
                .await
        }
    };
    let future = sign((today + chrono::Duration::days(3)).to_string()).await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", future.body);
    let early = sign("2013-10-15".to_owned()).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    let signed = sign("2013-11-04".to_owned()).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);

    // The live report without dates: the plan's last month, June 2014.
    let live = s
        .app
        .get(&format!("/api/v1/plans/{}/reports/progress", s.plan))
        .await
        .body;
    assert_eq!(
        (live["heading"]["since"].clone(), live["heading"]["until"].clone()),
        (json!("2014-06-01"), json!("2014-06-30"))
    );
    Ok(())
}
