//! The plan's year (issue 17): drafted, adopted by the board, updated, closed.

use planaction::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

/// POST with the item's current ETag, as a client that has just read it.
async fn post_with_etag(app: &TestApp, item: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let etag = app.etag(item).await;
    let reply = app
        .request(Method::POST, path, Some(body), &[("If-Match", &etag)])
        .await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn a_plan_is_adopted_by_the_board_then_closed_and_read_only() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, action) = app.seed_with_an_action().await;
    let (board, coordination) = (app.as_role(Role::Board), app.as_role(Role::Admin));
    let plan_path = format!("/api/v1/plans/{plan}");
    let action_path = format!("/api/v1/actions/{action}");
    assert_eq!(app.get(&plan_path).await.body["state"], "draft");

    // Adoption: by the board, with its resolution; a second one is refused.
    let adoption = json!({"adopted_on": "2013-09-12", "resolution": "CA-2013-09-12-03"});
    let adopt_path = format!("{plan_path}/adoption");
    let (status, body) = post_with_etag(&coordination, &plan_path, &adopt_path, adoption.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = post_with_etag(
        &board,
        &plan_path,
        &adopt_path,
        json!({"adopted_on": "2013-09-12", "resolution": " "}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let reply = board
        .request(
            Method::POST,
            &adopt_path,
            Some(adoption.clone()),
            &[("If-Match", "\"999\"")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PRECONDITION_FAILED, "{}", reply.body);
    let (status, body) = post_with_etag(&board, &plan_path, &adopt_path, adoption.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "adopted");
    assert_eq!(body["adopted_on"], "2013-09-12");
    assert_eq!(body["adoption_resolution"], "CA-2013-09-12-03");
    let (status, body) = post_with_etag(&board, &plan_path, &adopt_path, adoption).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Adopted: the structure changes only by the board, statuses as before.
    let reply = coordination.patch(&action_path, json!({"title": "Titre changé"})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("adopté par le CA")
    );
    let reply = board
        .patch(&action_path, json!({"title": "Titre changé par le CA"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let orientation = app.get(&format!("{plan_path}/orientations")).await.body[0]["id"].clone();
    let reply = coordination
        .post(
            &format!("/api/v1/orientations/{orientation}/objectives"),
            json!({"title": "Nouvel objectif"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let status_path = format!("{action_path}/status-updates");
    let (status, body) = post_with_etag(
        &coordination,
        &action_path,
        &status_path,
        json!({"status": "in_progress", "note": "6 régions visitées"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let audit = app
        .get(&format!("/api/v1/audit?entity=plan&entity_id={plan}"))
        .await
        .body;
    assert!(
        audit.to_string().contains("CA-2013-09-12-03"),
        "the adoption is in the audit: {audit}"
    );

    // Closing: not before the adoption; then read only, reports still there.
    let close_path = format!("{plan_path}/closing");
    let (status, body) = post_with_etag(
        &coordination,
        &plan_path,
        &close_path,
        json!({"closed_on": "2013-09-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = post_with_etag(
        &coordination,
        &plan_path,
        &close_path,
        json!({"closed_on": "2014-06-30"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "closed");
    assert_eq!(body["closed_on"], "2014-06-30");
    let (status, body) = post_with_etag(
        &coordination,
        &action_path,
        &status_path,
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["detail"].as_str().unwrap_or_default().contains("fermé"), "{body}");
    let reply = board.patch(&action_path, json!({"title": "Encore"})).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let reply = coordination
        .post(&format!("{action_path}/comments"), json!({"body": "Bravo"}))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let report = app
        .get(&format!(
            "{plan_path}/reports/progress?since=2014-06-01&until=2014-06-30"
        ))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let saved = coordination.post(&format!("{plan_path}/reports"), json!({})).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert_eq!(app.get(&action_path).await.body["title"], "Titre changé par le CA");
    Ok(())
}

#[tokio::test]
async fn next_years_plan_carries_what_goes_on_with_its_lineage() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, _) = app.seed_with_an_action().await;
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let done = crate::helpers::find_action(&tree, "Offre d'outils logistiques aux représentant(e)s");
    assert_eq!(done["status"], "completed");
    let tour = crate::helpers::find_action(&tree, "Rencontres de la Tournée des régions");
    let reply = app
        .post(
            &format!("/api/v1/plans/{plan}/next"),
            json!({"actions": [{"action_id": done["id"], "carry": true}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let report = reply.body;
    let next = report["plan"]["id"].clone();
    assert_eq!(report["plan"]["title"], "Plan d'action 2014-2015");
    assert_eq!(report["plan"]["period_start"], "2014-07-01");
    assert_eq!(report["plan"]["state"], "draft");
    assert_eq!(report["counts"]["orientations"], 5);
    assert_eq!(report["counts"]["objectives"], 22);
    assert_eq!(report["counts"]["glossary_entries"], 4);
    let carried = report["carried"].as_array().cloned().unwrap_or_default();
    let left = report["left_behind"].as_array().cloned().unwrap_or_default();
    // 4 of the 42 actions are completed in the seed: 3 left behind, 1 carried by choice.
    assert_eq!((carried.len(), left.len()), (39, 3), "{report}");
    assert_eq!(report["flagged_deadlines"].as_array().map(Vec::len), Some(31));
    // The completed action chosen is carried; other completed ones are not.
    assert!(carried.iter().any(|c| c["from_action_id"] == done["id"]));
    assert!(!left.is_empty());
    // The Tournée goes on, linked to last year's.
    let new_tour = carried
        .iter()
        .find(|c| c["from_action_id"] == tour["id"])
        .unwrap_or_else(|| panic!("the Tournée is carried: {report}"));
    let lineage = app
        .get(&format!("/api/v1/actions/{}/lineage", new_tour["action_id"]))
        .await;
    assert_eq!(lineage.status, StatusCode::OK);
    let years: Vec<(Value, Value)> = lineage
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (s["plan_title"].clone(), s["action_id"].clone()))
        .collect();
    assert_eq!(
        years,
        [
            (json!("Plan d'action 2013-2014"), tour["id"].clone()),
            (json!("Plan d'action 2014-2015"), new_tour["action_id"].clone())
        ]
    );
    let old_lineage = app.get(&format!("/api/v1/actions/{}/lineage", tour["id"])).await.body;
    assert_eq!(old_lineage, lineage.body, "the same lineage from either end");
    // The draft's actions exist from the day it was made: the report reads them as of today.
    let today = planaction::clock::today();
    let monthly = app
        .get(&format!(
            "/api/v1/plans/{next}/reports/progress.html?since=2014-07-01&until=2014-07-31&as_of={today}"
        ))
        .await;
    let html = monthly.body.as_str().unwrap_or_default().replace('\u{a0}', " ");
    assert!(
        html.contains("suite du plan 2013-2014"),
        "the report says what each action continues"
    );
    let new_action = app
        .get(&format!("/api/v1/actions/{}", new_tour["action_id"]))
        .await
        .body;
    assert_eq!(new_action["continues_action_id"], tour["id"]);
    assert_eq!(new_action["progress_note"], Value::Null, "last year's note stays there");
    // "Aut.13 - Hiver 14" names last year: kept as written, flagged.
    let flagged = report["flagged_deadlines"].to_string();
    assert!(flagged.contains("Aut.13 - Hiver 14"), "{flagged}");
    // An unknown action in the choices: 422, nothing made.
    let reply = app
        .post(
            &format!("/api/v1/plans/{plan}/next"),
            json!({"actions": [{"action_id": 99999, "carry": true}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(app.get("/api/v1/plans").await.body.as_array().map(Vec::len), Some(2));
    Ok(())
}

/// The plan read from a Word document, without where things were read or what was said
/// about it: what a round trip must keep.
pub fn plan_of(docx: &[u8]) -> planaction::import::parse::ParsedPlan {
    let mut plan = crate::import_forms::read_plan(docx).unwrap_or_else(|e| panic!("{e}"));
    plan.warnings.clear();
    crate::import_forms::without_lines(plan)
}

/// A file the API gives to save, checked for its media type.
async fn download(app: &TestApp, path: &str, media_type: &str) -> Vec<u8> {
    let reply = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(app.token())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.headers()["content-type"], media_type);
    reply.bytes().await.map(|b| b.to_vec()).unwrap_or_default()
}

pub async fn document(app: &TestApp, plan: &Value) -> Vec<u8> {
    let path = format!("/api/v1/plans/{plan}/document.docx");
    download(
        app,
        &path,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    .await
}

#[tokio::test]
async fn both_plans_go_to_word_and_back_unchanged() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, _) = app.seed_with_an_action().await;
    // The 2013–2014 plan: its Word document reads as its text did.
    let exported = document(&app, &plan).await;
    let mut from_text = crate::import_forms::read_plan(planaction::import::SEED_PLAN.as_bytes())?;
    from_text.warnings.clear();
    assert_eq!(plan_of(&exported), crate::import_forms::without_lines(from_text));
    // The 2014–2015 draft made from it, exported, imported, exported again: the same plan.
    let next = app.post(&format!("/api/v1/plans/{plan}/next"), json!({})).await.body["plan"]["id"].clone();
    let first = document(&app, &next).await;
    let media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let imported = app
        .send_raw(Method::POST, "/api/v1/plans/import", media_type, first.clone())
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    let second = document(&app, &imported.body["plan"]["id"]).await;
    let (a, b) = (plan_of(&first), plan_of(&second));
    assert_eq!(a.draft.title, "Plan d'action 2014-2015");
    assert_eq!(
        a.draft.orientations.iter().map(|o| o.objectives.len()).sum::<usize>(),
        22
    );
    assert_eq!(a, b);
    Ok(())
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn status_sheet(app: &TestApp, plan: &Value) -> Vec<u8> {
    download(app, &format!("/api/v1/plans/{plan}/status-sheet.xlsx"), XLSX).await
}

/// The downloaded sheet as a person saves it after filling some rows in Excel: the same
/// cells, written again by another program, with `fills` (action id → new état, note,
/// date) in the last three columns.
fn filled(sheet: &[u8], fills: &[(i64, &str, &str, &str)]) -> Vec<u8> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(sheet.to_vec())).unwrap_or_else(|e| panic!("{e}"));
    let range = workbook.worksheet_range_at(0).and_then(Result::ok).unwrap_or_default();
    let mut out = rust_xlsxwriter::Workbook::new();
    let page = out.add_worksheet();
    for (r, cells) in range.rows().enumerate() {
        let r = r as u32;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            let written = match cell {
                Data::Float(f) => page.write_number(r, c, *f).map(|_| ()),
                Data::Int(i) => page.write_number(r, c, *i as f64).map(|_| ()),
                Data::Empty => Ok(()),
                other => page.write_string(r, c, other.to_string()).map(|_| ()),
            };
            written.unwrap_or_else(|e| panic!("{e}"));
        }
        let id = match cells.first() {
            Some(Data::Float(f)) => *f as i64,
            _ => continue,
        };
        for (action, status, note, date) in fills.iter().filter(|f| f.0 == id) {
            let _ = action;
            for (c, value) in [(9u16, status), (10, note), (11, date)] {
                if !value.is_empty() {
                    page.write_string(r, c, *value).unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }
    out.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn statuses_go_through_a_spreadsheet_and_back() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, _) = app.seed_with_an_action().await;
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let id = |title: &str| {
        crate::helpers::find_action(&tree, title)["id"]
            .as_i64()
            .unwrap_or_default()
    };
    let tour = id("Rencontres de la Tournée des régions");
    let forum = id("Création d'un forum de discussion pour la *Tournée des régions*");
    let brochure = id("Impression de la brochure corporative");
    let sheet = status_sheet(&app, &plan).await;

    // After the download, the coordination records the forum's status from the API.
    let forum_path = format!("/api/v1/actions/{forum}");
    let (status, _) = post_with_etag(
        &app,
        &forum_path,
        &format!("{forum_path}/status-updates"),
        json!({"status": "in_preparation"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let upload = filled(
        &sheet,
        &[
            (tour, "Complété", "16 régions visitées", "2014-03-12"),
            (forum, "Complété", "", ""),
            (brochure, "Fini", "", ""),
        ],
    );
    let preview = app
        .send_raw(
            Method::POST,
            &format!("/api/v1/plans/{plan}/status-sheet/preview"),
            XLSX,
            upload.clone(),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let review = &preview.body;
    assert_eq!(review["changes"].as_array().map(Vec::len), Some(1), "{review}");
    assert_eq!(review["changes"][0]["action_id"], tour);
    assert_eq!(
        review["changes"][0]["before"],
        json!({"status": "in_progress", "note": "6 régions visitées"})
    );
    assert_eq!(
        review["changes"][0]["after"],
        json!({"status": "completed", "note": "16 régions visitées"})
    );
    assert_eq!(review["conflicts"][0]["action_id"], forum);
    assert_eq!(review["conflicts"][0]["current"]["status"], "in_preparation");
    assert_eq!(review["conflicts"][0]["wanted"]["status"], "completed");
    assert!(
        review["refused"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("« Fini » inconnu"),
        "{review}"
    );

    // Applying it: nothing, while a conflict or a refused row remains.
    let apply = format!("/api/v1/plans/{plan}/status-sheet/apply");
    let reply = app.send_raw(Method::POST, &apply, XLSX, upload).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(
        app.get(&format!("/api/v1/actions/{tour}")).await.body["status"],
        "in_progress"
    );

    // Downloaded again and filled again: applied, as status updates by the uploader.
    let sheet = status_sheet(&app, &plan).await;
    let upload = filled(
        &sheet,
        &[
            (tour, "Complété", "16 régions visitées", "12 mars 2014"),
            (forum, "Reporté", "", ""),
        ],
    );
    let reply = app.send_raw(Method::POST, &apply, XLSX, upload).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["applied"], 2);
    let history = app.get(&format!("/api/v1/actions/{tour}/status-updates")).await.body;
    assert_eq!(history[0]["new_status"], "completed");
    assert_eq!(history[0]["effective_on"], "2014-03-12");
    assert_eq!(history[0]["note"], "16 régions visitées");
    assert_eq!(app.get(&forum_path).await.body["status"], "postponed");

    // A member's sheet: only the actions assigned to them.
    let member = app.as_role(Role::Member);
    let sheet = status_sheet(&member, &plan).await;
    let upload = filled(&sheet, &[(brochure, "En cours", "", "")]);
    let preview = member
        .send_raw(
            Method::POST,
            &format!("/api/v1/plans/{plan}/status-sheet/preview"),
            XLSX,
            upload,
        )
        .await;
    assert!(
        preview.body["refused"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("pas assignée"),
        "{}",
        preview.body
    );

    // Not a status sheet: said so.
    let reply = app
        .send_raw(Method::POST, &apply, XLSX, b"PK\x03\x04 nope".to_vec())
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    Ok(())
}

/// The whole year, as the issue tells it: the 2013–2014 plan imported and adopted, updated
/// through a spreadsheet (one conflict on the way), closed; the 2014–2015 draft made from
/// it, its lineage and flagged deadlines checked; both plans to Word and back, unchanged.
#[tokio::test]
async fn a_year_of_the_plan_from_adoption_to_next_years_draft() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, _) = app.seed_with_an_action().await;
    let (board, coordination) = (app.as_role(Role::Board), app.as_role(Role::Admin));
    let plan_path = format!("/api/v1/plans/{plan}");
    let adoption = json!({"adopted_on": "2013-09-12", "resolution": "CA-2013-09-12-03"});
    let (status, _) = post_with_etag(&board, &plan_path, &format!("{plan_path}/adoption"), adoption).await;
    assert_eq!(status, StatusCode::OK);

    let tree = app.get(&format!("{plan_path}/tree")).await.body;
    let id = |title: &str| {
        crate::helpers::find_action(&tree, title)["id"]
            .as_i64()
            .unwrap_or_default()
    };
    let (tour, cabinet) = (
        id("Rencontres de la Tournée des régions"),
        id("Maintien des liens avec le Cabinet"),
    );
    let sheet = status_sheet(&coordination, &plan).await;
    let cabinet_path = format!("/api/v1/actions/{cabinet}");
    let (status, _) = post_with_etag(
        &board,
        &cabinet_path,
        &format!("{cabinet_path}/status-updates"),
        json!({"status": "in_progress"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let apply = format!("{plan_path}/status-sheet/apply");
    let upload = filled(
        &sheet,
        &[
            (tour, "Complété", "16 régions visitées", "2014-05-30"),
            (cabinet, "En continu", "", ""),
        ],
    );
    assert_eq!(
        app.send_raw(Method::POST, &apply, XLSX, upload).await.status,
        StatusCode::CONFLICT
    );
    let upload = filled(
        &status_sheet(&coordination, &plan).await,
        &[(tour, "Complété", "16 régions visitées", "2014-05-30")],
    );
    let reply = app.send_raw(Method::POST, &apply, XLSX, upload).await;
    assert_eq!(reply.body["applied"], 1, "{}", reply.body);

    let (status, _) = post_with_etag(
        &coordination,
        &plan_path,
        &format!("{plan_path}/closing"),
        json!({"closed_on": "2014-06-30"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let next = app.post(&format!("{plan_path}/next"), json!({})).await;
    assert_eq!(next.status, StatusCode::CREATED, "{}", next.body);
    let carried = next.body["carried"].as_array().cloned().unwrap_or_default();
    assert!(
        carried.iter().all(|c| c["from_action_id"] != tour),
        "the Tournée was completed in May"
    );
    let cabinet_next = carried
        .iter()
        .find(|c| c["from_action_id"] == cabinet)
        .map(|c| c["action_id"].clone())
        .unwrap_or_default();
    let lineage = app.get(&format!("/api/v1/actions/{cabinet_next}/lineage")).await.body;
    assert_eq!(lineage[0]["plan_title"], "Plan d'action 2013-2014");
    assert_eq!(lineage[1]["plan_title"], "Plan d'action 2014-2015");
    assert!(next.body["flagged_deadlines"].to_string().contains("Automne 2013"));

    for plan in [plan, next.body["plan"]["id"].clone()] {
        let exported = document(&app, &plan).await;
        let imported = app
            .send_raw(
                Method::POST,
                "/api/v1/plans/import",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                exported.clone(),
            )
            .await;
        assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
        let again = document(&app, &imported.body["plan"]["id"]).await;
        assert_eq!(
            plan_of(&exported),
            plan_of(&again),
            "plan {plan} went to Word and back unchanged"
        );
    }
    Ok(())
}
