//! Every endpoint × every role, and every kind of bad token: the exact status of each,
//! against the permission table of `security::permissions`.

use chrono::{Duration, Utc};
use planaction::auth::Role;
use planaction::security::jwt::JwtKeys;
use planaction::security::permissions::{self, Permission};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

enum Body {
    None,
    Json(Value),
    Text(&'static str),
    /// A spreadsheet (the plan's status sheet, as downloaded).
    Sheet(Vec<u8>),
}

struct Case {
    operation: &'static str,
    method: Method,
    path: String,
    body: Body,
    /// The item whose ETag goes in If-Match, if the operation needs one.
    if_match: Option<String>,
    success: StatusCode,
}

/// Ids of a small plan built by the admin, plus a comment written by the role under test.
struct Fixture {
    plan: i64,
    /// The plan's status sheet as downloaded, sent back unfilled.
    sheet: Vec<u8>,
    /// A draft plan to adopt, and a plan the board adopted, to close.
    draft: i64,
    adopted: i64,
    orientation: i64,
    objective: i64,
    action: i64,
    deadline: i64,
    glossary: i64,
    comment: i64,
    user: i64,
    member: i64,
    event: i64,
    report: i64,
    schedule: i64,
    /// An API token of the role under test, and a service account.
    token: i64,
    service: i64,
    /// A calendar feed of the role under test.
    feed: i64,
    /// A webhook endpoint, and one of its deliveries (failed, to be sent again).
    webhook: i64,
    delivery: i64,
}

async fn id(app: &TestApp, path: &str, body: Value) -> i64 {
    let reply = app.post(path, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{path}: {}", reply.body);
    reply.body["id"].as_i64().unwrap_or_default()
}

async fn fixture(app: &TestApp, role: Role) -> Fixture {
    let admin = app.as_role(Role::Admin);
    let plan = id(
        &admin,
        "/api/v1/plans",
        json!({"title": "P", "organization": "RQDS", "period_start": "2014-07-01", "period_end": "2015-06-30"}),
    )
    .await;
    let orientation = id(
        &admin,
        &format!("/api/v1/plans/{plan}/orientations"),
        json!({"title": "O"}),
    )
    .await;
    let objective = id(
        &admin,
        &format!("/api/v1/orientations/{orientation}/objectives"),
        json!({"title": "B"}),
    )
    .await;
    let action = id(
        &admin,
        &format!("/api/v1/objectives/{objective}/actions"),
        json!({"title": "A"}),
    )
    .await;
    let deadline = id(
        &admin,
        &format!("/api/v1/actions/{action}/deadlines"),
        json!({"label": "Automne 2014"}),
    )
    .await;
    // Registered before the acronym below, which it is told of (an address, never reached).
    let registered = admin
        .post(
            "/api/v1/webhooks",
            json!({"url": "https://93.184.216.34/planaction", "event_types": ["glossary_entry.created"]}),
        )
        .await;
    assert_eq!(registered.status, StatusCode::CREATED, "{}", registered.body);
    let webhook = registered.body["webhook"]["id"].as_i64().unwrap_or_default();
    let glossary = id(
        &admin,
        &format!("/api/v1/plans/{plan}/glossary"),
        json!({"acronym": "RQDS", "definition": "Réseau"}),
    )
    .await;
    let member = app.account_id(Role::Member);
    let reply = admin
        .post(
            &format!("/api/v1/actions/{action}/assignees"),
            json!({"user_id": member}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    // The role's own comment when it may comment (only authors edit), else the admin's.
    let author = if permissions::Permission::Comment.allows(role) {
        app.as_role(role)
    } else {
        admin.as_role(Role::Admin)
    };
    let comment = id(
        &author,
        &format!("/api/v1/actions/{action}/comments"),
        json!({"body": "Note"}),
    )
    .await;
    let user = id(
        &admin,
        "/api/v1/users",
        json!({"email": "autre@rqds.test", "display_name": "Autre", "role": "observer", "password": "une phrase assez longue"}),
    )
    .await;
    let event = id(
        &admin,
        &format!("/api/v1/plans/{plan}/events"),
        json!({"name": "AGA 2014", "on_date": "2014-11-20"}),
    )
    .await;
    let draft = id(
        &admin,
        "/api/v1/plans",
        json!({"title": "P2", "organization": "RQDS", "period_start": "2015-07-01", "period_end": "2016-06-30"}),
    )
    .await;
    let adopted = id(
        &admin,
        "/api/v1/plans",
        json!({"title": "P3", "organization": "RQDS", "period_start": "2013-07-01", "period_end": "2014-06-30"}),
    )
    .await;
    let etag = app.etag(&format!("/api/v1/plans/{adopted}")).await;
    let adoption = app
        .as_role(Role::Board)
        .request(
            Method::POST,
            &format!("/api/v1/plans/{adopted}/adoption"),
            Some(json!({"adopted_on": "2013-09-12", "resolution": "CA-2013-09-12-03"})),
            &[("If-Match", etag.as_str())],
        )
        .await;
    assert_eq!(adoption.status, StatusCode::OK, "{}", adoption.body);
    let sheet = admin
        .client
        .get(format!("{}/api/v1/plans/{plan}/status-sheet.xlsx", admin.address))
        .bearer_auth(admin.token())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes()
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    Fixture {
        plan,
        sheet,
        draft,
        adopted,
        orientation,
        objective,
        action,
        deadline,
        glossary,
        comment,
        user,
        member,
        event,
        report: id(
            &admin,
            &format!("/api/v1/plans/{plan}/reports"),
            json!({"since": "2014-07-01", "until": "2014-07-31"}),
        )
        .await,
        schedule: id(
            &admin,
            &format!("/api/v1/plans/{plan}/report-schedule"),
            json!({"day_of_month": 5, "recipient_roles": ["observer"]}),
        )
        .await,
        token: {
            let made = app
                .as_role(role)
                .post("/api/v1/me/api-tokens", json!({"name": "T", "scope": "read"}))
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
            made.body["api_token"]["id"].as_i64().unwrap_or_default()
        },
        service: id(
            &admin,
            "/api/v1/service-accounts",
            json!({"display_name": "Système", "role": "observer"}),
        )
        .await,
        webhook,
        delivery: {
            use diesel_async::RunQueryDsl;
            let mut conn = app.db.connect().await;
            #[derive(diesel::QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                id: i64,
            }
            let failed: Vec<Row> = diesel::sql_query(format!(
                "UPDATE webhook_deliveries SET state = 'failed' WHERE endpoint_id = {webhook} RETURNING id"
            ))
            .load(&mut conn)
            .await
            .unwrap_or_default();
            <[Row]>::first(&failed).map_or(0, |r| r.id)
        },
        feed: {
            let made = app.as_role(role).post("/api/v1/me/calendar-feeds", json!({})).await;
            assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
            made.body["feed"]["id"].as_i64().unwrap_or_default()
        },
    }
}

fn case(operation: &'static str, method: Method, path: String, body: Body, success: u16) -> Case {
    let if_match = match method.as_str() {
        "PATCH" | "DELETE" if !["remove_assignee", "revoke_token", "revoke_feed"].contains(&operation) => {
            Some(path.clone())
        }
        _ => None,
    };
    Case {
        operation,
        method,
        path,
        body,
        if_match,
        success: StatusCode::from_u16(success).unwrap_or(StatusCode::OK),
    }
}

/// One call per secured operation, deletions last so that every call finds its item.
fn cases(f: &Fixture) -> Vec<Case> {
    use Body::{Json, None as Empty, Text};
    let (get, post, patch, delete) = (Method::GET, Method::POST, Method::PATCH, Method::DELETE);
    let v1 = |p: String| format!("/api/v1{p}");
    let mut cases = vec![
        case("me", get.clone(), v1("/me".into()), Empty, 200),
        case("list_plans", get.clone(), v1("/plans".into()), Empty, 200),
        case("get_plan", get.clone(), v1(format!("/plans/{}", f.plan)), Empty, 200),
        case(
            "get_plan_tree",
            get.clone(),
            v1(format!("/plans/{}/tree", f.plan)),
            Empty,
            200,
        ),
        case(
            "create_plan",
            post.clone(),
            v1("/plans".into()),
            Json(
                json!({"title": "Q", "organization": "RQDS", "period_start": "2015-07-01", "period_end": "2016-06-30"}),
            ),
            201,
        ),
        case(
            "update_plan",
            patch.clone(),
            v1(format!("/plans/{}", f.plan)),
            Json(json!({"title": "P2"})),
            200,
        ),
        case(
            "next_plan",
            post.clone(),
            v1(format!("/plans/{}/next", f.plan)),
            Json(json!({})),
            201,
        ),
        case(
            "status_sheet",
            get.clone(),
            v1(format!("/plans/{}/status-sheet.xlsx", f.plan)),
            Empty,
            200,
        ),
        case(
            "preview_status_sheet",
            post.clone(),
            v1(format!("/plans/{}/status-sheet/preview", f.plan)),
            Body::Sheet(f.sheet.clone()),
            200,
        ),
        case(
            "apply_status_sheet",
            post.clone(),
            v1(format!("/plans/{}/status-sheet/apply", f.plan)),
            Body::Sheet(f.sheet.clone()),
            200,
        ),
        case(
            "plan_document",
            get.clone(),
            v1(format!("/plans/{}/document.docx", f.plan)),
            Empty,
            200,
        ),
        case(
            "action_lineage",
            get.clone(),
            v1(format!("/actions/{}/lineage", f.action)),
            Empty,
            200,
        ),
        case(
            "import_plan",
            post.clone(),
            v1("/plans/import".into()),
            Text(planaction::import::SEED_PLAN),
            201,
        ),
        case(
            "list_orientations",
            get.clone(),
            v1(format!("/plans/{}/orientations", f.plan)),
            Empty,
            200,
        ),
        case(
            "get_orientation",
            get.clone(),
            v1(format!("/orientations/{}", f.orientation)),
            Empty,
            200,
        ),
        case(
            "create_orientation",
            post.clone(),
            v1(format!("/plans/{}/orientations", f.plan)),
            Json(json!({"title": "O2"})),
            201,
        ),
        case(
            "update_orientation",
            patch.clone(),
            v1(format!("/orientations/{}", f.orientation)),
            Json(json!({"title": "O3"})),
            200,
        ),
        case(
            "list_objectives",
            get.clone(),
            v1(format!("/orientations/{}/objectives", f.orientation)),
            Empty,
            200,
        ),
        case(
            "get_objective",
            get.clone(),
            v1(format!("/objectives/{}", f.objective)),
            Empty,
            200,
        ),
        case(
            "create_objective",
            post.clone(),
            v1(format!("/orientations/{}/objectives", f.orientation)),
            Json(json!({"title": "B2"})),
            201,
        ),
        case(
            "update_objective",
            patch.clone(),
            v1(format!("/objectives/{}", f.objective)),
            Json(json!({"title": "B3"})),
            200,
        ),
        case("search_actions", get.clone(), v1("/actions".into()), Empty, 200),
        case(
            "list_actions",
            get.clone(),
            v1(format!("/objectives/{}/actions", f.objective)),
            Empty,
            200,
        ),
        case(
            "get_action",
            get.clone(),
            v1(format!("/actions/{}", f.action)),
            Empty,
            200,
        ),
        case(
            "create_action",
            post.clone(),
            v1(format!("/objectives/{}/actions", f.objective)),
            Json(json!({"title": "A2"})),
            201,
        ),
        case(
            "update_action",
            patch.clone(),
            v1(format!("/actions/{}", f.action)),
            Json(json!({"title": "A3"})),
            200,
        ),
        case(
            "list_assignees",
            get.clone(),
            v1(format!("/actions/{}/assignees", f.action)),
            Empty,
            200,
        ),
        case(
            "add_assignee",
            post.clone(),
            v1(format!("/actions/{}/assignees", f.action)),
            Json(json!({"user_id": f.user})),
            201,
        ),
        case(
            "list_status_updates",
            get.clone(),
            v1(format!("/actions/{}/status-updates", f.action)),
            Empty,
            200,
        ),
        case(
            "list_comments",
            get.clone(),
            v1(format!("/actions/{}/comments", f.action)),
            Empty,
            200,
        ),
        case(
            "create_comment",
            post.clone(),
            v1(format!("/actions/{}/comments", f.action)),
            Json(json!({"body": "Vu"})),
            201,
        ),
        case(
            "get_comment",
            get.clone(),
            v1(format!("/comments/{}", f.comment)),
            Empty,
            200,
        ),
        case(
            "update_comment",
            patch.clone(),
            v1(format!("/comments/{}", f.comment)),
            Json(json!({"body": "Vu et lu"})),
            200,
        ),
        case(
            "list_action_deadlines",
            get.clone(),
            v1(format!("/actions/{}/deadlines", f.action)),
            Empty,
            200,
        ),
        case(
            "create_action_deadline",
            post.clone(),
            v1(format!("/actions/{}/deadlines", f.action)),
            Json(json!({"label": "Hiver 2015"})),
            201,
        ),
        case(
            "list_objective_deadlines",
            get.clone(),
            v1(format!("/objectives/{}/deadlines", f.objective)),
            Empty,
            200,
        ),
        case(
            "create_objective_deadline",
            post.clone(),
            v1(format!("/objectives/{}/deadlines", f.objective)),
            Json(json!({"label": "En continu"})),
            201,
        ),
        case(
            "get_deadline",
            get.clone(),
            v1(format!("/deadlines/{}", f.deadline)),
            Empty,
            200,
        ),
        case(
            "update_deadline",
            patch.clone(),
            v1(format!("/deadlines/{}", f.deadline)),
            Json(json!({"label": "Été 2015"})),
            200,
        ),
        case(
            "parse_deadline",
            get.clone(),
            v1("/deadlines/parse?label=Hiver%202014".into()),
            Empty,
            200,
        ),
        case(
            "plan_calendar",
            get.clone(),
            v1(format!("/plans/{}/calendar", f.plan)),
            Empty,
            200,
        ),
        case(
            "list_events",
            get.clone(),
            v1(format!("/plans/{}/events", f.plan)),
            Empty,
            200,
        ),
        case("get_event", get.clone(), v1(format!("/events/{}", f.event)), Empty, 200),
        case("my_tokens", get.clone(), v1("/me/api-tokens".into()), Empty, 200),
        case("list_webhooks", get.clone(), v1("/webhooks".into()), Empty, 200),
        case(
            "create_webhook",
            post.clone(),
            v1("/webhooks".into()),
            Json(json!({"url": "https://93.184.216.34/hook", "event_types": ["plan.created"]})),
            201,
        ),
        case(
            "get_webhook",
            get.clone(),
            v1(format!("/webhooks/{}", f.webhook)),
            Empty,
            200,
        ),
        case(
            "update_webhook",
            patch.clone(),
            v1(format!("/webhooks/{}", f.webhook)),
            Json(json!({"description": "Tableau du MESS"})),
            200,
        ),
        case(
            "rotate_webhook_secret",
            post.clone(),
            v1(format!("/webhooks/{}/secret", f.webhook)),
            Json(json!({})),
            200,
        ),
        case(
            "webhook_deliveries",
            get.clone(),
            v1(format!("/webhooks/{}/deliveries", f.webhook)),
            Empty,
            200,
        ),
        case(
            "redeliver",
            post.clone(),
            v1(format!("/webhook-deliveries/{}/redelivery", f.delivery)),
            Json(json!({})),
            200,
        ),
        case("my_feeds", get.clone(), v1("/me/calendar-feeds".into()), Empty, 200),
        case(
            "create_feed",
            post.clone(),
            v1("/me/calendar-feeds".into()),
            Json(json!({"plan_id": f.plan})),
            201,
        ),
        case(
            "revoke_feed",
            delete.clone(),
            v1(format!("/calendar-feeds/{}", f.feed)),
            Empty,
            204,
        ),
        case(
            "create_my_token",
            post.clone(),
            v1("/me/api-tokens".into()),
            Json(json!({"name": "Tableau", "scope": "read"})),
            201,
        ),
        case(
            "account_tokens",
            get.clone(),
            v1(format!("/users/{}/api-tokens", f.service)),
            Empty,
            200,
        ),
        case(
            "create_account_token",
            post.clone(),
            v1(format!("/users/{}/api-tokens", f.service)),
            Json(json!({"name": "Nuit", "scope": "read", "never_expires": true})),
            201,
        ),
        case(
            "create_service_account",
            post.clone(),
            v1("/service-accounts".into()),
            Json(json!({"display_name": "Tableau régional", "role": "observer"})),
            201,
        ),
        case(
            "revoke_token",
            delete.clone(),
            v1(format!("/api-tokens/{}", f.token)),
            Empty,
            204,
        ),
        case(
            "get_plan_schedule",
            get.clone(),
            v1(format!("/plans/{}/report-schedule", f.plan)),
            Empty,
            200,
        ),
        case(
            "get_schedule",
            get.clone(),
            v1(format!("/report-schedules/{}", f.schedule)),
            Empty,
            200,
        ),
        case(
            "create_schedule",
            post.clone(),
            v1(format!("/plans/{}/report-schedule", f.draft)),
            Json(json!({"day_of_month": 5, "recipient_addresses": ["suivi@mess.example"]})),
            201,
        ),
        case(
            "update_schedule",
            patch.clone(),
            v1(format!("/report-schedules/{}", f.schedule)),
            Json(json!({"day_of_month": 6})),
            200,
        ),
        case(
            "create_event",
            post.clone(),
            v1(format!("/plans/{}/events", f.plan)),
            Json(json!({"name": "Colloque", "on_date": "2015-03-12"})),
            201,
        ),
        case(
            "update_event",
            patch.clone(),
            v1(format!("/events/{}", f.event)),
            Json(json!({"on_date": "2014-11-21"})),
            200,
        ),
        case(
            "progress_report",
            get.clone(),
            v1(format!(
                "/plans/{}/reports/progress?since=2014-07-01&until=2014-07-31",
                f.plan
            )),
            Empty,
            200,
        ),
        case(
            "progress_report_csv",
            get.clone(),
            v1(format!(
                "/plans/{}/reports/progress.csv?since=2014-07-01&until=2014-07-31",
                f.plan
            )),
            Empty,
            200,
        ),
        case(
            "progress_report_xlsx",
            get.clone(),
            v1(format!(
                "/plans/{}/reports/progress.xlsx?since=2014-07-01&until=2014-07-31",
                f.plan
            )),
            Empty,
            200,
        ),
        case(
            "progress_report_html",
            get.clone(),
            v1(format!(
                "/plans/{}/reports/progress.html?since=2014-07-01&until=2014-07-31",
                f.plan
            )),
            Empty,
            200,
        ),
        case(
            "progress_report_pdf",
            get.clone(),
            v1(format!(
                "/plans/{}/reports/progress.pdf?since=2014-07-01&until=2014-07-31",
                f.plan
            )),
            Empty,
            200,
        ),
        case(
            "save_report",
            post.clone(),
            v1(format!("/plans/{}/reports", f.plan)),
            Json(json!({"since": "2014-08-01", "until": "2014-08-31"})),
            201,
        ),
        case(
            "list_saved_reports",
            get.clone(),
            v1(format!("/plans/{}/reports", f.plan)),
            Empty,
            200,
        ),
        case(
            "get_saved_report",
            get.clone(),
            v1(format!("/reports/{}", f.report)),
            Empty,
            200,
        ),
        case(
            "saved_report_snapshot",
            get.clone(),
            v1(format!("/reports/{}/snapshot.json", f.report)),
            Empty,
            200,
        ),
        case(
            "saved_report_json",
            get.clone(),
            v1(format!("/reports/{}/report.json", f.report)),
            Empty,
            200,
        ),
        case(
            "saved_report_csv",
            get.clone(),
            v1(format!("/reports/{}/report.csv", f.report)),
            Empty,
            200,
        ),
        case(
            "saved_report_xlsx",
            get.clone(),
            v1(format!("/reports/{}/report.xlsx", f.report)),
            Empty,
            200,
        ),
        case(
            "saved_report_html",
            get.clone(),
            v1(format!("/reports/{}/report.html", f.report)),
            Empty,
            200,
        ),
        case(
            "saved_report_pdf",
            get.clone(),
            v1(format!("/reports/{}/report.pdf", f.report)),
            Empty,
            200,
        ),
        case(
            "diff_saved_reports",
            get.clone(),
            v1(format!("/plans/{}/reports/{}/diff/{}", f.plan, f.report, f.report)),
            Empty,
            200,
        ),
        case(
            "list_glossary",
            get.clone(),
            v1(format!("/plans/{}/glossary", f.plan)),
            Empty,
            200,
        ),
        case(
            "get_glossary_entry",
            get.clone(),
            v1(format!("/glossary/{}", f.glossary)),
            Empty,
            200,
        ),
        case(
            "create_glossary_entry",
            post.clone(),
            v1(format!("/plans/{}/glossary", f.plan)),
            Json(json!({"acronym": "CA", "definition": "Conseil"})),
            201,
        ),
        case(
            "update_glossary_entry",
            patch.clone(),
            v1(format!("/glossary/{}", f.glossary)),
            Json(json!({"definition": "Le réseau"})),
            200,
        ),
        case("list_users", get.clone(), v1("/users".into()), Empty, 200),
        case(
            "create_user",
            post.clone(),
            v1("/users".into()),
            Json(
                json!({"email": "neuf@rqds.test", "display_name": "Neuf", "role": "member", "password": "une phrase assez longue"}),
            ),
            201,
        ),
        case("get_user", get.clone(), v1(format!("/users/{}", f.user)), Empty, 200),
        case(
            "update_user",
            patch.clone(),
            v1(format!("/users/{}", f.user)),
            Json(json!({"display_name": "Autre compte"})),
            200,
        ),
        case("list_audit", get.clone(), v1("/audit".into()), Empty, 200),
        case(
            "delete_comment",
            delete.clone(),
            v1(format!("/comments/{}", f.comment)),
            Empty,
            204,
        ),
        case(
            "remove_assignee",
            delete.clone(),
            v1(format!("/actions/{}/assignees/{}", f.action, f.member)),
            Empty,
            204,
        ),
        case(
            "delete_webhook",
            delete.clone(),
            v1(format!("/webhooks/{}", f.webhook)),
            Empty,
            204,
        ),
        case(
            "delete_schedule",
            delete.clone(),
            v1(format!("/report-schedules/{}", f.schedule)),
            Empty,
            204,
        ),
        case(
            "delete_event",
            delete.clone(),
            v1(format!("/events/{}", f.event)),
            Empty,
            204,
        ),
        case(
            "delete_glossary_entry",
            delete.clone(),
            v1(format!("/glossary/{}", f.glossary)),
            Empty,
            204,
        ),
        case(
            "delete_deadline",
            delete.clone(),
            v1(format!("/deadlines/{}", f.deadline)),
            Empty,
            204,
        ),
        case(
            "delete_action",
            delete.clone(),
            v1(format!("/actions/{}", f.action)),
            Empty,
            204,
        ),
        case(
            "delete_objective",
            delete.clone(),
            v1(format!("/objectives/{}", f.objective)),
            Empty,
            204,
        ),
        case(
            "delete_orientation",
            delete.clone(),
            v1(format!("/orientations/{}", f.orientation)),
            Empty,
            204,
        ),
        case(
            "delete_plan",
            delete.clone(),
            v1(format!("/plans/{}", f.plan)),
            Empty,
            204,
        ),
    ];
    // The status update goes before the action is deleted.
    let at = cases
        .iter()
        .position(|c| c.operation == "list_status_updates")
        .unwrap_or(0);
    // POSTs that change a versioned item: (operation, path, the item read for its ETag, body, success).
    let versioned_posts = [
        (
            "create_status_update",
            format!("/actions/{}/status-updates", f.action),
            format!("/actions/{}", f.action),
            json!({"status": "in_progress", "note": "Commencé"}),
            201,
        ),
        (
            "sign_off_report",
            format!("/reports/{}/sign-off", f.report),
            format!("/reports/{}", f.report),
            json!({"meeting_reference": "CA"}),
            200,
        ),
        (
            "adopt_plan",
            format!("/plans/{}/adoption", f.draft),
            format!("/plans/{}", f.draft),
            json!({"adopted_on": "2015-06-11", "resolution": "CA-2015-06-11-02"}),
            200,
        ),
        (
            "close_plan",
            format!("/plans/{}/closing", f.adopted),
            format!("/plans/{}", f.adopted),
            json!({"closed_on": "2014-06-30"}),
            200,
        ),
    ];
    for (operation, path, item, body, success) in versioned_posts {
        let mut versioned = case(operation, post.clone(), v1(path), Json(body), success);
        versioned.if_match = Some(v1(item));
        cases.insert(at, versioned);
    }
    let role_path = v1("/notification-defaults/observer".into());
    let chosen = json!({"language": "fr", "reminder_days": 10, "frequencies": {"commented": "weekly"}});
    // First: the action is deleted among the last cases.
    cases.splice(
        0..0,
        [
            case(
                "follow_action",
                Method::PUT,
                v1(format!("/actions/{}/follow", f.action)),
                Empty,
                204,
            ),
            case(
                "unfollow_action",
                delete.clone(),
                v1(format!("/actions/{}/follow", f.action)),
                Empty,
                204,
            ),
            case("list_outbox", get.clone(), v1("/outbox".into()), Empty, 200),
            // No message 0: the coordination gets past the permission to the 404.
            case("resend_mail", post.clone(), v1("/outbox/0/resend".into()), Empty, 404),
            case(
                "my_preferences",
                get.clone(),
                v1("/me/notifications".into()),
                Empty,
                200,
            ),
            case(
                "choose_preferences",
                Method::PUT,
                v1("/me/notifications".into()),
                Json(chosen),
                200,
            ),
            case("role_defaults", get.clone(), role_path.clone(), Empty, 200),
            case(
                "set_role_defaults",
                Method::PUT,
                role_path,
                Json(json!({"frequencies": {"status_updated": "daily"}})),
                200,
            ),
        ],
    );
    cases.push(case(
        "invite",
        post.clone(),
        v1("/invitations".into()),
        Json(json!({"email": "invitee@rqds.test", "role": "member"})),
        201,
    ));
    // Last: a changed password revokes the token the other cases are sent with.
    cases.push(case(
        "change_password",
        Method::PUT,
        v1("/me/password".into()),
        Json(json!({"current_password": crate::helpers::PASSWORD, "new_password": "une phrase toute neuve"})),
        200,
    ));
    cases
}

/// Each secured operation's permission and the status refusing it, as the handlers' own
/// signatures put them in the document (`x-permission`, written by `#[endpoint]`).
fn secured_operations() -> TestResult<std::collections::BTreeMap<String, (Permission, StatusCode)>> {
    let document: Value = serde_json::from_str(&planaction::app::openapi_json()?)?;
    let mut secured = std::collections::BTreeMap::new();
    for item in document["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, item)| item)
    {
        for operation in item.as_object().into_iter().flatten().map(|(_, operation)| operation) {
            let needs = &operation["x-permission"];
            let Some(name) = needs["permission"].as_str() else {
                continue;
            };
            let permission = Permission::from_name(name).ok_or(format!("no permission {name}"))?;
            let refused = StatusCode::from_u16(needs["refused_with"].as_u64().unwrap_or(0) as u16)?;
            let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
            secured.insert(id, (permission, refused));
        }
    }
    assert!(secured.len() > 80, "the document names its operations' permissions");
    Ok(secured)
}

async fn send(app: &TestApp, case: &Case, authorization: Option<&str>) -> (StatusCode, Value) {
    let mut headers: Vec<(&str, String)> = Vec::new();
    if let Some(item) = &case.if_match {
        headers.push(("If-Match", app.etag(item).await));
    }
    if let Some(value) = authorization {
        headers.push(("Authorization", value.to_owned()));
    }
    let mut request = app
        .client
        .request(case.method.clone(), format!("{}{}", app.address, case.path));
    if authorization.is_none() {
        request = request.bearer_auth(app.token());
    }
    for (name, value) in &headers {
        request = request.header(*name, value);
    }
    request = match &case.body {
        Body::None => request,
        Body::Json(body) => request.json(body),
        Body::Text(text) => request.header("content-type", "text/plain").body(*text),
        Body::Sheet(bytes) => request
            .header("content-type", planaction::sheets::MEDIA_TYPE)
            .body(bytes.clone()),
    };
    let response = request.send().await.unwrap_or_else(|e| panic!("{}: {e}", case.path));
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn each_role_gets_exactly_what_the_matrix_says() -> TestResult {
    let secured = secured_operations()?;
    let mut checked = 0;
    for &role in Role::ALL {
        let owner = TestApp::spawn().await;
        let app = owner.as_role(role);
        let fixture = fixture(&app, role).await;
        let all = cases(&fixture);
        let mut operations: Vec<&str> = all.iter().map(|c| c.operation).collect();
        let mut declared: Vec<&str> = secured.keys().map(String::as_str).collect();
        operations.sort_unstable();
        declared.sort_unstable();
        assert_eq!(operations, declared, "one case per secured operation");
        for case in &all {
            let (permission, refused) = secured[case.operation];
            let expected = if permission.allows(role) { case.success } else { refused };
            let (status, body) = send(&app, case, None).await;
            assert_eq!(status, expected, "{role:?} {} {}: {body}", case.method, case.path);
            let lists_assignees = ["list_assignees", "add_assignee"].contains(&case.operation);
            if lists_assignees && status.is_success() {
                assert_summaries(&body, role);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 4 * secured.len());
    Ok(())
}

/// Assignees are shown to every role as a summary: no email, role or account state.
fn assert_summaries(body: &Value, role: Role) {
    let assignees = body.as_array().map(Vec::as_slice).unwrap_or_default();
    assert!(!assignees.is_empty(), "{role:?}: {body}");
    for assignee in assignees {
        let mut fields: Vec<&str> = assignee
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        fields.sort_unstable();
        assert_eq!(fields, ["display_name", "id", "region"], "{role:?}: {assignee}");
    }
}

/// A token with `"alg": "none"` and no signature.
fn unsigned_token(user_id: i64) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = Utc::now().timestamp();
    let claims = json!({"iss": "planaction", "aud": "planaction-api", "sub": user_id.to_string(), "role": "admin", "exp": now + 600, "iat": now, "jti": "x"});
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[tokio::test]
async fn bad_tokens_get_401_everywhere() -> TestResult {
    let app = TestApp::spawn().await;
    let fixture = fixture(&app, Role::Admin).await;
    let admin = app.account_id(Role::Admin);
    let (expired, _) = app
        .state
        .jwt
        .issue(admin, Role::Admin, Utc::now() - Duration::hours(2))?;
    let (foreign, _) = JwtKeys::random().issue(admin, Role::Admin, Utc::now())?;
    // A deactivated account: its still-valid token stops working at once.
    let observer = app.account_id(Role::Observer);
    let (deactivated, _) = app.state.jwt.issue(observer, Role::Observer, Utc::now())?;
    let reply = app
        .patch(&format!("/api/v1/users/{observer}"), json!({"active": false}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let bad: [(&str, Option<String>); 6] = [
        ("no token", Some(String::new())),
        ("not a bearer token", Some("Basic YWRtaW46YWRtaW4=".to_owned())),
        ("expired", Some(format!("Bearer {expired}"))),
        ("signed with another key", Some(format!("Bearer {foreign}"))),
        ("alg none", Some(format!("Bearer {}", unsigned_token(admin)))),
        ("deactivated account", Some(format!("Bearer {deactivated}"))),
    ];
    for case in cases(&fixture) {
        for (what, header) in &bad {
            let (status, body) = send(&app, &case, header.as_deref()).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{what}: {} {}: {body}",
                case.method,
                case.path
            );
            assert_eq!(body["type"], "urn:planaction:problem:unauthorized", "{what}");
        }
    }
    let (status, body) = send(&app, &cases(&fixture)[0], Some(&format!("Bearer {expired}"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["detail"].as_str().unwrap_or_default().contains("expiré"), "{body}");
    Ok(())
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() -> TestResult {
    let app = TestApp::spawn().await;
    let me = format!("/api/v1/users/{}", app.account_id(Role::Admin));
    for change in [json!({"active": false}), json!({"role": "observer"})] {
        let reply = app.patch(&me, change).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    }
    assert_eq!(
        app.patch(&me, json!({"display_name": "Coordination"})).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/api/v1/me").await.status, StatusCode::OK, "still signed in");
    let other = format!("/api/v1/users/{}", app.account_id(Role::Board));
    assert_eq!(app.patch(&other, json!({"active": false})).await.status, StatusCode::OK);
    Ok(())
}
