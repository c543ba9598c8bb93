//! Webhooks against a receiver started by the test (Python, verifying each delivery with the
//! `standardwebhooks` package): a status update, a saved report and a sign-off each arrive
//! once, signed; the receiver down for a while: retried and delivered, in the log; a wrong
//! secret fails verification; addresses that are private are refused at registration.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use planaction::auth::Role;
use planaction::webhooks::delivery::deliver_due;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb, TestResult};

/// A receiver on `port`, verifying with `secret`; stopped when dropped.
struct Receiver {
    child: Child,
    out: PathBuf,
}

impl Receiver {
    async fn start(port: u16, secret: &str, out: &PathBuf) -> Receiver {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let child = Command::new(root.join("target/python-tools/bin/python"))
            .arg(root.join("tests/api/webhook_receiver.py"))
            .args([port.to_string(), secret.to_owned()])
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("python (scripts/ensure-python-tools installs standardwebhooks): {e}"));
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Receiver {
            child,
            out: out.clone(),
        }
    }

    /// Every request received so far, in order.
    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Makes what is waiting due now (the test does not wait out the backoff).
async fn due_now(app: &TestApp) -> TestResult {
    use diesel_async::RunQueryDsl;
    let mut conn = app.db.connect().await;
    diesel::sql_query("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE state = 'waiting'")
        .execute(&mut conn)
        .await?;
    Ok(())
}

#[tokio::test]
async fn private_addresses_are_refused_without_the_operators_leave() -> TestResult {
    let app = TestApp::spawn().await;
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://10.0.0.8/hook",
        "https://localhost/hook",
    ] {
        let refused = app
            .post(
                "/api/v1/webhooks",
                json!({"url": url, "event_types": ["action.status_updated"]}),
            )
            .await;
        assert_eq!(refused.status, 422, "{url}: {}", refused.body);
        assert_eq!(refused.body["errors"][0]["field"], "url", "{url}");
    }
    let unknown = app
        .post(
            "/api/v1/webhooks",
            json!({"url": "https://127.0.0.1/", "event_types": ["user.created"]}),
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.to_string().contains("user.created"), "{}", unknown.body);
    let board = app
        .as_role(Role::Board)
        .post(
            "/api/v1/webhooks",
            json!({"url": "https://example.org/", "event_types": ["plan.created"]}),
        )
        .await;
    assert_eq!(board.status, 403);
    Ok(())
}

#[tokio::test]
async fn each_event_arrives_once_signed_and_a_receiver_down_gets_it_later() -> TestResult {
    let app = TestApp::spawn_configured(TestDb::new().await, |state| state.webhooks_allow_private = true).await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let action = crate::helpers::actions_of(&tree)
        .find(|a| a["status"] != "completed")
        .map(|a| a["id"].clone())
        .unwrap_or_default();
    let port = free_port();
    let made = app
        .post(
            "/api/v1/webhooks",
            json!({"url": format!("http://127.0.0.1:{port}/planaction"), "description": "Tableau du MESS",
                "event_types": ["action.status_updated", "report.saved", "report.signed_off"]}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let secret = made.body["secret"].as_str().unwrap_or_default().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert!(
        !app.get("/api/v1/webhooks").await.body.to_string().contains(&secret),
        "the secret is shown once"
    );
    let endpoint = made.body["webhook"]["id"].clone();
    let out = std::env::temp_dir().join(format!("planaction-webhooks-{}.jsonl", uuid::Uuid::new_v4()));
    let receiver = Receiver::start(port, &secret, &out).await;

    // A status update, a saved report and its sign-off: three events, each once, verified.
    let board = app.as_role(Role::Board);
    let updated = board
        .record_status(&action, json!({"status": "in_progress", "note": "7 régions visitées"}))
        .await;
    assert_eq!(updated.status, 201, "{}", updated.body);
    let saved = app
        .post(
            &format!("/api/v1/plans/{plan}/reports"),
            json!({"since": "2013-10-01", "until": "2013-10-31"}),
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.body);
    let report = format!("/api/v1/reports/{}", saved.body["id"]);
    let etag = board.etag(&report).await;
    let signed = board
        .request(
            Method::POST,
            &format!("{report}/sign-off"),
            Some(json!({"meeting_reference": "CA du 20 novembre 2013"})),
            &[("If-Match", etag.as_str())],
        )
        .await;
    assert_eq!(signed.status, 200, "{}", signed.body);
    let (a, b) = tokio::join!(deliver_due(&app.pool, true, 100), deliver_due(&app.pool, true, 100));
    assert_eq!(a?.delivered + b?.delivered, 3);
    // Two instances deliver at once: in any order (as Standard Webhooks has it), each once.
    let received = receiver.received();
    let of = |kind: &str| -> Vec<Value> { received.iter().filter(|r| r["type"] == kind).cloned().collect() };
    let mut types: Vec<&str> = received.iter().filter_map(|r| r["type"].as_str()).collect();
    types.sort_unstable();
    assert_eq!(
        types,
        ["action.status_updated", "report.saved", "report.signed_off"],
        "{received:?}"
    );
    assert!(received.iter().all(|r| r["verified"] == true), "{received:?}");
    let update = &of("action.status_updated")[0];
    assert_eq!(update["data"]["object"]["new_status"], "in_progress");
    assert_eq!(update["data"]["object"]["note"], "7 régions visitées");
    assert_eq!(
        update["data"]["links"]["self"],
        format!("/api/v1/actions/{action}/status-updates")
    );
    assert_eq!(
        of("report.signed_off")[0]["data"]["object"]["meeting_reference"],
        "CA du 20 novembre 2013"
    );
    assert_eq!(of("report.saved")[0]["data"]["object"]["signed_off_by"], Value::Null);
    assert_eq!(deliver_due(&app.pool, true, 100).await?.delivered, 0, "nothing twice");

    // The receiver down: the delivery waits, is retried, arrives once; the log has both tries.
    drop(receiver);
    board
        .record_status(&action, json!({"status": "in_progress", "note": "8 régions visitées"}))
        .await;
    let done = deliver_due(&app.pool, true, 100).await?;
    assert_eq!((done.delivered, done.retried), (0, 1));
    assert_eq!(
        deliver_due(&app.pool, true, 100).await?.retried,
        0,
        "not before its backoff (5 s)"
    );
    let receiver = Receiver::start(port, &secret, &out).await;
    due_now(&app).await?;
    assert_eq!(deliver_due(&app.pool, true, 100).await?.delivered, 1);
    let notes: Vec<&str> = receiver
        .received()
        .iter()
        .filter_map(|r| r["data"]["object"]["note"].as_str())
        .map(|s| s.to_owned().leak() as &str)
        .collect();
    assert_eq!(notes, ["7 régions visitées", "8 régions visitées"]);
    let log = app.get(&format!("/api/v1/webhooks/{endpoint}/deliveries")).await;
    assert_eq!(log.status, 200, "{}", log.body);
    let last = &log.body[0];
    assert_eq!(last["state"], "delivered");
    assert_eq!(last["attempts_log"].as_array().map(Vec::len), Some(2), "{last}");
    assert!(last["attempts_log"][0]["error"].is_string(), "{last}");
    assert_eq!(last["attempts_log"][1]["status_code"], 204, "{last}");

    // A receiver with a wrong secret refuses the delivery (400), which is retried and logged.
    drop(receiver);
    let wrong = Receiver::start(port, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &out).await;
    board
        .record_status(&action, json!({"status": "completed", "note": "16 régions visitées"}))
        .await;
    assert_eq!(deliver_due(&app.pool, true, 100).await?.retried, 1);
    let refused = wrong.received().last().cloned().unwrap_or_default();
    assert_eq!(refused["verified"], false, "{refused}");
    let log = app.get(&format!("/api/v1/webhooks/{endpoint}/deliveries")).await.body;
    assert_eq!(log[0]["attempts_log"][0]["status_code"], 400, "{}", log[0]);

    // The secret rotated: both sign for a day, so the right receiver verifies the retry.
    drop(wrong);
    let rotated = app
        .post(&format!("/api/v1/webhooks/{endpoint}/secret"), json!({}))
        .await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let receiver = Receiver::start(port, rotated.body["secret"].as_str().unwrap_or_default(), &out).await;
    due_now(&app).await?;
    assert_eq!(deliver_due(&app.pool, true, 100).await?.delivered, 1);
    let last = receiver.received().last().cloned().unwrap_or_default();
    assert_eq!(last["verified"], true, "{last}");
    assert_eq!(
        last["signature"].as_str().map(|s| s.split(' ').count()),
        Some(2),
        "{last}"
    );

    // Sent again on demand: the same webhook-id, for the receiver to drop if it has it.
    let delivered = &app.get(&format!("/api/v1/webhooks/{endpoint}/deliveries")).await.body[0];
    let again = app
        .post(
            &format!("/api/v1/webhook-deliveries/{}/redelivery", delivered["id"]),
            json!({}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(deliver_due(&app.pool, true, 100).await?.delivered, 1);
    assert_eq!(
        receiver.received().last().map(|r| r["id"].clone()),
        Some(delivered["message_id"].clone())
    );
    let _ = std::fs::remove_file(&out);
    Ok(())
}

/// An endpoint that has failed for days is turned off, and the coordination is told by mail.
#[tokio::test]
async fn an_endpoint_failing_for_days_is_turned_off_and_the_coordination_told() -> TestResult {
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn_configured(TestDb::new().await, |state| state.webhooks_allow_private = true).await;
    let postbox = crate::mail::Postbox::open().await;
    let (_, action) = app.seed_with_an_action().await;
    // Nothing listens on this port.
    let url = format!("http://127.0.0.1:{}/hook", free_port());
    let made = app
        .post(
            "/api/v1/webhooks",
            json!({"url": url, "event_types": ["action.status_updated"]}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let endpoint = made.body["webhook"]["id"].clone();
    let mut conn = app.db.connect().await;
    diesel::sql_query(format!(
        "UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = {endpoint}"
    ))
    .execute(&mut conn)
    .await?;
    app.as_role(Role::Board)
        .record_status(&action, json!({"status": "in_progress", "note": "Tournée commencée"}))
        .await;
    assert_eq!(deliver_due(&app.pool, true, 100).await?.retried, 1);
    let off = app.get(&format!("/api/v1/webhooks/{endpoint}")).await.body;
    assert_eq!(off["enabled"], false, "{off}");
    assert!(
        off["disabled_reason"].as_str().unwrap_or_default().contains("5 jours"),
        "{off}"
    );
    // Off: not tried again, even when due.
    due_now(&app).await?;
    assert_eq!(deliver_due(&app.pool, true, 100).await?, Default::default());
    postbox.deliver(&app).await;
    let told: Vec<_> = postbox
        .for_address(&app.account(Role::Admin).email)
        .into_iter()
        .filter(|m| m.subject.starts_with("Webhook désactivé"))
        .collect();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].text.contains(&format!("/api/v1/webhooks/{endpoint}")),
        "{}",
        told[0].text
    );
    Ok(())
}
