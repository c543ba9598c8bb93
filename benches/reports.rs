//! Report benchmark: a plan of 10,000 actions with 100,000 history rows (the fixture),
//! each format rendered several times; prints the median time, the ratio to a baseline
//! measured in the same run (serialising the report to JSON), and each format's peak
//! memory (measured in a child process of its own). Run it with `scripts/bench`.

use std::process::Command;
use std::time::Instant;

use planaction::i18n::Lang;
use planaction::reports::build::{ReportPeriod, build};
use planaction::reports::render::{ReportFormat, render};

const ACTIONS: usize = 10_000;
const HISTORY: usize = 100_000;
const RUNS: usize = 5;

fn server() -> String {
    std::env::var("PLANACTION_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn period() -> ReportPeriod {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    ReportPeriod {
        from: day("2014-01-01"),
        to: day("2014-01-31"),
        as_of: day("2014-01-31"),
    }
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

async fn input(url: &str, plan: i64) -> Result<planaction::reports::build::ReportInput, Box<dyn std::error::Error>> {
    let pool = planaction::db::pool(url, planaction::db::PoolSettings::new(1))?;
    let mut conn = pool.get().await?;
    Ok(
        planaction::reports::load::load(&mut conn, planaction::ids::PlanId(plan), &period())
            .await
            .map_err(|e| e.to_string())?,
    )
}

/// Child mode: load, build and render one format once; print the peak memory.
async fn one(url: &str, plan: i64, format: &str) -> Result<(), Box<dyn std::error::Error>> {
    let input = input(url, plan).await?;
    let report = build(&input, period(), Lang::Fr);
    let bytes = match ReportFormat::parse(format) {
        Some(format) => render(&report, format, Lang::Fr).map_err(|e| e.to_string())?,
        None => serde_json::to_vec(&report)?,
    };
    println!("{} {:.1}", bytes.len(), peak_mib());
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, url, plan, format] = args.as_slice()
        && mode == "--one"
    {
        return one(url, plan.parse()?, format).await;
    }

    let name = format!("planaction_bench_{}", std::process::id());
    let url = format!("{}/{name}", server());
    planaction::db::ensure_database(&url).await?;
    planaction::db::migrate(&url).await?;
    let pool = planaction::db::pool(&url, planaction::db::PoolSettings::new(1))?;
    let started = Instant::now();
    let plan = {
        let mut conn = pool.get().await?;
        planaction::fixture::create(&mut conn, ACTIONS, HISTORY)
            .await
            .map_err(|e| e.to_string())?
    };
    println!(
        "fixture: {ACTIONS} actions, {HISTORY} history rows, made in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut loads = Vec::new();
    let mut report = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let loaded = input(&url, plan).await?;
        loads.push(started.elapsed().as_secs_f64());
        report = Some(loaded);
    }
    let loaded = report.ok_or("no input")?;
    let mut builds = Vec::new();
    let mut built = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        built = Some(build(&loaded, period(), Lang::Fr));
        builds.push(started.elapsed().as_secs_f64());
    }
    let built = built.ok_or("no report")?;
    let mut baseline = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let bytes = serde_json::to_vec(&built)?;
        baseline.push(started.elapsed().as_secs_f64());
        std::hint::black_box(bytes);
    }
    let baseline = median(baseline);
    println!(
        "\n{:<22} {:>10} {:>14} {:>12} {:>10}",
        "step", "median ms", "× baseline", "peak MiB", "bytes"
    );
    let row = |step: &str, seconds: f64, peak: &str, bytes: &str| {
        println!(
            "{step:<22} {:>10.1} {:>14.1} {peak:>12} {bytes:>10}",
            seconds * 1000.0,
            seconds / baseline
        );
    };
    row("load (7+2 queries)", median(loads), "", "");
    row("build (as of)", median(builds), "", "");
    row("baseline: json", baseline, "", "");
    let exe = std::env::current_exe()?;
    for format in ReportFormat::ALL.iter().copied() {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let bytes = render(&built, format, Lang::Fr).map_err(|e| e.to_string())?;
            times.push(started.elapsed().as_secs_f64());
            size = bytes.len();
        }
        // Peak memory of the whole job (load + build + render) in a process of its own.
        let child = Command::new(&exe)
            .args(["--one", &url, &plan.to_string(), format.as_str()])
            .output()?;
        let peak = String::from_utf8_lossy(&child.stdout)
            .split_whitespace()
            .nth(1)
            .unwrap_or("?")
            .to_owned();
        row(
            &format!("render {}", format.as_str()),
            median(times),
            &peak,
            &size.to_string(),
        );
    }
    drop(pool);
    let (maintenance, _) = planaction::db::maintenance_url(&url)?;
    let mut conn = <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&maintenance).await?;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)")),
        &mut conn,
    )
    .await?;
    Ok(())
}
