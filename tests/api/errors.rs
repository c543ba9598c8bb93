//! Bad input gets a clear problem+json 4xx, in French or English, and changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, TestResult};

fn assert_problem(reply: &Reply, status: StatusCode) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert_eq!(reply.body["status"], status.as_u16());
    assert!(
        reply.body["type"]
            .as_str()
            .unwrap_or_default()
            .starts_with("urn:planaction:problem:")
    );
    assert!(!reply.body["title"].as_str().unwrap_or_default().is_empty());
    assert!(!reply.body["detail"].as_str().unwrap_or_default().is_empty());
}

/// A seeded app and the id of one of its objectives.
async fn seeded() -> (TestApp, i64, Value) {
    let app = TestApp::spawn().await;
    let report = app.import_seed().await;
    let tree = app
        .get(&format!("/api/v1/plans/{}/tree", report["plan"]["id"]))
        .await
        .body;
    let objective = tree["orientations"][0]["objectives"][0]["id"]
        .as_i64()
        .unwrap_or_default();
    (app, objective, tree)
}

#[tokio::test]
async fn malformed_json_is_a_400_that_says_where() -> TestResult {
    let (app, objective, tree) = seeded().await;
    let path = format!("/api/v1/objectives/{objective}/actions");
    let reply = app
        .send_raw(Method::POST, &path, "application/json", b"{\"title\": \"A\",}".to_vec())
        .await;
    assert_problem(&reply, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body["detail"],
        "Le JSON est mal formé (ligne 1, colonne 15). Vérifiez les guillemets, virgules et accolades."
    );
    assert_eq!(reply.body["instance"], path);
    let plan = tree["id"].clone();
    assert_eq!(
        app.get(&format!("/api/v1/plans/{plan}/tree")).await.body,
        tree,
        "nothing changed"
    );
    Ok(())
}

#[tokio::test]
async fn unknown_fields_wrong_types_and_unknown_statuses_are_named() -> TestResult {
    let (app, objective, _) = seeded().await;
    let path = format!("/api/v1/objectives/{objective}/actions");
    let reply = app.post(&path, json!({"title": "A", "statut": "completed"})).await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "statut");
    assert_eq!(reply.body["errors"][0]["code"], "unknown_field");
    assert_eq!(
        reply.body["detail"],
        "Champ inconnu « statut ». Retirez-le ou vérifiez son orthographe."
    );

    let reply = app.post(&path, json!({"title": 12})).await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "title");
    assert_eq!(reply.body["errors"][0]["code"], "invalid_type");

    let reply = app.post(&path, json!({"title": "A", "status": "done"})).await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "status");
    assert_eq!(reply.body["errors"][0]["code"], "unknown_value");
    assert!(reply.body["detail"].as_str().unwrap_or_default().contains("completed"));

    let reply = app.post(&path, json!({})).await;
    assert_eq!(reply.body["errors"][0]["field"], "title");
    assert_eq!(reply.body["errors"][0]["code"], "required");
    assert_eq!(
        app.get(&path).await.body.as_array().map(Vec::len),
        Some(7),
        "nothing was added"
    );
    Ok(())
}

#[tokio::test]
async fn every_invalid_field_is_listed_at_once() -> TestResult {
    let (app, objective, _) = seeded().await;
    let path = format!("/api/v1/objectives/{objective}/actions");
    let reply = app
        .post(
            &path,
            json!({"title": "x".repeat(1001), "progress_note": "<b>fait</b>", "responsible_organization": "  "}),
        )
        .await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Vec<(&str, &str)> = reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default(),
                e["code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(errors, [("title", "too_long"), ("progress_note", "html_not_allowed")]);
    assert_eq!(reply.body["detail"], "2 champs sont à corriger : voir « errors ».");
    assert_eq!(
        reply.body["errors"][0]["message"],
        "Le champ « title » compte 1001 caractères; le maximum est 1000."
    );
    Ok(())
}

#[tokio::test]
async fn english_on_request() -> TestResult {
    let (app, objective, _) = seeded().await;
    let reply = app
        .request(
            Method::GET,
            "/api/v1/actions/987654",
            None,
            &[("Accept-Language", "en-CA,en;q=0.9,fr;q=0.5")],
        )
        .await;
    assert_problem(&reply, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["title"], "Resource not found");
    assert_eq!(reply.body["detail"], "Action 987654 was not found.");
    assert_eq!(
        reply.headers.get("content-language").and_then(|v| v.to_str().ok()),
        Some("en")
    );

    let reply = app
        .request(
            Method::POST,
            &format!("/api/v1/objectives/{objective}/actions"),
            Some(json!({"title": " "})),
            &[("Accept-Language", "en")],
        )
        .await;
    assert_eq!(
        reply.body["errors"][0]["message"],
        "The field \"title\" is required and cannot be blank."
    );

    let reply = app.get("/api/v1/actions/987654").await;
    assert_eq!(reply.body["detail"], "L'action 987654 est introuvable.");
    Ok(())
}

#[tokio::test]
async fn wrong_content_type_size_path_and_route_are_4xx() -> TestResult {
    let (app, objective, _) = seeded().await;
    let path = format!("/api/v1/objectives/{objective}/actions");
    let reply = app
        .send_raw(Method::POST, &path, "text/plain", b"title=A".to_vec())
        .await;
    assert_problem(&reply, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = format!("{{\"title\": \"{}\"}}", "a".repeat(300 * 1024));
    let reply = app
        .send_raw(Method::POST, &path, "application/json", huge.into_bytes())
        .await;
    assert_problem(&reply, StatusCode::PAYLOAD_TOO_LARGE);

    let reply = app.get("/api/v1/actions/abc").await;
    assert_problem(&reply, StatusCode::BAD_REQUEST);

    let reply = app.get("/api/v1/nothing-here").await;
    assert_problem(&reply, StatusCode::NOT_FOUND);
    assert!(reply.body["detail"].as_str().unwrap_or_default().contains("/docs"));

    let reply = app.get("/api/v1/actions?limit=0").await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "limit");

    let reply = app.get("/api/v1/actions?staus=completed").await;
    assert_problem(&reply, StatusCode::BAD_REQUEST);
    assert!(reply.body["detail"].as_str().unwrap_or_default().contains("staus"));
    Ok(())
}

#[tokio::test]
async fn a_plan_period_must_be_in_order() -> TestResult {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/plans",
            json!({"title": "Plan", "organization": "RQDS", "period_start": "2015-06-30", "period_end": "2014-07-01"}),
        )
        .await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "period_end");
    let reply = app
        .post(
            "/api/v1/plans",
            json!({"title": "Plan", "organization": "RQDS", "period_start": "2015-02-30", "period_end": "2016-01-01"}),
        )
        .await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "period_start");
    assert_eq!(app.get("/api/v1/plans").await.body, json!([]));
    Ok(())
}
