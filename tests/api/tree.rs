//! `GET /plans/{id}/tree`: the whole plan, from a fixed number of queries (seven).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::InstrumentationEvent;
use diesel_async::AsyncConnection;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, TestResult, actions_of};

/// How many statements `load_tree` sends for the given plan.
async fn queries_for_tree(app: &TestApp, plan_id: i64) -> usize {
    let mut conn = app.db.connect().await;
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let tree = planaction::plans::tree::load_tree(&mut conn, planaction::ids::PlanId(plan_id)).await;
    assert!(tree.is_ok());
    count.load(Ordering::SeqCst)
}

#[tokio::test]
async fn the_tree_takes_eight_queries_whatever_the_plan_size() -> TestResult {
    let app = TestApp::spawn().await;
    let seed = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let small = app
        .post(
            "/api/v1/plans",
            json!({"title": "Petit", "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap_or_default();
    app.post(&format!("/api/v1/plans/{small}/orientations"), json!({"title": "O"}))
        .await;
    // The plan, orientations, objectives, actions, deadlines, their periods, acronyms, the last deletion.
    assert_eq!(queries_for_tree(&app, seed).await, 8, "42 actions");
    assert_eq!(queries_for_tree(&app, small).await, 8, "no action");
    Ok(())
}

#[tokio::test]
async fn the_tree_nests_everything_in_order() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let reply = app.get(&format!("/api/v1/plans/{plan}/tree")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let tree = reply.body;
    assert_eq!(tree["id"], plan);
    assert_eq!(tree["last_updated_at"], "2013-10-11T04:00:00Z");
    for orientation in tree["orientations"].as_array().into_iter().flatten() {
        assert_eq!(orientation["plan_id"], plan);
        for (i, objective) in orientation["objectives"].as_array().into_iter().flatten().enumerate() {
            assert_eq!(objective["orientation_id"], orientation["id"]);
            assert_eq!(objective["position"], i + 1);
            for (j, action) in objective["actions"].as_array().into_iter().flatten().enumerate() {
                assert_eq!(action["objective_id"], objective["id"]);
                assert_eq!(action["position"], j + 1);
                for deadline in action["deadlines"].as_array().into_iter().flatten() {
                    assert_eq!(deadline["action_id"], action["id"]);
                }
            }
        }
    }
    let deadlines: usize = actions_of(&tree)
        .map(|a| a["deadlines"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(deadlines, 47, "48 deadlines, one of them on an objective");
    assert_eq!(app.get("/api/v1/plans/999999/tree").await.status, StatusCode::NOT_FOUND);
    Ok(())
}
