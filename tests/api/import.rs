//! The importer on the real 2013–2014 plan: every count, and actions checked field by field.

use planaction::import::parse;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult, actions_of, find_action, labels, objectives_of};

async fn imported_tree(app: &TestApp) -> Value {
    let report = app.import_seed().await;
    let plan_id = report["plan"]["id"].as_i64().unwrap_or_default();
    app.get(&format!("/api/v1/plans/{plan_id}/tree")).await.body
}

#[tokio::test]
async fn the_seed_plan_imports_with_every_count() -> TestResult {
    let app = TestApp::spawn().await;
    let report = app.import_seed().await;
    assert_eq!(
        report["counts"],
        json!({"orientations": 5, "objectives": 22, "actions": 42, "deadlines": 48, "glossary_entries": 4})
    );
    let plan = &report["plan"];
    assert_eq!(plan["title"], "Plan d'action 2013-2014");
    assert_eq!(plan["organization"], "Réseau québécois de développement social");
    assert_eq!(plan["period_start"], "2013-07-01");
    assert_eq!(plan["period_end"], "2014-06-30");
    assert_eq!(
        plan["heading_note"],
        "Les actions complétées ou en cours de réalisation sont indiquées en caractères gras dans le tableau."
    );
    // "Mise à jour : 2013-10-11", midnight in Québec.
    assert_eq!(plan["last_updated_at"], "2013-10-11T04:00:00Z");

    let tree = app.get(&format!("/api/v1/plans/{}/tree", plan["id"])).await.body;
    let orientations: Vec<(i64, &str)> = tree["orientations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o["position"].as_i64().unwrap_or_default(),
                o["title"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        orientations,
        [
            (
                1,
                "ASSURER LA REPRÉSENTATION DES DÉMARCHES RÉGIONALES DE DÉVELOPPEMENT SOCIAL"
            ),
            (2, "OUTILLER LES MEMBRES DU RQDS"),
            (3, "RÉSEAUTER LES MEMBRES ET LES PARTENAIRES DU RQDS"),
            (4, "SUPPORTER L'ACTION LOCALE, RÉGIONALE ET NATIONALE"),
            (5, "POSITIONNER LE DÉVELOPPEMENT SOCIAL ET LE RQDS"),
        ]
    );
    let per_orientation: Vec<usize> = tree["orientations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["objectives"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(per_orientation, [3, 9, 4, 3, 3]);
    assert_eq!(actions_of(&tree).count(), 42);
    let glossary: Vec<(&str, &str)> = tree["glossary"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            (
                g["acronym"].as_str().unwrap_or_default(),
                g["definition"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        glossary,
        [
            ("CRÉ", "Conférence régionale des élus"),
            ("MESS", "Ministère de l'Emploi et de la Solidarité sociale"),
            ("RQRI", "Réseau québécois de revitalisation intégrée"),
            (
                "SACAIS",
                "Secrétariat à l'action communautaire autonome et aux initiatives sociales"
            ),
        ]
    );
    Ok(())
}

#[tokio::test]
async fn single_actions_keep_their_fields() -> TestResult {
    let app = TestApp::spawn().await;
    let tree = imported_tree(&app).await;

    let action = find_action(
        &tree,
        "Consultation du MESS sur le *Plan d'action gouvernemental en action communautaire*",
    );
    assert_eq!(action["status"], "in_progress");
    assert_eq!(action["progress_note"], Value::Null);
    assert_eq!(labels(&action["deadlines"]), ["Automne 2013"]);

    let action = find_action(
        &tree,
        "Journée de réflexion sur « l'hyperconcertation » (hypermobilisation) du Comité interministériel en action communautaire",
    );
    assert_eq!(action["status"], "completed");
    assert_eq!(labels(&action["deadlines"]), ["3 octobre 2013"]);

    let action = find_action(
        &tree,
        "Rencontres du groupe de réflexion sur la mobilisation des communautés",
    );
    assert_eq!(action["responsible_organization"], "Communagir");
    assert_eq!(action["status"], "not_started");
    assert_eq!(labels(&action["deadlines"]), ["En 2014"]);

    let action = find_action(&tree, "Rencontres de la Tournée des régions");
    assert_eq!(action["status"], "in_progress");
    assert_eq!(action["progress_note"], "6 régions visitées");
    assert_eq!(labels(&action["deadlines"]), ["Aut.13 - Hiver 14"]);

    // One action, two deadlines in one label: the label stays whole.
    let action = find_action(
        &tree,
        "Informations écrites sur l'état d'avancement des travaux à partager lors des activités biannuelles",
    );
    assert_eq!(action["status"], "completed");
    assert_eq!(labels(&action["deadlines"]), ["Novembre 2013 Mai 2014"]);
    Ok(())
}

#[tokio::test]
async fn cells_holding_several_actions_are_shared_in_order() -> TestResult {
    let app = TestApp::spawn().await;
    let tree = imported_tree(&app).await;

    // <p> deadlines and états, one per action.
    let planning = find_action(
        &tree,
        "Planification de la *Tournée des régions* en collaboration avec les représentant(e)s des démarches régionales de développement social",
    );
    assert_eq!(labels(&planning["deadlines"]), ["Automne 2013 – Hiver 2014"]);
    assert_eq!(planning["status"], "in_progress");
    assert_eq!(planning["progress_note"], "14 rencontres de planification réalisées");
    let tools = find_action(&tree, "Offre d'outils logistiques aux représentant(e)s");
    assert_eq!(labels(&tools["deadlines"]), ["Août 2013"]);
    assert_eq!(tools["status"], "completed");

    // Four deadlines for two actions: two each, in order.
    let workshops = find_action(
        &tree,
        "Inclusion d'ateliers de partage d'outils ou de pratiques dans les activités biannuelles",
    );
    assert_eq!(labels(&workshops["deadlines"]), ["Novembre 2013", "Mai 2014"]);
    let website = find_action(&tree, "Dépôt des outils et des pratiques sur le site Internet");
    assert_eq!(labels(&website["deadlines"]), ["Décembre 2013", "Juin 2014"]);

    // A plain cell that lost its line breaks, split into one label per action.
    let site: Vec<Vec<&str>> = objectives_of(&tree)
        .find(|o| o["title"] == "Alimenter le site Internet")
        .map(|o| {
            o["actions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| labels(&a["deadlines"]))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        site,
        [
            vec!["En continu"],
            vec!["Mensuel"],
            vec!["Février, Sept. 2014"],
            vec!["Septembre 2013"]
        ]
    );

    // Two labels run together for two actions.
    let gather = find_action(
        &tree,
        "Recueillir l'ensemble des perspectives priorisées dans les régions",
    );
    assert_eq!(labels(&gather["deadlines"]), ["Automne 2013 - Hiver 2014"]);
    let follow = find_action(&tree, "Assurer des suites aux perspectives priorisées par les régions");
    assert_eq!(labels(&follow["deadlines"]), ["Mai 2014"]);
    assert_eq!(follow["status"], "in_progress");

    // "Communagir :" heads a nested list: both actions are Communagir's.
    let delegation = find_action(
        &tree,
        "Délégation d'un membre au conseil d'administration de Communagir",
    );
    assert_eq!(delegation["responsible_organization"], "Communagir");
    assert_eq!(labels(&delegation["deadlines"]), ["AGA 2013"]);
    assert_eq!(delegation["progress_note"], "À renouveler en novembre");
    let evaluation = find_action(
        &tree,
        "Participation au groupe de travail sur l'évaluation de Communagir",
    );
    assert_eq!(labels(&evaluation["deadlines"]), ["Juin 13-Juin 15"]);
    assert_eq!(evaluation["status"], "in_progress");

    // The continuation row after a blank line still belongs to the first objective.
    let first = objectives_of(&tree).next().cloned().unwrap_or_default();
    let titles: Vec<&str> = first["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(titles.len(), 7);
    assert_eq!(
        titles[5],
        "Invitations des démarches régionales de développement social"
    );
    assert_eq!(
        titles[6],
        "Rencontre de la Table Québec-Régions technique (Directeurs généraux des CRÉs)"
    );
    let table = find_action(&tree, titles[6]);
    assert_eq!(labels(&table["deadlines"]), ["Hiver 2014"]);
    assert_eq!(table["status"], "in_preparation");
    Ok(())
}

#[tokio::test]
async fn an_objective_without_action_keeps_its_deadline() -> TestResult {
    let app = TestApp::spawn().await;
    let tree = imported_tree(&app).await;
    let room = objectives_of(&tree)
        .find(|o| o["title"] == "Mettre la salle virtuelle de vidéoconférence à la disposition des membres")
        .cloned()
        .unwrap_or_default();
    assert_eq!(room["actions"], json!([]));
    assert_eq!(labels(&room["deadlines"]), ["En continu"]);
    Ok(())
}

#[tokio::test]
async fn doubtful_cells_are_reported_not_guessed_silently() -> TestResult {
    let app = TestApp::spawn().await;
    let report = app.import_seed().await;
    let warnings: Vec<(i64, &str)> = report["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w["line"].as_i64().unwrap_or_default(),
                w["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    assert_eq!(warnings[0].0, 31);
    assert!(
        warnings[0].1.contains("2 initiatives présentées Réalisé"),
        "{}",
        warnings[0].1
    );
    // Labels naming a time outside July 2013 – June 2014: read as written, and said.
    assert_eq!(
        warnings[1],
        (
            31,
            "Ligne 31 : l'échéance « Février, Sept. 2014 » tombe hors de la période du plan (1er juillet 2013 – 30 juin 2014) ; lue telle quelle, à vérifier."
        )
    );
    assert_eq!(warnings[2].0, 32);
    assert!(
        warnings[2].1.contains("l'action prend le titre de l'objectif"),
        "{}",
        warnings[2].1
    );
    // One note for the row's two actions: copied to each, and said.
    assert_eq!(
        warnings[3],
        (
            38,
            "Ligne 38 : la note « Montérégie Est, Estrie, Mauricie » est recopiée aux 2 actions de la rangée ; à vérifier."
        )
    );
    assert_eq!(warnings[4].0, 59);
    assert!(warnings[4].1.contains("« Mai 2013 »"), "{}", warnings[4].1);

    let tree = app
        .get(&format!("/api/v1/plans/{}/tree", report["plan"]["id"]))
        .await
        .body;
    let web_tool = find_action(&tree, "Produire un outil web de mise en valeur de 5 initiatives en DS");
    assert_eq!(web_tool["status"], "in_progress");
    assert_eq!(web_tool["progress_note"], "5 tournages complétés");
    assert_eq!(labels(&web_tool["deadlines"]), ["Printemps 2014"]);
    Ok(())
}

#[tokio::test]
async fn a_malformed_document_names_its_line_and_creates_nothing() -> TestResult {
    let app = TestApp::spawn().await;
    let broken = planaction::import::SEED_PLAN.replace("ORIENTATION 3 :", "ORIENTATION 4 :");
    let reply = app
        .send_raw(Method::POST, "/api/v1/plans/import", "text/plain", broken.into_bytes())
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert_eq!(reply.body["errors"][0]["field"], "line 40");
    assert_eq!(
        reply.body["detail"],
        "Ligne 40 : ORIENTATION 4 trouvée, ORIENTATION 3 attendue (elles sont numérotées dans l'ordre)."
    );
    assert_eq!(app.get("/api/v1/plans").await.body, json!([]));
    Ok(())
}

#[tokio::test]
async fn a_failure_while_writing_rolls_back_everything() -> TestResult {
    let app = TestApp::spawn().await;
    let mut parsed = parse::parse(planaction::import::SEED_PLAN).map_err(|e| e.message.en)?;
    // Two acronyms that differ only by case break a unique index at the very end.
    parsed.draft.glossary.push(("mess".to_owned(), "doublon".to_owned()));
    let mut conn = app.pool.get().await?;
    let result =
        planaction::plans::store::store(&mut conn, &planaction::write::Actor::system(), &parsed.draft, "RQDS").await;
    assert!(
        matches!(result, Err(planaction::error::ApiError::Conflict(_))),
        "{result:?}"
    );
    assert_eq!(app.get("/api/v1/plans").await.body, json!([]));
    assert_eq!(app.get("/api/v1/actions").await.body["total"], 0);
    Ok(())
}

#[tokio::test]
async fn import_refuses_what_is_not_a_text_document() -> TestResult {
    let app = TestApp::spawn().await;
    let reply = app.post("/api/v1/plans/import", json!({"text": "PLAN"})).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let reply = app
        .send_raw(
            Method::POST,
            "/api/v1/plans/import",
            "text/plain",
            vec![0x50, 0xff, 0xfe],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["detail"].as_str().unwrap_or_default().contains("UTF-8"));
    Ok(())
}
