//! No lost updates: 64 clients update the same action at once, each with its own If-Match.

use std::collections::BTreeMap;
use std::time::Instant;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

const CLIENTS: usize = 64;

async fn action_id(app: &TestApp) -> i64 {
    let plan = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let page = app
        .get(&format!("/api/v1/actions?plan_id={plan}&q=Tournee des regions&limit=1"))
        .await
        .body;
    page["items"][0]["id"].as_i64().unwrap_or_default()
}

async fn post_update(app: &TestApp, action: i64, etag: &str, note: &str) -> (StatusCode, Value) {
    let reply = app
        .request(
            Method::POST,
            &format!("/api/v1/actions/{action}/status-updates"),
            Some(json!({"status": "in_progress", "note": note})),
            &[("If-Match", etag)],
        )
        .await;
    (reply.status, reply.body)
}

async fn history(app: &TestApp, action: i64) -> Vec<Value> {
    app.get(&format!("/api/v1/actions/{action}/status-updates"))
        .await
        .body
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn with_one_etag_exactly_one_client_wins() -> TestResult {
    let app = TestApp::spawn().await;
    let action = action_id(&app).await;
    let etag = app.etag(&format!("/api/v1/actions/{action}")).await;
    let before = history(&app, action).await.len();

    let mut tasks = Vec::new();
    for i in 0..CLIENTS {
        let client = app.as_role(planaction::auth::Role::Board);
        let etag = etag.clone();
        tasks.push(tokio::spawn(async move {
            (i, post_update(&client, action, &etag, &format!("client {i}")).await)
        }));
    }
    let mut winners = Vec::new();
    let mut losers = 0;
    for task in tasks {
        let (i, (status, body)) = task.await?;
        match status {
            StatusCode::CREATED => winners.push((i, body)),
            StatusCode::PRECONDITION_FAILED => {
                losers += 1;
                assert_eq!(body["type"], "urn:planaction:problem:stale-version");
                assert!(body["current_version"].is_i64(), "{body}");
            }
            other => panic!("client {i}: unexpected {other}: {body}"),
        }
    }
    assert_eq!((winners.len(), losers), (1, CLIENTS - 1));
    let (winner, body) = &winners[0];
    let entries = history(&app, action).await;
    assert_eq!(entries.len(), before + 1, "exactly the winner's change was recorded");
    assert_eq!(entries[0]["note"], format!("client {winner}"));
    assert_eq!(entries[0]["id"], body["status_update"]["id"]);
    let current = app.get(&format!("/api/v1/actions/{action}")).await.body;
    assert_eq!(current["progress_note"], format!("client {winner}"));
    Ok(())
}

#[tokio::test]
async fn clients_that_reload_and_retry_all_get_through_once() -> TestResult {
    let app = TestApp::spawn().await;
    let action = action_id(&app).await;
    let path = format!("/api/v1/actions/{action}");
    let start_version = app.get(&path).await.body["version"].as_i64().unwrap_or_default();
    let before = history(&app, action).await.len();

    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..CLIENTS {
        let client = app.as_role(planaction::auth::Role::Board);
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            for attempt in 1..=500 {
                let etag = client.etag(&path).await;
                match post_update(&client, action, &etag, &format!("retry {i}")).await {
                    (StatusCode::CREATED, body) => return Ok((attempt, body)),
                    (StatusCode::PRECONDITION_FAILED, _) => continue,
                    (status, body) => return Err(format!("client {i}: {status} {body}")),
                }
            }
            Err(format!("client {i} never got through"))
        }));
    }
    let mut attempts = Vec::new();
    let mut versions = Vec::new();
    for task in tasks {
        let (attempt, body) = task.await?.map_err(|e| e.to_string())?;
        attempts.push(attempt);
        versions.push(body["action"]["version"].as_i64().unwrap_or_default());
    }
    let elapsed = started.elapsed();
    versions.sort_unstable();
    let expected: Vec<i64> = (1..=CLIENTS as i64).map(|n| start_version + n).collect();
    assert_eq!(
        versions, expected,
        "each success is one version, none skipped or repeated"
    );

    let entries = history(&app, action).await;
    assert_eq!(entries.len(), before + CLIENTS);
    let mut notes: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &entries[..CLIENTS] {
        *notes
            .entry(entry["note"].as_str().unwrap_or_default().to_owned())
            .or_default() += 1;
    }
    assert_eq!(notes.len(), CLIENTS, "every client's note once");
    assert!(notes.values().all(|&n| n == 1));
    // Each entry's previous status and note chain onto the one before it.
    for pair in entries.windows(2) {
        assert_eq!(pair[0]["previous_status"], pair[1]["new_status"]);
    }
    let total: usize = attempts.iter().sum();
    eprintln!(
        "{CLIENTS} clients, retrying on 412: {total} attempts ({:.1} per client, max {}), {:.0} ms",
        total as f64 / CLIENTS as f64,
        attempts.iter().max().unwrap_or(&0),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}
