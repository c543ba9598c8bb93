//! Calendar feeds, read by Python's `icalendar` (what a calendar application does): the
//! October 2013 échéanciers with the right days, stable UIDs, a wrong or revoked address 404.

use std::collections::BTreeSet;
use std::process::Command;

use planaction::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

/// The feed's events as a calendar reads them: uid, summary, first day, day after the last.
fn parse(feed: &str) -> Vec<(String, String, String, String)> {
    let script = "import icalendar, json, sys\n\
                  cal = icalendar.Calendar.from_ical(sys.stdin.read())\n\
                  print(json.dumps([[str(e['UID']), str(e['SUMMARY']), e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat()] for e in cal.walk('VEVENT')]))";
    let python = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/python-tools/bin/python");
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python (scripts/ensure-python-tools installs icalendar): {e}"));
    use std::io::Write as _;
    child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(feed.as_bytes()))
        .transpose()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

async fn fetch(app: &TestApp, url: &str) -> (u16, String, String) {
    let path = url
        .split_once("/api/v1/")
        .map(|(_, p)| format!("/api/v1/{p}"))
        .unwrap_or_default();
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn a_plans_feed_holds_its_october_2013_echeanciers_with_their_days() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let made = app
        .as_role(Role::Observer)
        .post("/api/v1/me/calendar-feeds", json!({"plan_id": plan}))
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let url = made.body["url"].as_str().unwrap_or_default().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:8080/api/v1/calendar/") && url.ends_with(".ics"),
        "{url}"
    );

    // No sign-in: a calendar application sends none.
    let (status, kind, feed) = fetch(&app, &url).await;
    assert_eq!(status, 200, "{feed}");
    assert_eq!(kind, "text/calendar; charset=utf-8");
    let events = parse(&feed);
    let has = |label: &str, start: &str, end: &str| {
        events
            .iter()
            .any(|(_, summary, s, e)| summary.starts_with(&format!("{label} — ")) && s == start && e == end)
    };
    assert!(has("3 octobre 2013", "2013-10-03", "2013-10-04"), "{events:?}");
    // A fuzzy period over the days it was read as (DTEND is the day after the last).
    assert!(has("Aut.13 - Hiver 14", "2013-09-22", "2014-03-21"), "{events:?}");
    assert!(
        !events.iter().any(|(_, s, _, _)| s.starts_with("En continu")),
        "{events:?}"
    );
    // Every period of October 2013 the plan's calendar lists is in the feed, with its days.
    let october = app
        .get(&format!(
            "/api/v1/plans/{plan}/calendar?since=2013-10-01&until=2013-10-31"
        ))
        .await
        .body;
    let entries = october.as_array().cloned().unwrap_or_default();
    assert!(entries.len() >= 5, "{october}");
    for entry in &entries {
        let day_after = entry["end"]
            .as_str()
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
            .and_then(|d| d.succ_opt())
            .map(|d| d.to_string())
            .unwrap_or_default();
        let found = events.iter().any(|(uid, summary, start, end)| {
            uid.starts_with(&format!("deadline-{}-", entry["deadline_id"]))
                && summary.starts_with(entry["label"].as_str().unwrap_or("?"))
                && Some(start.as_str()) == entry["start"].as_str()
                && *end == day_after
        });
        if entry["kind"] != "ongoing" && entry["kind"] != "recurring" {
            assert!(found, "{entry} is not in the feed: {events:?}");
        }
    }
    // Fetched again: the same UIDs (a calendar updates instead of doubling).
    let uids = |events: &[(String, String, String, String)]| -> BTreeSet<String> {
        events.iter().map(|(uid, ..)| uid.clone()).collect()
    };
    let again = parse(&fetch(&app, &url).await.2);
    assert_eq!(uids(&events), uids(&again));
    assert_eq!(uids(&events).len(), events.len(), "UIDs are unique");
    let listed = app.as_role(Role::Observer).get("/api/v1/me/calendar-feeds").await.body;
    assert!(listed[0]["last_fetched_at"].is_string(), "{listed}");

    // A wrong address, then a revoked one: 404.
    let wrong = url.replace("/calendar/", "/calendar/x");
    assert_eq!(fetch(&app, &wrong).await.0, 404);
    let revoke = format!("/api/v1/calendar-feeds/{}", made.body["feed"]["id"]);
    assert_eq!(
        app.as_role(Role::Member)
            .request(Method::DELETE, &revoke, None, &[])
            .await
            .status,
        404
    );
    assert_eq!(
        app.as_role(Role::Observer)
            .request(Method::DELETE, &revoke, None, &[])
            .await
            .status,
        204
    );
    let (status, kind, body) = fetch(&app, &url).await;
    assert_eq!((status, kind.as_str()), (404, "application/problem+json"), "{body}");
    Ok(())
}

#[tokio::test]
async fn a_personal_feed_holds_the_actions_one_is_assigned_or_follows() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let dated: Vec<Value> = crate::helpers::actions_of(&tree)
        .filter(|a| {
            a["deadlines"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["kind"] == "date" || d["kind"] == "month"))
        })
        .cloned()
        .collect();
    let (assigned, followed) = (&dated[0], &dated[1]);
    let member = app.as_role(Role::Member);
    app.post(
        &format!("/api/v1/actions/{}/assignees", assigned["id"]),
        json!({"user_id": app.account_id(Role::Member)}),
    )
    .await;
    member
        .request(
            Method::PUT,
            &format!("/api/v1/actions/{}/follow", followed["id"]),
            None,
            &[],
        )
        .await;
    let made = member.post("/api/v1/me/calendar-feeds", json!({})).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["feed"]["plan_id"], Value::Null);
    let events = parse(&fetch(&app, made.body["url"].as_str().unwrap_or_default()).await.2);
    let titles: BTreeSet<String> = events
        .iter()
        .filter_map(|(_, summary, ..)| summary.split_once(" — ").map(|(_, t)| t.to_owned()))
        .collect();
    let plain = |a: &Value| a["title"].as_str().unwrap_or_default().replace('*', "");
    assert_eq!(titles, BTreeSet::from([plain(assigned), plain(followed)]), "{events:?}");
    // A deactivated owner's feed shows nothing.
    let user = format!("/api/v1/users/{}", app.account_id(Role::Member));
    let etag = app.etag(&user).await;
    app.request(
        Method::PATCH,
        &user,
        Some(json!({"active": false})),
        &[("If-Match", etag.as_str())],
    )
    .await;
    assert_eq!(fetch(&app, made.body["url"].as_str().unwrap_or_default()).await.0, 404);
    Ok(())
}
