//! HTTP as RFC 9110 has it: 405 with `Allow`, `OPTIONS`, `HEAD`, `If-Match: *` and weak
//! tags, and the role checked before the body.

use planaction::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, TestResult};

fn allow(reply: &crate::helpers::Reply) -> &str {
    reply
        .headers
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

async fn a_plan(app: &TestApp) -> String {
    let reply = app
        .post(
            "/api/v1/plans",
            json!({"title": "Plan", "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30"}),
        )
        .await;
    format!("/api/v1/plans/{}", reply.body["id"])
}

#[tokio::test]
async fn a_known_path_with_another_method_gets_405_and_allow() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = a_plan(&app).await;
    let reply = app.request(Method::PUT, &plan, Some(json!({})), &[]).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow(&reply), "GET, PATCH, DELETE, HEAD, OPTIONS");
    assert_eq!(reply.content_type(), "application/problem+json");
    assert!(reply.body["detail"].as_str().unwrap_or_default().contains("PUT"));

    let reply = app.request(Method::DELETE, "/api/v1/plans", None, &[]).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow(&reply), "GET, POST, HEAD, OPTIONS");

    let reply = app.request(Method::DELETE, "/api/v1/plans/import", None, &[]).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "import is not a plan id");
    assert_eq!(allow(&reply), "POST, OPTIONS");

    // The page's routes, from the same registration that serves them.
    let reply = app.request(Method::PUT, "/sign-in", None, &[]).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow(&reply), "GET, POST, HEAD, OPTIONS");
    let reply = app.request(Method::GET, "/actions/3/status", None, &[]).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow(&reply), "POST, OPTIONS");

    let reply = app.request(Method::DELETE, "/api/v1/nowhere", None, &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn options_says_what_a_path_allows() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = a_plan(&app).await;
    let reply = app
        .request(Method::OPTIONS, &plan, None, &[("Authorization", "")])
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(allow(&reply), "GET, PATCH, DELETE, HEAD, OPTIONS");
    Ok(())
}

#[tokio::test]
async fn head_is_get_without_the_body() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = a_plan(&app).await;
    let get = app
        .client
        .get(format!("{}{plan}", app.address))
        .bearer_auth(app.token())
        .send()
        .await?;
    let etag = get.headers().get("etag").cloned();
    let length = get.bytes().await?.len();
    let head = app
        .client
        .head(format!("{}{plan}", app.address))
        .bearer_auth(app.token())
        .send()
        .await?;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers().get("etag").cloned(), etag);
    let announced = head.headers().get("content-length").and_then(|v| v.to_str().ok());
    assert_eq!(announced, Some(length.to_string().as_str()));
    assert!(head.bytes().await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn if_match_star_matches_and_weak_tags_do_not() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = a_plan(&app).await;
    let weak = app
        .request(
            Method::PATCH,
            &plan,
            Some(json!({"title": "Faible"})),
            &[("If-Match", "W/\"1\"")],
        )
        .await;
    assert_eq!(
        weak.status,
        StatusCode::PRECONDITION_FAILED,
        "If-Match compares strongly"
    );
    let listed = app
        .request(
            Method::PATCH,
            &plan,
            Some(json!({"title": "Liste"})),
            &[("If-Match", "\"9\", \"1\"")],
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let any = app
        .request(
            Method::PATCH,
            &plan,
            Some(json!({"title": "Tout"})),
            &[("If-Match", "*")],
        )
        .await;
    assert_eq!(any.status, StatusCode::OK, "{}", any.body);
    assert_eq!(app.get(&plan).await.body["title"], "Tout");
    Ok(())
}

#[tokio::test]
async fn the_role_is_checked_before_the_body() -> TestResult {
    let app = TestApp::spawn().await;
    let observer = app.as_role(Role::Observer);
    let reply = observer.post("/api/v1/plans", json!({"title": 12})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = observer
        .request(Method::POST, "/api/v1/plans", None, &[("Content-Type", "text/plain")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.post("/api/v1/plans", json!({"title": 12})).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an admin hears what is wrong"
    );
    Ok(())
}

#[tokio::test]
async fn removing_an_assignment_that_does_not_exist_is_a_404() -> TestResult {
    let app = TestApp::spawn().await;
    app.import_seed().await;
    let action = app.get("/api/v1/actions?limit=1").await.body["items"][0]["id"].clone();
    let member = app.account_id(Role::Member);
    let path = format!("/api/v1/actions/{action}/assignees/{member}");
    assert_eq!(
        app.request(Method::DELETE, &path, None, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let added = app
        .post(
            &format!("/api/v1/actions/{action}/assignees"),
            json!({"user_id": member}),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED);
    assert_eq!(
        app.request(Method::DELETE, &path, None, &[]).await.status,
        StatusCode::NO_CONTENT
    );
    Ok(())
}

#[tokio::test]
async fn a_nul_character_is_a_clear_refusal_not_a_500() -> TestResult {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/v1/audit?entity=plan%00").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let reply = app
        .post(
            "/api/v1/plans",
            json!({"title": "a\u{0}b", "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["errors"][0]["field"], "title");
    assert_eq!(reply.body["errors"][0]["code"], "nul_character");
    assert_eq!(
        app.get("/api/v1/plans").await.body.as_array().map(Vec::len),
        Some(0),
        "nothing was added"
    );
    Ok(())
}
