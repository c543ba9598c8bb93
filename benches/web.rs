//! Web page benchmark: the plan page of the 10,000-action fixture (100 actions a page),
//! loaded and rendered on the server, for the usual views; then the same page asked over
//! HTTP with a session cookie. Prints medians and the ratio to a baseline measured in the
//! same run: the page's own action query (`Action::search`, one page) alone.
//! Run it with `scripts/bench`.

use std::time::Instant;

use planaction::actions::model::Action;
use planaction::auth::{AuthUser, Role};
use planaction::i18n::Lang;
use planaction::ids::{PlanId, UserId};
use planaction::web::session::Visitor;
use planaction::web::{PlanFilters, PlanView, render_plan_page};

const ACTIONS: usize = 10_000;
const HISTORY: usize = 100_000;
const RUNS: usize = 15;

fn server() -> String {
    std::env::var("PLANACTION_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// `late=1&q=regions` → the filters the page reads from its query string.
fn filters(query: &str) -> PlanFilters {
    let mut f = PlanFilters::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = Some(value.to_owned());
        match name {
            "mine" => f.mine = value,
            "late" => f.late = value,
            "due" => f.due = value,
            "status" => f.status = value,
            "q" => f.q = value,
            _ => f.page = value,
        }
    }
    f
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = format!("planaction_bench_web_{}", std::process::id());
    let url = format!("{}/{name}", server());
    planaction::db::ensure_database(&url).await?;
    planaction::db::migrate(&url).await?;
    let pool = planaction::db::pool(&url, planaction::db::PoolSettings::new(4))?;
    let state = planaction::state::AppState::new(pool.clone(), planaction::security::jwt::JwtKeys::random());
    let (plan, user) = {
        let mut conn = pool.get().await?;
        let plan = planaction::fixture::create(&mut conn, ACTIONS, HISTORY)
            .await
            .map_err(|e| e.to_string())?;
        let account = planaction::users::dto::CreateUser {
            email: planaction::validation::bounded::Email::new("ca@rqds.example"),
            display_name: "Membre du CA".into(),
            role: Role::Board,
            region: None,
            password: planaction::validation::bounded::Password::new("mot de passe du banc"),
        }
        .into_form(&state.passwords)
        .await
        .map_err(|e| e.to_string())?;
        let user = planaction::write::create(&mut conn, &planaction::write::Actor::system(), account)
            .await
            .map_err(|e| e.to_string())?;
        (PlanId(plan), user.id)
    };
    println!("fixture: {ACTIONS} actions, {HISTORY} history rows; pages of 100 actions");
    let visitor = Visitor {
        user: AuthUser::signed_in(user, Role::Board, None),
        name: "Membre du CA".into(),
        csrf: "x".repeat(43),
        lang: Lang::Fr,
    };

    let mut conn = pool.get().await?;
    let mut baseline = Vec::new();
    for _ in 0..RUNS {
        let query = filters("").query(plan, UserId(user.0));
        let started = Instant::now();
        std::hint::black_box(Action::search(&mut conn, &query).await.map_err(|e| e.to_string())?);
        baseline.push(started.elapsed().as_secs_f64());
    }
    let baseline = median(baseline);
    println!(
        "\n{:<34} {:>9} {:>9} {:>9} {:>11} {:>9}",
        "plan page", "load ms", "render ms", "total ms", "× baseline", "KiB"
    );
    println!(
        "{:<34} {:>9.1} {:>9} {:>9.1} {:>11.1}",
        "baseline: Action::search, 1 page",
        baseline * 1000.0,
        "",
        baseline * 1000.0,
        1.0
    );
    for query in [
        "",
        "page=50",
        "late=1",
        "status=completed",
        "q=regions",
        "due=1&q=invitation",
    ] {
        let f = filters(query);
        let (mut loads, mut renders, mut totals, mut size) = (Vec::new(), Vec::new(), Vec::new(), 0);
        for _ in 0..RUNS {
            let started = Instant::now();
            let view = PlanView::load(&mut conn, plan, &f, user)
                .await
                .map_err(|e| e.to_string())?;
            let loaded = started.elapsed().as_secs_f64();
            let page = render_plan_page(&visitor, &view, &f, "/").into_string();
            let total = started.elapsed().as_secs_f64();
            loads.push(loaded);
            renders.push(total - loaded);
            totals.push(total);
            size = page.len();
        }
        let total = median(totals);
        println!(
            "{:<34} {:>9.1} {:>9.1} {:>9.1} {:>11.1} {:>9}",
            format!("/plans/{}?{query}", plan.0),
            median(loads) * 1000.0,
            median(renders) * 1000.0,
            total * 1000.0,
            total / baseline,
            size / 1024
        );
    }
    drop(conn);

    // The same page from outside: sign in, then GET with the cookie (HTTP, two workers).
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}", listener.local_addr()?);
    tokio::spawn(planaction::server::run(listener, state, Some(2))?);
    planaction::webhooks::delivery::install_tls_provider();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let form = client.get(format!("{address}/sign-in")).send().await?;
    let sign_in_cookie = form
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .to_owned();
    let token = sign_in_cookie.split_once('=').map_or("", |(_, v)| v).to_owned();
    let signed = client
        .post(format!("{address}/sign-in"))
        .header("cookie", &sign_in_cookie)
        .form(&[
            ("csrf", token.as_str()),
            ("email", "ca@rqds.example"),
            ("password", "mot de passe du banc"),
        ])
        .send()
        .await?;
    let session = signed
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("planaction_session="))
        .and_then(|v| v.split(';').next())
        .ok_or("no session after sign-in")?
        .to_owned();
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let response = client
            .get(format!("{address}/plans/{}", plan.0))
            .header("cookie", &session)
            .send()
            .await?;
        let status = response.status();
        std::hint::black_box(response.bytes().await?);
        times.push(started.elapsed().as_secs_f64());
        if !status.is_success() {
            return Err(format!("GET /plans/{}: {status}", plan.0).into());
        }
    }
    let http = median(times);
    println!(
        "{:<34} {:>9} {:>9} {:>9.1} {:>11.1}",
        "HTTP GET (session, whole answer)",
        "",
        "",
        http * 1000.0,
        http / baseline
    );

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
