//! The binary and the documents around it: `user add`, `--demo`, and the README's role table.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, TestDb, TestResult};

#[test]
fn the_readme_shows_the_permission_table_of_the_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap_or_default();
    let table = planaction::security::permissions::markdown_table();
    assert!(readme.contains(&table), "README.md must contain, as is:\n{table}");
}

#[tokio::test]
async fn the_first_admin_is_created_from_the_command_line() -> TestResult {
    let db = TestDb::new().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args([
            "user",
            "add",
            "--email",
            "premiere@rqds.test",
            "--role",
            "admin",
            "--name",
            "Première",
        ])
        .env("DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("stdin")?
        .write_all(b"une phrase de passe longue\n")?;
    let output = child.wait_with_output()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("premiere@rqds.test (admin)"));

    let app = TestApp::spawn_on(db).await;
    let reply = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": "premiere@rqds.test", "password": "une phrase de passe longue"})),
            &[("Authorization", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["user"]["role"], "admin");
    Ok(())
}

#[tokio::test]
async fn a_short_password_is_refused_by_the_command_line() -> TestResult {
    let db = TestDb::new().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args(["user", "add", "--email", "x@rqds.test", "--role", "board"])
        .env("DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().ok_or("stdin")?.write_all(b"court\n")?;
    let output = child.wait_with_output()?;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("10 à 128 caractères"));
    Ok(())
}

#[tokio::test]
async fn the_demo_has_the_plan_and_one_account_per_role() -> TestResult {
    // Loaded twice on a fresh database: the second time finds it done.
    let db = TestDb::new().await;
    let pool = planaction::db::pool(&db.url, planaction::db::PoolSettings::new(2))?;
    planaction::demo::load(&pool, &planaction::security::passwords::Passwords::default()).await?;
    planaction::demo::load(&pool, &planaction::security::passwords::Passwords::default()).await?;
    let demo = TestApp::spawn_on(db).await;
    for (email, _, role, _, password) in planaction::demo::ACCOUNTS {
        let reply = demo
            .request(
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"email": email, "password": password})),
                &[("Authorization", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{email}");
        assert_eq!(reply.body["user"]["role"], role.as_str());
    }
    let plans = demo.get("/api/v1/plans").await.body;
    assert_eq!(plans.as_array().map(Vec::len), Some(1), "loading twice imports once");
    assert_eq!(plans[0]["title"], "Plan d'action 2013-2014");

    // A year of history: October 2013 reads like a real month, placed by effective dates.
    let plan = &plans[0]["id"];
    let october = demo
        .get(&format!(
            "/api/v1/plans/{plan}/reports/progress?since=2013-10-01&until=2013-10-31"
        ))
        .await
        .body;
    let moved = october["moved"].as_array().cloned().unwrap_or_default();
    assert!(moved.len() >= 3, "{}", october["moved"]);
    assert!(
        moved
            .iter()
            .all(|m| m["on"].as_str().is_some_and(|d| d.starts_with("2013-10"))),
        "{moved:?}"
    );
    assert!(
        moved
            .iter()
            .any(|m| !m["decision"].is_null() || !m["progress"].is_null()),
        "{moved:?}"
    );
    let late = october["late"].as_array().cloned().unwrap_or_default();
    assert!(
        late.iter().all(|l| l["days_late"].as_i64().is_some_and(|d| d < 200)),
        "late by months at most, not by years: {late:?}"
    );
    // Without dates, the report of a plan that has ended is its last month.
    let default = demo.get(&format!("/api/v1/plans/{plan}/reports/progress")).await.body;
    assert_eq!(default["heading"]["since"], "2014-06-01");
    // And the year ends where the plan document says each action stands.
    let document = planaction::import::parse::parse(planaction::import::SEED_PLAN).map_err(|e| e.message.en)?;
    let expected: Vec<&str> = document
        .draft
        .objectives()
        .flat_map(|o| &o.actions)
        .map(|a| a.status.as_str())
        .collect();
    let tree = demo.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let statuses: Vec<String> = tree["orientations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|o| o["objectives"].as_array().cloned().unwrap_or_default())
        .flat_map(|b| b["actions"].as_array().cloned().unwrap_or_default())
        .map(|a| a["status"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(statuses, expected);
    println!(
        "demo October 2013: {} moved, {} late, {} coming up",
        moved.len(),
        late.len(),
        october["coming_up"].as_array().map_or(0, Vec::len)
    );
    Ok(())
}

#[tokio::test]
async fn next_years_plan_is_drafted_from_the_command_line() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, action) = app.seed_with_an_action().await;
    let output = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args([
            "plan",
            "next",
            "--plan",
            &plan.to_string(),
            "--leave",
            &action.to_string(),
        ])
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .output()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        // 4 of the 42 are completed, and the first action is left by choice.
        printed.starts_with("Plan 2 créé (ébauche) : « Plan d'action 2014-2015 », 37 actions reprises, 5 laissées."),
        "{printed}"
    );
    assert!(printed.contains("À revoir — action"), "{printed}");
    // The new plan as a Word document, read back by the importer.
    let file = std::env::temp_dir().join(format!("planaction-next-{}.docx", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args(["export", "docx", "--plan", "2", "-o"])
        .arg(&file)
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .output()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plan = planaction::import::read(&std::fs::read(&file)?).map_err(|e| format!("{e:?}"))?;
    std::fs::remove_file(&file)?;
    assert_eq!(plan.draft.title, "Plan d'action 2014-2015");
    assert_eq!(plan.draft.action_count(), 37);
    Ok(())
}

#[tokio::test]
async fn deadlines_are_read_again_from_the_command_line() -> TestResult {
    let app = TestApp::spawn().await;
    app.import_seed().await;
    let output = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args(["deadlines", "reparse"])
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .output()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.starts_with("48 échéances relues"), "{printed}");
    for line in [
        "month       14",
        "season      11",
        "range       11",
        "ongoing     4",
        "on_request  3",
    ] {
        assert!(printed.contains(line), "{line}: {printed}");
    }
    assert!(!printed.contains("unparsed"), "{printed}");
    Ok(())
}

#[tokio::test]
async fn a_scheduled_job_writes_the_month_report_to_a_file() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].to_string();
    let file = std::env::temp_dir().join(format!("rapport-{}.xlsx", uuid::Uuid::new_v4().simple()));
    let output = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args([
            "report", "--plan", &plan, "--month", "2013-10", "--format", "xlsx", "-o",
        ])
        .arg(&file)
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .output()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&file)?;
    std::fs::remove_file(&file)?;
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip");
    let csv = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args(["report", "--plan", &plan, "--month", "2013-10", "--format", "csv"])
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .output()?;
    let text = String::from_utf8(csv.stdout)?;
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), 43, "header and 42 actions");
    // The PDF of the scheduled job is the very file the API gives for the same month.
    let pdf = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args(["report", "--plan", &plan, "--month", "2013-10", "--format", "pdf"])
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .output()?;
    assert!(pdf.stdout.starts_with(b"%PDF-"));
    let from_api = app
        .client
        .get(format!(
            "{}/api/v1/plans/{plan}/reports/progress.pdf?since=2013-10-01&until=2013-10-31",
            app.address
        ))
        .bearer_auth(app.token())
        .send()
        .await?
        .bytes()
        .await?;
    assert_eq!(pdf.stdout, from_api.to_vec());
    let bad = Command::new(env!("CARGO_BIN_EXE_planaction"))
        .args(["report", "--plan", &plan, "--month", "octobre"])
        .output()?;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM"));
    Ok(())
}
