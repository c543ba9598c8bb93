//! Connection pool, embedded migrations, and creating the database on first start.

pub mod json;
mod pool;
mod prepared;
pub mod schema;
pub mod text_enum;

use std::time::Duration;

use anyhow::{Context, anyhow};
use deadpool::managed::{Object, Pool};
use diesel::prelude::*;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use prepared::Reused;

pub type DbPool = Pool<pool::CheckedWhenIdle>;
pub type DbConn = Object<pool::CheckedWhenIdle>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Every table of the schema, read from `schema.rs` (which `diesel print-schema` writes:
/// `diesel::table! {` then the table's name): PostgreSQL names constraints after them
/// (`actions_title_check`). A test checks the list against the migrated database.
pub static TABLES: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| tables_in(include_str!("schema.rs")));

fn tables_in(schema: &'static str) -> Vec<&'static str> {
    schema
        .split("diesel::table! {")
        .skip(1)
        .filter_map(|block| block.split_whitespace().next())
        .collect()
}

/// How long the service waits on the database before answering 503: a hung or
/// unreachable server must not hang requests without bound.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_size: usize,
    /// Opening a connection, and checking a pooled one before it is lent.
    pub connect_timeout: Duration,
    /// Waiting for a free connection.
    pub wait_timeout: Duration,
    /// One statement, enforced by PostgreSQL (`statement_timeout`).
    pub statement_timeout: Duration,
}

/// Each of the three timeouts unless configured.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 5;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(DEFAULT_TIMEOUT_SECONDS);

impl PoolSettings {
    pub fn new(max_size: usize) -> PoolSettings {
        PoolSettings {
            max_size,
            connect_timeout: DEFAULT_TIMEOUT,
            wait_timeout: DEFAULT_TIMEOUT,
            statement_timeout: DEFAULT_TIMEOUT,
        }
    }
}

pub fn pool(database_url: &str, settings: PoolSettings) -> anyhow::Result<DbPool> {
    let url = with_session_settings(database_url, settings.statement_timeout)?;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Pool::builder(pool::CheckedWhenIdle(manager))
        .max_size(settings.max_size)
        .runtime(deadpool::Runtime::Tokio1)
        .create_timeout(Some(settings.connect_timeout))
        .recycle_timeout(Some(settings.connect_timeout))
        .wait_timeout(Some(settings.wait_timeout))
        .build()
        .context("building the connection pool")
}

/// The URL with the statement timeout every pooled session gets (`options=-c …`).
fn with_session_settings(database_url: &str, statement_timeout: Duration) -> anyhow::Result<String> {
    let mut url = url::Url::parse(database_url).context("DATABASE_URL is not a valid URL")?;
    // tokio-postgres decodes %20 but not `+`, which `query_pairs_mut` would write for a space.
    let options = format!("-c statement_timeout={}", statement_timeout.as_millis());
    let options = percent_encoding::utf8_percent_encode(&options, percent_encoding::NON_ALPHANUMERIC);
    let query = match url.query() {
        Some(query) if !query.is_empty() => format!("{query}&options={options}"),
        _ => format!("options={options}"),
    };
    url.set_query(Some(&query));
    Ok(url.to_string())
}

/// Applies pending migrations; returns the names of those applied.
pub async fn migrate(database_url: &str) -> anyhow::Result<Vec<String>> {
    let url = database_url.to_owned();
    // The migration harness is synchronous: run it on a blocking thread.
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(&url)
            .map_err(|e| anyhow!("{e}"))
            .context("connecting to run migrations")?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow!("{e}"))
            .context("running migrations")?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await
    .context("migration task")?
}

/// The URL of the same server's maintenance database, and the name of the database in `url`.
pub fn maintenance_url(database_url: &str) -> anyhow::Result<(String, String)> {
    let mut url = url::Url::parse(database_url).context("DATABASE_URL is not a valid URL")?;
    let name = url.path().trim_start_matches('/').to_owned();
    if name.is_empty() {
        return Err(anyhow!("DATABASE_URL names no database"));
    }
    url.set_path("/postgres");
    Ok((url.to_string(), name))
}

pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Connects to the database, creating it when the server answers but the database
/// does not exist yet. Returns a sentence a person can act on when no server answers.
pub async fn ensure_database(database_url: &str) -> anyhow::Result<()> {
    match AsyncPgConnection::establish(database_url).await {
        Ok(_) => Ok(()),
        Err(error) if error.to_string().contains("does not exist") => {
            let (maintenance, name) = maintenance_url(database_url)?;
            let mut conn = AsyncPgConnection::establish(&maintenance)
                .await
                .with_context(|| format!("connecting to {maintenance} to create the database"))?;
            diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(&name)))
                .execute(&mut conn)
                .await
                .with_context(|| format!("creating database {name}"))?;
            tracing::info!(database = %name, "database created");
            Ok(())
        }
        Err(error) => Err(anyhow!(
            "No PostgreSQL server answers at {} ({error}). Start one (for example `pg_ctlcluster 15 main start`, or `docker compose up db`) or set DATABASE_URL.",
            redact(database_url)
        )),
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        Err(_) => "<invalid DATABASE_URL>".to_owned(),
    }
}

diesel::define_sql_function! {
    /// lower(unaccent(text)), from the first migration.
    fn search_fold(input: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// `SELECT 1`, for the readiness probe.
pub async fn ping(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
        .get_result::<i32>(conn)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maintenance_url_keeps_the_server() -> anyhow::Result<()> {
        let (url, name) = maintenance_url("postgres://postgres:pw@127.0.0.1:5432/planaction")?;
        assert_eq!(url, "postgres://postgres:pw@127.0.0.1:5432/postgres");
        assert_eq!(name, "planaction");
        Ok(())
    }

    #[test]
    fn pooled_sessions_get_the_statement_timeout() -> anyhow::Result<()> {
        let url = with_session_settings("postgres://u@db/planaction?sslmode=disable", Duration::from_secs(5))?;
        assert_eq!(
            url,
            "postgres://u@db/planaction?sslmode=disable&options=%2Dc%20statement%5Ftimeout%3D5000"
        );
        Ok(())
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@db:5432/planaction"),
            "postgres://u:***@db:5432/planaction"
        );
    }
}

diesel::define_sql_function! {
    /// `search_fold` over a nullable column.
    #[sql_name = "search_fold"]
    fn search_fold_nullable(input: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
pub fn like_contains(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

diesel::define_sql_function! {
    fn lower(input: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
