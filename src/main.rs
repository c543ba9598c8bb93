use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use planaction::config::{DatabaseSettings, ServerSettings};
use planaction::import::{DEFAULT_ORGANIZATION, SEED_PLAN, parse, store};
use planaction::state::AppState;
use planaction::{app, db, server};
use tracing_subscriber::EnvFilter;

/// Planaction: the RQDS action plan tracker.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database (creating it if needed), then serve the API.
    Serve {
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(flatten)]
        server: ServerSettings,
        /// Load the real 2013–2014 plan when the database has no plan yet.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations (creating the database if needed).
    Migrate {
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Import a plan document (RQDS table format) in one transaction.
    Import {
        #[command(flatten)]
        database: DatabaseSettings,
        /// The plan document, UTF-8.
        file: PathBuf,
        /// The organization the plan belongs to.
        #[arg(long, default_value = DEFAULT_ORGANIZATION)]
        organization: String,
    },
    /// Print the OpenAPI document (as committed in openapi/openapi.json).
    Openapi {
        /// Write it to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    init_logging();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("planaction: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn prepare(database: &DatabaseSettings) -> anyhow::Result<()> {
    db::ensure_database(database.url()).await?;
    let applied = db::migrate(database.url()).await?;
    for name in applied {
        tracing::info!(migration = %name, "migration applied");
    }
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { database, server, demo } => {
            prepare(&database).await?;
            let pool = db::pool(database.url(), database.pool_size)?;
            if demo {
                load_demo(&pool).await?;
            }
            let listener = TcpListener::bind(server.bind).with_context(|| format!("binding {}", server.bind))?;
            tracing::info!(address = %server.bind, database = %db::redact(database.url()), "serving; documentation at /docs");
            server::run(listener, AppState { pool }, server.workers)?.await?;
            Ok(())
        }
        Command::Migrate { database } => prepare(&database).await,
        Command::Import {
            database,
            file,
            organization,
        } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let parsed = parse::parse(&text).map_err(|e| anyhow::anyhow!("{}: {}", file.display(), e.message.fr))?;
            prepare(&database).await?;
            let pool = db::pool(database.url(), 1)?;
            let mut conn = pool.get().await?;
            let (plan_id, counts) = store::store(&mut conn, &parsed, &organization)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Plan {plan_id} importé : {} orientations, {} objectifs, {} actions, {} échéances, {} sigles.",
                counts.orientations, counts.objectives, counts.actions, counts.deadlines, counts.glossary_entries
            );
            for warning in &parsed.warnings {
                println!("À vérifier — {}", warning.message.fr);
            }
            Ok(())
        }
        Command::Openapi { output } => {
            let json = app::openapi_json()?;
            match output {
                Some(path) => std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?,
                None => print!("{json}"),
            }
            Ok(())
        }
    }
}

/// Imports the seed plan when the database holds no plan.
async fn load_demo(pool: &db::DbPool) -> anyhow::Result<()> {
    use planaction::db::schema::plans;
    let mut conn = pool.get().await?;
    let existing: i64 = plans::table.count().get_result(&mut conn).await?;
    if existing > 0 {
        tracing::info!(
            plans = existing,
            "demo: the database already holds plans; nothing imported"
        );
        return Ok(());
    }
    let parsed = parse::parse(SEED_PLAN).map_err(|e| anyhow::anyhow!("seed plan: {}", e.message.en))?;
    let (plan_id, counts) = store::store(&mut conn, &parsed, DEFAULT_ORGANIZATION)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!(plan_id, actions = counts.actions, "demo: 2013-2014 plan loaded");
    Ok(())
}
