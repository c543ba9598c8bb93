//! Sign-in, refresh rotation, sign-out, and the limits on failed sign-ins.

use std::time::Instant;

use planaction::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, TestResult};

async fn login(app: &TestApp, email: &str, password: &str) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let reply = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": email, "password": password})),
            &[("Authorization", "")],
        )
        .await;
    (reply.status, reply.body, reply.headers)
}

async fn refresh(app: &TestApp, token: &Value) -> (StatusCode, Value) {
    let reply = app
        .request(
            Method::POST,
            "/api/v1/auth/refresh",
            Some(json!({"refresh_token": token})),
            &[("Authorization", "")],
        )
        .await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn a_member_signs_in_and_uses_the_token() -> TestResult {
    let app = TestApp::spawn().await;
    let (status, tokens, _) = login(&app, "MEMBER@rqds.test", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert_eq!(tokens["user"]["role"], "member");
    assert_eq!(tokens["user"]["region"], "Estrie");
    assert!(tokens["user"].get("password_hash").is_none());
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap_or_default());
    let me = app
        .request(Method::GET, "/api/v1/me", None, &[("Authorization", &bearer)])
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "member@rqds.test");
    Ok(())
}

async fn timed_login(app: &TestApp, email: &str, password: &str) -> (f64, Value) {
    let started = Instant::now();
    let (status, body, _) = login(app, email, password).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    (started.elapsed().as_secs_f64(), body)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[tokio::test]
async fn unknown_email_and_wrong_password_look_the_same() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, unknown) = timed_login(&app, "personne@rqds.test", PASSWORD).await;
    let (_, wrong) = timed_login(&app, "board@rqds.test", "pas le bon mot de passe").await;
    assert_eq!(unknown["detail"], wrong["detail"]);
    assert_eq!(unknown["detail"], "Courriel ou mot de passe invalide.");
    // Both run one argon2 verification (~20 ms); skipping it would make an unknown
    // email answer about 100 times faster. Medians of 4, alternating.
    let (mut unknown_times, mut wrong_times) = (Vec::new(), Vec::new());
    for i in 0..4 {
        unknown_times.push(timed_login(&app, &format!("personne{i}@rqds.test"), PASSWORD).await.0);
        wrong_times.push(timed_login(&app, "observer@rqds.test", &format!("faux {i}")).await.0);
    }
    let ratio = median(unknown_times) / median(wrong_times);
    assert!((0.33..3.0).contains(&ratio), "unknown/wrong time ratio {ratio:.2}");
    Ok(())
}

#[tokio::test]
async fn repeated_failures_are_refused_with_retry_after() -> TestResult {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        let (status, _, _) = login(&app, "board@rqds.test", "mauvais mot de passe").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password waits.
    let (status, body, headers) = login(&app, "board@rqds.test", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let retry: u64 = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
    // Another account from elsewhere is not affected by this account's limit.
    let (status, _, _) = login(&app, "admin@rqds.test", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_revokes_the_family() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, first, _) = login(&app, "board@rqds.test", PASSWORD).await;
    let (status, second) = refresh(&app, &first["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(second["user"]["email"], "board@rqds.test");

    // The first token again: it leaked. The whole family is revoked, the newest included.
    let (status, body) = refresh(&app, &first["refresh_token"]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _) = refresh(&app, &second["refresh_token"]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Another sign-in is another family, untouched.
    let (_, other, _) = login(&app, "board@rqds.test", PASSWORD).await;
    let (status, _) = refresh(&app, &other["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn sign_out_revokes_and_deactivation_stops_refreshes() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, tokens, _) = login(&app, "observer@rqds.test", PASSWORD).await;
    let reply = app
        .request(
            Method::POST,
            "/api/v1/auth/logout",
            Some(json!({"refresh_token": tokens["refresh_token"]})),
            &[("Authorization", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let (status, _) = refresh(&app, &tokens["refresh_token"]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (_, tokens, _) = login(&app, "member@rqds.test", PASSWORD).await;
    let member = app.account_id(Role::Member);
    assert_eq!(
        app.patch(&format!("/api/v1/users/{member}"), json!({"active": false}))
            .await
            .status,
        StatusCode::OK
    );
    let (status, _) = refresh(&app, &tokens["refresh_token"]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = login(&app, "member@rqds.test", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    Ok(())
}

async fn me_with(app: &TestApp, tokens: &Value) -> StatusCode {
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap_or_default());
    app.request(Method::GET, "/api/v1/me", None, &[("Authorization", &bearer)])
        .await
        .status
}

#[tokio::test]
async fn a_password_changed_by_the_coordination_ends_the_old_sign_ins() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, tokens, _) = login(&app, "board@rqds.test", PASSWORD).await;
    // `iat` counts whole seconds: the revocation must come in a later one.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let board = app.account_id(Role::Board);
    let changed = app
        .patch(
            &format!("/api/v1/users/{board}"),
            json!({"password": "une toute nouvelle phrase"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let (status, _) = refresh(&app, &tokens["refresh_token"]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old refresh token is revoked");
    assert_eq!(
        me_with(&app, &tokens).await,
        StatusCode::UNAUTHORIZED,
        "a new password revokes access tokens too"
    );
    let (status, _, _) = login(&app, "board@rqds.test", "une toute nouvelle phrase").await;
    assert_eq!(status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn a_reactivated_account_starts_from_a_new_sign_in() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, old, _) = login(&app, "member@rqds.test", PASSWORD).await;
    assert_eq!(me_with(&app, &old).await, StatusCode::OK);
    // `iat` counts whole seconds: the revocation must come in a later one.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let member = app.account_id(Role::Member);
    for active in [false, true] {
        let reply = app
            .patch(&format!("/api/v1/users/{member}"), json!({"active": active}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    assert_eq!(
        me_with(&app, &old).await,
        StatusCode::UNAUTHORIZED,
        "the old access token stays revoked"
    );
    let (status, new, _) = login(&app, "member@rqds.test", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{new}");
    assert_eq!(
        me_with(&app, &new).await,
        StatusCode::OK,
        "a sign-in right after works at once"
    );

    Ok(())
}

#[tokio::test]
async fn admins_manage_accounts() -> TestResult {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/users",
            json!({"email": "Laval@RQDS.test", "display_name": "Laval", "role": "member", "region": "laval", "password": "une phrase assez longue"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["region"], "Laval");
    assert!(reply.body.get("password_hash").is_none());
    let duplicate = app
        .post(
            "/api/v1/users",
            json!({"email": "laval@rqds.test", "display_name": "Laval 2", "role": "member", "password": "une phrase assez longue"}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    let invalid = app
        .post("/api/v1/users", json!({"email": "pas-un-courriel", "display_name": "X", "role": "member", "region": "Montréal", "password": "court"}))
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["email", "region", "password"]);

    let id = reply.body["id"].as_i64().unwrap_or_default();
    let changed = app
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({"role": "board", "password": "une autre phrase assez longue"}),
        )
        .await;
    assert_eq!(changed.body["role"], "board");
    let (status, tokens, _) = login(&app, "laval@rqds.test", "une autre phrase assez longue").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tokens["user"]["role"], "board");
    Ok(())
}

async fn login_from(app: &TestApp, email: &str, password: &str, forwarded_for: &str) -> StatusCode {
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        Some(json!({"email": email, "password": password})),
        &[("Authorization", ""), ("X-Forwarded-For", forwarded_for)],
    )
    .await
    .status
}

#[tokio::test]
async fn thirty_guesses_at_once_count_as_thirty() -> TestResult {
    let app = TestApp::spawn().await;
    let guesses = (0..30).map(|i| {
        let app = app.as_role(Role::Admin);
        async move { login(&app, "board@rqds.test", &format!("essai {i}")).await.0 }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    assert_eq!(count(StatusCode::UNAUTHORIZED), 5, "{statuses:?}");
    assert_eq!(count(StatusCode::TOO_MANY_REQUESTS), 25, "{statuses:?}");
    Ok(())
}

#[tokio::test]
async fn nobody_can_lock_an_account_out_from_elsewhere() -> TestResult {
    let app = TestApp::spawn_configured(crate::helpers::TestDb::new().await, |state| {
        // The test client plays a reverse proxy at 127.0.0.1.
        state.trusted_proxies = vec![std::net::Ipv4Addr::LOCALHOST.into()].into();
    })
    .await;
    let attacker = "198.51.100.66";
    for _ in 0..5 {
        assert_eq!(
            login_from(&app, "admin@rqds.test", "devinette", attacker).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(&app, "admin@rqds.test", PASSWORD, attacker).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the attacker's address waits"
    );
    assert_eq!(
        login_from(&app, "admin@rqds.test", PASSWORD, "203.0.113.10").await,
        StatusCode::OK,
        "the coordination, from its office, signs in"
    );
    // A client cannot pick its address: only what our proxy appended counts.
    let forged = format!("203.0.113.99, {attacker}");
    assert_eq!(
        login_from(&app, "admin@rqds.test", PASSWORD, &forged).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    Ok(())
}

#[tokio::test]
async fn a_forwarded_address_is_ignored_without_a_trusted_proxy() -> TestResult {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        let forged = format!("203.0.113.{i}");
        assert_eq!(
            login_from(&app, "board@rqds.test", "devinette", &forged).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(&app, "board@rqds.test", PASSWORD, "203.0.113.200").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    Ok(())
}

#[tokio::test]
async fn two_instances_share_the_limits_and_lose_no_update() -> TestResult {
    let first = TestApp::spawn().await;
    let second = first.another_instance();
    for app in [&first, &second, &first, &second, &first] {
        assert_eq!(
            login(app, "member@rqds.test", "devinette").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    for app in [&second, &first] {
        let (status, body, _) = login(app, "member@rqds.test", PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    }

    // One ETag, one change on each instance at once: one lands, the other gets 412.
    let (_, action) = first.seed_with_an_action().await;
    let path = format!("/api/v1/actions/{action}");
    let etag = first.etag(&path).await;
    let change = |app: &TestApp, note: &'static str| {
        let (app, path, etag) = (app.as_role(Role::Admin), path.clone(), etag.clone());
        async move {
            app.request(
                Method::PATCH,
                &path,
                Some(json!({"progress_note": note})),
                &[("If-Match", &etag)],
            )
            .await
            .status
        }
    };
    let (a, b) = tokio::join!(change(&first, "par la première"), change(&second, "par la seconde"));
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED]);
    Ok(())
}
