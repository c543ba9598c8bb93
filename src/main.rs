use std::io::{BufRead, IsTerminal};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use planaction::auth::Role;
use planaction::config::{AuthSettings, DatabaseSettings, ServerSettings};
use planaction::deadlines::understanding;
use planaction::i18n::Lang;
use planaction::ids::PlanId;
use planaction::import::{DEFAULT_ORGANIZATION, ReadError};
use planaction::mail::{MailSettings, Mailer};
use planaction::plans::store;
use planaction::reports::build::ReportPeriod;
use planaction::reports::render::ReportFormat;
use planaction::security::passwords::Passwords;
use planaction::state::AppState;
use planaction::users::dto::CreateUser;
use planaction::write::{self, Actor};
use planaction::year::next::{CarryChoice, NextPlan, carry_over};
use planaction::{app, db, demo, server};
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
        #[command(flatten)]
        auth: AuthSettings,
        #[command(flatten)]
        mail: MailSettings,
        /// Load the real 2013–2014 plan and one account per role when the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations (creating the database if needed).
    Migrate {
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Import a plan document (Word, Excel, LibreOffice or text; columns read by their headers) in one transaction.
    Import {
        #[command(flatten)]
        database: DatabaseSettings,
        /// The plan document: a Word document (.docx) or its text form (UTF-8).
        file: PathBuf,
        /// The organization the plan belongs to.
        #[arg(long, default_value = DEFAULT_ORGANIZATION)]
        organization: String,
    },
    /// Manage accounts (the first admin of a fresh install is created here).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Produce the progress report of a month, for a scheduled job.
    Report {
        #[command(flatten)]
        database: DatabaseSettings,
        #[arg(long)]
        plan: i64,
        /// The month reported on, e.g. 2013-10 (statuses as of its last day).
        #[arg(long, value_parser = parse_month)]
        month: chrono::NaiveDate,
        /// json, csv, xlsx, html or pdf.
        #[arg(long, default_value = "json", value_parser = parse_format)]
        format: ReportFormat,
        /// fr or en.
        #[arg(long, default_value = "fr", value_parser = parse_lang)]
        lang: Lang,
        /// Where to write it (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Create a large plan for load tests and benchmarks (shaped like the 2013–2014 plan).
    Fixture {
        #[command(flatten)]
        database: DatabaseSettings,
        #[arg(long, default_value_t = 10_000)]
        actions: usize,
        #[arg(long, default_value_t = 100_000)]
        history: usize,
    },
    /// Deadlines: read every label again (after the parsing rules changed).
    Deadlines {
        #[command(subcommand)]
        command: DeadlineCommand,
    },
    /// Plans: draft next year's plan from this one.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Export a plan as the board's Word document.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Mail: send what is due now (the service does it by itself every 30 seconds).
    Notifications {
        #[command(subcommand)]
        command: NotificationCommand,
    },
    /// Print the OpenAPI document (as committed in openapi/openapi.json).
    Openapi {
        /// Write it to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is asked for (or read from standard input's first line).
    Add {
        #[command(flatten)]
        database: DatabaseSettings,
        #[arg(long)]
        email: String,
        /// admin, board, member or observer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Display name (the email when absent).
        #[arg(long)]
        name: Option<String>,
        /// Member region, for regional delegates.
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The plan as a Word document (DOCX): the table of the original, for adoption and the AGA.
    Docx {
        #[command(flatten)]
        database: DatabaseSettings,
        #[arg(long)]
        plan: i64,
        /// Where to write it.
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Draft next year's plan: orientations, objectives, acronyms, and the actions that go
    /// on (not completed or cancelled; `En continu` always), each linked to the one it continues.
    Next {
        #[command(flatten)]
        database: DatabaseSettings,
        #[arg(long)]
        plan: i64,
        /// The new plan's title (the old one with its years moved on when absent).
        #[arg(long)]
        title: Option<String>,
        /// Actions not to carry, by id (repeatable).
        #[arg(long = "leave")]
        leave: Vec<i64>,
        /// Actions to carry although completed or cancelled, by id (repeatable).
        #[arg(long = "carry")]
        carry: Vec<i64>,
    },
}

#[derive(Subcommand)]
enum NotificationCommand {
    /// One delivery pass: every message due is sent, retried later or given up.
    Run {
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(flatten)]
        mail: MailSettings,
        /// Do the pass as of this day (YYYY-MM-DD) at 8 h, Québec time: the digests and
        /// reminders due then. Now when absent.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum DeadlineCommand {
    /// Parse every deadline label again; prints how many landed in each kind.
    Reparse {
        #[command(flatten)]
        database: DatabaseSettings,
        /// Only this plan.
        #[arg(long)]
        plan: Option<i64>,
    },
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("« {text} » : une date AAAA-MM-JJ est attendue (YYYY-MM-DD)"))
}

fn parse_month(value: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d")
        .map_err(|_| "a month written YYYY-MM, e.g. 2013-10".to_owned())
}

fn parse_format(value: &str) -> Result<ReportFormat, String> {
    ReportFormat::parse(value).ok_or_else(|| format!("one of {}", ReportFormat::names()))
}

fn parse_lang(value: &str) -> Result<Lang, String> {
    Lang::parse(value).ok_or_else(|| "fr or en".to_owned())
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value).ok_or_else(|| "one of admin, board, member, observer".to_owned())
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
    planaction::memory::configure_allocator();
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

async fn prepare(database: &DatabaseSettings) -> anyhow::Result<db::DbPool> {
    db::ensure_database(database.url()).await?;
    let applied = db::migrate(database.url()).await?;
    for name in &applied {
        tracing::info!(migration = %name, "migration applied");
    }
    let pool = db::pool(database.url(), database.pool_settings())?;
    // A migration that changes how labels are read: read the stored ones again.
    if applied
        .iter()
        .any(|name| understanding::RULES_MIGRATIONS.iter().any(|rules| name.contains(rules)))
    {
        let mut conn = pool.get().await?;
        let kinds = understanding::reparse_all(&mut conn)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        tracing::info!(?kinds, "deadlines read again with the new rules");
    }
    Ok(pool)
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        Ok(rpassword::prompt_password("Mot de passe (10 caractères ou plus) : ")?)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// An error of the service, as the command line says it: its French detail.
fn refused(error: planaction::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}", error.problem(Lang::Fr, None).detail)
}

async fn connect(database: &DatabaseSettings) -> anyhow::Result<db::DbConn> {
    Ok(prepare(database).await?.get().await?)
}

fn write_or_print(output: Option<&std::path::Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display())),
        None => Ok(std::io::Write::write_all(&mut std::io::stdout(), bytes)?),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            database,
            server,
            auth,
            mail,
            demo,
        } => serve(&database, &server, &auth, &mail, demo).await,
        Command::Migrate { database } => prepare(&database).await.map(|_| ()),
        Command::Import {
            database,
            file,
            organization,
        } => import(&database, &file, &organization).await,
        Command::User {
            command:
                UserCommand::Add {
                    database,
                    email,
                    role,
                    name,
                    region,
                },
        } => add_user(&database, email, role, name, region).await,
        Command::Report {
            database,
            plan,
            month,
            format,
            lang,
            output,
        } => report(&database, plan, month, format, lang, output.as_deref()).await,
        Command::Fixture {
            database,
            actions,
            history,
        } => {
            let mut conn = connect(&database).await?;
            let plan = planaction::fixture::create(&mut conn, actions, history)
                .await
                .map_err(refused)?;
            println!("Plan {plan} créé : {actions} actions, {history} entrées d'historique.");
            Ok(())
        }
        Command::Plan {
            command:
                PlanCommand::Next {
                    database,
                    plan,
                    title,
                    leave,
                    carry,
                },
        } => next_plan(&database, plan, title, &leave, &carry).await,
        Command::Export {
            command: ExportCommand::Docx { database, plan, output },
        } => export_docx(&database, plan, &output).await,
        Command::Deadlines {
            command: DeadlineCommand::Reparse { database, plan },
        } => reparse(&database, plan).await,
        Command::Notifications {
            command: NotificationCommand::Run { database, mail, as_of },
        } => deliver(&database, &mail, as_of).await,
        Command::Openapi { output } => write_or_print(output.as_deref(), app::openapi_json()?.as_bytes()),
    }
}

async fn serve(
    database: &DatabaseSettings,
    server: &ServerSettings,
    auth: &AuthSettings,
    mail: &MailSettings,
    demo: bool,
) -> anyhow::Result<()> {
    let keys = auth.keys(demo)?;
    let mailer = Mailer::from_settings(mail)?;
    let pool = prepare(database).await?;
    let mut state = AppState::new(pool, keys);
    state.request_timeout = std::time::Duration::from_secs(server.request_timeout);
    state.write_timeout = std::time::Duration::from_secs(server.write_timeout);
    state.trusted_proxies = server.trusted_proxies.clone().into();
    state.public_url = mail.public_url.trim_end_matches('/').into();
    state.webhooks_allow_private = server.webhook_allow_private_networks;
    planaction::webhooks::delivery::install_tls_provider();
    planaction::webhooks::delivery::spawn(
        state.pool.clone(),
        state.webhooks_allow_private,
        std::time::Duration::from_secs(2),
    );
    if let Some(mailer) = &mailer {
        planaction::notifications::spawn_delivery(
            state.pool.clone(),
            mailer.clone(),
            std::time::Duration::from_secs(30),
        );
    }
    state.mailer = mailer;
    if demo {
        demo::load(&state.pool, &state.passwords).await?;
    }
    let listener = TcpListener::bind(server.bind).with_context(|| format!("binding {}", server.bind))?;
    tracing::info!(address = %server.bind, database = %db::redact(database.url()), "serving; documentation at /docs");
    let turns = state.clone();
    planaction::memory::spawn_trimmer(move || turns.heavy_work_under_way());
    server::run(listener, state, server.workers)?.await?;
    Ok(())
}

async fn import(database: &DatabaseSettings, file: &std::path::Path, organization: &str) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let parsed = planaction::import::read(&bytes).map_err(|e| match e {
        ReadError::NotUtf8(at) => anyhow::anyhow!("{}: pas en UTF-8 (octet {at})", file.display()),
        ReadError::Document(e) => anyhow::anyhow!("{}: {}", file.display(), e.message.fr),
        ReadError::TooLarge(text) => anyhow::anyhow!("{}: {}", file.display(), text.fr),
    })?;
    let mut conn = connect(database).await?;
    let (plan_id, counts) = store::store(&mut conn, &Actor::system(), &parsed.draft, organization)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Plan {plan_id} importé : {} orientations, {} objectifs, {} actions, {} échéances, {} sigles.",
        counts.orientations, counts.objectives, counts.actions, counts.deadlines, counts.glossary_entries
    );
    let columns: Vec<String> = parsed
        .columns
        .iter()
        .map(|c| format!("{} ({})", c.header, c.kind.as_str()))
        .collect();
    println!("Colonnes lues : {}.", columns.join(", "));
    for warning in &parsed.warnings {
        println!("À vérifier — {}", warning.message.fr);
    }
    Ok(())
}

async fn add_user(
    database: &DatabaseSettings,
    email: String,
    role: Role,
    name: Option<String>,
    region: Option<String>,
) -> anyhow::Result<()> {
    let password = read_password()?;
    let mut conn = connect(database).await?;
    let body = CreateUser {
        display_name: name.unwrap_or_else(|| email.clone()).into(),
        email: email.into(),
        role,
        region: region.map(Into::into),
        password: password.into(),
    };
    let new = body.into_form(&Passwords::default()).await.map_err(refused)?;
    let user = write::create(&mut conn, &Actor::system(), new).await.map_err(refused)?;
    println!("Compte {} créé : {} ({}).", user.id, user.email, user.role.as_str());
    Ok(())
}

async fn report(
    database: &DatabaseSettings,
    plan: i64,
    month: chrono::NaiveDate,
    format: ReportFormat,
    lang: Lang,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let mut conn = connect(database).await?;
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .context("month out of range")?;
    let period = ReportPeriod::previous_month(next);
    let input = planaction::reports::load::load(&mut conn, PlanId(plan), &period)
        .await
        .map_err(refused)?;
    let report = planaction::reports::build::build(&input, period, lang);
    let bytes = planaction::reports::render::render(&report, format, lang).map_err(|e| anyhow::anyhow!("{e}"))?;
    write_or_print(output, &bytes)
}

async fn next_plan(
    database: &DatabaseSettings,
    plan: i64,
    title: Option<String>,
    leave: &[i64],
    carry: &[i64],
) -> anyhow::Result<()> {
    let mut conn = connect(database).await?;
    let choices = leave
        .iter()
        .map(|&id| (id, false))
        .chain(carry.iter().map(|&id| (id, true)));
    let request = NextPlan {
        title,
        actions: choices
            .map(|(action_id, carry)| CarryChoice { action_id, carry })
            .collect(),
    };
    let report = carry_over(&mut conn, &Actor::system(), PlanId(plan), &request)
        .await
        .map_err(refused)?;
    println!(
        "Plan {} créé (ébauche) : « {} », {} actions reprises, {} laissées.",
        report.plan.plan.id,
        report.plan.plan.title,
        report.carried.len(),
        report.left_behind.len()
    );
    for flagged in &report.flagged_deadlines {
        println!(
            "À revoir — action {} : échéance « {} » hors de la nouvelle année.",
            flagged.action_id, flagged.label
        );
    }
    Ok(())
}

async fn export_docx(database: &DatabaseSettings, plan: i64, output: &std::path::Path) -> anyhow::Result<()> {
    let mut conn = connect(database).await?;
    let tree = planaction::plans::tree::load_tree(&mut conn, PlanId(plan))
        .await
        .map_err(refused)?;
    let updated_on = planaction::clock::local_day(tree.last_updated_at);
    let bytes = planaction::year::document::render(&tree, updated_on)?;
    write_or_print(Some(output), &bytes)?;
    println!("{} écrit : {}.", output.display(), tree.plan.title);
    Ok(())
}

async fn deliver(
    database: &DatabaseSettings,
    mail: &MailSettings,
    as_of: Option<chrono::NaiveDate>,
) -> anyhow::Result<()> {
    let mailer = Mailer::from_settings(mail)?.context("SMTP_URL is not set: no mail can be sent")?;
    let pool = prepare(database).await?;
    let at = as_of.map_or_else(chrono::Utc::now, planaction::notifications::as_of_day);
    let (prepared, done) = planaction::notifications::run_pass(&pool, &mailer, at, usize::MAX)
        .await
        .map_err(refused)?;
    println!("Rappels, rapports mensuels et résumés : {prepared} préparé(s).");
    println!(
        "Courriels : {} envoyé(s), {} reporté(s), {} abandonné(s), {} écarté(s).",
        done.sent, done.retried, done.given_up, done.dropped
    );
    Ok(())
}

async fn reparse(database: &DatabaseSettings, plan: Option<i64>) -> anyhow::Result<()> {
    let mut conn = connect(database).await?;
    let kinds = match plan {
        Some(plan) => understanding::reparse_plan(&mut conn, PlanId(plan)).await,
        None => understanding::reparse_all(&mut conn).await,
    }
    .map_err(refused)?;
    let total: usize = kinds.values().sum();
    println!("{total} échéances relues :");
    for (kind, count) in kinds {
        println!("  {:<11} {count}", kind.as_str());
    }
    Ok(())
}
