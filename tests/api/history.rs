//! Status updates, comments and the audit trail, as the board and the delegates use them.

use planaction::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult, find_action};

/// The seed plan and one of its actions ("Rencontres de la Tournée des régions").
async fn seeded() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let action = find_action(&tree, "Rencontres de la Tournée des régions")["id"]
        .as_i64()
        .unwrap_or_default();
    (app, action)
}

async fn status_update(app: &TestApp, action: i64, body: Value) -> (StatusCode, Value) {
    let reply = app.record_status(action, body).await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn an_assigned_delegate_records_progress_and_the_history_keeps_it() -> TestResult {
    let (app, action) = seeded().await;
    let member = app.as_role(Role::Member);
    let update = json!({"status": "in_progress", "note": "7 régions visitées", "progress": {"done": 7, "target": 16, "unit": "régions"}});

    // Not assigned yet: refused.
    let (status, body) = status_update(&member, action, update.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["detail"].as_str().unwrap_or_default().contains("pas assignée"));

    let member_id = app.account_id(Role::Member);
    app.post(
        &format!("/api/v1/actions/{action}/assignees"),
        json!({"user_id": member_id}),
    )
    .await;
    let (status, body) = status_update(&member, action, update).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["action"]["progress"],
        json!({"done": 7, "target": 16, "unit": "régions"})
    );
    assert_eq!(body["action"]["progress_note"], "7 régions visitées");

    let (status, _) = status_update(
        &app.as_role(Role::Board),
        action,
        json!({"status": "completed", "decision": "Résolution CA-2014-05-12"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = status_update(&app.as_role(Role::Observer), action, json!({"status": "cancelled"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let history = app.get(&format!("/api/v1/actions/{action}/status-updates")).await.body;
    let entries = history.as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 3, "{history}");
    let board = app.account_id(Role::Board);
    assert_eq!(entries[0]["author_id"], board);
    assert_eq!(
        (entries[0]["previous_status"].clone(), entries[0]["new_status"].clone()),
        (json!("in_progress"), json!("completed"))
    );
    assert_eq!(entries[0]["decision"], "Résolution CA-2014-05-12");
    assert_eq!(
        entries[0]["note"], "7 régions visitées",
        "the note stays when not given"
    );
    assert_eq!(entries[1]["author_id"], member_id);
    assert_eq!(entries[1]["progress"]["done"], 7);
    // The first entry is the document's own état, dated from its "Mise à jour", with no author.
    assert_eq!(entries[2]["author_id"], Value::Null);
    assert_eq!(entries[2]["previous_status"], Value::Null);
    assert_eq!(entries[2]["note"], "6 régions visitées");
    assert_eq!(entries[2]["created_at"], "2013-10-11T04:00:00Z");
    Ok(())
}

#[tokio::test]
async fn a_patch_of_the_status_is_history_too_but_a_rename_is_not() -> TestResult {
    let (app, action) = seeded().await;
    let path = format!("/api/v1/actions/{action}");
    app.patch(&path, json!({"title": "Rencontres de la *Tournée des régions*"}))
        .await;
    assert_eq!(
        app.get(&format!("{path}/status-updates"))
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    app.patch(&path, json!({"status": "postponed"})).await;
    let history = app.get(&format!("{path}/status-updates")).await.body;
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    assert_eq!(history[0]["new_status"], "postponed");
    assert_eq!(history[0]["author_id"], app.account_id(Role::Admin));
    Ok(())
}

#[tokio::test]
async fn history_rows_are_never_changed() -> TestResult {
    let (app, action) = seeded().await;
    let entry = app.get(&format!("/api/v1/actions/{action}/status-updates")).await.body[0]["id"].clone();
    for method in [Method::PATCH, Method::PUT, Method::DELETE] {
        let reply = app
            .request(
                method.clone(),
                &format!("/api/v1/status-updates/{entry}"),
                Some(json!({})),
                &[("If-Match", "\"1\"")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method}");
    }
    // Not even from SQL.
    let mut conn = app.db.connect().await;
    let result = diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE status_updates SET note = 'réécrit'"),
        &mut conn,
    )
    .await;
    assert!(result.is_err_and(|e| e.to_string().contains("never changed")));
    Ok(())
}

#[tokio::test]
async fn comments_belong_to_their_author() -> TestResult {
    let (app, action) = seeded().await;
    let member = app.as_role(Role::Member);
    let reply = member
        .post(
            &format!("/api/v1/actions/{action}/comments"),
            json!({"body": "La région de l'Estrie est prête."}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["author_id"], app.account_id(Role::Member));
    let path = format!("/api/v1/comments/{}", reply.body["id"]);

    let reply = app
        .as_role(Role::Board)
        .patch(&path, json!({"body": "Corrigé par le CA"}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = member
        .patch(&path, json!({"body": "La région de l'Estrie est prête (confirmé)."}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["version"], 2);
    let reply = app
        .as_role(Role::Observer)
        .post(&format!("/api/v1/actions/{action}/comments"), json!({"body": "?"}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // The coordination may remove a comment.
    assert_eq!(app.delete(&path).await.status, StatusCode::NO_CONTENT);
    Ok(())
}

#[tokio::test]
async fn every_change_is_in_the_audit_trail_with_before_and_after() -> TestResult {
    let (app, action) = seeded().await;
    let board = app.as_role(Role::Board);
    board
        .patch(
            &format!("/api/v1/actions/{action}"),
            json!({"status": "completed", "progress_note": "16 régions visitées"}),
        )
        .await;

    let page = app
        .get(&format!("/api/v1/audit?entity=action&entity_id={action}"))
        .await
        .body;
    assert_eq!(page["total"], 1, "{page}");
    let entry = &page["items"][0];
    assert_eq!(entry["operation"], "update");
    assert_eq!(entry["user_id"], app.account_id(Role::Board));
    assert_eq!(entry["before"]["status"], "in_progress");
    assert_eq!(entry["after"]["status"], "completed");
    assert_eq!(entry["after"]["progress_note"], "16 régions visitées");
    assert!(entry["request_id"].is_string());

    // The status change also wrote a history row, audited too.
    let history = app
        .get(&format!(
            "/api/v1/audit?entity=status_update&user_id={}",
            app.account_id(Role::Board)
        ))
        .await
        .body;
    assert_eq!(history["total"], 1);
    // The import is one entry, by the admin who sent it.
    let imports = app
        .get(&format!(
            "/api/v1/audit?entity=plan&user_id={}",
            app.account_id(Role::Admin)
        ))
        .await
        .body;
    assert_eq!(imports["total"], 1);
    assert_eq!(imports["items"][0]["after"]["counts"]["actions"], 42);

    let future = app.get("/api/v1/audit?since=2999-01-01T00:00:00Z").await.body;
    assert_eq!(future["total"], 0);
    let reply = board.get("/api/v1/audit").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test]
async fn deleting_moves_the_update_date_and_is_audited() -> TestResult {
    let (app, action) = seeded().await;
    let plan_id = app.get("/api/v1/plans").await.body[0]["id"].clone();
    assert_eq!(
        app.delete(&format!("/api/v1/actions/{action}")).await.status,
        StatusCode::NO_CONTENT
    );
    let deleted = app
        .get(&format!("/api/v1/audit?entity=action&entity_id={action}"))
        .await
        .body;
    assert_eq!(deleted["items"][0]["operation"], "delete");
    assert_eq!(
        deleted["items"][0]["before"]["title"],
        "Rencontres de la Tournée des régions"
    );
    let plan = app.get(&format!("/api/v1/plans/{plan_id}")).await.body;
    assert_eq!(
        plan["last_updated_at"].as_str().map(|t| t > "2026"),
        Some(true),
        "{plan}"
    );
    // The tree takes "Mise à jour" from its rows and the last deletion: the same moment.
    let tree = app.get(&format!("/api/v1/plans/{plan_id}/tree")).await.body;
    assert_eq!(tree["last_updated_at"], plan["last_updated_at"]);
    Ok(())
}

#[tokio::test]
async fn a_client_request_id_is_kept_apart_from_ours_and_only_when_well_formed() -> TestResult {
    let (app, action) = seeded().await;
    let path = format!("/api/v1/actions/{action}");
    let mut ours = Vec::new();
    for (sent, kept) in [
        ("trace-2013.10:abc_1", Some("trace-2013.10:abc_1")),
        ("<script>alert(1)</script>", None),
        ("a b", None),
    ] {
        let etag = app.etag(&path).await;
        let reply = app
            .request(
                Method::PATCH,
                &path,
                Some(json!({"progress_note": format!("note {}", ours.len())})),
                &[("If-Match", &etag), ("X-Request-Id", sent)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let answered = reply.headers["x-request-id"].to_str()?.to_owned();
        assert_ne!(answered, sent, "our id is generated, never the client's");
        ours.push((answered, kept));
    }
    let page = app
        .get(&format!("/api/v1/audit?entity=action&entity_id={action}"))
        .await
        .body;
    let entries = page["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 3, "{page}");
    for (answered, kept) in ours {
        let entry = entries
            .iter()
            .find(|e| e["request_id"] == answered.as_str())
            .unwrap_or_else(|| panic!("no audit row for request {answered}: {page}"));
        assert_eq!(entry["client_request_id"].as_str(), kept, "{entry}");
    }
    Ok(())
}

/// What happened weeks ago is recorded with the day it took effect: never in the future,
/// never before the plan, never before the action's last change; the recording keeps its own
/// time and author, and the audit has it.
#[tokio::test]
async fn an_update_recorded_later_keeps_the_day_it_took_effect() -> TestResult {
    let (app, action) = seeded().await;
    let tomorrow = (planaction::clock::today() + chrono::Duration::days(1)).to_string();
    for (day, words) in [
        (tomorrow.as_str(), "futur"),
        ("2013-06-30", "début du plan"),
        // The seed's états hold as of its "Mise à jour", 11 October 2013.
        ("2013-10-01", "11 octobre 2013"),
    ] {
        let (status, body) = status_update(&app, action, json!({"status": "completed", "effective_on": day})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{day}: {body}");
        assert_eq!(body["errors"][0]["field"], "effective_on", "{body}");
        assert!(
            body["detail"].as_str().is_some_and(|d| d.contains(words)),
            "{day}: {body}"
        );
    }
    let history = app.get(&format!("/api/v1/actions/{action}/status-updates")).await.body;
    assert_eq!(history.as_array().map(Vec::len), Some(1), "nothing stored: {history}");

    let (status, body) = status_update(
        &app,
        action,
        json!({"status": "completed", "effective_on": "2013-10-15", "decision": "CA du 4 novembre 2013"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let entry = &body["status_update"];
    assert_eq!(entry["effective_on"], "2013-10-15");
    let recorded = entry["created_at"].as_str().unwrap_or_default();
    assert!(
        recorded.starts_with(&chrono::Utc::now().format("%Y-").to_string()),
        "{recorded}"
    );
    assert_eq!(entry["author_id"], app.account_id(Role::Admin));
    let audit = app
        .get(&format!("/api/v1/audit?entity=status_update&entity_id={}", entry["id"]))
        .await
        .body;
    assert_eq!(audit["items"][0]["after"]["effective_on"], "2013-10-15", "{audit}");

    // The October report places it in October, and an update without a date is today's.
    let (status, body) = status_update(&app, action, json!({"status": "completed", "note": "Bilan"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["status_update"]["effective_on"],
        planaction::clock::today().to_string()
    );
    Ok(())
}
