//! The one write path: a change that changes nothing (the same values, or an empty
//! PATCH) answers 200 with the same version and writes no audit row, for every entity.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use planaction::auth::Role;
use planaction::db::schema::audit_log;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

async fn audit_rows(app: &TestApp) -> i64 {
    let mut conn = app.db.connect().await;
    audit_log::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("audit count: {e}"))
}

/// Creates one item of each kind; returns (path, a PATCH that sets what it already has).
async fn one_of_each(app: &TestApp) -> Vec<(String, Value)> {
    let created = |reply: crate::helpers::Reply| {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    };
    let plan = created(
        app.post(
            "/api/v1/plans",
            json!({"title": "Plan d'action 2014-2015", "organization": "RQDS",
                   "period_start": "2014-07-01", "period_end": "2015-06-30"}),
        )
        .await,
    );
    let plan_id = &plan["id"];
    let orientation = created(
        app.post(
            &format!("/api/v1/plans/{plan_id}/orientations"),
            json!({"title": "OUTILLER"}),
        )
        .await,
    );
    let objective = created(
        app.post(
            &format!("/api/v1/orientations/{}/objectives", orientation["id"]),
            json!({"title": "Diffuser"}),
        )
        .await,
    );
    let action = created(
        app.post(
            &format!("/api/v1/objectives/{}/actions", objective["id"]),
            json!({"title": "Tournée des régions", "status": "in_progress", "progress_note": "6 régions visitées"}),
        )
        .await,
    );
    let deadline = created(
        app.post(
            &format!("/api/v1/actions/{}/deadlines", action["id"]),
            json!({"label": "Automne 2014"}),
        )
        .await,
    );
    let entry = created(
        app.post(
            &format!("/api/v1/plans/{plan_id}/glossary"),
            json!({"acronym": "MESS", "definition": "Ministère de l'Emploi et de la Solidarité sociale"}),
        )
        .await,
    );
    let event = created(
        app.post(
            &format!("/api/v1/plans/{plan_id}/events"),
            json!({"name": "AGA 2014", "on_date": "2014-11-21"}),
        )
        .await,
    );
    let comment = created(
        app.post(
            &format!("/api/v1/actions/{}/comments", action["id"]),
            json!({"body": "Estrie confirmée."}),
        )
        .await,
    );
    let member = app.account_id(Role::Member);
    vec![
        (
            format!("/api/v1/plans/{plan_id}"),
            json!({"title": plan["title"], "archived": false}),
        ),
        (
            format!("/api/v1/orientations/{}", orientation["id"]),
            json!({"title": "OUTILLER", "position": 1}),
        ),
        (
            format!("/api/v1/objectives/{}", objective["id"]),
            json!({"title": "Diffuser", "orientation_id": orientation["id"]}),
        ),
        (
            format!("/api/v1/actions/{}", action["id"]),
            json!({"status": "in_progress", "progress_note": "6 régions visitées", "objective_id": objective["id"]}),
        ),
        (
            format!("/api/v1/deadlines/{}", deadline["id"]),
            json!({"label": "Automne 2014", "position": 1}),
        ),
        (format!("/api/v1/glossary/{}", entry["id"]), json!({"acronym": "MESS"})),
        (
            format!("/api/v1/events/{}", event["id"]),
            json!({"on_date": "2014-11-21"}),
        ),
        (
            format!("/api/v1/comments/{}", comment["id"]),
            json!({"body": "Estrie confirmée."}),
        ),
        (
            format!("/api/v1/users/{member}"),
            json!({"region": "Estrie", "active": true}),
        ),
    ]
}

#[tokio::test]
async fn a_change_that_changes_nothing_writes_no_audit_row() -> TestResult {
    let app = TestApp::spawn().await;
    for (path, same) in one_of_each(&app).await {
        let before = app.get(&path).await.body;
        let rows = audit_rows(&app).await;
        let reply = app.patch(&path, same.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{path} {same}: {}", reply.body);
        assert_eq!(reply.body["version"], before["version"], "{path}: the version moved");
        assert_eq!(
            audit_rows(&app).await,
            rows,
            "{path} {same}: an audit row for no change"
        );
        // An empty PATCH is the same: checked against If-Match, nothing written.
        if !path.contains("/comments/") {
            let reply = app.patch(&path, json!({})).await;
            assert_eq!(reply.status, StatusCode::OK, "{path} {{}}: {}", reply.body);
            assert_eq!(
                reply.body["version"], before["version"],
                "{path}: empty PATCH moved the version"
            );
            assert_eq!(audit_rows(&app).await, rows, "{path}: an audit row for an empty PATCH");
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_real_change_writes_exactly_one_audit_row() -> TestResult {
    let app = TestApp::spawn().await;
    for (path, _) in one_of_each(&app).await {
        let rows = audit_rows(&app).await;
        let change = match path.split('/').nth(3).unwrap_or_default() {
            "plans" => json!({"title": "Plan d'action 2014-2015 (révisé)"}),
            "orientations" | "objectives" => json!({"title": "Nouveau titre"}),
            "actions" => json!({"title": "Rencontres de la Tournée des régions"}),
            "deadlines" => json!({"label": "Hiver 2015"}),
            "glossary" => json!({"definition": "Ministère de l'Emploi"}),
            "events" => json!({"on_date": "2014-11-28"}),
            "comments" => json!({"body": "Estrie et Laurentides confirmées."}),
            _ => json!({"display_name": "Déléguée de l'Estrie"}),
        };
        let reply = app.patch(&path, change).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        assert_eq!(audit_rows(&app).await, rows + 1, "{path}: one audit row per change");
    }
    Ok(())
}

#[tokio::test]
async fn a_new_plan_is_audited_under_itself() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app
        .post(
            "/api/v1/plans",
            json!({"title": "Plan d'action 2014-2015", "organization": "RQDS",
                   "period_start": "2014-07-01", "period_end": "2015-06-30"}),
        )
        .await
        .body;
    let trail = app
        .get(&format!("/api/v1/audit?entity=plan&entity_id={}", plan["id"]))
        .await
        .body;
    assert_eq!(trail["items"][0]["operation"], "create", "{trail}");
    assert_eq!(trail["items"][0]["plan_id"], plan["id"], "{trail}");
    Ok(())
}
