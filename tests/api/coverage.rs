//! One successful call to every documented operation, checked against the OpenAPI document,
//! so a new route cannot go untested: the public ones here, the secured ones by every role in
//! `rbac.rs`.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

struct Tour<'a> {
    app: &'a TestApp,
    seen: BTreeSet<String>,
}

impl Tour<'_> {
    /// Calls `template` with `{id}` replaced by `id`, expecting `status`.
    async fn call(
        &mut self,
        method: Method,
        template: &str,
        id: i64,
        body: Option<Value>,
        status: StatusCode,
    ) -> Value {
        self.seen.insert(format!("{method} {template}"));
        let path = template.replace("{id}", &id.to_string());
        // Changes carry the ETag just read, as a client would send it.
        let versioned = match (method.as_str(), template) {
            ("POST", "/api/v1/actions/{id}/status-updates") => Some(path.replace("/status-updates", "")),
            ("POST", "/api/v1/reports/{id}/sign-off") => Some(path.replace("/sign-off", "")),
            ("POST", "/api/v1/plans/{id}/adoption") => Some(path.replace("/adoption", "")),
            ("POST", "/api/v1/plans/{id}/closing") => Some(path.replace("/closing", "")),
            ("PATCH" | "DELETE", t) if !t.contains("/assignees/") => Some(path.clone()),
            _ => None,
        };
        let etag = match versioned {
            Some(item) => self.app.etag(&item).await,
            None => String::new(),
        };
        let headers: Vec<(&str, &str)> = if etag.is_empty() {
            vec![]
        } else {
            vec![("If-Match", etag.as_str())]
        };
        let reply = self.app.request(method.clone(), &path, body, &headers).await;
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.body);
        reply.body
    }
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap_or_default()
}

#[tokio::test]
async fn every_documented_operation_answers() -> TestResult {
    let app = TestApp::spawn().await;
    let mut tour = Tour {
        app: &app,
        seen: BTreeSet::new(),
    };
    let ok = StatusCode::OK;
    let created = StatusCode::CREATED;
    let gone = StatusCode::NO_CONTENT;

    tour.call(Method::GET, "/healthz", 0, None, ok).await;
    tour.call(Method::GET, "/readyz", 0, None, ok).await;
    tour.seen.insert("POST /api/v1/plans/import".to_owned());
    app.import_seed().await;

    let plan = tour
        .call(
            Method::POST,
            "/api/v1/plans",
            0,
            Some(json!({"title": "Plan", "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30"})),
            created,
        )
        .await;
    let plan = id(&plan);
    tour.call(Method::GET, "/api/v1/plans", 0, None, ok).await;
    tour.call(Method::GET, "/api/v1/plans/{id}", plan, None, ok).await;
    tour.call(
        Method::PATCH,
        "/api/v1/plans/{id}",
        plan,
        Some(json!({"title": "Plan 2014-2015"})),
        ok,
    )
    .await;

    let orientation = id(&tour
        .call(
            Method::POST,
            "/api/v1/plans/{id}/orientations",
            plan,
            Some(json!({"title": "O"})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/plans/{id}/orientations", plan, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/orientations/{id}", orientation, None, ok)
        .await;
    tour.call(
        Method::PATCH,
        "/api/v1/orientations/{id}",
        orientation,
        Some(json!({"title": "O2"})),
        ok,
    )
    .await;

    let objective = id(&tour
        .call(
            Method::POST,
            "/api/v1/orientations/{id}/objectives",
            orientation,
            Some(json!({"title": "B"})),
            created,
        )
        .await);
    tour.call(
        Method::GET,
        "/api/v1/orientations/{id}/objectives",
        orientation,
        None,
        ok,
    )
    .await;
    tour.call(Method::GET, "/api/v1/objectives/{id}", objective, None, ok)
        .await;
    tour.call(
        Method::PATCH,
        "/api/v1/objectives/{id}",
        objective,
        Some(json!({"title": "B2"})),
        ok,
    )
    .await;

    let action = id(&tour
        .call(
            Method::POST,
            "/api/v1/objectives/{id}/actions",
            objective,
            Some(json!({"title": "A"})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/objectives/{id}/actions", objective, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/actions", 0, None, ok).await;
    tour.call(Method::GET, "/api/v1/actions/{id}", action, None, ok).await;
    tour.call(
        Method::PATCH,
        "/api/v1/actions/{id}",
        action,
        Some(json!({"status": "in_progress"})),
        ok,
    )
    .await;

    let member = tour.app.account(planaction::auth::Role::Member).id;
    tour.call(
        Method::POST,
        "/api/v1/actions/{id}/assignees",
        action,
        Some(json!({"user_id": member})),
        created,
    )
    .await;
    tour.call(Method::GET, "/api/v1/actions/{id}/assignees", action, None, ok)
        .await;
    tour.call(
        Method::POST,
        "/api/v1/actions/{id}/status-updates",
        action,
        Some(json!({"status": "completed", "note": "Fait", "decision": "CA du 4 novembre 2013"})),
        created,
    )
    .await;
    tour.call(Method::GET, "/api/v1/actions/{id}/status-updates", action, None, ok)
        .await;
    let comment = id(&tour
        .call(
            Method::POST,
            "/api/v1/actions/{id}/comments",
            action,
            Some(json!({"body": "Bien reçu"})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/actions/{id}/comments", action, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/comments/{id}", comment, None, ok).await;
    tour.call(
        Method::PATCH,
        "/api/v1/comments/{id}",
        comment,
        Some(json!({"body": "Bien reçu, merci"})),
        ok,
    )
    .await;
    tour.call(Method::DELETE, "/api/v1/comments/{id}", comment, None, gone)
        .await;
    tour.seen
        .insert("DELETE /api/v1/actions/{id}/assignees/{user_id}".to_owned());
    let path = format!("/api/v1/actions/{action}/assignees/{member}");
    assert_eq!(app.delete(&path).await.status, gone);

    tour.call(Method::GET, "/api/v1/me", 0, None, ok).await;
    tour.call(Method::GET, "/api/v1/users", 0, None, ok).await;
    let account = id(&tour
        .call(
            Method::POST,
            "/api/v1/users",
            0,
            Some(json!({"email": "outaouais@rqds.test", "display_name": "Outaouais", "role": "member", "region": "Outaouais", "password": "une phrase assez longue"})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/users/{id}", account, None, ok).await;
    tour.call(
        Method::PATCH,
        "/api/v1/users/{id}",
        account,
        Some(json!({"active": false})),
        ok,
    )
    .await;
    tour.call(Method::GET, "/api/v1/audit", 0, None, ok).await;
    let login = json!({"email": "board@rqds.test", "password": crate::helpers::PASSWORD});
    let tokens = tour.call(Method::POST, "/api/v1/auth/login", 0, Some(login), ok).await;
    let refresh = json!({"refresh_token": tokens["refresh_token"]});
    let tokens = tour
        .call(Method::POST, "/api/v1/auth/refresh", 0, Some(refresh), ok)
        .await;
    let logout = json!({"refresh_token": tokens["refresh_token"]});
    tour.call(Method::POST, "/api/v1/auth/logout", 0, Some(logout), gone)
        .await;
    let reset = json!({"email": "personne@rqds.test"});
    tour.call(
        Method::POST,
        "/api/v1/auth/password-reset",
        0,
        Some(reset),
        StatusCode::ACCEPTED,
    )
    .await;
    tour.call(
        Method::POST,
        "/api/v1/unsubscribe/{token}",
        0,
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    tour.call(
        Method::GET,
        "/api/v1/calendar/{token}.ics",
        0,
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    let stale = json!({"token": "pas un jeton", "password": "une phrase assez longue"});
    tour.call(
        Method::POST,
        "/api/v1/auth/password",
        0,
        Some(stale),
        StatusCode::BAD_REQUEST,
    )
    .await;

    let deadline = id(&tour
        .call(
            Method::POST,
            "/api/v1/actions/{id}/deadlines",
            action,
            Some(json!({"label": "Automne 2014"})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/actions/{id}/deadlines", action, None, ok)
        .await;
    tour.call(
        Method::POST,
        "/api/v1/objectives/{id}/deadlines",
        objective,
        Some(json!({"label": "En continu"})),
        created,
    )
    .await;
    tour.call(Method::GET, "/api/v1/objectives/{id}/deadlines", objective, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/deadlines/{id}", deadline, None, ok)
        .await;
    tour.call(
        Method::PATCH,
        "/api/v1/deadlines/{id}",
        deadline,
        Some(json!({"label": "Hiver 2015"})),
        ok,
    )
    .await;

    let entry = id(&tour
        .call(
            Method::POST,
            "/api/v1/plans/{id}/glossary",
            plan,
            Some(json!({"acronym": "RQDS", "definition": "Réseau"})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/plans/{id}/glossary", plan, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/glossary/{id}", entry, None, ok).await;
    tour.call(
        Method::PATCH,
        "/api/v1/glossary/{id}",
        entry,
        Some(json!({"definition": "Le réseau"})),
        ok,
    )
    .await;
    tour.call(Method::GET, "/api/v1/plans/{id}/tree", plan, None, ok).await;
    tour.call(Method::GET, "/api/v1/plans/{id}/calendar", plan, None, ok)
        .await;
    for file in ["", ".csv", ".xlsx", ".html", ".pdf"] {
        let template = format!("/api/v1/plans/{{id}}/reports/progress{file}");
        tour.call(Method::GET, &template, plan, None, ok).await;
    }
    let report = id(&tour
        .call(
            Method::POST,
            "/api/v1/plans/{id}/reports",
            plan,
            Some(json!({})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/plans/{id}/reports", plan, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/reports/{id}", report, None, ok).await;
    tour.seen
        .insert("GET /api/v1/plans/{id}/reports/{a}/diff/{b}".to_owned());
    assert_eq!(
        app.get(&format!("/api/v1/plans/{plan}/reports/{report}/diff/{report}"))
            .await
            .status,
        ok
    );
    for file in [
        "snapshot.json",
        "report.json",
        "report.csv",
        "report.xlsx",
        "report.html",
        "report.pdf",
    ] {
        let template = format!("/api/v1/reports/{{id}}/{file}");
        tour.call(Method::GET, &template, report, None, ok).await;
    }
    tour.call(
        Method::POST,
        "/api/v1/reports/{id}/sign-off",
        report,
        Some(json!({"meeting_reference": "CA"})),
        ok,
    )
    .await;
    tour.seen.insert("GET /api/v1/deadlines/parse".to_owned());
    assert_eq!(
        app.get("/api/v1/deadlines/parse?label=En%20continu").await.body["kind"],
        "ongoing"
    );
    let event = id(&tour
        .call(
            Method::POST,
            "/api/v1/plans/{id}/events",
            plan,
            Some(json!({"name": "AGA 2014", "on_date": "2014-11-20"})),
            created,
        )
        .await);
    tour.call(Method::GET, "/api/v1/plans/{id}/events", plan, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/events/{id}", event, None, ok).await;
    tour.call(
        Method::PATCH,
        "/api/v1/events/{id}",
        event,
        Some(json!({"on_date": "2014-11-21"})),
        ok,
    )
    .await;
    tour.call(Method::DELETE, "/api/v1/events/{id}", event, None, gone)
        .await;

    tour.call(Method::DELETE, "/api/v1/glossary/{id}", entry, None, gone)
        .await;
    tour.call(Method::DELETE, "/api/v1/deadlines/{id}", deadline, None, gone)
        .await;
    tour.call(Method::DELETE, "/api/v1/actions/{id}", action, None, gone)
        .await;
    tour.call(Method::DELETE, "/api/v1/objectives/{id}", objective, None, gone)
        .await;
    tour.call(Method::DELETE, "/api/v1/orientations/{id}", orientation, None, gone)
        .await;
    tour.call(Method::DELETE, "/api/v1/plans/{id}", plan, None, gone).await;

    // Next year's plan, and an action's lineage across the two.
    let seed = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let next = tour
        .call(Method::POST, "/api/v1/plans/{id}/next", seed, Some(json!({})), created)
        .await;
    let continued = next["carried"][0]["action_id"].as_i64().unwrap_or_default();
    let lineage = tour
        .call(Method::GET, "/api/v1/actions/{id}/lineage", continued, None, ok)
        .await;
    assert_eq!(lineage.as_array().map(Vec::len), Some(2), "{lineage}");
    tour.call(Method::GET, "/api/v1/plans/{id}/document.docx", seed, None, ok)
        .await;
    tour.call(Method::GET, "/api/v1/plans/{id}/status-sheet.xlsx", seed, None, ok)
        .await;
    let sheet = app
        .client
        .get(format!("{}/api/v1/plans/{seed}/status-sheet.xlsx", app.address))
        .bearer_auth(app.token())
        .send()
        .await?
        .bytes()
        .await?
        .to_vec();
    for step in ["preview", "apply"] {
        let path = format!("/api/v1/plans/{{id}}/status-sheet/{step}");
        tour.seen.insert(format!("POST {path}"));
        let reply = app
            .send_raw(
                Method::POST,
                &path.replace("{id}", &seed.to_string()),
                planaction::sheets::MEDIA_TYPE,
                sheet.clone(),
            )
            .await;
        assert_eq!(reply.status, ok, "{step}: {}", reply.body);
    }

    // The plan's year, by the board: adopted, then closed.
    let year = id(&tour
        .call(
            Method::POST,
            "/api/v1/plans",
            0,
            Some(json!({"title": "Plan 2013-2014", "organization": "RQDS", "period_start": "2013-07-01", "period_end": "2014-06-30"})),
            created,
        )
        .await);
    let board = app.as_role(planaction::auth::Role::Board);
    let mut by_the_board = Tour {
        app: &board,
        seen: std::mem::take(&mut tour.seen),
    };
    let adoption = json!({"adopted_on": "2013-09-12", "resolution": "CA-2013-09-12-03"});
    by_the_board
        .call(Method::POST, "/api/v1/plans/{id}/adoption", year, Some(adoption), ok)
        .await;
    by_the_board
        .call(
            Method::POST,
            "/api/v1/plans/{id}/closing",
            year,
            Some(json!({"closed_on": "2014-06-30"})),
            ok,
        )
        .await;
    tour.seen = by_the_board.seen;

    // Every operation of the document, and whether it names a permission: those are each
    // called by every role in rbac.rs (one case per operation, or that test fails), so a new
    // resource's operations are checked there; the tour must reach every other one.
    let document: Value = serde_json::from_str(&planaction::app::openapi_json()?)?;
    let (mut documented, mut public) = (BTreeSet::new(), BTreeSet::new());
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let name = format!("{} {path}", method.to_uppercase());
            if operation["x-permission"]["permission"].is_null() {
                public.insert(name.clone());
            }
            documented.insert(name);
        }
    }
    let missing: Vec<_> = public.difference(&tour.seen).collect();
    assert!(missing.is_empty(), "public operations never called: {missing:?}");
    let stale: Vec<_> = tour.seen.difference(&documented).collect();
    assert!(stale.is_empty(), "called but not documented: {stale:?}");
    assert!(public.len() >= 5 && documented.len() > public.len() + 80, "{public:?}");
    Ok(())
}
