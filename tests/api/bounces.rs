//! An address refused for good (SMTP 5xx): the message is given up, no more mail goes to
//! it, the coordination is told and sees it in the outbox, and may send it again.

use planaction::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, TestResult};
use crate::mail::{Postbox, SmtpServer};

#[tokio::test]
async fn a_refused_address_stops_its_mail_and_the_coordination_sees_it() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::on(SmtpServer::refusing().await);
    let (_, action) = app.seed_with_an_action().await;
    let made = app
        .post(
            "/api/v1/users",
            json!({"email": "refuse@rqds.example", "display_name": "Adresse périmée", "role": "member", "password": "une phrase assez longue"}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let refused_id = made.body["id"].as_i64().unwrap_or_default();
    app.post(
        &format!("/api/v1/actions/{action}/assignees"),
        json!({"user_id": refused_id}),
    )
    .await;
    // Refused at once (no retry), and the coordination is told in the same pass.
    let done = postbox.deliver(&app).await;
    assert_eq!((done.given_up, done.sent), (1, 1), "{done:?}");
    let admin = app.account(Role::Admin).email.clone();
    let told = postbox.for_address(&admin);
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "Courriel non remis : Adresse périmée");
    assert!(
        told[0].text.contains("refuse@rqds.example") && told[0].text.contains("550"),
        "{}",
        told[0].text
    );
    assert!(told[0].text.contains("/admin/outbox"), "{}", told[0].text);
    assert!(postbox.for_address("refuse@rqds.example").is_empty());

    // Unassigned, then a status update: nothing more is tried for that address, and the
    // coordination is not told again for each.
    app.delete(&format!("/api/v1/actions/{action}/assignees/{refused_id}"))
        .await;
    let done = postbox.deliver(&app).await;
    assert_eq!((done.given_up, done.sent), (1, 0), "{done:?}");
    let outbox = app.get("/api/v1/outbox?state=given_up").await;
    assert_eq!(outbox.status, 200, "{}", outbox.body);
    let entries = outbox.body.as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 2, "{}", outbox.body);
    assert!(entries.iter().all(|e| e["recipient_email"] == "refuse@rqds.example"));
    assert_eq!(entries[0]["attempts"], 0, "not tried: {}", entries[0]);
    assert!(
        entries[1]["last_error"].as_str().unwrap_or("").contains("550"),
        "{}",
        entries[1]
    );
    assert_eq!(app.as_role(Role::Board).get("/api/v1/outbox").await.status, 403);

    // The coordination sends the first one again: tried again (and refused again).
    let first = entries[1]["id"].as_i64().unwrap_or_default();
    let again = app.post(&format!("/api/v1/outbox/{first}/resend"), json!(null)).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["state"], "waiting");
    let twice = app.post(&format!("/api/v1/outbox/{first}/resend"), json!(null)).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    let done = postbox.deliver(&app).await;
    assert_eq!((done.given_up, done.sent), (1, 1), "tried, refused, told: {done:?}");
    assert_eq!(app.post("/api/v1/outbox/999999/resend", json!(null)).await.status, 404);
    Ok(())
}
