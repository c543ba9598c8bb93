//! A real browser for the tests: Debian's chromium, headless, driven through its own
//! chromedriver (WebDriver), against a Planaction serving the demo data on a database of
//! its own. Screenshots go to `target/browser-screenshots/` (the CI keeps them).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use planaction::db::{self, DbPool};
use planaction::security::jwt::JwtKeys;
use planaction::security::passwords::Passwords;
use planaction::state::AppState;
use serde_json::{Value, json};

use crate::helpers::{TestDb, TestResult, serve};

/// Planaction with the demo data (the 2013–2014 plan, its year of history, the demo accounts).
pub struct Site {
    pub address: String,
    pub pool: DbPool,
    _db: TestDb,
}

impl Site {
    pub async fn start() -> TestResult<Site> {
        let db = TestDb::new().await;
        let pool = db::pool(&db.url, db::PoolSettings::new(6))?;
        planaction::demo::load(&pool, &Passwords::default()).await?;
        let state = AppState::new(pool.clone(), JwtKeys::random());
        Ok(Site {
            address: serve(state),
            pool,
            _db: db,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

/// One chromedriver and its browser, closed when dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

fn free_port() -> TestResult<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Browser {
    pub async fn open() -> TestResult<Browser> {
        let port = free_port()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("chromedriver ({e}): run scripts/ensure-browser"))?;
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        planaction::webhooks::delivery::install_tls_provider();
        while reqwest::get(format!("{webdriver}/status")).await.is_err() {
            if started.elapsed() > Duration::from_secs(20) {
                return Err("chromedriver did not answer within 20 s".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                // Without the networking flags chromium keeps calling Google, which this
                // machine's closed network refuses.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                    "--lang=fr-CA"]
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&webdriver)
            .await?;
        Ok(Browser { client, driver })
    }

    pub async fn goto(&self, url: &str) -> TestResult {
        Ok(self.client.goto(url).await?)
    }

    pub async fn path(&self) -> TestResult<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        })
    }

    pub async fn main_text(&self) -> TestResult<String> {
        Ok(self.client.find(Locator::Css("main")).await?.text().await?)
    }

    pub async fn fill(&self, css: &str, text: &str) -> TestResult {
        let field = self.client.find(Locator::Css(css)).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> TestResult {
        Ok(self.client.find(Locator::Css(css)).await?.click().await?)
    }

    pub async fn count(&self, css: &str) -> TestResult<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    pub async fn script(&self, script: &str) -> TestResult<Value> {
        Ok(self.client.execute(script, Vec::new()).await?)
    }

    /// Waits until `condition` (a JavaScript expression) is true in the page.
    pub async fn until(&self, condition: &str) -> TestResult {
        let started = Instant::now();
        loop {
            if self.script(&format!("return !!({condition});")).await? == json!(true) {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(10) {
                return Err(format!("still false after 10 s: {condition}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn sign_in(&self, site: &Site, email: &str, password: &str) -> TestResult {
        self.goto(&site.url("/sign-in")).await?;
        self.fill("#email", email).await?;
        self.fill("#password", password).await?;
        self.click("form[action='/sign-in'] button[type=submit]").await?;
        self.until("location.pathname !== '/sign-in'").await
    }

    /// Sends a form the page did not offer (what a forged or stale request would do), with
    /// the session's CSRF token: the HTTP status it got.
    pub async fn post_in_page(&self, path: &str, fields: &[(&str, &str)]) -> TestResult<u16> {
        let fields: serde_json::Map<String, Value> = fields.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const body = new URLSearchParams({fields});
             body.set('csrf', document.querySelector('input[name=csrf]').value);
             fetch({path}, {{method: 'POST', body}}).then(r => done(r.status));",
            fields = Value::Object(fields),
            path = json!(path)
        );
        let status = self.client.execute_async(&script, Vec::new()).await?;
        Ok(status.as_u64().unwrap_or(0) as u16)
    }

    /// The violations of WCAG 2.1 A and AA rules axe-core finds in the page.
    pub async fn axe(&self) -> TestResult<Vec<String>> {
        let source = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js"),
        )
        .map_err(|e| format!("axe-core ({e}): run scripts/ensure-browser"))?;
        self.client.execute(&source, Vec::new()).await?;
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                       + v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                Vec::new(),
            )
            .await?;
        Ok(serde_json::from_value(result)?)
    }

    /// A screenshot at `width` px, saved as a test artifact; the page must not scroll sideways.
    pub async fn screenshot(&self, name: &str, width: u32) -> TestResult {
        self.client.set_window_size(width, 1000).await?;
        let inner: u64 = self.script("return window.innerWidth;").await?.as_u64().unwrap_or(0);
        let scroll: u64 = self
            .script("return document.documentElement.scrollWidth;")
            .await?
            .as_u64()
            .unwrap_or(0);
        assert!(
            scroll <= inner,
            "{name} at {width} px scrolls sideways ({scroll} px of content in {inner} px)"
        );
        let png = self.client.screenshot().await?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{name}-{width}.png")), png)?;
        self.client.set_window_size(1280, 1000).await?;
        Ok(())
    }

    /// The session cookie, for fetching a file as this browser would.
    pub async fn session_cookie(&self) -> TestResult<String> {
        let cookie = self.client.get_named_cookie("planaction_session").await?;
        Ok(format!("planaction_session={}", cookie.value()))
    }
}

impl Browser {
    /// Ends the WebDriver session (chromium quits), then chromedriver.
    pub async fn close(mut self) -> TestResult {
        let client = self.client.clone();
        client.close().await?;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
