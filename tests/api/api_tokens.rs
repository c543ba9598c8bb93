//! API tokens: made by a person for themselves or by the coordination for a service
//! account, sent as `Authorization: Bearer pat_…`, with their owner's permissions and no
//! more, read-only when so scoped, named by the audit, revoked at once.

use planaction::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, TestResult};

/// A request carrying `token` instead of the account's JWT.
async fn with(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Reply {
    let bearer = format!("Bearer {token}");
    app.request(method, path, body, &[("Authorization", bearer.as_str())])
        .await
}

async fn make(app: &TestApp, body: Value) -> (String, Value) {
    let made = app.post("/api/v1/me/api-tokens", body).await;
    assert_eq!(made.status, 201, "{}", made.body);
    (
        made.body["token"].as_str().unwrap_or_default().to_owned(),
        made.body["api_token"].clone(),
    )
}

#[tokio::test]
async fn a_delegates_tokens_read_or_write_as_their_role_allows_and_are_named_by_the_audit() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, action) = app.seed_with_an_action().await;
    let member = app.as_role(Role::Member);
    let (read, listed) = make(&member, json!({"name": "Tableau de bord de l'Estrie", "scope": "read"})).await;
    assert!(read.starts_with("pat_") && read.len() == 40, "{read}");
    assert_eq!(listed["scope"], "read");
    assert_eq!(listed["prefix"].as_str(), Some(&read[..10]));
    // 90 days by default.
    let expires: chrono::DateTime<chrono::Utc> = listed["expires_at"].as_str().unwrap_or_default().parse()?;
    let days = (expires - chrono::Utc::now()).num_days();
    assert!((89..=91).contains(&days), "{days}");

    // Listed without its secret.
    let mine = member.get("/api/v1/me/api-tokens").await;
    assert_eq!(mine.body.as_array().map(Vec::len), Some(1));
    assert!(!mine.body.to_string().contains(&read[10..]), "{}", mine.body);

    // Read: GET works, a change is refused in words; its last use is kept.
    let tree = with(&app, &read, Method::GET, &format!("/api/v1/actions/{action}"), None).await;
    assert_eq!(tree.status, 200, "{}", tree.body);
    let comment = json!({"body": "Bilan de la tournée"});
    let path = format!("/api/v1/actions/{action}/comments");
    let refused = with(&app, &read, Method::POST, &path, Some(comment.clone())).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("lecture seule"),
        "{}",
        refused.body
    );
    let used = &member.get("/api/v1/me/api-tokens").await.body[0];
    assert!(used["last_used_at"].is_string(), "{used}");
    assert_eq!(used["last_used_ip"], "127.0.0.1");

    // Write: what a delegate may do, and no more; the audit names the token.
    let (write, written) = make(&member, json!({"name": "Macro Excel", "scope": "write"})).await;
    let made = with(&app, &write, Method::POST, &path, Some(comment)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let plan = json!({"title": "P", "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30"});
    let not_a_delegates = with(&app, &write, Method::POST, "/api/v1/plans", Some(plan)).await;
    assert_eq!(not_a_delegates.status, 403, "{}", not_a_delegates.body);
    let audit = app
        .get(&format!("/api/v1/audit?entity=comment&entity_id={}", made.body["id"]))
        .await;
    assert_eq!(
        audit.body["items"][0]["user_id"],
        app.account_id(Role::Member),
        "{}",
        audit.body
    );
    assert_eq!(audit.body["items"][0]["api_token_id"], written["id"], "{}", audit.body);

    // A token makes no token.
    let minted = with(
        &app,
        &write,
        Method::POST,
        "/api/v1/me/api-tokens",
        Some(json!({"name": "x", "scope": "write"})),
    )
    .await;
    assert_eq!(minted.status, 403, "{}", minted.body);

    // A typo (the checksum) and an unknown token: 401, in words.
    let mut typo: Vec<u8> = write.clone().into_bytes();
    typo[20] = if typo[20] == b'a' { b'b' } else { b'a' };
    let typo = String::from_utf8(typo)?;
    for token in [typo.as_str(), "pat_000000000000000000000000000000000000"] {
        let refused = with(&app, token, Method::GET, "/api/v1/plans", None).await;
        assert_eq!(refused.status, 401, "{token}: {}", refused.body);
    }

    // Another delegate cannot revoke it (it is not theirs: 404); its owner can, at once.
    let revoke = format!("/api/v1/api-tokens/{}", written["id"]);
    let board = app.as_role(Role::Board);
    assert_eq!(board.request(Method::DELETE, &revoke, None, &[]).await.status, 404);
    assert_eq!(member.request(Method::DELETE, &revoke, None, &[]).await.status, 204);
    assert_eq!(with(&app, &write, Method::GET, "/api/v1/plans", None).await.status, 401);
    assert_eq!(
        member.request(Method::DELETE, &revoke, None, &[]).await.status,
        204,
        "again"
    );

    // Deactivating the owner stops the others at once.
    let etag = app
        .etag(&format!("/api/v1/users/{}", app.account_id(Role::Member)))
        .await;
    let deactivated = app
        .request(
            Method::PATCH,
            &format!("/api/v1/users/{}", app.account_id(Role::Member)),
            Some(json!({"active": false})),
            &[("If-Match", etag.as_str())],
        )
        .await;
    assert_eq!(deactivated.status, 200, "{}", deactivated.body);
    assert_eq!(with(&app, &read, Method::GET, "/api/v1/plans", None).await.status, 401);
    Ok(())
}

#[tokio::test]
async fn expiry_is_ninety_days_a_year_at_most_and_never_only_for_a_service_account() -> TestResult {
    let app = TestApp::spawn().await;
    let today = planaction::clock::today();
    for (body, field) in [
        (
            json!({"name": "x", "scope": "read", "expires_on": today.pred_opt()}),
            "expires_on",
        ),
        (
            json!({"name": "x", "scope": "read", "expires_on": today + chrono::Duration::days(400)}),
            "expires_on",
        ),
        (
            json!({"name": "x", "scope": "read", "never_expires": true}),
            "never_expires",
        ),
        (json!({"name": "", "scope": "read"}), "name"),
    ] {
        let refused = app.post("/api/v1/me/api-tokens", body).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(refused.body["errors"][0]["field"], field, "{}", refused.body);
    }
    let (token, made) = make(&app, json!({"name": "x", "scope": "read", "expires_on": today})).await;
    assert_eq!(with(&app, &token, Method::GET, "/api/v1/plans", None).await.status, 200);
    // Past its last day: refused.
    let mut conn = app.db.connect().await;
    use diesel_async::RunQueryDsl;
    diesel::sql_query(format!(
        "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = {}",
        made["id"]
    ))
    .execute(&mut conn)
    .await?;
    assert_eq!(with(&app, &token, Method::GET, "/api/v1/plans", None).await.status, 401);
    Ok(())
}

#[tokio::test]
async fn a_service_account_cannot_sign_in_and_calls_with_the_token_the_coordination_made() -> TestResult {
    let app = TestApp::spawn().await;
    let made = app
        .post(
            "/api/v1/service-accounts",
            json!({"display_name": "Système du MESS", "role": "observer"}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["service_account"], true);
    let service = made.body["id"].clone();
    let email = made.body["email"].as_str().unwrap_or_default().to_owned();
    assert!(email.ends_with("@planaction.invalid"), "{email}");
    assert_eq!(
        app.as_role(Role::Board)
            .post(
                "/api/v1/service-accounts",
                json!({"display_name": "X", "role": "observer"})
            )
            .await
            .status,
        403
    );

    // It cannot sign in, get a reset link or be given a password.
    let login = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": email, "password": "une phrase assez longue"})),
            &[("Authorization", "")],
        )
        .await;
    assert_eq!(login.status, 401, "{}", login.body);
    let etag = app.etag(&format!("/api/v1/users/{service}")).await;
    let password = app
        .request(
            Method::PATCH,
            &format!("/api/v1/users/{service}"),
            Some(json!({"password": "une phrase assez longue"})),
            &[("If-Match", etag.as_str())],
        )
        .await;
    assert_eq!(password.status, 422, "{}", password.body);
    let reset = app
        .request(
            Method::POST,
            "/api/v1/auth/password-reset",
            Some(json!({"email": email})),
            &[("Authorization", "")],
        )
        .await;
    assert_eq!(reset.status, 202, "{}", reset.body);
    let mut conn = app.db.connect().await;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let links: i64 = planaction::db::schema::account_tokens::table
        .count()
        .get_result(&mut conn)
        .await?;
    assert_eq!(links, 0, "no link for a service account");

    // The coordination makes its token, without an end; a person's account: 422.
    let path = format!("/api/v1/users/{service}/api-tokens");
    let made = app
        .post(
            &path,
            json!({"name": "Extraction nocturne", "scope": "read", "never_expires": true}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["api_token"]["expires_at"], Value::Null);
    let token = made.body["token"].as_str().unwrap_or_default().to_owned();
    let person = format!("/api/v1/users/{}/api-tokens", app.account_id(Role::Member));
    assert_eq!(
        app.post(&person, json!({"name": "x", "scope": "read"})).await.status,
        422
    );
    assert_eq!(app.get(&path).await.body.as_array().map(Vec::len), Some(1));

    // It reads what an observer reads, reports included; deactivated, it stops.
    let plan = app.import_seed().await["plan"]["id"].clone();
    let progress = format!("/api/v1/plans/{plan}/reports/progress?since=2013-10-01&until=2013-10-31");
    let reports = with(&app, &token, Method::GET, &progress, None).await;
    assert_eq!(reports.status, 200, "{}", reports.body);
    let me = with(&app, &token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.body["display_name"], "Système du MESS", "{}", me.body);
    let etag = app.etag(&format!("/api/v1/users/{service}")).await;
    app.request(
        Method::PATCH,
        &format!("/api/v1/users/{service}"),
        Some(json!({"active": false})),
        &[("If-Match", etag.as_str())],
    )
    .await;
    assert_eq!(with(&app, &token, Method::GET, "/api/v1/plans", None).await.status, 401);
    Ok(())
}
