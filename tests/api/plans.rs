use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult, find_action};

#[tokio::test]
async fn plans_are_created_read_changed_and_listed() -> TestResult {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/plans",
            json!({"title": " Plan d'action 2014-2015 ", "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30", "heading_note": "Note"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.body["id"].as_i64().unwrap_or_default();
    assert_eq!(
        reply.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/api/v1/plans/{id}").as_str())
    );
    assert_eq!(reply.body["title"], "Plan d'action 2014-2015");
    assert_eq!(reply.body["archived"], false);
    assert_eq!(reply.body["last_updated_at"], reply.body["updated_at"]);

    let reply = app
        .patch(
            &format!("/api/v1/plans/{id}"),
            json!({"heading_note": null, "archived": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["heading_note"], Value::Null);
    assert_eq!(reply.body["archived"], true);
    assert_eq!(reply.body["version"], 2);

    // A period that would end before it starts, through a partial change.
    let reply = app
        .patch(&format!("/api/v1/plans/{id}"), json!({"period_end": "2014-01-01"}))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    app.import_seed().await;
    let all = app.get("/api/v1/plans").await.body;
    let titles: Vec<&str> = all
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        ["Plan d'action 2014-2015", "Plan d'action 2013-2014"],
        "newest year first"
    );
    let current = app.get("/api/v1/plans?archived=false").await.body;
    assert_eq!(current.as_array().map(Vec::len), Some(1));
    assert_eq!(current[0]["title"], "Plan d'action 2013-2014");
    Ok(())
}

#[tokio::test]
async fn the_update_date_follows_the_latest_change_in_the_plan() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let before = app.get(&format!("/api/v1/plans/{plan}")).await.body;
    assert_eq!(before["last_updated_at"], "2013-10-11T04:00:00Z");

    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let action = find_action(&tree, "Rencontres de la Tournée des régions")["id"].clone();
    let changed = app
        .patch(
            &format!("/api/v1/actions/{action}"),
            json!({"progress_note": "7 régions visitées"}),
        )
        .await
        .body;
    let after = app.get(&format!("/api/v1/plans/{plan}")).await.body;
    assert_eq!(after["last_updated_at"], changed["updated_at"]);
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    assert_eq!(tree["last_updated_at"], changed["updated_at"]);
    assert_eq!(
        after["version"], before["version"],
        "the plan row itself did not change"
    );
    Ok(())
}

/// Rows of `deadlines` and `actions` read by this transaction so far.
async fn rows_read(conn: &mut diesel_async::AsyncPgConnection) -> diesel::QueryResult<i64> {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Read {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        rows: i64,
    }
    let read: Read = diesel::sql_query(
        "SELECT coalesce(sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)), 0)::bigint AS rows \
         FROM pg_stat_xact_user_tables WHERE relname IN ('deadlines', 'actions')",
    )
    .get_result(conn)
    .await?;
    Ok(read.rows)
}

/// A plan's "Mise à jour" reads that plan's rows, not every plan's: the deadlines were
/// joined on coalesce(), which no index serves (22 plans and 50,000 deadlines took 0.8 s
/// for `GET /plans`).
#[tokio::test]
async fn a_plans_update_date_reads_its_own_rows_only() -> TestResult {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let app = TestApp::spawn().await;
    let small = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let mut conn = app.db.connect().await;
    planaction::fixture::create(&mut conn, 20_000, 0).await?;
    diesel::sql_query("ANALYZE").execute(&mut conn).await?;
    let read = conn
        .transaction(async |conn| {
            let before = rows_read(conn).await?;
            diesel::sql_query(format!("SELECT plan_last_changed_at({small})"))
                .execute(conn)
                .await?;
            Ok::<_, diesel::result::Error>(rows_read(conn).await? - before)
        })
        .await?;
    // The seed plan has about 50 actions and as many deadlines; the other plan, 20,000 each.
    assert!(
        read < 1_000,
        "{read} rows of deadlines and actions read for a plan of about 50 actions"
    );
    Ok(())
}
