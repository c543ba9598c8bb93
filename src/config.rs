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
}

impl DatabaseSettings {
    pub fn url(&self) -> &str {
        self.url.expose_secret()
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
}
