//! Deadline labels understood as periods: stored on import and on change, filters on
//! them with a fixed `as_of`, the calendar, the preview, and events of the plan.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult, actions_of, find_action};

async fn seeded() -> (TestApp, i64, Value) {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].as_i64().unwrap_or_default();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    (app, plan, tree)
}

fn all_deadlines(tree: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for objective in crate::helpers::objectives_of(tree) {
        out.extend(objective["deadlines"].as_array().cloned().unwrap_or_default());
        for action in objective["actions"].as_array().into_iter().flatten() {
            out.extend(action["deadlines"].as_array().cloned().unwrap_or_default());
        }
    }
    out
}

/// Titles of the actions a filter returns (every page).
async fn titles(app: &TestApp, query: &str) -> BTreeSet<String> {
    let page = app.get(&format!("/api/v1/actions?{query}&limit=200")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    page.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str().map(str::to_owned))
        .collect()
}

/// Titles of the actions of the tree for which `keep(action)` holds.
fn expected(tree: &Value, keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    actions_of(tree)
        .filter(|a| keep(a))
        .filter_map(|a| a["title"].as_str().map(str::to_owned))
        .collect()
}

fn periods(action: &Value) -> Vec<(String, String)> {
    action["deadlines"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["periods"].as_array().cloned().unwrap_or_default())
        .map(|p| {
            (
                p["start"].as_str().unwrap_or_default().to_owned(),
                p["end"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_seed_label_is_understood_on_import() -> TestResult {
    let (_app, _, tree) = seeded().await;
    let deadlines = all_deadlines(&tree);
    assert_eq!(deadlines.len(), 48);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for deadline in &deadlines {
        *kinds
            .entry(deadline["kind"].as_str().unwrap_or_default().to_owned())
            .or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = [
        ("date", 1),
        ("event", 1),
        ("month", 14),
        ("ongoing", 4),
        ("on_request", 3),
        ("range", 11),
        ("recurring", 2),
        ("season", 11),
        ("year", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(kinds, expected, "no label is unparsed");

    let tour = find_action(&tree, "Rencontres de la Tournée des régions");
    assert_eq!(tour["deadlines"][0]["label"], "Aut.13 - Hiver 14");
    assert_eq!(
        tour["deadlines"][0]["periods"],
        json!([{"start": "2013-09-22", "end": "2014-03-20"}])
    );
    assert_eq!(tour["deadlines"][0]["rendering"], "de l'automne 2013 à l'hiver 2014");
    let written = find_action(
        &tree,
        "Informations écrites sur l'état d'avancement des travaux à partager lors des activités biannuelles",
    );
    assert_eq!(written["deadlines"][0]["kind"], "range");
    assert_eq!(
        written["deadlines"][0]["periods"],
        json!([{"start": "2013-11-01", "end": "2013-11-30"}, {"start": "2014-05-01", "end": "2014-05-31"}])
    );
    assert_eq!(written["deadlines"][0]["ends_on"], "2014-05-31");
    let contacts = find_action(&tree, "Prise de contact régulière");
    assert_eq!(
        contacts["deadlines"][0]["frequency"],
        json!({"unit": "month", "count": 4, "what": "régions", "every": null})
    );
    assert_eq!(
        contacts["deadlines"][0]["periods"],
        json!([{"start": "2013-07-01", "end": "2014-06-30"}])
    );
    Ok(())
}

#[tokio::test]
async fn late_actions_at_a_fixed_date() -> TestResult {
    let (app, _, tree) = seeded().await;
    let as_of = "2014-01-15";
    let found = titles(&app, &format!("late=true&as_of={as_of}")).await;
    let by_definition = expected(&tree, |a| {
        !matches!(a["status"].as_str(), Some("completed" | "cancelled"))
            && a["deadlines"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|d| d["ends_on"].as_str().is_some_and(|end| end < as_of))
    });
    assert_eq!(found, by_definition);
    assert!(found.contains("Consultation du MESS sur le *Plan d'action gouvernemental en action communautaire*"));
    assert!(found.contains("Création d'un forum de discussion pour la *Tournée des régions*"));
    assert!(
        !found.iter().any(|t| t.starts_with("Journée de réflexion")),
        "completed on time"
    );
    assert!(!found.contains("Rencontres de la Tournée des régions"), "due in March");
    // Checked by hand against the document: 13 titles (two actions share one title).
    assert_eq!(found.len(), 13, "{found:#?}");
    // Before the first deadline ends (Mai 2013, written before the plan's period), nothing is late.
    assert!(titles(&app, "late=true&as_of=2013-05-01").await.is_empty());
    assert_eq!(
        titles(&app, "late=true&as_of=2013-07-02").await,
        BTreeSet::from(["Développement d'une stratégie, d'un argumentaire".to_owned()])
    );
    Ok(())
}

#[tokio::test]
async fn due_filters_and_kinds() -> TestResult {
    let (app, _, tree) = seeded().await;
    let before = titles(&app, "due_before=2013-10-31").await;
    assert_eq!(
        before,
        expected(&tree, |a| periods(a)
            .iter()
            .any(|(_, end)| end.as_str() <= "2013-10-31"))
    );
    assert_eq!(before.len(), 4, "{before:#?}");
    assert!(
        before.contains("Développement d'une stratégie, d'un argumentaire"),
        "Mai 2013"
    );

    let window = titles(&app, "due_after=2013-11-01&due_before=2013-11-30").await;
    assert_eq!(
        window,
        expected(&tree, |a| periods(a)
            .iter()
            .any(|(_, end)| ("2013-11-01".."2013-12-01").contains(&end.as_str())))
    );
    let within = titles(&app, "due_within_days=30&as_of=2013-11-01").await;
    assert_eq!(
        within, window,
        "November 1 + 30 days ends on December 1: the same periods"
    );

    let recurring = titles(&app, "kind=recurring").await;
    assert_eq!(
        recurring,
        BTreeSet::from([
            "Mise en valeur sur le site d'initiatives en développement social provenant des régions".to_owned(),
            "Prise de contact régulière".to_owned()
        ])
    );
    let reply = app.get("/api/v1/actions?kind=sometimes").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = app.get("/api/v1/actions?due_within_days=400").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app.get("/api/v1/actions?as_of=2014-02-30").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn the_calendar_lists_a_window_in_order() -> TestResult {
    let (app, plan, tree) = seeded().await;
    let reply = app
        .get(&format!(
            "/api/v1/plans/{plan}/calendar?since=2013-11-01&until=2013-11-30"
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let entries = reply.body.as_array().cloned().unwrap_or_default();
    let overlapping: usize = all_deadlines(&tree)
        .iter()
        .flat_map(|d| d["periods"].as_array().cloned().unwrap_or_default())
        .filter(|p| p["start"].as_str() <= Some("2013-11-30") && p["end"].as_str() >= Some("2013-11-01"))
        .count();
    assert_eq!(entries.len(), overlapping);
    let starts: Vec<&str> = entries.iter().filter_map(|e| e["start"].as_str()).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    let november = entries
        .iter()
        .find(|e| e["label"] == "Novembre 2013")
        .cloned()
        .unwrap_or_default();
    assert_eq!(november["rendering"], "novembre 2013");
    assert!(november["action_title"].is_string());
    let room = entries
        .iter()
        .find(|e| e["action_id"].is_null())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        room["objective_title"],
        "Mettre la salle virtuelle de vidéoconférence à la disposition des membres"
    );

    let reply = app
        .get(&format!(
            "/api/v1/plans/{plan}/calendar?since=2014-01-01&until=2013-01-01"
        ))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}

#[tokio::test]
async fn labels_are_previewed_and_reread_when_changed() -> TestResult {
    let (app, plan, tree) = seeded().await;
    let preview = app
        .get(&format!(
            "/api/v1/deadlines/parse?label=Aut.13%20-%20Hiver%2014&plan_id={plan}"
        ))
        .await
        .body;
    assert_eq!(preview["kind"], "range");
    assert_eq!(preview["rendering"], "de l'automne 2013 à l'hiver 2014");
    assert_eq!(preview["outside_plan"], false);
    let early = app
        .get(&format!("/api/v1/deadlines/parse?label=Mai%202013&plan_id={plan}"))
        .await
        .body;
    assert_eq!(early["outside_plan"], true, "{early}");
    let unknown = app
        .get("/api/v1/deadlines/parse?label=Quand%20ce%20sera%20pr%C3%AAt")
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(unknown.body["kind"], "unparsed");
    assert_eq!(unknown.body["rendering"], "Quand ce sera prêt");

    let deadline = find_action(&tree, "Rencontres de la Tournée des régions")["deadlines"][0]["id"].clone();
    let changed = app
        .patch(&format!("/api/v1/deadlines/{deadline}"), json!({"label": "Hiver 2014"}))
        .await
        .body;
    assert_eq!(changed["kind"], "season");
    assert_eq!(
        changed["periods"],
        json!([{"start": "2013-12-21", "end": "2014-03-20"}])
    );
    assert_eq!(changed["label"], "Hiver 2014");
    assert_eq!(changed["outside_plan"], false);
    let outside = app
        .patch(&format!("/api/v1/deadlines/{deadline}"), json!({"label": "Sept. 2014"}))
        .await;
    assert_eq!(outside.status, StatusCode::OK, "{}", outside.body);
    assert_eq!(
        outside.body["outside_plan"], true,
        "a change outside the plan is flagged"
    );
    Ok(())
}

#[tokio::test]
async fn a_dated_event_resolves_the_deadlines_that_name_it() -> TestResult {
    let (app, plan, tree) = seeded().await;
    let aga = |tree: &Value| {
        find_action(tree, "Délégation d'un membre au conseil d'administration de Communagir")["deadlines"][0].clone()
    };
    assert_eq!(aga(&tree)["kind"], "event");
    assert_eq!(aga(&tree)["periods"], json!([]));

    let event = app
        .post(
            &format!("/api/v1/plans/{plan}/events"),
            json!({"name": "aga 2013", "on_date": "2013-11-22"}),
        )
        .await;
    assert_eq!(event.status, StatusCode::CREATED, "{}", event.body);
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    assert_eq!(
        aga(&tree)["periods"],
        json!([{"start": "2013-11-22", "end": "2013-11-22"}])
    );
    assert_eq!(aga(&tree)["rendering"], "AGA 2013 (22 novembre 2013)");

    let path = format!("/api/v1/events/{}", event.body["id"]);
    app.patch(&path, json!({"on_date": "2013-11-29"})).await;
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    assert_eq!(aga(&tree)["ends_on"], "2013-11-29");
    assert_eq!(app.delete(&path).await.status, StatusCode::NO_CONTENT);
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    assert_eq!(aga(&tree)["periods"], json!([]));
    Ok(())
}

#[tokio::test]
async fn changing_the_plan_period_reads_its_deadlines_again() -> TestResult {
    let (app, plan, tree) = seeded().await;
    let ongoing_ends = |tree: &Value| -> BTreeSet<String> {
        all_deadlines(tree)
            .iter()
            .filter(|d| d["label"] == "En continu")
            .flat_map(|d| d["periods"].as_array().cloned().unwrap_or_default())
            .filter_map(|p| p["end"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(ongoing_ends(&tree), BTreeSet::from(["2014-06-30".to_owned()]));
    let reply = app
        .patch(
            &format!("/api/v1/plans/{plan}"),
            serde_json::json!({"period_end": "2014-12-31"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    assert_eq!(ongoing_ends(&tree), BTreeSet::from(["2014-12-31".to_owned()]));
    Ok(())
}
