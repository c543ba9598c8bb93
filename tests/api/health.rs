use planaction::state::AppState;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, TestResult, serve};

#[tokio::test]
async fn probes_answer_when_the_database_does() -> TestResult {
    let app = TestApp::spawn().await;
    let reply = app.get("/healthz").await;
    assert_eq!((reply.status, reply.body), (StatusCode::OK, json!({"status": "ok"})));
    let reply = app.get("/readyz").await;
    assert_eq!((reply.status, reply.body), (StatusCode::OK, json!({"status": "ok"})));
    assert!(reply.headers.contains_key("x-request-id"));
    Ok(())
}

#[tokio::test]
async fn readiness_fails_cleanly_without_a_database() -> TestResult {
    // Port 1 answers nothing: the pool cannot connect.
    let pool = planaction::db::pool(
        "postgres://postgres@127.0.0.1:1/none",
        planaction::db::PoolSettings::new(1),
    )?;
    let state = AppState::new(pool, planaction::security::jwt::JwtKeys::random());
    let (token, _) = state.jwt.issue(1, planaction::auth::Role::Admin, chrono::Utc::now())?;
    let address = serve(state);
    planaction::webhooks::delivery::install_tls_provider();
    let client = reqwest::Client::new();
    let live = client.get(format!("{address}/healthz")).send().await?;
    assert_eq!(live.status(), StatusCode::OK);
    let ready = client.get(format!("{address}/readyz")).send().await?;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = ready.json().await?;
    // It says why.
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("La base de données ne répond pas (connexion impossible : "),
        "{detail}"
    );
    // A valid token cannot be checked against the accounts: 503, not 401.
    let plans = client
        .get(format!("{address}/api/v1/plans"))
        .bearer_auth(token)
        .send()
        .await?;
    assert_eq!(plans.status(), StatusCode::SERVICE_UNAVAILABLE);
    Ok(())
}
