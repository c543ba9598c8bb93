//! What people are told of an action, and how they choose it: followers and assignees,
//! never the author; a comment makes its author follow; preferences and role defaults;
//! one-click unsubscribe without a session.

use planaction::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, TestResult};
use crate::mail::Postbox;

#[tokio::test]
async fn followers_and_assignees_hear_of_an_action_and_one_click_stops_a_kind() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let (_, action) = app.seed_with_an_action().await;
    let (member, observer, board) = (
        app.account(Role::Member).clone(),
        app.account(Role::Observer).clone(),
        app.account(Role::Board).clone(),
    );
    let assigned = app
        .post(
            &format!("/api/v1/actions/{action}/assignees"),
            json!({"user_id": member.id}),
        )
        .await;
    assert_eq!(assigned.status, 201);
    let follow = app
        .as_role(Role::Observer)
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/actions/{action}/follow"),
            None,
            &[],
        )
        .await;
    assert_eq!(follow.status, 204, "{}", follow.body);
    postbox.deliver(&app).await;

    // The board comments: the assignee and the follower hear of it; the board now follows.
    let comment = app
        .as_role(Role::Board)
        .post(
            &format!("/api/v1/actions/{action}/comments"),
            json!({"body": "Bilan au CA de novembre"}),
        )
        .await;
    assert_eq!(comment.status, 201, "{}", comment.body);
    assert_eq!(postbox.deliver(&app).await.sent, 2);
    for who in [&member, &observer] {
        let mail = postbox.for_address(&who.email);
        let told = mail.iter().find(|m| m.subject.starts_with("Commentaire"));
        let told = told.unwrap_or_else(|| panic!("{} told of the comment", who.email));
        assert!(told.text.contains("Bilan au CA de novembre"), "{}", told.text);
        assert_eq!(
            told.list_unsubscribe_post.as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
    }
    assert!(
        postbox.for_address(&board.email).is_empty(),
        "not told of its own comment"
    );

    // The assignee updates the status: the board (who commented) and the observer hear.
    let update = app
        .as_role(Role::Member)
        .record_status(&action, json!({"status": "in_progress", "note": "2 régions visitées"}))
        .await;
    assert_eq!(update.status, 201, "{}", update.body);
    assert_eq!(postbox.deliver(&app).await.sent, 2);
    assert_eq!(postbox.for_address(&board.email).len(), 1);
    assert!(
        !postbox
            .for_address(&member.email)
            .iter()
            .any(|m| m.subject.starts_with("État"))
    );

    // The observer's mail client clicks once on the comment's List-Unsubscribe link: no
    // session, no redirection.
    let observers = postbox.for_address(&observer.email);
    let comment_mail = observers.iter().find(|m| m.subject.starts_with("Commentaire"));
    let header = comment_mail
        .and_then(|m| m.list_unsubscribe.clone())
        .unwrap_or_default();
    let link = header
        .trim_matches(['<', '>'])
        .replace("https://plan.rqds.example", &app.address);
    assert!(link.contains("/api/v1/unsubscribe/"), "{header}");
    let one_click = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await?;
    assert_eq!(one_click.status(), 200);
    let said: serde_json::Value = one_click.json().await?;
    assert_eq!(said, json!({"kind": "commented", "frequency": "never"}));
    let preferences = app.as_role(Role::Observer).get("/api/v1/me/notifications").await;
    assert_eq!(preferences.body["frequencies"]["commented"], "never");
    assert_eq!(preferences.body["frequencies"]["status_updated"], "immediate");
    // The text's link opens a page with one button (a link checker turns nothing off).
    let text_link = comment_mail
        .and_then(|m| m.link("https://plan.rqds.example/unsubscribe/"))
        .unwrap_or_default()
        .replace("https://plan.rqds.example", &app.address);
    let page = app.client.get(&text_link).send().await?;
    assert_eq!(page.status(), 200);
    assert!(page.text().await?.contains("Me désabonner"));

    // Another comment: the member hears of it, the observer no longer does.
    app.as_role(Role::Board)
        .post(
            &format!("/api/v1/actions/{action}/comments"),
            json!({"body": "Deuxième bilan"}),
        )
        .await;
    let before = postbox.for_address(&observer.email).len();
    postbox.deliver(&app).await;
    assert_eq!(postbox.for_address(&observer.email).len(), before);
    assert!(
        postbox
            .for_address(&member.email)
            .iter()
            .any(|m| m.text.contains("Deuxième bilan"))
    );

    // The échéancier changes: its assignee and followers are told what moved.
    let deadlines = app.get(&format!("/api/v1/actions/{action}/deadlines")).await;
    let deadline = deadlines.body[0]["id"].as_i64().unwrap_or_default();
    let etag = app.etag(&format!("/api/v1/deadlines/{deadline}")).await;
    let moved = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/deadlines/{deadline}"),
            Some(json!({"label": "Hiver 2014"})),
            &[("if-match", etag.as_str())],
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    postbox.deliver(&app).await;
    let told = postbox.for_address(&member.email);
    let told = told.iter().find(|m| m.subject.starts_with("Échéancier modifié"));
    let text = told.map(|m| m.text.clone()).unwrap_or_default();
    assert!(text.contains("→ «\u{a0}Hiver 2014\u{a0}»"), "{text}");

    // Unfollowing stops the rest.
    let unfollow = app
        .as_role(Role::Observer)
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/actions/{action}/follow"),
            None,
            &[],
        )
        .await;
    assert_eq!(unfollow.status, 204);
    app.as_role(Role::Member)
        .record_status(&action, json!({"status": "completed"}))
        .await;
    let before = postbox.for_address(&observer.email).len();
    postbox.deliver(&app).await;
    assert_eq!(postbox.for_address(&observer.email).len(), before);
    Ok(())
}

#[tokio::test]
async fn preferences_and_role_defaults_decide_what_is_sent() -> TestResult {
    let app = TestApp::spawn().await;
    let member = app.as_role(Role::Member);
    let mine = member.get("/api/v1/me/notifications").await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.body["language"], "fr");
    assert_eq!(mine.body["reminder_days"], 14);
    assert_eq!(
        mine.body["frequencies"].as_object().map(|o| o.len()),
        Some(planaction::write::outbox::NoticeKind::CHOSEN.len())
    );

    let chosen = json!({"language": "en", "reminder_days": 7, "frequencies": {"status_updated": "weekly"}});
    let put = member
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(chosen), &[])
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["frequencies"]["status_updated"], "weekly");
    assert_eq!(put.body["language"], "en");
    // `null` is a kind not chosen (schemathesis sends it, as the document allows).
    let nulls =
        json!({"language": "en", "reminder_days": 7, "frequencies": {"status_updated": "weekly", "assigned": null}});
    let put = member
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(nulls), &[])
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["frequencies"]["assigned"], "immediate");
    // Always sent, never chosen; days out of range.
    for refused in [
        json!({"language": "fr", "reminder_days": 7, "frequencies": {"invitation": "never"}}),
        json!({"language": "fr", "reminder_days": 0}),
        json!({"language": "fr", "reminder_days": 7, "frequencies": {"assigned": "hourly"}}),
    ] {
        let reply = member
            .request(
                reqwest::Method::PUT,
                "/api/v1/me/notifications",
                Some(refused.clone()),
                &[],
            )
            .await;
        assert_eq!(reply.status, 422, "{refused}: {}", reply.body);
    }

    // The coordination sets a role's default: the member's own choice still wins.
    let defaults = json!({"frequencies": {"status_updated": "never", "commented": "daily"}});
    let set = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/notification-defaults/member",
            Some(defaults),
            &[],
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let now = member.get("/api/v1/me/notifications").await;
    assert_eq!(now.body["frequencies"]["status_updated"], "weekly");
    assert_eq!(now.body["frequencies"]["commented"], "daily");
    assert_eq!(app.get("/api/v1/notification-defaults/nobody").await.status, 404);

    // An assignee who chose "never" for assignments gets none; English readers get English.
    let postbox = Postbox::open().await;
    let (_, action) = app.seed_with_an_action().await;
    let never = json!({"language": "en", "reminder_days": 14, "frequencies": {"unassigned": "never"}});
    member
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(never), &[])
        .await;
    let id = app.account_id(Role::Member);
    app.post(&format!("/api/v1/actions/{action}/assignees"), json!({"user_id": id}))
        .await;
    app.delete(&format!("/api/v1/actions/{action}/assignees/{id}")).await;
    let done = postbox.deliver(&app).await;
    assert_eq!((done.sent, done.dropped), (1, 1), "{done:?}");
    let mail = postbox.messages();
    assert!(mail[0].subject.starts_with("Action assigned: "), "{}", mail[0].subject);
    assert!(mail[0].text.starts_with("Hello Compte member,"), "{}", mail[0].text);
    Ok(())
}

/// A weekly digest: three changes in one message, grouped by plan and orientation, sent
/// once even by two instances at once; what comes after waits for the next week.
#[tokio::test]
async fn the_weekly_digest_tells_each_change_once() -> TestResult {
    use planaction::notifications::{as_of_day, run_pass};

    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let (_, action) = app.seed_with_an_action().await;
    let member = app.as_role(Role::Member);
    let email = app.account(Role::Member).email.clone();
    let weekly = json!({"language": "fr", "reminder_days": 14, "frequencies": {
        "status_updated": "weekly", "commented": "weekly", "deadline_changed": "weekly"}});
    let chose = member
        .request(reqwest::Method::PUT, "/api/v1/me/notifications", Some(weekly), &[])
        .await;
    assert_eq!(chose.status, 200, "{}", chose.body);
    let id = app.account_id(Role::Member);
    app.post(&format!("/api/v1/actions/{action}/assignees"), json!({"user_id": id}))
        .await;
    let board = app.as_role(Role::Board);
    board
        .record_status(&action, json!({"status": "in_progress", "note": "Première rencontre"}))
        .await;
    board
        .post(
            &format!("/api/v1/actions/{action}/comments"),
            json!({"body": "À suivre au CA"}),
        )
        .await;
    board.record_status(&action, json!({"status": "completed"})).await;
    let done = postbox.deliver(&app).await;
    assert_eq!(
        (done.sent, done.held),
        (1, 3),
        "the assignment at once, three held: {done:?}"
    );

    // Tuesday 5 November 2013, 8 h: that week's digest (from Monday 7 h) is due.
    let tuesday = as_of_day(chrono::NaiveDate::from_ymd_opt(2013, 11, 5).unwrap_or_default());
    let other = app.another_instance();
    let (a, b) = tokio::join!(
        run_pass(&app.pool, &postbox.mailer, tuesday, 100),
        run_pass(&other.pool, &postbox.mailer, tuesday, 100)
    );
    let (a, b) = (a?, b?);
    assert_eq!(a.0 + b.0, 1, "one digest queued: {a:?} {b:?}");
    assert_eq!(a.1.sent + b.1.sent, 1);
    let digests: Vec<_> = postbox
        .for_address(&email)
        .into_iter()
        .filter(|m| m.subject.starts_with("Résumé"))
        .collect();
    assert_eq!(digests.len(), 1);
    let text = &digests[0].text;
    assert!(
        digests[0].subject.starts_with("Résumé de la semaine : 3 nouvelle(s)"),
        "{}",
        digests[0].subject
    );
    assert_eq!(text.matches("\n– ").count(), 3, "{text}");
    assert_eq!(
        text.matches("Orientation 1").count(),
        1,
        "grouped under its orientation: {text}"
    );
    assert!(
        text.contains("Première rencontre") && text.contains("À suivre au CA"),
        "{text}"
    );

    // Later that week: held for next Monday's digest, not in a second one this week.
    board
        .post(
            &format!("/api/v1/actions/{action}/comments"),
            json!({"body": "Un mot de plus"}),
        )
        .await;
    postbox.deliver(&app).await;
    assert_eq!(run_pass(&app.pool, &postbox.mailer, tuesday, 100).await?.0, 0);
    let monday = as_of_day(chrono::NaiveDate::from_ymd_opt(2013, 11, 11).unwrap_or_default());
    assert_eq!(run_pass(&app.pool, &postbox.mailer, monday, 100).await?.0, 1);
    assert_eq!(run_pass(&app.pool, &postbox.mailer, monday, 100).await?.0, 0);
    let digests: Vec<_> = postbox
        .for_address(&email)
        .into_iter()
        .filter(|m| m.subject.starts_with("Résumé"))
        .collect();
    assert_eq!(digests.len(), 2);
    // (The Maildir's names do not keep the order of arrival.)
    let later = digests.iter().find(|m| m.subject.contains(": 1 nouvelle(s)"));
    let later = later.unwrap_or_else(|| panic!("the next week's digest, of one change"));
    assert!(later.text.contains("Un mot de plus") && !later.text.contains("Première rencontre"));
    Ok(())
}

/// A status update that takes effect before the day it is recorded tells the coordination
/// (a report already given may change); an ordinary one does not.
#[tokio::test]
async fn a_backdated_update_tells_the_coordination() -> TestResult {
    let app = TestApp::spawn().await;
    let postbox = Postbox::open().await;
    let (_, action) = app.seed_with_an_action().await;
    let board = app.as_role(Role::Board);
    let reply = board
        .record_status(
            &action,
            json!({"status": "completed", "effective_on": "2013-11-05", "note": "Vu au CA"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    postbox.deliver(&app).await;
    let admin = app.account(Role::Admin).email.clone();
    let told = postbox.for_address(&admin);
    assert_eq!(
        told.len(),
        1,
        "{:?}",
        told.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    assert!(
        told[0].subject.starts_with("Mise à jour datée d'avant"),
        "{}",
        told[0].subject
    );
    assert!(
        told[0].text.contains("prend effet le 5 novembre 2013"),
        "{}",
        told[0].text
    );
    // Only the coordination: a member choosing that kind hears nothing of it.
    assert!(postbox.for_address(&app.account(Role::Member).email).is_empty());
    Ok(())
}
