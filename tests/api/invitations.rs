//! Accounts by email: an invitation and a reset link, read from a real SMTP server, work
//! once and then never; a changed password ends the other sessions.

use planaction::auth::Role;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, TestResult};
use crate::mail::Postbox;

async fn sign_in(app: &TestApp, email: &str, password: &str) -> crate::helpers::Reply {
    let anonymous = [("authorization", "")];
    app.request(
        reqwest::Method::POST,
        "/api/v1/auth/login",
        Some(json!({"email": email, "password": password})),
        &anonymous,
    )
    .await
}

async fn anonymous_post(app: &TestApp, path: &str, body: serde_json::Value) -> crate::helpers::Reply {
    app.request(reqwest::Method::POST, path, Some(body), &[("authorization", "")])
        .await
}

async fn use_link(app: &TestApp, token: &str, password: &str) -> crate::helpers::Reply {
    anonymous_post(
        app,
        "/api/v1/auth/password",
        json!({"token": token, "password": password}),
    )
    .await
}

/// The token of the one `/password?token=` link of the message.
fn token_of(message: &crate::mail::Received) -> String {
    let link = message
        .link("https://plan.rqds.example/password?token=")
        .unwrap_or_else(|| panic!("a link in {}", message.text));
    link.rsplit('=').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_invitation_opens_the_account_once() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let invited = app
        .post(
            "/api/v1/invitations",
            json!({"email": "laurentides@rqds.example", "display_name": "Délégué des Laurentides", "role": "member", "region": "Laurentides"}),
        )
        .await;
    assert_eq!(invited.status, 201, "{}", invited.body);
    assert_eq!(invited.body["role"], "member");
    // No password opens it before the invitation is accepted, not even an empty one.
    for guess in ["", "!not chosen", PASSWORD] {
        assert_eq!(sign_in(&app, "laurentides@rqds.example", guess).await.status, 401);
    }
    assert_eq!(postbox.deliver(&app).await.sent, 1);
    let messages = postbox.for_address("laurentides@rqds.example");
    assert_eq!(messages.len(), 1);
    let invitation = &messages[0];
    assert!(invitation.subject.starts_with("Invitation"), "{}", invitation.subject);
    assert!(
        invitation.text.contains("comme délégué·e régional·e."),
        "{}",
        invitation.text
    );
    assert!(
        invitation.text.contains("il sert une seule fois et expire le"),
        "{}",
        invitation.text
    );
    assert_eq!(invitation.auto_submitted.as_deref(), Some("auto-generated"));
    // A link to one's own account is not a mailing one leaves.
    assert_eq!(
        (&invitation.list_unsubscribe, &invitation.list_unsubscribe_post),
        (&None, &None)
    );
    assert!(invitation.attachments.is_empty());
    let token = token_of(invitation);
    assert!(invitation.html.contains(&format!("password?token={token}")));

    // The page the link opens.
    let page = app
        .client
        .get(format!("{}/password?token={token}", app.address))
        .send()
        .await?;
    assert_eq!(page.status(), 200);
    assert!(page.text().await?.contains(&format!("value=\"{token}\"")));

    // A password too short is refused and the link still works.
    let short = use_link(&app, &token, "court").await;
    assert_eq!(short.status, 422, "{}", short.body);
    let chosen = "les Laurentides en automne";
    let set = use_link(&app, &token, chosen).await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["user"]["email"], "laurentides@rqds.example");
    assert_eq!(sign_in(&app, "laurentides@rqds.example", chosen).await.status, 200);
    // Once, then never.
    let again = use_link(&app, &token, "un autre mot de passe").await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert!(
        again.body["detail"].as_str().unwrap_or("").contains("a déjà servi"),
        "{}",
        again.body
    );
    assert_eq!(sign_in(&app, "laurentides@rqds.example", chosen).await.status, 200);

    // An invalid address is refused with a clear problem; an address already taken too.
    let bad = app
        .post(
            "/api/v1/invitations",
            json!({"email": "pas une adresse", "role": "member"}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.to_string().contains("n'est pas une adresse courriel"),
        "{}",
        bad.body
    );
    let taken = app
        .post(
            "/api/v1/invitations",
            json!({"email": "LAURENTIDES@rqds.example", "role": "board"}),
        )
        .await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    // Only the coordination invites.
    let by_board = app
        .as_role(Role::Board)
        .post(
            "/api/v1/invitations",
            json!({"email": "x@rqds.example", "role": "board"}),
        )
        .await;
    assert_eq!(by_board.status, 403);
    Ok(())
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_and_ends_every_session() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let member = app.account(Role::Member).clone();
    let signed_in = sign_in(&app, &member.email, PASSWORD).await;
    assert_eq!(signed_in.status, 200);
    let old_refresh = signed_in.body["refresh_token"].as_str().unwrap_or_default().to_owned();

    // Unknown and known addresses get the same answer; only a known one gets mail.
    for email in ["personne@rqds.example", member.email.as_str()] {
        let asked = anonymous_post(&app, "/api/v1/auth/password-reset", json!({"email": email})).await;
        assert_eq!(asked.status, 202, "{}", asked.body);
        assert_eq!(asked.body, serde_json::Value::Null);
    }
    assert_eq!(postbox.deliver(&app).await.sent, 1);
    let messages = postbox.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].to.contains(&member.email));
    assert!(messages[0].text.contains("pendant une heure"), "{}", messages[0].text);
    let token = token_of(&messages[0]);

    let chosen = "une nouvelle phrase de passe";
    let set = use_link(&app, &token, chosen).await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(
        sign_in(&app, &member.email, PASSWORD).await.status,
        401,
        "the old password is gone"
    );
    assert_eq!(sign_in(&app, &member.email, chosen).await.status, 200);
    // The refresh token of the session before the reset is revoked.
    let refreshed = anonymous_post(&app, "/api/v1/auth/refresh", json!({"refresh_token": old_refresh})).await;
    assert_eq!(refreshed.status, 401, "{}", refreshed.body);
    let again = use_link(&app, &token, "encore un autre mot").await;
    assert_eq!(again.status, 400);

    // A link past its hour is dead.
    anonymous_post(&app, "/api/v1/auth/password-reset", json!({"email": member.email})).await;
    postbox.deliver(&app).await;
    // (The Maildir's names do not keep the order of arrival.)
    let tokens: Vec<String> = postbox.messages().iter().map(token_of).collect();
    let late = tokens
        .into_iter()
        .find(|t| *t != token)
        .unwrap_or_else(|| panic!("a second link"));
    let mut conn = app.pool.get().await?;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL"),
        &mut conn,
    )
    .await?;
    let expired = use_link(&app, &late, "trop tard pour ce lien").await;
    assert_eq!(expired.status, 400, "{}", expired.body);

    // Requests are limited as sign-in attempts are.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            anonymous_post(&app, "/api/v1/auth/password-reset", json!({"email": "x@rqds.example"}))
                .await
                .status,
        );
    }
    assert_eq!(statuses.last().map(|s| s.as_u16()), Some(429), "{statuses:?}");
    Ok(())
}

#[tokio::test]
async fn a_link_dies_with_its_account_and_a_changed_password_needs_the_current_one() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let board = app.account(Role::Board).clone();
    anonymous_post(&app, "/api/v1/auth/password-reset", json!({"email": board.email})).await;
    postbox.deliver(&app).await;
    let token = token_of(&postbox.messages()[0]);
    let etag = app.etag(&format!("/api/v1/users/{}", board.id)).await;
    let off = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{}", board.id),
            Some(json!({"active": false})),
            &[("if-match", etag.as_str())],
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    let refused = use_link(&app, &token, "le compte est désactivé").await;
    assert_eq!(refused.status, 400);

    let member = app.as_role(Role::Member);
    let email = &app.account(Role::Member).email;
    let before = sign_in(&app, email, PASSWORD).await;
    let wrong = member
        .request(
            reqwest::Method::PUT,
            "/api/v1/me/password",
            Some(json!({"current_password": "pas le bon", "new_password": "une phrase toute neuve"})),
            &[],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert_eq!(wrong.body["errors"][0]["field"], "current_password", "{}", wrong.body);
    let changed = member
        .request(
            reqwest::Method::PUT,
            "/api/v1/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "une phrase toute neuve"})),
            &[],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(sign_in(&app, email, "une phrase toute neuve").await.status, 200);
    let old = anonymous_post(
        &app,
        "/api/v1/auth/refresh",
        json!({"refresh_token": before.body["refresh_token"]}),
    )
    .await;
    assert_eq!(old.status, 401, "the session before the change ended");
    let new = anonymous_post(
        &app,
        "/api/v1/auth/refresh",
        json!({"refresh_token": changed.body["refresh_token"]}),
    )
    .await;
    assert_eq!(new.status, 200, "the answer's session goes on: {}", new.body);
    Ok(())
}
