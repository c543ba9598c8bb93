//! One app per test, on its own database cloned from a template migrated once.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::net::TcpListener;
use std::path::Path;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use planaction::auth::Role;
use planaction::db::{self, DbPool, quote_identifier};
use planaction::security::jwt::JwtKeys;
use planaction::state::AppState;
use planaction::users::dto::CreateUser;
use planaction::users::model::User;
use planaction::write::{self, Actor};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::OnceCell;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// The server the tests use; `PLANACTION_TEST_DATABASE_URL` may point elsewhere.
pub fn server_url() -> String {
    std::env::var("PLANACTION_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn database_url(name: &str) -> String {
    format!("{}/{name}", server_url())
}

/// A template named after a hash of the migrations, so a schema change makes a new one.
fn template_name() -> String {
    let mut hasher = DefaultHasher::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    format!("planaction_tpl_{:016x}", hasher.finish())
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

async fn admin() -> AsyncPgConnection {
    match AsyncPgConnection::establish(&database_url("postgres")).await {
        Ok(conn) => conn,
        Err(e) => panic!("the tests need PostgreSQL at {} ({e}); run scripts/test", server_url()),
    }
}

async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let mut conn = admin().await;
            // Another test binary may be building the same template: take turns.
            diesel::sql_query("SELECT pg_advisory_lock(74201)")
                .execute(&mut conn)
                .await
                .ok();
            let exists = diesel::sql_query(format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"))
                .execute(&mut conn)
                .await
                .unwrap_or(0)
                > 0;
            if !exists {
                let building = format!("{name}_building");
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {}", quote_identifier(&building)))
                    .execute(&mut conn)
                    .await
                    .ok();
                diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(&building)))
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("creating {building}: {e}"));
                if let Err(e) = db::migrate(&database_url(&building)).await {
                    panic!("migrating the template: {e:#}");
                }
                diesel::sql_query(format!(
                    "ALTER DATABASE {} RENAME TO {}",
                    quote_identifier(&building),
                    quote_identifier(&name)
                ))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("naming the template: {e}"));
            }
            diesel::sql_query("SELECT pg_advisory_unlock(74201)")
                .execute(&mut conn)
                .await
                .ok();
            name
        })
        .await
        .clone()
}

/// A database of its own for one test, dropped at the end of the test.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let template = template().await;
        let name = format!("planaction_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = admin().await;
        diesel::sql_query(format!(
            "CREATE DATABASE {} TEMPLATE {}",
            quote_identifier(&name),
            quote_identifier(&template)
        ))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("creating {name}: {e}"));
        TestDb {
            url: database_url(&name),
            name,
        }
    }

    /// An empty database with no migrations applied.
    pub async fn empty() -> TestDb {
        let name = format!("planaction_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = admin().await;
        diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(&name)))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("creating {name}: {e}"));
        TestDb {
            url: database_url(&name),
            name,
        }
    }

    pub async fn connect(&self) -> AsyncPgConnection {
        match AsyncPgConnection::establish(&self.url).await {
            Ok(conn) => conn,
            Err(e) => panic!("connecting to {}: {e}", self.name),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        if name.is_empty() {
            return; // a view of another test's database
        }
        // Drop runs outside any runtime guarantee: use a small one of our own.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async {
                let mut conn = admin().await;
                let _ = diesel::sql_query(format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    quote_identifier(&name)
                ))
                .execute(&mut conn)
                .await;
            });
        })
        .join();
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub state: AppState,
    pub db: TestDb,
    /// One account per role, created with the app: (role, user, access token).
    pub accounts: Vec<(Role, User, String)>,
    /// The role requests are made as (admin unless changed).
    pub role: Role,
}

/// The password of every test account.
pub const PASSWORD: &str = "mot de passe de test";

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn content_type(&self) -> &str {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let db = TestDb::new().await;
        Self::spawn_on(db).await
    }

    pub async fn spawn_on(db: TestDb) -> TestApp {
        Self::spawn_configured(db, |_| {}).await
    }

    /// An app whose settings (timeouts…) `configure` changes before it serves.
    pub async fn spawn_configured(db: TestDb, configure: impl FnOnce(&mut AppState)) -> TestApp {
        // reqwest (ours for webhooks, the tests' clients) needs the TLS provider installed.
        planaction::webhooks::delivery::install_tls_provider();
        let pool = db::pool(&db.url, db::PoolSettings::new(8)).unwrap_or_else(|e| panic!("pool: {e}"));
        let mut state = AppState::new(pool.clone(), JwtKeys::random());
        configure(&mut state);
        let mut accounts = Vec::new();
        let mut conn = pool.get().await.unwrap_or_else(|e| panic!("connection: {e}"));
        for &role in Role::ALL {
            let body = CreateUser {
                email: format!("{}@rqds.test", role.as_str()).into(),
                display_name: format!("Compte {}", role.as_str()).into(),
                role,
                region: (role == Role::Member).then(|| "Estrie".to_owned().into()),
                password: PASSWORD.to_owned().into(),
            };
            let new = body
                .into_form(&state.passwords)
                .await
                .unwrap_or_else(|e| panic!("account: {e}"));
            let user = write::create(&mut conn, &Actor::system(), new)
                .await
                .unwrap_or_else(|e| panic!("account: {e}"));
            let (token, _) = state
                .jwt
                .issue(user.id.0, role, chrono::Utc::now())
                .unwrap_or_else(|e| panic!("token: {e}"));
            accounts.push((role, user, token));
        }
        drop(conn);
        let address = serve(state.clone());
        TestApp {
            address,
            // Idle connections are dropped before the server's 5 s keep-alive closes them:
            // a request sent on a connection the server is closing fails (seen when a
            // test paused over 5 s between two requests, under CI's load).
            client: reqwest::Client::builder()
                .pool_idle_timeout(std::time::Duration::from_secs(3))
                .build()
                .unwrap_or_else(|e| panic!("client: {e}")),
            pool,
            state,
            db,
            accounts,
            role: Role::Admin,
        }
    }

    /// The same app, making its requests as `role`.
    pub fn as_role(&self, role: Role) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: self.client.clone(),
            pool: self.pool.clone(),
            state: self.state.clone(),
            db: TestDb {
                name: String::new(),
                url: self.db.url.clone(),
            },
            accounts: self.accounts.clone(),
            role,
        }
    }

    /// A second instance of the service on the same database (same signing key, its
    /// own pool and port), as two replicas behind a load balancer would be.
    pub fn another_instance(&self) -> TestApp {
        let pool = db::pool(&self.db.url, db::PoolSettings::new(4)).unwrap_or_else(|e| panic!("pool: {e}"));
        let state = AppState {
            pool: pool.clone(),
            ..self.state.clone()
        };
        TestApp {
            address: serve(state.clone()),
            pool,
            state,
            ..self.as_role(self.role)
        }
    }

    pub fn account(&self, role: Role) -> &User {
        self.accounts
            .iter()
            .find(|(r, _, _)| *r == role)
            .map(|(_, user, _)| user)
            .unwrap_or_else(|| panic!("no {role:?} account"))
    }

    pub fn account_id(&self, role: Role) -> i64 {
        self.account(role).id.0
    }

    pub fn token(&self) -> String {
        self.accounts
            .iter()
            .find(|(r, _, _)| *r == self.role)
            .map(|(_, _, t)| t.clone())
            .unwrap_or_default()
    }

    /// Sends a request as the app's role; `headers` may override `Authorization`.
    pub async fn request(&self, method: Method, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        {
            request = request.bearer_auth(self.token());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        reply(response).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(body), &[]).await
    }

    /// The current ETag of the item at `path` (as read by an admin).
    pub async fn etag(&self, path: &str) -> String {
        let reply = self.as_role(Role::Admin).get(path).await;
        reply
            .headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| "\"0\"".to_owned())
    }

    /// Records a status update on `action` as a client that has just read it: with its ETag.
    pub async fn record_status(&self, action: impl std::fmt::Display, body: Value) -> Reply {
        let path = format!("/api/v1/actions/{action}");
        let etag = self.etag(&path).await;
        self.request(
            Method::POST,
            &format!("{path}/status-updates"),
            Some(body),
            &[("If-Match", &etag)],
        )
        .await
    }

    /// PATCH as a client that has just read the item: with its current ETag.
    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        let etag = self.etag(path).await;
        self.request(Method::PATCH, path, Some(body), &[("If-Match", &etag)])
            .await
    }

    /// DELETE as a client that has just read the item: with its current ETag.
    pub async fn delete(&self, path: &str) -> Reply {
        let etag = self.etag(path).await;
        self.request(Method::DELETE, path, None, &[("If-Match", &etag)]).await
    }

    /// Sends raw bytes with the given content type.
    pub async fn send_raw(&self, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let response = self
            .client
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(self.token())
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        reply(response).await
    }

    /// Imports the real 2013–2014 plan through the API; returns the import report.
    pub async fn import_seed(&self) -> Value {
        let reply = self
            .send_raw(
                Method::POST,
                "/api/v1/plans/import",
                "text/plain; charset=utf-8",
                planaction::import::SEED_PLAN.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    /// Imports the seed plan; its id and the id of its first action.
    pub async fn seed_with_an_action(&self) -> (Value, Value) {
        let plan = self.import_seed().await["plan"]["id"].clone();
        let tree = self.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
        let action = actions_of(&tree).next().map(|a| a["id"].clone()).unwrap_or_default();
        (plan, action)
    }
}

/// Serves the app on a free port; returns its base URL.
pub fn serve(state: AppState) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let server = planaction::server::run(listener, state, Some(1)).unwrap_or_else(|e| panic!("server: {e}"));
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}")
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap_or_default();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Reply { status, headers, body }
}

/// Finds the action whose title is `title` in a plan tree.
pub fn find_action<'a>(tree: &'a Value, title: &str) -> &'a Value {
    actions_of(tree)
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no action titled {title:?}"))
}

pub fn actions_of(tree: &Value) -> impl Iterator<Item = &Value> {
    objectives_of(tree).flat_map(|o| o["actions"].as_array().into_iter().flatten())
}

pub fn objectives_of(tree: &Value) -> impl Iterator<Item = &Value> {
    tree["orientations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|o| o["objectives"].as_array().into_iter().flatten())
}

pub fn labels(deadlines: &Value) -> Vec<&str> {
    deadlines
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["label"].as_str())
        .collect()
}
