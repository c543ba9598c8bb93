//! ETag on every read item; If-Match on every change: 428 without, 412 when stale.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, TestResult};

async fn seeded_action(app: &TestApp) -> String {
    app.import_seed().await;
    let id = app.get("/api/v1/actions?limit=1").await.body["items"][0]["id"].clone();
    format!("/api/v1/actions/{id}")
}

#[tokio::test]
async fn a_stale_etag_gets_412_with_the_current_version() -> TestResult {
    let app = TestApp::spawn().await;
    let path = seeded_action(&app).await;
    let read = app.get(&path).await;
    let etag = read
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(etag, format!("\"{}\"", read.body["version"]));

    // Alice and Bob read the same version; Alice saves first.
    let alice = app
        .request(
            Method::PATCH,
            &path,
            Some(json!({"progress_note": "Alice"})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(alice.status, StatusCode::OK);
    let new_etag = alice
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_ne!(new_etag, etag);
    let bob = app
        .request(
            Method::PATCH,
            &path,
            Some(json!({"progress_note": "Bob"})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(bob.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(bob.body["current_version"], alice.body["version"]);
    assert_eq!(
        bob.headers.get("etag").and_then(|v| v.to_str().ok()),
        Some(new_etag.as_str())
    );
    assert_eq!(
        app.get(&path).await.body["progress_note"],
        "Alice",
        "Bob overwrote nothing"
    );

    // Deleting with the stale version is refused too.
    let reply = app.request(Method::DELETE, &path, None, &[("If-Match", &etag)]).await;
    assert_eq!(reply.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(app.get(&path).await.status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn changes_without_if_match_get_428_and_change_nothing() -> TestResult {
    let app = TestApp::spawn().await;
    let path = seeded_action(&app).await;
    let before = app.get(&path).await.body;
    let reply = app
        .request(Method::PATCH, &path, Some(json!({"title": "Sans version"})), &[])
        .await;
    assert_eq!(reply.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(reply.body["type"], "urn:planaction:problem:precondition-required");
    let reply = app.request(Method::DELETE, &path, None, &[]).await;
    assert_eq!(reply.status, StatusCode::PRECONDITION_REQUIRED);
    let reply = app
        .request(
            Method::POST,
            &format!("{path}/status-updates"),
            Some(json!({"status": "completed"})),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PRECONDITION_REQUIRED);
    let reply = app
        .request(
            Method::PATCH,
            &path,
            Some(json!({"title": "Tout"})),
            &[("If-Match", "7")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get(&path).await.body, before);
    Ok(())
}

#[tokio::test]
async fn authorization_comes_before_preconditions() -> TestResult {
    let app = TestApp::spawn().await;
    let path = seeded_action(&app).await;
    // No token and no If-Match: 401, not 428.
    let reply = app
        .request(
            Method::PATCH,
            &path,
            Some(json!({"title": "X"})),
            &[("Authorization", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    // A member without If-Match: 403, not 428.
    let reply = app
        .as_role(planaction::auth::Role::Member)
        .request(Method::PATCH, &path, Some(json!({"title": "X"})), &[])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    Ok(())
}
