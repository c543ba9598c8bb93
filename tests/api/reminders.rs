//! Reminders before an échéancier ends, walked day by day with `--as-of`.

use planaction::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, TestResult};
use crate::mail::Postbox;

fn day(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    planaction::notifications::as_of_day(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

#[tokio::test]
async fn a_reminder_goes_out_fourteen_days_before_fin_novembre_2013_ends_and_not_again() -> TestResult {
    use planaction::notifications::run_pass;

    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let (_, action) = app.seed_with_an_action().await;
    // Only this test's labels on the action.
    let existing = app.get(&format!("/api/v1/actions/{action}/deadlines")).await;
    for deadline in existing.body.as_array().into_iter().flatten() {
        let path = format!("/api/v1/deadlines/{}", deadline["id"]);
        let etag = app.etag(&path).await;
        let gone = app
            .request(reqwest::Method::DELETE, &path, None, &[("if-match", etag.as_str())])
            .await;
        assert_eq!(gone.status, 204, "{}", gone.body);
    }
    for label in [
        "Fin novembre 2013",
        "En continu",
        "Sur invitation",
        "4 régions par mois",
    ] {
        let made = app
            .post(&format!("/api/v1/actions/{action}/deadlines"), json!({"label": label}))
            .await;
        assert_eq!(made.status, 201, "{label}: {}", made.body);
    }
    let member = app.account(Role::Member).clone();
    app.post(
        &format!("/api/v1/actions/{action}/assignees"),
        json!({"user_id": member.id}),
    )
    .await;
    postbox.deliver(&app).await;
    let reminders = || {
        postbox
            .for_address(&member.email)
            .into_iter()
            .filter(|m| m.subject.starts_with("Rappel"))
            .collect::<Vec<_>>()
    };

    // 15 November: 15 days before the end of "Fin novembre 2013" (30 November): nothing.
    let (queued, _) = run_pass(&app.pool, &postbox.mailer, day(2013, 11, 15), 100).await?;
    assert_eq!(queued, 0);
    // 16 November: 14 days before. One reminder, of that label only.
    let (queued, done) = run_pass(&app.pool, &postbox.mailer, day(2013, 11, 16), 100).await?;
    assert_eq!((queued, done.sent), (1, 1));
    let sent = reminders();
    assert_eq!(sent.len(), 1);
    let text = &sent[0].text;
    assert!(
        text.contains("«\u{a0}Fin novembre 2013\u{a0}» se termine le 30 novembre 2013, dans 14 jour(s)"),
        "{text}"
    );
    assert!(sent[0].list_unsubscribe.is_some());
    // Not again, on the following days or by another pass the same day.
    for d in [16, 17, 29, 30] {
        assert_eq!(
            run_pass(&app.pool, &postbox.mailer, day(2013, 11, d), 100).await?.0,
            0,
            "{d}"
        );
    }
    assert_eq!(reminders().len(), 1);

    // Someone who chose 3 days is reminded later than the member; nobody of a completed action.
    let choice = json!({"language": "fr", "reminder_days": 3, "frequencies": {}});
    let board = app.as_role(Role::Board);
    board
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(choice), &[])
        .await;
    let board_id = app.account_id(Role::Board);
    app.post(
        &format!("/api/v1/actions/{action}/assignees"),
        json!({"user_id": board_id}),
    )
    .await;
    for label in ["Décembre 2013", "Janvier 2014"] {
        app.post(&format!("/api/v1/actions/{action}/deadlines"), json!({"label": label}))
            .await;
    }
    // 27 December: the member's (due since the 17th), not yet the board's (the 28th).
    assert_eq!(run_pass(&app.pool, &postbox.mailer, day(2013, 12, 27), 100).await?.0, 1);
    assert_eq!(run_pass(&app.pool, &postbox.mailer, day(2013, 12, 28), 100).await?.0, 1);
    app.as_role(Role::Member)
        .record_status(&action, json!({"status": "completed"}))
        .await;
    assert_eq!(
        run_pass(&app.pool, &postbox.mailer, day(2014, 1, 29), 100).await?.0,
        0,
        "completed: January reminds nobody"
    );
    Ok(())
}

/// Seven days before a CA meeting, each board member and delegate receives the list of
/// their actions not updated since the previous meeting; once.
#[tokio::test]
async fn before_a_ca_meeting_each_person_gets_their_stale_actions() -> TestResult {
    use planaction::notifications::run_pass;

    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    // Two open actions (a completed one is never listed).
    let ids: Vec<i64> = crate::helpers::actions_of(&tree)
        .filter(|a| !["completed", "cancelled"].contains(&a["status"].as_str().unwrap_or("")))
        .filter_map(|a| a["id"].as_i64())
        .take(2)
        .collect();
    let (updated, stale) = (ids[0], ids[1]);
    let (member, board) = (app.account(Role::Member).clone(), app.account(Role::Board).clone());
    for (action, user) in [(updated, member.id), (stale, member.id), (stale, board.id)] {
        let made = app
            .post(&format!("/api/v1/actions/{action}/assignees"), json!({"user_id": user}))
            .await;
        assert_eq!(made.status, 201, "{}", made.body);
    }
    for (name, on_date, kind) in [
        ("CA d'octobre", "2013-10-02", "ca_meeting"),
        ("CA de novembre", "2013-11-20", "ca_meeting"),
        ("AGA 2013", "2013-11-22", "other"),
    ] {
        let made = app
            .post(
                &format!("/api/v1/plans/{plan}/events"),
                json!({"name": name, "on_date": on_date, "kind": kind}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.body);
        assert_eq!(made.body["kind"], kind);
    }
    // A board member who chose a weekly digest for it still gets the list at once (a digest
    // tells sentences about actions, not lists).
    let weekly = json!({"language": "fr", "reminder_days": 14, "frequencies": {"meeting_reminder": "weekly"}});
    app.as_role(Role::Board)
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(weekly), &[])
        .await;
    let update = app
        .as_role(Role::Member)
        .record_status(updated, json!({"status": "in_progress", "effective_on": "2013-11-05"}))
        .await;
    assert_eq!(update.status, 201, "{}", update.body);
    postbox.deliver(&app).await;
    let meeting_mail = |email: &str| {
        postbox
            .for_address(email)
            .into_iter()
            .filter(|m| m.subject.starts_with("Réunion du CA"))
            .collect::<Vec<_>>()
    };

    assert_eq!(
        run_pass(&app.pool, &postbox.mailer, day(2013, 11, 12), 100).await?.0,
        0,
        "8 days before"
    );
    assert_eq!(
        run_pass(&app.pool, &postbox.mailer, day(2013, 11, 13), 100).await?.0,
        2,
        "7 days before"
    );
    assert_eq!(
        run_pass(&app.pool, &postbox.mailer, day(2013, 11, 14), 100).await?.0,
        0,
        "once"
    );
    let to_member = meeting_mail(&member.email);
    assert_eq!(to_member.len(), 1);
    let text = &to_member[0].text;
    assert!(
        to_member[0].subject.contains("20 novembre 2013 : 1 action(s)"),
        "{}",
        to_member[0].subject
    );
    assert!(text.contains("depuis le 2 octobre 2013"), "{text}");
    assert!(text.contains(&format!("/actions/{stale}")), "{text}");
    assert!(
        !text.contains(&format!("/actions/{updated}")),
        "the updated action is not listed: {text}"
    );
    assert_eq!(meeting_mail(&board.email).len(), 1);
    assert!(meeting_mail(&app.account(Role::Observer).email).is_empty());
    Ok(())
}
