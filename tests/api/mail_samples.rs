//! One message of each kind, as a real SMTP server received it: snapshots of their text
//! (tokens, ids and today's dates redacted) and their HTML written to target/mail-samples/,
//! one of them photographed by chromium.

use std::collections::BTreeMap;
use std::path::PathBuf;

use planaction::auth::Role;
use planaction::notifications::{as_of_day, run_pass};
use serde_json::json;

use crate::helpers::{TestApp, TestResult};
use crate::mail::{Postbox, Received, SmtpServer};

/// The kind of a message, by its subject.
fn kind_of(subject: &str) -> &'static str {
    const KINDS: [(&str, &str); 14] = [
        ("Invitation", "invitation"),
        ("Planaction : choisir", "password_reset"),
        ("Action assignée", "assigned"),
        ("Action retirée", "unassigned"),
        ("État mis à jour", "status_updated"),
        ("Commentaire", "commented"),
        ("Échéancier modifié", "deadline_changed"),
        ("Rappel d'échéance", "deadline_reminder"),
        ("Réunion du CA", "meeting_reminder"),
        ("Résumé", "digest"),
        ("Courriel non remis", "mail_given_up"),
        ("Mise à jour datée", "effective_dated"),
        ("Rapport à valider", "report_ready"),
        ("Rapport validé", "report_signed"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| subject.starts_with(prefix))
        .map_or("unknown", |(_, kind)| kind)
}

/// What changes from run to run, out: tokens, ids, today and a link's expiry.
fn redacted(text: &str) -> String {
    let today = planaction::text::long_date(planaction::clock::today(), planaction::i18n::Lang::Fr);
    let rules = [
        (r"token=[A-Za-z0-9_-]+", "token=[token]"),
        (r"unsubscribe/[A-Za-z0-9_-]+", "unsubscribe/[token]"),
        (r"/(actions|plans)/\d+", "/$1/[id]"),
        (r"(rapport n° |report )\d+", "$1[id]"),
        (r"(rapport-\d{4}-\d{2}-)\d+", "$1[id]"),
        (r"[0-9a-f]{64}", "[fingerprint]"),
        (r"le (\d+ \w+ \d{4}|\[today\]) à \d\d:\d\d", "le [expiry]"),
    ];
    let mut text = text.replace(&today, "[today]");
    for (pattern, with) in rules {
        let re = regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{e}"));
        text = re.replace_all(&text, with).into_owned();
    }
    text
}

/// A message as a reader sees it: its headers, its text, the names of its attachments.
fn shown(message: &Received) -> String {
    let attached: Vec<String> = message
        .attachments
        .iter()
        .map(|(name, kind, _)| format!("[{}: {kind}]", name.as_str()))
        .collect();
    let attached = if attached.is_empty() {
        String::new()
    } else {
        format!("\n{}\n", attached.join("\n"))
    };
    format!(
        "To: {}\nSubject: {}\nAuto-Submitted: {}\nList-Unsubscribe-Post: {}\n\n{}{attached}",
        message.to,
        message.subject,
        message.auto_submitted.as_deref().unwrap_or("—"),
        message.list_unsubscribe_post.as_deref().unwrap_or("—"),
        message.text
    )
}

#[tokio::test]
async fn one_message_of_each_kind_as_received() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::on(SmtpServer::refusing().await);
    let plan = app.import_seed().await["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let open: Vec<i64> = crate::helpers::actions_of(&tree)
        .filter(|a| !["completed", "cancelled"].contains(&a["status"].as_str().unwrap_or("")))
        .filter_map(|a| a["id"].as_i64())
        .take(2)
        .collect();
    let (action, other) = (open[0], open[1]);
    let member = app.account_id(Role::Member);
    let (board, observer) = (app.as_role(Role::Board), app.as_role(Role::Observer));

    // The observer follows the action and reads comments in a weekly digest.
    let weekly = json!({"language": "fr", "reminder_days": 14, "frequencies": {"commented": "weekly", "status_updated": "never", "deadline_changed": "never"}});
    observer
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(weekly), &[])
        .await;
    observer
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/actions/{action}/follow"),
            None,
            &[],
        )
        .await;

    app.post("/api/v1/invitations", json!({"email": "nouvelle@rqds.example", "display_name": "Nouvelle déléguée", "role": "member", "region": "Lanaudière"})).await;
    app.request(
        reqwest::Method::POST,
        "/api/v1/auth/password-reset",
        Some(json!({"email": "member@rqds.test"})),
        &[("authorization", "")],
    )
    .await;
    for id in [action, other] {
        app.post(&format!("/api/v1/actions/{id}/assignees"), json!({"user_id": member}))
            .await;
    }
    board
        .post(
            &format!("/api/v1/actions/{action}/comments"),
            json!({"body": "Bilan à présenter au CA de novembre"}),
        )
        .await;
    board
        .record_status(
            action,
            json!({"status": "in_progress", "note": "6 régions visitées", "effective_on": "2013-11-05"}),
        )
        .await;
    let made = app
        .post(
            &format!("/api/v1/actions/{action}/deadlines"),
            json!({"label": "Automne 2013"}),
        )
        .await;
    let deadline = made.body["id"].clone();
    let etag = app.etag(&format!("/api/v1/deadlines/{deadline}")).await;
    app.request(
        reqwest::Method::PATCH,
        &format!("/api/v1/deadlines/{deadline}"),
        Some(json!({"label": "Fin novembre 2013"})),
        &[("if-match", etag.as_str())],
    )
    .await;
    for (name, on_date) in [("CA d'octobre", "2013-10-02"), ("CA de novembre", "2013-11-20")] {
        app.post(
            &format!("/api/v1/plans/{plan}/events"),
            json!({"name": name, "on_date": on_date, "kind": "ca_meeting"}),
        )
        .await;
    }
    let refused = app
        .post("/api/v1/users", json!({"email": "refuse@rqds.example", "display_name": "Adresse périmée", "role": "member", "password": "une phrase assez longue"}))
        .await;
    app.post(
        &format!("/api/v1/actions/{other}/assignees"),
        json!({"user_id": refused.body["id"]}),
    )
    .await;
    // October's report on the 5th of November, to the observer and the ministry once signed off.
    app.post(
        &format!("/api/v1/plans/{plan}/report-schedule"),
        json!({"day_of_month": 5, "recipient_roles": ["observer"], "recipient_addresses": ["suivi.rqds@mess.example"]}),
    )
    .await;
    postbox.deliver(&app).await;
    for day in [(2013, 11, 5), (2013, 11, 13), (2013, 11, 16), (2013, 11, 18)] {
        let at = as_of_day(chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap_or_default());
        run_pass(&app.pool, &postbox.mailer, at, 100).await?;
    }
    app.delete(&format!("/api/v1/actions/{other}/assignees/{member}")).await;
    let report = format!(
        "/api/v1/reports/{}",
        app.get(&format!("/api/v1/plans/{plan}/reports")).await.body[0]["id"]
    );
    let etag = board.etag(&report).await;
    let signed = board
        .request(
            reqwest::Method::POST,
            &format!("{report}/sign-off"),
            Some(json!({"meeting_reference": "CA du 20 novembre 2013, résolution 2013-11-20-04", "signed_on": "2013-11-20"})),
            &[("if-match", etag.as_str())],
        )
        .await;
    assert_eq!(signed.status, 200, "{}", signed.body);
    postbox.deliver(&app).await;

    // The first of each kind, in a stable order.
    let mut samples: BTreeMap<&str, Received> = BTreeMap::new();
    let mut messages = postbox.messages();
    messages.sort_by_key(|m| (m.to.clone(), redacted(&m.text)));
    for message in messages {
        samples.entry(kind_of(&message.subject)).or_insert(message);
    }
    let kinds: Vec<&str> = samples.keys().copied().collect();
    assert_eq!(
        kinds,
        [
            "assigned",
            "commented",
            "deadline_changed",
            "deadline_reminder",
            "digest",
            "effective_dated",
            "invitation",
            "mail_given_up",
            "meeting_reminder",
            "password_reset",
            "report_ready",
            "report_signed",
            "status_updated",
            "unassigned",
        ]
    );
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/mail-samples");
    std::fs::create_dir_all(&dir)?;
    for (kind, message) in &samples {
        let shown = shown(message);
        insta::assert_snapshot!(format!("mail_{kind}"), redacted(&shown));
        std::fs::write(dir.join(format!("{kind}.html")), &message.html)?;
        std::fs::write(dir.join(format!("{kind}.txt")), &shown)?;
    }
    // How a mail reader shows one: chromium's picture of the status update.
    let page = dir.join("status_updated.html");
    let picture = dir.join("status_updated.png");
    let shot = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=800,600",
        ])
        .arg(format!("--screenshot={}", picture.display()))
        .arg(format!("file://{}", page.display()))
        .output()?;
    assert!(shot.status.success(), "{}", String::from_utf8_lossy(&shot.stderr));
    let size = std::fs::metadata(&picture)?.len();
    assert!(
        size > 5_000,
        "a picture of a written page, not a blank one: {size} bytes"
    );
    Ok(())
}

/// The same messages for a reader who chose English, and for the ministry's address of a
/// schedule in English.
#[tokio::test]
async fn messages_in_english_as_received() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let action = crate::helpers::actions_of(&tree)
        .filter(|a| !["completed", "cancelled"].contains(&a["status"].as_str().unwrap_or("")))
        .find_map(|a| a["id"].as_i64())
        .unwrap_or_default();
    let member = app.account(Role::Member).clone();
    let english = json!({"language": "en", "reminder_days": 14, "frequencies": {}});
    let chosen = app
        .as_role(Role::Member)
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(english), &[])
        .await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    app.post(
        &format!("/api/v1/actions/{action}/assignees"),
        json!({"user_id": member.id}),
    )
    .await;
    app.as_role(Role::Board)
        .record_status(
            action,
            json!({"status": "postponed", "note": "Reporté après les fêtes"}),
        )
        .await;
    app.post(
        &format!("/api/v1/actions/{action}/deadlines"),
        json!({"label": "Fin novembre 2013"}),
    )
    .await;
    let ministry = "suivi.rqds@mess.example";
    app.post(
        &format!("/api/v1/plans/{plan}/report-schedule"),
        json!({"day_of_month": 5, "recipient_addresses": [ministry], "lang": "en"}),
    )
    .await;
    postbox.deliver(&app).await;
    for day in [(2013, 11, 5), (2013, 11, 16)] {
        let at = as_of_day(chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap_or_default());
        run_pass(&app.pool, &postbox.mailer, at, 100).await?;
    }
    let reports = app.get(&format!("/api/v1/plans/{plan}/reports")).await.body;
    assert_eq!(reports[0]["lang"], "en", "the schedule's language: {reports}");
    let report = format!("/api/v1/reports/{}", reports[0]["id"]);
    let board = app.as_role(Role::Board);
    let etag = board.etag(&report).await;
    board
        .request(
            reqwest::Method::POST,
            &format!("{report}/sign-off"),
            Some(json!({"meeting_reference": "Board meeting of 20 November 2013", "signed_on": "2013-11-20"})),
            &[("if-match", etag.as_str())],
        )
        .await;
    postbox.deliver(&app).await;

    let mut received = postbox.for_address(&member.email);
    received.extend(postbox.for_address(ministry));
    let mut kinds: Vec<String> = Vec::new();
    for message in &received {
        let kind = [
            ("Action assigned", "assigned"),
            ("Status updated", "status_updated"),
            ("Deadline changed", "deadline_changed"),
            ("Deadline reminder", "deadline_reminder"),
            ("Report signed off", "report_signed"),
        ]
        .iter()
        .find(|(prefix, _)| message.subject.starts_with(prefix))
        .map_or("unknown", |(_, kind)| kind);
        insta::assert_snapshot!(format!("mail_en_{kind}"), redacted(&shown(message)));
        kinds.push(kind.to_owned());
    }
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "assigned",
            "deadline_changed",
            "deadline_reminder",
            "report_signed",
            "status_updated"
        ]
    );
    Ok(())
}
