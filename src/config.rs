//! Settings from the environment (and a `.env` file when present), passed in, never global.

use std::net::SocketAddr;

use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/planaction";

/// Where the database is. The URL may hold a password: it is kept secret and
/// printed only redacted.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseSettings {
    /// PostgreSQL URL.
    #[arg(long = "database-url", env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub url: SecretString,
    /// Connections kept in the pool.
    #[arg(long = "pool-size", env = "DATABASE_POOL_SIZE", default_value_t = 10)]
    pub pool_size: usize,
    /// Seconds to open a connection (and to check a pooled one) before answering 503.
    #[arg(long = "db-connect-timeout", env = "DATABASE_CONNECT_TIMEOUT", default_value_t = crate::db::DEFAULT_TIMEOUT_SECONDS)]
    pub connect_timeout: u64,
    /// Seconds a request waits for a free connection before answering 503.
    #[arg(long = "db-wait-timeout", env = "DATABASE_WAIT_TIMEOUT", default_value_t = crate::db::DEFAULT_TIMEOUT_SECONDS)]
    pub wait_timeout: u64,
    /// Seconds one SQL statement may run (PostgreSQL's `statement_timeout`).
    #[arg(
        long = "db-statement-timeout",
        env = "DATABASE_STATEMENT_TIMEOUT",
        default_value_t = crate::db::DEFAULT_TIMEOUT_SECONDS
    )]
    pub statement_timeout: u64,
}

impl DatabaseSettings {
    pub fn url(&self) -> &str {
        self.url.expose_secret()
    }

    pub fn pool_settings(&self) -> crate::db::PoolSettings {
        crate::db::PoolSettings {
            max_size: self.pool_size,
            connect_timeout: std::time::Duration::from_secs(self.connect_timeout),
            wait_timeout: std::time::Duration::from_secs(self.wait_timeout),
            statement_timeout: std::time::Duration::from_secs(self.statement_timeout),
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServerSettings {
    /// Address and port to listen on.
    #[arg(long = "bind", env = "BIND_ADDRESS", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Worker threads (defaults to the number of cores).
    #[arg(long, env = "WORKERS")]
    pub workers: Option<usize>,
    /// Reverse proxies in front of the service (comma-separated IP addresses): only behind
    /// one of them is `X-Forwarded-For` used to find the client's address.
    #[arg(long = "trusted-proxies", env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Seconds a request may take before it is answered 503 (a hung database).
    #[arg(long = "request-timeout", env = "REQUEST_TIMEOUT", default_value_t = crate::state::DEFAULT_REQUEST_TIMEOUT_SECONDS)]
    pub request_timeout: u64,
    /// Seconds an answer may wait on a client that reads nothing before its connection closes.
    #[arg(long = "write-timeout", env = "WRITE_TIMEOUT", default_value_t = crate::state::DEFAULT_WRITE_TIMEOUT_SECONDS)]
    pub write_timeout: u64,
    /// Let webhooks go to private, local and reserved addresses, over plain `http` too (tests,
    /// an intranet). Off: `https` to public addresses only.
    #[arg(long = "webhook-allow-private-networks", env = "WEBHOOK_ALLOW_PRIVATE_NETWORKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private_networks: bool,
}

/// The key that signs access tokens (HS256): at least 32 bytes, from configuration only.
#[derive(Debug, Clone, clap::Args)]
pub struct AuthSettings {
    /// Secret for signing access tokens, at least 32 bytes (e.g. `openssl rand -base64 48`).
    /// Required, except with `--demo`, which makes a random one when it is absent.
    #[arg(long = "jwt-secret", env = "JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<SecretString>,
}

impl AuthSettings {
    pub fn keys(&self, demo: bool) -> anyhow::Result<crate::security::jwt::JwtKeys> {
        match &self.jwt_secret {
            Some(secret) => crate::security::jwt::JwtKeys::new(secret.expose_secret().as_bytes()),
            None if demo => {
                tracing::warn!("demo: no JWT_SECRET; tokens are signed with a random key and end with the process");
                Ok(crate::security::jwt::JwtKeys::random())
            }
            None => anyhow::bail!(
                "JWT_SECRET is not set. Set it to a secret of at least 32 bytes (for example `export JWT_SECRET=$(openssl rand -base64 48)`), or use `serve --demo`."
            ),
        }
    }
}
