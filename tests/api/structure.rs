//! Building a plan through the API: every resource, positions and moves.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

async fn create(app: &TestApp, path: &str, body: Value) -> Value {
    let reply = app.post(path, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{path}: {}", reply.body);
    assert!(reply.headers.contains_key("location"));
    reply.body
}

async fn create_id(app: &TestApp, path: &str, body: Value) -> i64 {
    create(app, path, body).await["id"].as_i64().unwrap_or_default()
}

/// A plan with one orientation holding one objective: (plan, orientation, objective).
async fn skeleton(app: &TestApp) -> (i64, i64, i64) {
    let plan = new_plan(app, "Plan").await;
    let orientation = create_id(
        app,
        &format!("/api/v1/plans/{plan}/orientations"),
        json!({"title": "O"}),
    )
    .await;
    let objective = create_id(
        app,
        &format!("/api/v1/orientations/{orientation}/objectives"),
        json!({"title": "Obj"}),
    )
    .await;
    (plan, orientation, objective)
}

async fn new_plan(app: &TestApp, title: &str) -> i64 {
    let plan = create(
        app,
        "/api/v1/plans",
        json!({"title": title, "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30"}),
    )
    .await;
    plan["id"].as_i64().unwrap_or_default()
}

/// Titles and positions of an objective's actions, in order.
async fn actions_of(app: &TestApp, objective: i64) -> Vec<(String, i64)> {
    app.get(&format!("/api/v1/objectives/{objective}/actions"))
        .await
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            (
                a["title"].as_str().unwrap_or_default().to_owned(),
                a["position"].as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

fn owned(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(t, p)| ((*t).to_owned(), *p)).collect()
}

#[tokio::test]
async fn a_plan_is_built_orientation_by_action() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = new_plan(&app, "Plan d'action 2014-2015").await;
    let orientation = create(
        &app,
        &format!("/api/v1/plans/{plan}/orientations"),
        json!({"title": "OUTILLER LES MEMBRES"}),
    )
    .await;
    assert_eq!(orientation["position"], 1);
    let orientation = orientation["id"].as_i64().unwrap_or_default();
    let objective = create_id(
        &app,
        &format!("/api/v1/orientations/{orientation}/objectives"),
        json!({"title": "Alimenter le site Internet"}),
    )
    .await;
    let action = create(
        &app,
        &format!("/api/v1/objectives/{objective}/actions"),
        json!({"title": "Parution d'une *infolettre*", "status": "in_progress", "progress_note": "1 numéro", "responsible_organization": "Communagir"}),
    )
    .await;
    assert_eq!(action["status"], "in_progress");
    assert_eq!(action["progress_note"], "1 numéro");
    assert_eq!(action["responsible_organization"], "Communagir");
    assert_eq!(action["version"], 1);
    let action_id = action["id"].as_i64().unwrap_or_default();

    let deadline = create(
        &app,
        &format!("/api/v1/actions/{action_id}/deadlines"),
        json!({"label": "Février, Sept. 2014"}),
    )
    .await;
    assert_eq!(deadline["label"], "Février, Sept. 2014");
    assert_eq!(deadline["action_id"], action_id);
    // The label is kept as written and read in the plan's period (2014–2015).
    assert_eq!(deadline["kind"], "range");
    assert_eq!(deadline["starts_on"], "2014-02-01");
    assert_eq!(deadline["ends_on"], "2014-09-30");
    assert_eq!(deadline["rendering"], "février et septembre 2014");
    // February 2014 is before this plan's year: read as written, and flagged.
    assert_eq!(deadline["outside_plan"], true);

    // PATCH: null removes, absent keeps.
    let reply = app
        .patch(
            &format!("/api/v1/actions/{action_id}"),
            json!({"responsible_organization": null, "status": "completed"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["responsible_organization"], Value::Null);
    assert_eq!(reply.body["progress_note"], "1 numéro");
    assert_eq!(reply.body["status"], "completed");
    assert_eq!(reply.body["version"], 2);

    // An empty PATCH changes nothing, not even the version.
    let reply = app.patch(&format!("/api/v1/actions/{action_id}"), json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["version"], 2);

    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    assert_eq!(
        tree["orientations"][0]["objectives"][0]["actions"][0]["deadlines"][0]["label"],
        "Février, Sept. 2014"
    );
    Ok(())
}

#[tokio::test]
async fn positions_stay_contiguous_through_inserts_moves_and_deletes() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, _, objective) = skeleton(&app).await;
    let path = format!("/api/v1/objectives/{objective}/actions");
    let a = create_id(&app, &path, json!({"title": "A"})).await;
    create(&app, &path, json!({"title": "B"})).await;
    let c = create_id(&app, &path, json!({"title": "C"})).await;
    create(&app, &path, json!({"title": "Z", "position": 1})).await;
    assert_eq!(
        actions_of(&app, objective).await,
        owned(&[("Z", 1), ("A", 2), ("B", 3), ("C", 4)])
    );

    // Move C up one place.
    let reply = app.patch(&format!("/api/v1/actions/{c}"), json!({"position": 3})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        actions_of(&app, objective).await,
        owned(&[("Z", 1), ("A", 2), ("C", 3), ("B", 4)])
    );

    // Move A to the end.
    app.patch(&format!("/api/v1/actions/{a}"), json!({"position": 4})).await;
    assert_eq!(
        actions_of(&app, objective).await,
        owned(&[("Z", 1), ("C", 2), ("B", 3), ("A", 4)])
    );

    // Out of range: refused, nothing moves.
    let reply = app.patch(&format!("/api/v1/actions/{a}"), json!({"position": 5})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "position");
    assert_eq!(reply.body["errors"][0]["code"], "out_of_range");
    let reply = app.post(&path, json!({"title": "Y", "position": 0})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        actions_of(&app, objective).await,
        owned(&[("Z", 1), ("C", 2), ("B", 3), ("A", 4)])
    );

    // Delete closes the gap.
    assert_eq!(
        app.delete(&format!("/api/v1/actions/{c}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        actions_of(&app, objective).await,
        owned(&[("Z", 1), ("B", 2), ("A", 3)])
    );
    assert_eq!(
        app.get(&format!("/api/v1/actions/{c}")).await.status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}

#[tokio::test]
async fn an_action_moves_to_another_objective_of_its_plan_only() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, orientation, first) = skeleton(&app).await;
    app.patch(&format!("/api/v1/objectives/{first}"), json!({"title": "1"}))
        .await;
    let second = create_id(
        &app,
        &format!("/api/v1/orientations/{orientation}/objectives"),
        json!({"title": "2"}),
    )
    .await;
    let moving = create_id(
        &app,
        &format!("/api/v1/objectives/{first}/actions"),
        json!({"title": "A"}),
    )
    .await;
    create(
        &app,
        &format!("/api/v1/objectives/{first}/actions"),
        json!({"title": "B"}),
    )
    .await;
    create(
        &app,
        &format!("/api/v1/objectives/{second}/actions"),
        json!({"title": "X"}),
    )
    .await;

    let reply = app
        .patch(
            &format!("/api/v1/actions/{moving}"),
            json!({"objective_id": second, "position": 1}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["objective_id"], second);
    assert_eq!(actions_of(&app, first).await, owned(&[("B", 1)]));
    assert_eq!(actions_of(&app, second).await, owned(&[("A", 1), ("X", 2)]));

    // Without a position it goes last.
    app.patch(&format!("/api/v1/actions/{moving}"), json!({"objective_id": first}))
        .await;
    assert_eq!(actions_of(&app, first).await, owned(&[("B", 1), ("A", 2)]));

    // An objective of another plan is refused, and nothing moves.
    let other_plan = new_plan(&app, "Autre plan").await;
    let other_orientation = create_id(
        &app,
        &format!("/api/v1/plans/{other_plan}/orientations"),
        json!({"title": "O"}),
    )
    .await;
    let foreign = create_id(
        &app,
        &format!("/api/v1/orientations/{other_orientation}/objectives"),
        json!({"title": "F"}),
    )
    .await;
    let reply = app
        .patch(&format!("/api/v1/actions/{moving}"), json!({"objective_id": foreign}))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["code"], "other_plan");
    let reply = app
        .patch(&format!("/api/v1/actions/{moving}"), json!({"objective_id": 999_999}))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["code"], "unknown_reference");
    assert_eq!(actions_of(&app, first).await, owned(&[("B", 1), ("A", 2)]));
    assert_eq!(actions_of(&app, foreign).await, owned(&[]));

    // Objectives move between orientations of one plan, not across plans.
    let reply = app
        .patch(
            &format!("/api/v1/objectives/{second}"),
            json!({"orientation_id": other_orientation}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["code"], "other_plan");
    Ok(())
}

#[tokio::test]
async fn orientations_are_renumbered_and_objectives_moved() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = new_plan(&app, "Plan").await;
    let path = format!("/api/v1/plans/{plan}/orientations");
    let first = create_id(&app, &path, json!({"title": "UN"})).await;
    let second = create_id(&app, &path, json!({"title": "DEUX"})).await;
    create(&app, &path, json!({"title": "TROIS"})).await;
    let reply = app
        .patch(
            &format!("/api/v1/orientations/{second}"),
            json!({"position": 1, "title": "DEUX (prioritaire)"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let titles: Vec<(String, i64)> = app
        .get(&path)
        .await
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o["title"].as_str().unwrap_or_default().to_owned(),
                o["position"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(titles, owned(&[("DEUX (prioritaire)", 1), ("UN", 2), ("TROIS", 3)]));

    let objective = create_id(
        &app,
        &format!("/api/v1/orientations/{first}/objectives"),
        json!({"title": "Obj"}),
    )
    .await;
    let reply = app
        .patch(
            &format!("/api/v1/objectives/{objective}"),
            json!({"orientation_id": second}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["orientation_id"], second);
    assert_eq!(reply.body["position"], 1);
    assert_eq!(
        app.get(&format!("/api/v1/objectives/{objective}")).await.body["orientation_id"],
        second
    );

    assert_eq!(
        app.delete(&format!("/api/v1/orientations/{second}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/objectives/{objective}")).await.status,
        StatusCode::NOT_FOUND
    );
    let positions: Vec<i64> = app
        .get(&path)
        .await
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["position"].as_i64())
        .collect();
    assert_eq!(positions, [1, 2]);
    Ok(())
}

#[tokio::test]
async fn deadlines_belong_to_an_action_or_to_an_objective_without_action() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, _, objective) = skeleton(&app).await;
    app.patch(
        &format!("/api/v1/objectives/{objective}"),
        json!({"title": "Mettre la salle virtuelle à la disposition des membres"}),
    )
    .await;
    let own = create(
        &app,
        &format!("/api/v1/objectives/{objective}/deadlines"),
        json!({"label": "En continu"}),
    )
    .await;
    assert_eq!(own["objective_id"], objective);
    assert_eq!(own["action_id"], Value::Null);
    let listed = app.get(&format!("/api/v1/objectives/{objective}/deadlines")).await.body;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    let action = create_id(
        &app,
        &format!("/api/v1/objectives/{objective}/actions"),
        json!({"title": "A"}),
    )
    .await;
    let path = format!("/api/v1/actions/{action}/deadlines");
    create(&app, &path, json!({"label": "Novembre 2013"})).await;
    let may = create_id(&app, &path, json!({"label": "Mai 2014"})).await;
    let reply = app
        .patch(
            &format!("/api/v1/deadlines/{may}"),
            json!({"position": 1, "label": "Mai 2014 "}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["label"], "Mai 2014");
    let order: Vec<String> = app
        .get(&path)
        .await
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["label"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(order, ["Mai 2014", "Novembre 2013"]);
    assert_eq!(
        app.delete(&format!("/api/v1/deadlines/{may}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get(&path).await.body[0]["position"], 1);
    assert_eq!(
        app.get("/api/v1/actions/424242/deadlines").await.status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}

#[tokio::test]
async fn the_glossary_refuses_a_duplicate_acronym() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = new_plan(&app, "Plan").await;
    let path = format!("/api/v1/plans/{plan}/glossary");
    let mess = create(
        &app,
        &path,
        json!({"acronym": "MESS", "definition": "Ministère de l'Emploi et de la Solidarité sociale"}),
    )
    .await;
    create(
        &app,
        &path,
        json!({"acronym": "CRÉ", "definition": "Conférence régionale des élus"}),
    )
    .await;
    let reply = app
        .post(&path, json!({"acronym": "mess", "definition": "doublon"}))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.body["detail"], "Ce sigle existe déjà dans ce plan.");
    let acronyms: Vec<&str> = vec!["CRÉ", "MESS"];
    let listed = app.get(&path).await.body;
    let listed: Vec<&str> = listed
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["acronym"].as_str())
        .collect();
    assert_eq!(listed, acronyms);
    let reply = app
        .patch(
            &format!("/api/v1/glossary/{}", mess["id"]),
            json!({"definition": "Ministère de l'Emploi"}),
        )
        .await;
    assert_eq!(reply.body["definition"], "Ministère de l'Emploi");
    assert_eq!(
        app.delete(&format!("/api/v1/glossary/{}", mess["id"])).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/glossary/{}", mess["id"])).await.status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}

#[tokio::test]
async fn deleting_a_plan_deletes_everything_in_it() -> TestResult {
    let app = TestApp::spawn().await;
    let report = app.import_seed().await;
    let plan = report["plan"]["id"].as_i64().unwrap_or_default();
    let first_action = app.get(&format!("/api/v1/actions?plan_id={plan}&limit=1")).await.body["items"][0]["id"].clone();
    assert_eq!(
        app.delete(&format!("/api/v1/plans/{plan}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/plans/{plan}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/actions/{first_action}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/api/v1/actions").await.body["total"], 0);
    Ok(())
}
