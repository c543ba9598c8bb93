//! `GET /api/v1/actions`: filters, accent-insensitive search, pagination.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, TestResult};

fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str())
        .collect()
}

#[tokio::test]
async fn text_search_ignores_case_and_accents() -> TestResult {
    let app = TestApp::spawn().await;
    app.import_seed().await;
    // "realise" finds "réalisées" in notes.
    let page = app.get("/api/v1/actions?q=realise").await.body;
    assert_eq!(page["total"], 6, "{page}");
    let notes: Vec<&str> = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["progress_note"].as_str())
        .collect();
    assert!(notes.contains(&"14 rencontres de planification réalisées"), "{notes:?}");
    assert!(notes.contains(&"3 rencontres réalisées"), "{notes:?}");

    // "TOURNEE" finds "Tournée" in titles, in plan order.
    let page = app.get("/api/v1/actions?q=TOURNEE").await.body;
    assert_eq!(page["total"], 7, "6 titles and 1 note say Tournée");
    assert_eq!(titles(&page)[0], "Rencontres de la Tournée des régions");

    // Wildcards are taken literally.
    assert_eq!(app.get("/api/v1/actions?q=%25").await.body["total"], 0);
    assert_eq!(app.get("/api/v1/actions?q=_").await.body["total"], 0);
    Ok(())
}

#[tokio::test]
async fn filters_combine() -> TestResult {
    let app = TestApp::spawn().await;
    let report = app.import_seed().await;
    let plan = report["plan"]["id"].as_i64().unwrap_or_default();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let orientation = tree["orientations"][1]["id"].as_i64().unwrap_or_default();
    let objective = tree["orientations"][0]["objectives"][0]["id"]
        .as_i64()
        .unwrap_or_default();

    assert_eq!(
        app.get(&format!("/api/v1/actions?plan_id={plan}")).await.body["total"],
        42
    );
    assert_eq!(
        app.get(&format!("/api/v1/actions?orientation_id={orientation}"))
            .await
            .body["total"],
        13
    );
    assert_eq!(
        app.get(&format!("/api/v1/actions?objective_id={objective}")).await.body["total"],
        7
    );

    let completed = app.get("/api/v1/actions?status=completed").await.body;
    assert_eq!(completed["total"], 4, "{completed}");
    let both = app.get("/api/v1/actions?status=completed,in_preparation").await.body;
    assert_eq!(both["total"], 7, "{both}");
    let in_first_orientation = app
        .get(&format!(
            "/api/v1/actions?status=in_progress&orientation_id={}",
            tree["orientations"][0]["id"]
        ))
        .await
        .body;
    assert_eq!(in_first_orientation["total"], 5, "{in_first_orientation}");
    assert_eq!(app.get("/api/v1/actions?plan_id=999999").await.body["total"], 0);
    let reply = app.get("/api/v1/actions?status=done").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}

#[tokio::test]
async fn pages_cover_every_action_once() -> TestResult {
    let app = TestApp::spawn().await;
    app.import_seed().await;
    let mut seen = Vec::new();
    for offset in (0..42).step_by(10) {
        let page = app.get(&format!("/api/v1/actions?limit=10&offset={offset}")).await.body;
        assert_eq!(page["total"], 42);
        assert_eq!(page["limit"], 10);
        assert_eq!(page["offset"], offset);
        seen.extend(
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["id"].as_i64()),
        );
    }
    assert_eq!(seen.len(), 42);
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 42);
    let past_the_end = app.get("/api/v1/actions?limit=10&offset=100").await.body;
    assert_eq!(past_the_end["items"], Value::Array(vec![]));
    assert_eq!(past_the_end["total"], 42);
    Ok(())
}
