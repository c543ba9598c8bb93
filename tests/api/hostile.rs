//! What an attacker tries (OWASP API Top 10, RFC 8725), and the headers that protect
//! browsers and caches: each finding of the attack on the service, fixed and kept fixed.

use planaction::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, Reply, TestApp, TestResult};

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn tokens_and_files_are_never_cached_and_html_cannot_be_framed() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let email = app.account(Role::Board).email.clone();
    let login = app
        .post("/api/v1/auth/login", json!({"email": email, "password": PASSWORD}))
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": login.body["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::OK, "{}", refresh.body);
    let period = "since=2013-10-01&until=2013-10-31";
    let xlsx = app
        .get(&format!("/api/v1/plans/{plan}/reports/progress.xlsx?{period}"))
        .await;
    let html = app
        .get(&format!("/api/v1/plans/{plan}/reports/progress.html?{period}"))
        .await;
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await;
    let error = app.get("/api/v1/plans/999999").await;
    for (what, reply) in [
        ("login", &login),
        ("refresh", &refresh),
        ("xlsx", &xlsx),
        ("html", &html),
        ("tree", &tree),
        ("404", &error),
    ] {
        assert_eq!(header(reply, "cache-control"), "no-store", "{what}");
        assert_eq!(header(reply, "x-content-type-options"), "nosniff", "{what}");
    }
    let docs = app.request(Method::GET, "/docs/", None, &[]).await;
    for (what, reply) in [("report", &html), ("docs", &docs)] {
        assert!(reply.content_type().starts_with("text/html"), "{what}");
        let policy = header(reply, "content-security-policy");
        assert!(policy.contains("frame-ancestors 'none'"), "{what}: {policy}");
        assert!(policy.contains("object-src 'none'"), "{what}: {policy}");
    }
    Ok(())
}
