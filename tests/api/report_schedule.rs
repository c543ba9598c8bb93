//! The monthly report on schedule, walked through October 2013: saved on the 5th of
//! November by the pass, the coordination and the board asked to sign it off, then, once
//! signed off, the observer and the ministry's address receive its PDF and Excel files;
//! nothing twice, whatever the passes, instances and languages.

use planaction::auth::Role;
use planaction::notifications::{deliver_due, run_pass};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};
use crate::mail::{Postbox, Received};

fn day(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    planaction::notifications::as_of_day(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

const MINISTRY: &str = "suivi.rqds@mess.example";

fn about_reports(messages: Vec<Received>, subject: &str) -> Vec<Received> {
    messages
        .into_iter()
        .filter(|m| m.subject.starts_with(subject))
        .collect()
}

#[tokio::test]
async fn the_october_report_is_saved_on_the_fifth_signed_off_then_sent_once_with_its_files() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let path = format!("/api/v1/plans/{plan}/report-schedule");

    // Bad input is refused in words; nothing is stored.
    let refused = app
        .post(
            &path,
            json!({"day_of_month": 31, "recipient_addresses": ["pas une adresse"]}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let fields: Vec<&str> = refused.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"day_of_month") || fields.contains(&"recipient_addresses"),
        "{}",
        refused.body
    );
    assert_eq!(app.get(&path).await.status, 404);
    assert_eq!(
        app.as_role(Role::Observer)
            .post(&path, json!({"day_of_month": 5}))
            .await
            .status,
        403
    );

    let schedule = json!({"day_of_month": 5, "recipient_roles": ["observer"], "recipient_addresses": [MINISTRY]});
    let made = app.as_role(Role::Board).post(&path, schedule.clone()).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["recipient_roles"], json!(["observer"]));
    assert_eq!(made.body["lang"], "fr");
    assert_eq!(app.post(&path, schedule).await.status, 409, "one schedule per plan");
    assert_eq!(app.get(&path).await.body["id"], made.body["id"]);
    postbox.deliver(&app).await;
    let before = postbox.messages().len();

    // 4 November: not yet. 5 November: October is saved, by no one, and the coordination
    // and the board are asked to sign it off; the observer hears nothing yet.
    assert_eq!(run_pass(&app.pool, &postbox.mailer, day(2013, 11, 4), 100).await?.0, 0);
    let (queued, done) = run_pass(&app.pool, &postbox.mailer, day(2013, 11, 5), 100).await?;
    assert_eq!(queued, 1);
    assert_eq!(done.sent, 2, "to the admin and the board account");
    let reports = app.get(&format!("/api/v1/plans/{plan}/reports")).await.body;
    let saved = reports.as_array().cloned().unwrap_or_default();
    assert_eq!(saved.len(), 1, "{reports}");
    assert_eq!(
        (saved[0]["period_from"].as_str(), saved[0]["period_to"].as_str()),
        (Some("2013-10-01"), Some("2013-10-31"))
    );
    assert_eq!(saved[0]["created_by"], Value::Null);
    let fingerprint = saved[0]["fingerprint"].as_str().unwrap_or_default().to_owned();
    let board = app.account(Role::Board).clone();
    let ready = about_reports(postbox.for_address(&board.email), "Rapport à valider");
    assert_eq!(ready.len(), 1);
    assert_eq!(
        ready[0].subject,
        "Rapport à valider : Plan d'action 2013-2014, du 1er au 31 octobre 2013"
    );
    assert!(
        ready[0].text.contains("enregistré par l'envoi mensuel"),
        "{}",
        ready[0].text
    );
    assert!(ready[0].text.contains(&fingerprint), "{}", ready[0].text);
    assert!(
        ready[0].text.contains(MINISTRY),
        "the recipients are named: {}",
        ready[0].text
    );
    assert!(ready[0].text.contains(&format!("/plans/{plan}/reports")));
    assert_eq!(
        about_reports(
            postbox.for_address(&app.account(Role::Admin).email),
            "Rapport à valider"
        )
        .len(),
        1
    );
    let observer = app.account(Role::Observer).clone();
    assert!(postbox.for_address(&observer.email).is_empty());
    assert!(postbox.for_address(MINISTRY).is_empty(), "not before the sign-off");

    // Later passes, one of them on a second instance at the same time: nothing again.
    let other = app.another_instance();
    let (a, b) = tokio::join!(
        run_pass(&app.pool, &postbox.mailer, day(2013, 11, 6), 100),
        run_pass(&other.pool, &postbox.mailer, day(2013, 11, 6), 100)
    );
    assert_eq!((a?.0, b?.0), (0, 0));
    assert_eq!(postbox.messages().len(), before + 2);

    // The board signs it off: the observer and the ministry receive the PDF and the Excel
    // file (two deliveries at once: each message once).
    let report = format!("/api/v1/reports/{}", saved[0]["id"]);
    let board_app = app.as_role(Role::Board);
    let etag = board_app.etag(&report).await;
    let sign =
        json!({"meeting_reference": "CA du 20 novembre 2013, résolution 2013-11-20-04", "signed_on": "2013-11-20"});
    let signed = board_app
        .request(
            Method::POST,
            &format!("{report}/sign-off"),
            Some(sign),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(signed.status, 200, "{}", signed.body);
    let (a, b) = tokio::join!(
        deliver_due(&app.pool, &postbox.mailer, 100),
        deliver_due(&other.pool, &postbox.mailer, 100)
    );
    assert_eq!(a?.sent + b?.sent, 2, "the observer and the ministry");
    for address in [observer.email.as_str(), MINISTRY] {
        let sent = about_reports(postbox.for_address(address), "Rapport validé");
        assert_eq!(sent.len(), 1, "{address}");
        let mail = &sent[0];
        assert!(mail.text.contains(&fingerprint), "{}", mail.text);
        assert!(mail.text.contains("CA du 20 novembre 2013"), "{}", mail.text);
        let kinds: Vec<&str> = mail.attachments.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ]
        );
        // The PDF opens, and prints the sign-off and the fingerprint.
        use base64::Engine as _;
        let pdf = base64::engine::general_purpose::STANDARD.decode(&mail.attachments[0].2)?;
        let text = crate::pdf::poppler("pdftotext", &["FILE", "-"], &pdf)?;
        assert!(text.contains("octobre 2013"), "{text}");
        assert!(text.contains(&fingerprint[..16]), "{text}");
        assert!(text.contains("CA du 20 novembre 2013"), "{text}");
    }
    let to_ministry = &about_reports(postbox.for_address(MINISTRY), "Rapport validé")[0];
    assert!(
        to_ministry.text.starts_with("Bonjour,"),
        "no name for an address: {}",
        to_ministry.text
    );
    assert!(to_ministry.list_unsubscribe.is_none(), "an address has no preferences");
    assert!(
        about_reports(postbox.for_address(&observer.email), "Rapport validé")[0]
            .list_unsubscribe
            .is_some()
    );

    // The same month saved and signed off again, in English: nothing is sent twice.
    let english = app
        .post(
            &format!("/api/v1/plans/{plan}/reports"),
            json!({"since": "2013-10-01", "until": "2013-10-31", "lang": "en"}),
        )
        .await;
    assert_eq!(english.status, 201, "{}", english.body);
    let path = format!("/api/v1/reports/{}", english.body["id"]);
    let etag = board_app.etag(&path).await;
    let again = board_app
        .request(
            Method::POST,
            &format!("{path}/sign-off"),
            Some(json!({"meeting_reference": "CA du 20 novembre 2013"})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    postbox.deliver(&app).await;
    assert_eq!(about_reports(postbox.for_address(MINISTRY), "Rapport validé").len(), 1);
    assert_eq!(
        about_reports(postbox.for_address(&observer.email), "Rapport validé").len(),
        1
    );
    Ok(())
}

/// An address taken off the schedule before its message goes out receives nothing.
#[tokio::test]
async fn an_address_removed_from_the_schedule_is_not_sent_the_report() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let made = app
        .post(
            &format!("/api/v1/plans/{plan}/report-schedule"),
            json!({"day_of_month": 1, "recipient_addresses": [MINISTRY, "SUIVI.rqds@mess.example"]}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["recipient_addresses"], json!([MINISTRY]), "once each");
    run_pass(&app.pool, &postbox.mailer, day(2013, 11, 1), 100).await?;
    let report = format!(
        "/api/v1/reports/{}",
        app.get(&format!("/api/v1/plans/{plan}/reports")).await.body[0]["id"]
    );
    let etag = app.etag(&report).await;
    let signed = app
        .request(
            Method::POST,
            &format!("{report}/sign-off"),
            Some(json!({"meeting_reference": "CA du 20 novembre 2013"})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(signed.status, 200, "{}", signed.body);
    let schedule = format!("/api/v1/report-schedules/{}", made.body["id"]);
    let etag = app.etag(&schedule).await;
    let changed = app
        .request(
            Method::PATCH,
            &schedule,
            Some(json!({"recipient_addresses": []})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let done = postbox.deliver(&app).await;
    assert_eq!(done.dropped, 1, "{done:?}");
    assert!(postbox.for_address(MINISTRY).is_empty());
    let outbox = app.get("/api/v1/outbox").await.body;
    let entry = outbox
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["kind"] == "report_signed")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (entry["recipient_id"].clone(), entry["recipient_email"].as_str()),
        (Value::Null, Some(MINISTRY))
    );
    assert_eq!(entry["state"], "dropped");
    Ok(())
}
