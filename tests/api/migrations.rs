//! Every down.sql really reverses its up.sql.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::MigrationHarness;

use crate::helpers::{TestDb, TestResult};

#[derive(QueryableByName, Debug, PartialEq, Eq, Clone)]
struct Item {
    #[diesel(sql_type = Text)]
    item: String,
}

/// A fingerprint of everything a migration can create.
async fn schema(db: &TestDb) -> Vec<String> {
    let mut conn = db.connect().await;
    let query = "
        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS item
            FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
        UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
        UNION ALL SELECT 'extension ' || extname FROM pg_extension
        UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd', 'c') AND typrelid = 0
        ORDER BY 1";
    let items: Vec<Item> = diesel::sql_query(query).load(&mut conn).await.unwrap_or_default();
    items
        .into_iter()
        .map(|i| i.item)
        .filter(|i| !i.contains("__diesel_schema_migrations"))
        .collect()
}

#[tokio::test]
async fn every_migration_reverts_to_the_schema_before_it() -> TestResult {
    let db = TestDb::empty().await;
    let url = db.url.clone();
    let before = schema(&db).await;
    planaction::db::migrate(&url).await?;
    let migrated = schema(&db).await;
    assert!(
        migrated.iter().any(|i| i.starts_with("column actions.status")),
        "migrations ran"
    );

    let reverted_url = url.clone();
    tokio::task::spawn_blocking(move || -> Result<(), String> {
        let mut conn =
            <AsyncConnectionWrapper<diesel_async::AsyncPgConnection> as diesel::Connection>::establish(&reverted_url)
                .map_err(|e| e.to_string())?;
        conn.revert_all_migrations(planaction::db::MIGRATIONS)
            .map_err(|e| e.to_string())?;
        Ok(())
    })
    .await??;
    assert_eq!(schema(&db).await, before, "down.sql left something behind");

    planaction::db::migrate(&url).await?;
    assert_eq!(schema(&db).await, migrated, "up.sql is not repeatable after down.sql");
    Ok(())
}

#[tokio::test]
async fn actions_that_predate_the_history_get_their_first_entry() -> TestResult {
    use diesel_migrations::MigrationHarness;
    let db = TestDb::empty().await;
    let url = db.url.clone();
    // Migrate up to the plan structure only, import, then add the history migration.
    tokio::task::spawn_blocking(move || -> Result<(), String> {
        let mut conn = <AsyncConnectionWrapper<diesel_async::AsyncPgConnection> as diesel::Connection>::establish(&url)
            .map_err(|e| e.to_string())?;
        conn.run_next_migration(planaction::db::MIGRATIONS)
            .map_err(|e| e.to_string())?;
        Ok(())
    })
    .await??;
    let mut conn = db.connect().await;
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        "INSERT INTO plans (title, organization, period_start, period_end) VALUES ('P', 'RQDS', '2013-07-01', '2014-06-30');
         INSERT INTO orientations (plan_id, position, title) VALUES (1, 1, 'O');
         INSERT INTO objectives (orientation_id, position, title) VALUES (1, 1, 'B');
         INSERT INTO actions (objective_id, position, title, status, progress_note) VALUES (1, 1, 'A', 'in_progress', '6 régions visitées')",
    )
    .await?;
    planaction::db::migrate(&db.url).await?;
    let entries: Vec<Item> = diesel::sql_query("SELECT new_status || ' ' || note AS item FROM status_updates")
        .load(&mut conn)
        .await?;
    assert_eq!(
        entries,
        [Item {
            item: "in_progress 6 régions visitées".to_owned()
        }]
    );
    Ok(())
}

/// The error mapping names a constraint's column by stripping its table's name: the list
/// of tables it knows must be the schema's.
#[tokio::test]
async fn the_error_mapping_knows_every_table() -> TestResult {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    let tables: Vec<Item> = diesel::sql_query(
        "SELECT tablename AS item FROM pg_tables WHERE schemaname = 'public' \
         AND tablename <> '__diesel_schema_migrations' ORDER BY 1",
    )
    .load(&mut conn)
    .await?;
    let tables: Vec<String> = tables.into_iter().map(|t| t.item).collect();
    assert_eq!(tables, *planaction::db::TABLES);
    Ok(())
}

/// The statuses the database accepts are the ones the code knows, no more, no less.
#[tokio::test]
async fn the_status_domain_is_the_status_list() -> TestResult {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    let definition: Vec<Item> = diesel::sql_query(
        "SELECT pg_get_constraintdef(oid) AS item FROM pg_constraint WHERE conname = 'action_status_known'",
    )
    .load(&mut conn)
    .await?;
    let definition = definition.into_iter().next().map(|d| d.item).unwrap_or_default();
    let mut in_sql: Vec<&str> = definition.split('\'').skip(1).step_by(2).collect();
    let mut in_rust: Vec<&str> = planaction::progress::ActionStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    in_sql.sort_unstable();
    in_rust.sort_unstable();
    assert_eq!(in_sql, in_rust, "{definition}");
    let columns: Vec<Item> = diesel::sql_query(
        "SELECT table_name || '.' || column_name AS item FROM information_schema.columns \
         WHERE domain_name = 'action_status' ORDER BY 1",
    )
    .load(&mut conn)
    .await?;
    let columns: Vec<String> = columns.into_iter().map(|c| c.item).collect();
    assert_eq!(
        columns,
        [
            "actions.status",
            "status_updates.new_status",
            "status_updates.previous_status"
        ]
    );
    Ok(())
}
