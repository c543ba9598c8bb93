//! What an attacker tries (OWASP API Top 10, RFC 8725), and the headers that protect
//! browsers and caches: each finding of the attack on the service, fixed and kept fixed.

use planaction::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, Reply, TestApp, TestResult};

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn tokens_and_files_are_never_cached_and_html_cannot_be_framed() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let email = app.account(Role::Board).email.clone();
    let login = app
        .post("/api/v1/auth/login", json!({"email": email, "password": PASSWORD}))
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": login.body["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::OK, "{}", refresh.body);
    let period = "since=2013-10-01&until=2013-10-31";
    let xlsx = app
        .get(&format!("/api/v1/plans/{plan}/reports/progress.xlsx?{period}"))
        .await;
    let html = app
        .get(&format!("/api/v1/plans/{plan}/reports/progress.html?{period}"))
        .await;
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await;
    let error = app.get("/api/v1/plans/999999").await;
    for (what, reply) in [
        ("login", &login),
        ("refresh", &refresh),
        ("xlsx", &xlsx),
        ("html", &html),
        ("tree", &tree),
        ("404", &error),
    ] {
        assert_eq!(header(reply, "cache-control"), "no-store", "{what}");
        assert_eq!(header(reply, "x-content-type-options"), "nosniff", "{what}");
    }
    let docs = app.request(Method::GET, "/docs/", None, &[]).await;
    for (what, reply) in [("report", &html), ("docs", &docs)] {
        assert!(reply.content_type().starts_with("text/html"), "{what}");
        let policy = header(reply, "content-security-policy");
        assert!(policy.contains("frame-ancestors 'none'"), "{what}: {policy}");
        assert!(policy.contains("object-src 'none'"), "{what}: {policy}");
    }
    Ok(())
}

#[tokio::test]
async fn every_bad_query_and_document_gets_a_problem_naming_it() -> TestResult {
    let app = TestApp::spawn().await;
    let problem = |reply: &Reply, status: StatusCode, what: &str| {
        assert_eq!(reply.status, status, "{what}: {}", reply.body);
        assert_eq!(reply.content_type(), "application/problem+json", "{what}");
        assert!(reply.body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{what}");
    };
    let reversed = app
        .get("/api/v1/audit?since=2014-01-01T00:00:00Z&until=2013-01-01T00:00:00Z")
        .await;
    problem(&reversed, StatusCode::UNPROCESSABLE_ENTITY, "audit since > until");
    assert_eq!(reversed.body["errors"][0]["field"], "until");
    problem(
        &app.get("/api/v1/audit?entity=planete").await,
        StatusCode::BAD_REQUEST,
        "unknown entity",
    );
    assert_eq!(app.get("/api/v1/audit?entity=action").await.status, StatusCode::OK);
    problem(
        &app.get("/api/v1/actions?q=%ff%fe").await,
        StatusCode::BAD_REQUEST,
        "q=%ff%fe",
    );
    assert_eq!(
        app.get("/api/v1/actions?q=r%C3%A9alis%C3%A9").await.status,
        StatusCode::OK
    );
    let long = format!("/api/v1/actions?q={}", "a".repeat(20_000));
    problem(&app.get(&long).await, StatusCode::URI_TOO_LONG, "a 20 KB URL");

    let seed = planaction::import::SEED_PLAN;
    let html = app
        .send_raw(
            Method::POST,
            "/api/v1/plans/import",
            "text/html",
            seed.as_bytes().to_vec(),
        )
        .await;
    problem(&html, StatusCode::UNSUPPORTED_MEDIA_TYPE, "text/html import");
    // Cut where the attack cut it: the état cell of line 37 ends "Participati".
    let cut_at = seed.find("<p>Participation").map_or(0, |i| i + "<p>Participati".len());
    let cut = app
        .send_raw(
            Method::POST,
            "/api/v1/plans/import",
            "text/plain",
            seed.as_bytes()[..cut_at].to_vec(),
        )
        .await;
    problem(&cut, StatusCode::UNPROCESSABLE_ENTITY, "a document cut in a row");
    assert!(
        cut.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("coupé") && d.contains("Participati")),
        "{}",
        cut.body
    );
    assert_eq!(
        app.get("/api/v1/plans").await.body.as_array().map(Vec::len),
        Some(0),
        "nothing stored"
    );
    Ok(())
}

/// Sends `request` as raw bytes (no HTTP client sends these) and reads the whole answer.
async fn raw_exchange(app: &TestApp, request: &[u8]) -> TestResult<(String, serde_json::Value)> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    stream.write_all(request).await?;
    let mut answer = Vec::new();
    // The server closes the connection after such an answer; the client may still be
    // sending, so a reset after the answer arrived is not a failure.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8(answer)?;
    let (head, body) = answer.split_once("\r\n\r\n").ok_or("no head")?;
    Ok((head.to_owned(), serde_json::from_str(body)?))
}

#[tokio::test]
async fn requests_the_http_layer_cannot_read_get_a_problem_too() -> TestResult {
    let app = TestApp::spawn().await;
    for (length, expected) in [(100_000, 414), (200_000, 414)] {
        let request = format!(
            "GET /api/v1/actions?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
            "a".repeat(length)
        );
        let (head, body) = raw_exchange(&app, request.as_bytes()).await?;
        assert!(head.starts_with(&format!("HTTP/1.1 {expected} ")), "{length}: {head}");
        assert!(head.contains("content-type: application/problem+json"), "{head}");
        assert_eq!(body["status"], expected);
        assert!(
            body["detail"].as_str().is_some_and(|d| d.contains("8192 octets")),
            "{body}"
        );
    }
    let (head, body) = raw_exchange(&app, b"GET /api/v1/plans HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n").await?;
    assert!(head.starts_with("HTTP/1.1 400 "), "{head}");
    assert!(
        body["detail"].as_str().is_some_and(|d| d.contains("mal formée")),
        "{body}"
    );
    let cookie = "a".repeat(140_000);
    let request = format!("GET /api/v1/plans HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\r\n");
    let (head, body) = raw_exchange(&app, request.as_bytes()).await?;
    assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
    assert_eq!(body["status"], 431);
    // The connection wrapper leaves ordinary answers alone.
    let (head, _) = raw_exchange(
        &app,
        b"GET /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await?;
    assert!(head.starts_with("HTTP/1.1 404 "), "{head}");
    Ok(())
}

#[tokio::test]
async fn a_request_stuck_on_the_database_gets_503_in_time_and_changes_nothing() -> TestResult {
    use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
    let app = TestApp::spawn_configured(crate::helpers::TestDb::new().await, |state| {
        state.request_timeout = std::time::Duration::from_secs(1);
    })
    .await;
    let (_, action) = app.seed_with_an_action().await;
    let path = format!("/api/v1/actions/{action}");
    let etag = app.etag(&path).await;

    // Another session holds the action's row: the write waits on the database.
    let mut holder = diesel_async::AsyncPgConnection::establish(&app.db.url).await?;
    holder.batch_execute("BEGIN").await?;
    diesel::sql_query(format!("SELECT id FROM actions WHERE id = {action} FOR UPDATE"))
        .execute(&mut holder)
        .await?;
    let started = std::time::Instant::now();
    let reply = app
        .request(
            Method::PATCH,
            &path,
            Some(json!({"progress_note": "bloquée"})),
            &[("If-Match", &etag)],
        )
        .await;
    let waited = started.elapsed();
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert!(header(&reply, "retry-after").parse::<u64>().is_ok(), "Retry-After");
    assert!(waited < std::time::Duration::from_secs(3), "answered after {waited:?}");
    holder.batch_execute("COMMIT").await?;

    // The abandoned write did not land, and the service goes on.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.etag(&path).await, etag, "nothing changed");
    let again = app
        .request(
            Method::PATCH,
            &path,
            Some(json!({"progress_note": "libre"})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    Ok(())
}

#[tokio::test]
async fn a_nul_character_anywhere_is_refused_by_name_and_stores_nothing() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, action) = app.seed_with_an_action().await;
    let audit_before = app.get("/api/v1/audit").await.body["total"].clone();

    let login = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": "admin@rqds.test\u{0}", "password": PASSWORD})),
            &[("Authorization", "")],
        )
        .await;
    let comment = app
        .post(
            &format!("/api/v1/actions/{action}/comments"),
            json!({"body": "Vu\u{0}"}),
        )
        .await;
    let glossary = app
        .post(
            &format!("/api/v1/plans/{plan}/glossary"),
            json!({"acronym": "CA", "definition": "Conseil\u{0}"}),
        )
        .await;
    for (what, reply, field) in [
        ("sign-in email", &login, "email"),
        ("comment", &comment, "body"),
        ("glossary entry", &glossary, "definition"),
    ] {
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {}", reply.body);
        assert_eq!(reply.body["errors"][0]["field"], field, "{what}");
        assert_eq!(reply.body["errors"][0]["code"], "nul_character", "{what}");
    }
    let search = app.get("/api/v1/actions?q=a%00b").await;
    assert_eq!(search.status, StatusCode::BAD_REQUEST, "{}", search.body);

    let document = planaction::import::SEED_PLAN.replacen("Automne 2013", "Automne\u{0}2013", 1);
    let import = app
        .send_raw(
            Method::POST,
            "/api/v1/plans/import",
            "text/plain",
            document.into_bytes(),
        )
        .await;
    assert_eq!(import.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", import.body);
    assert!(
        import.body["errors"][0]["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("line "))
    );
    assert_eq!(
        app.get("/api/v1/audit").await.body["total"],
        audit_before,
        "nothing stored"
    );
    Ok(())
}

/// Filter-evasion payloads that the first rule (a regex of whole tags) let through, and
/// a few classics; the full corpus is a unit test of `validation`.
const EVASIONS: &[&str] = &[
    "<svg/onload=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "<!--x--><script/x>alert(1)</script/x>",
    "<x onclick=alert(1)>click",
    "<![CDATA[x]]>",
    "</ p>",
    "<?php ?>",
];

#[tokio::test]
async fn html_is_refused_in_every_text_field_whatever_its_spelling() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, action) = app.seed_with_an_action().await;
    let member = app.account_id(Role::Member);
    let assigned = app
        .post(
            &format!("/api/v1/actions/{action}/assignees"),
            json!({"user_id": member}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::CREATED, "{}", assigned.body);
    let delegate = app.as_role(Role::Member);
    let audit_before = app.get("/api/v1/audit").await.body["total"].clone();
    let action_path = format!("/api/v1/actions/{action}");
    let mut tried = 0;
    for payload in EVASIONS {
        let title = app
            .patch(&action_path, json!({"title": format!("Titre {payload}")}))
            .await;
        let comment = delegate
            .post(&format!("{action_path}/comments"), json!({"body": payload}))
            .await;
        let name = app
            .patch(&format!("/api/v1/users/{member}"), json!({"display_name": payload}))
            .await;
        let glossary = app
            .post(
                &format!("/api/v1/plans/{plan}/glossary"),
                json!({"acronym": "XSS", "definition": payload}),
            )
            .await;
        let etag = delegate.etag(&action_path).await;
        let note = delegate
            .request(
                Method::POST,
                &format!("{action_path}/status-updates"),
                Some(json!({"status": "in_progress", "note": payload})),
                &[("If-Match", &etag)],
            )
            .await;
        for (field, reply) in [
            ("title", title),
            ("body", comment),
            ("display_name", name),
            ("definition", glossary),
            ("note", note),
        ] {
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field} {payload}: {}",
                reply.body
            );
            assert_eq!(reply.body["errors"][0]["field"], field, "{payload}");
            assert_eq!(reply.body["errors"][0]["code"], "html_not_allowed", "{payload}");
            tried += 1;
        }
    }
    assert_eq!(tried, EVASIONS.len() * 5);
    assert_eq!(
        app.get("/api/v1/audit").await.body["total"],
        audit_before,
        "nothing stored"
    );
    // Comparisons are text, and stay text.
    let plain = app
        .patch(&action_path, json!({"title": "Rejoindre < 3 régions <3"}))
        .await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    Ok(())
}

#[tokio::test]
async fn the_language_switch_never_sends_anyone_elsewhere() -> TestResult {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    // A tab, a line feed, a vertical tab, a form feed, DEL, a carriage return: browsers drop
    // some of them, so `/<TAB>/evil.example` was read as `//evil.example` (and some gave 500).
    for next in [
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2F%0B%2Fx",
        "%2F%0C%2Fx",
        "%2F%7F%2Fx",
        "%2F%0D%2Fx",
    ] {
        let reply = client
            .get(format!("{}/language/en?next={next}", app.address))
            .send()
            .await?;
        assert_eq!(reply.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(reply.headers()["location"], "/", "{next}");
    }
    let kept = client
        .get(format!(
            "{}/language/en?next=%2Fplans%2F1%3Fq%3Dr%C3%A9alis%C3%A9",
            app.address
        ))
        .send()
        .await?;
    assert_eq!(kept.headers()["location"], "/plans/1?q=r%C3%A9alis%C3%A9");
    Ok(())
}

#[tokio::test]
async fn saved_reports_cover_the_plans_days_once_and_no_import_is_dated_ahead() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let reports = format!("/api/v1/plans/{plan}/reports");
    // Found under attack: a period of two thousand years, frozen (about 20 MB each time).
    let ages = app
        .post(&reports, json!({"since": "0001-01-01", "until": "2026-01-31"}))
        .await;
    assert_eq!(ages.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", ages.body);
    assert_eq!(ages.body["errors"][0]["field"], "since");
    assert_eq!(ages.body["errors"][0]["code"], "out_of_range");
    let after = app
        .post(&reports, json!({"since": "2014-06-01", "until": "2014-07-31"}))
        .await;
    assert_eq!(after.body["errors"][0]["field"], "until", "{}", after.body);
    let october = json!({"since": "2013-10-01", "until": "2013-10-31"});
    let first = app.post(&reports, october.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = app.post(&reports, october.clone()).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let detail = again.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("/api/v1/reports/{}", first.body["id"])),
        "{detail}"
    );
    let english = app
        .post(
            &reports,
            json!({"since": "2013-10-01", "until": "2013-10-31", "lang": "en"}),
        )
        .await;
    assert_eq!(
        english.status,
        StatusCode::CREATED,
        "the English report is another record"
    );
    assert_eq!(app.get(&reports).await.body.as_array().map(Vec::len), Some(2));

    let ahead = planaction::import::SEED_PLAN.replace("Mise à jour : 2013-10-11", "Mise à jour : 2099-10-11");
    assert_ne!(ahead, planaction::import::SEED_PLAN, "the seed has this line");
    let reply = app
        .send_raw(
            Method::POST,
            "/api/v1/plans/import",
            "text/plain; charset=utf-8",
            ahead.into_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.body["errors"][0]["code"], "in_the_future");
    assert_eq!(
        app.get("/api/v1/plans").await.body.as_array().map(Vec::len),
        Some(1),
        "nothing stored"
    );
    Ok(())
}
