//! The web page as its users meet it, in Debian's chromium (WebDriver): a regional
//! delegate updates what is theirs and meets a concurrent change, a board member takes the
//! October report and signs it off, the ministry's observer only reads, and every main page
//! passes axe-core's WCAG 2.1 AA rules at desktop and phone widths.

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod browser;

use browser::{Browser, Site};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use helpers::TestResult;
use planaction::auth::{AuthUser, Role};
use planaction::db::schema::users;
use planaction::etag::IfMatch;
use planaction::ids::{ActionId, UserId};
use planaction::progress::ActionStatus;
use planaction::status_updates::dto::CreateStatusUpdate;

const DELEGATE: (&str, &str) = ("estrie@rqds.example", "demo-delegation");
const BOARD: (&str, &str) = ("ca@rqds.example", "demo-conseil-admin");
const OBSERVER: (&str, &str) = ("mess@rqds.example", "demo-observateur");
const COORDINATION: (&str, &str) = ("coordination@rqds.example", "demo-coordination");

/// The action ids linked from the page, with whether each row says "assignée à vous".
async fn listed_actions(b: &Browser) -> TestResult<Vec<(i64, bool)>> {
    let rows = b
        .script(
            "return [...document.querySelectorAll('#results table.actions tbody tr')].map(tr => [
                 Number(tr.querySelector('a').getAttribute('href').split('/').pop()),
                 tr.querySelector('.mine') !== null]);",
        )
        .await?;
    Ok(serde_json::from_value(rows)?)
}

/// A change by the coordination, recorded while the delegate has the page open.
async fn coordination_changes(site: &Site, action: i64, note: &str) -> TestResult {
    let mut conn = site.pool.get().await?;
    let id: UserId = users::table
        .filter(users::email.eq(COORDINATION.0))
        .select(users::id)
        .first(&mut conn)
        .await?;
    let edit = CreateStatusUpdate {
        status: ActionStatus::InProgress,
        note: Some(note.into()),
        progress: None,
        decision: None,
        effective_on: None,
    }
    .into_edit()?;
    let coordination = AuthUser::signed_in(id, Role::Admin, None);
    planaction::status_updates::service::record(&mut conn, &coordination, ActionId(action), IfMatch::Any, edit).await?;
    Ok(())
}

#[tokio::test]
async fn a_delegate_updates_their_action_is_refused_elsewhere_and_resolves_a_conflict() -> TestResult {
    let site = Site::start().await?;
    let b = Browser::open().await?;

    // A wrong password is refused in words, on the page.
    b.goto(&site.url("/sign-in")).await?;
    b.fill("#email", DELEGATE.0).await?;
    b.fill("#password", "pas le bon").await?;
    b.click("form[action='/sign-in'] button[type=submit]").await?;
    b.until("document.querySelector('[role=alert]') !== null").await?;
    assert!(b.main_text().await?.contains("Courriel ou mot de passe invalide"));

    b.sign_in(&site, DELEGATE.0, DELEGATE.1).await?;
    assert!(b.path().await?.starts_with("/plans/"), "{}", b.path().await?);
    let everything = listed_actions(&b).await?;
    let unassigned = everything.iter().find(|(_, mine)| !mine).map(|(id, _)| *id);

    // "Mes actions": htmx swaps the list in place and the address follows.
    b.click("input[name=mine]").await?;
    b.click("form.filters button[type=submit]").await?;
    b.until("location.search.includes('mine=1')").await?;
    b.until("document.querySelectorAll('#results tbody tr').length > 0")
        .await?;
    let mine = listed_actions(&b).await?;
    assert!(!mine.is_empty() && mine.len() < everything.len(), "{mine:?}");
    assert!(mine.iter().all(|(_, assigned)| *assigned), "{mine:?}");
    b.screenshot("plan-mine", 1280).await?;

    // An update of an assigned action.
    let (first, second) = (mine[0].0, mine.get(1).map_or(mine[0].0, |m| m.0));
    b.click(&format!("#results a[href='/actions/{first}']")).await?;
    b.until("document.querySelector('form.update') !== null").await?;
    b.click("#status option[value=in_progress]").await?;
    b.fill("#note", "8 régions visitées").await?;
    b.fill("#done", "8").await?;
    b.fill("#target", "16").await?;
    b.fill("#unit", "régions").await?;
    b.fill("#decision", "CA du 2 décembre").await?;
    b.click("form.update button[type=submit]").await?;
    b.until("location.search.includes('done=status')").await?;
    let page = b.main_text().await?;
    assert!(page.contains("Mise à jour enregistrée."), "{page}");
    let latest = b
        .client
        .find(fantoccini::Locator::Css("table.history tbody tr"))
        .await?
        .text()
        .await?;
    assert!(
        latest.contains("8 régions visitées")
            && latest.contains("8 / 16 régions")
            && latest.contains("CA du 2 décembre"),
        "{latest}"
    );
    assert!(latest.contains("Délégation de l'Estrie"), "{latest}");

    // Another action: no form, a reason, and the server refuses a forged post as well.
    let other = unassigned.ok_or("every action is assigned to the delegate")?;
    b.goto(&site.url(&format!("/actions/{other}"))).await?;
    assert_eq!(b.count("form.update").await?, 0);
    assert!(b.main_text().await?.contains("Cette action ne vous est pas assignée"));
    let status = b
        .post_in_page(
            &format!("/actions/{other}/status"),
            &[("version", "1"), ("status", "completed")],
        )
        .await?;
    assert_eq!(status, 403);

    // A conflict: the coordination changes the action while the delegate's form is open.
    b.goto(&site.url(&format!("/actions/{second}"))).await?;
    b.fill("#note", "Ma version de l'état").await?;
    coordination_changes(&site, second, "Changement fait par la coordination").await?;
    b.click("form.update button[type=submit]").await?;
    b.until("document.querySelector('section.conflict') !== null").await?;
    let conflict = b
        .client
        .find(fantoccini::Locator::Css("section.conflict"))
        .await?
        .text()
        .await?;
    assert!(conflict.contains("Quelqu'un a modifié cette action"), "{conflict}");
    assert!(conflict.contains("Coordination du RQDS"), "{conflict}");
    assert!(conflict.contains("Changement fait par la coordination"), "{conflict}");
    let kept = b
        .script("return document.querySelector('section.conflict #note').value;")
        .await?;
    assert_eq!(kept, "Ma version de l'état");
    b.screenshot("action-conflict", 1280).await?;
    // Nothing was overwritten: the history has the coordination's change, not the delegate's.
    let history = b
        .script("return [...document.querySelectorAll('table.history tbody tr')].map(r => r.innerText);")
        .await?;
    assert!(!history.to_string().contains("Ma version"), "{history}");
    // Applying it again, on top of the other change.
    b.click("section.conflict form.update button[type=submit]").await?;
    b.until("location.search.includes('done=status')").await?;
    let history = b
        .script("return [...document.querySelectorAll('table.history tbody tr')].slice(0, 2).map(r => r.innerText);")
        .await?;
    let rows: Vec<String> = serde_json::from_value(history)?;
    assert!(rows[0].contains("Ma version de l'état"), "{rows:?}");
    assert!(rows[1].contains("Changement fait par la coordination"), "{rows:?}");

    // Signing out ends the session: the plan asks for a sign-in again.
    b.click("header form[action='/sign-out'] button").await?;
    b.until("location.pathname === '/sign-in'").await?;
    b.goto(&site.url("/plans/1")).await?;
    assert_eq!(b.path().await?, "/sign-in?next=%2Fplans%2F1");
    b.close().await
}

#[tokio::test]
async fn a_board_member_reads_the_october_report_downloads_it_and_signs_it_off() -> TestResult {
    let site = Site::start().await?;
    let b = Browser::open().await?;
    b.sign_in(&site, BOARD.0, BOARD.1).await?;
    b.click("header nav a[href$='/reports']").await?;
    b.until("location.pathname.endsWith('/reports')").await?;
    b.click("#month option[value='2013-10']").await?;
    b.click("form.month button[type=submit]").await?;
    b.until("location.search.includes('month=2013-10')").await?;
    let report = b
        .client
        .find(fantoccini::Locator::Css("article.report"))
        .await?
        .text()
        .await?;
    assert!(report.contains("octobre 2013"), "{report}");
    assert!(report.contains("En bref"), "{report}");

    // The PDF, fetched by the browser with its session.
    let pdf = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const href = document.querySelector('a[href*=\"progress.pdf\"]').getAttribute('href');
             fetch(href).then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'),
                 String.fromCharCode(...new Uint8Array(b).slice(0, 5)), b.byteLength, href])));",
            Vec::new(),
        )
        .await?;
    assert_eq!(pdf[0], 200, "{pdf}");
    assert_eq!(pdf[1], "application/pdf", "{pdf}");
    assert_eq!(pdf[2], "%PDF-", "{pdf}");
    // Kept beside the screenshots, to be looked at.
    let href = pdf[4].as_str().unwrap_or_default().to_owned();
    planaction::webhooks::delivery::install_tls_provider();
    let bytes = reqwest::Client::new()
        .get(site.url(&href))
        .header("cookie", b.session_cookie().await?)
        .send()
        .await?
        .bytes()
        .await?;
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("rapport-2013-10.pdf"), &bytes)?;

    // Saved for the board, then signed off.
    b.click("form[method=post][action$='/reports'] button[type=submit]")
        .await?;
    b.until("location.search.includes('done=saved')").await?;
    assert!(b.main_text().await?.contains("Rapport enregistré pour le CA."));
    b.fill(
        "form.sign-off input[name=meeting_reference]",
        "CA du 4 novembre 2013, résolution 2013-11-04-03",
    )
    .await?;
    b.click("form.sign-off button[type=submit]").await?;
    b.until("location.search.includes('done=signed')").await?;
    let saved = b
        .client
        .find(fantoccini::Locator::Css("table.saved tbody tr"))
        .await?
        .text()
        .await?;
    assert!(saved.contains("Validé le"), "{saved}");
    assert!(saved.contains("résolution 2013-11-04-03"), "{saved}");
    assert_eq!(b.count("form.sign-off").await?, 0);
    // The signed PDF carries the sign-off.
    let signed = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('table.saved a[href$=\"report.pdf\"]').getAttribute('href'))
               .then(r => done([r.status, r.headers.get('content-type')]));",
            Vec::new(),
        )
        .await?;
    assert_eq!(signed, serde_json::json!([200, "application/pdf"]));
    b.screenshot("reports-signed", 1280).await?;
    b.close().await
}

#[tokio::test]
async fn an_observer_reads_everything_and_finds_no_form_to_change_anything() -> TestResult {
    let site = Site::start().await?;
    let b = Browser::open().await?;
    b.sign_in(&site, OBSERVER.0, OBSERVER.1).await?;
    let plan = b.path().await?;
    let first = listed_actions(&b).await?[0].0;
    // Signing out and following an action (one's own mail) change nothing of the plan.
    let changing_forms =
        "document.querySelectorAll('form[method=post]:not([action=\"/sign-out\"]):not([action$=\"/follow\"])').length";
    for page in [
        plan.clone(),
        format!("/actions/{first}"),
        format!("{plan}/reports?month=2013-10"),
    ] {
        b.goto(&site.url(&page)).await?;
        assert_eq!(b.script(&format!("return {changing_forms};")).await?, 0, "{page}");
        assert_eq!(b.count("textarea").await?, 0, "{page}");
    }
    // The report is there to read and download.
    assert!(b.count("article.report").await? == 1 && b.count("a[href*='progress.pdf']").await? == 1);
    b.goto(&site.url(&format!("/actions/{first}"))).await?;
    assert_eq!(b.count("form.follow").await?, 1, "an observer may follow an action");
    // And the server refuses what the page does not offer.
    let status = b
        .post_in_page(
            &format!("/actions/{first}/status"),
            &[("version", "1"), ("status", "completed")],
        )
        .await?;
    assert_eq!(status, 403);

    // Search ignores accents and case: "tournee" finds the Tournée des régions.
    b.goto(&site.url(&plan)).await?;
    b.fill("#q", "tournee").await?;
    b.click("form.filters button[type=submit]").await?;
    b.until("location.search.includes('q=tournee')").await?;
    let titles = b
        .script("return [...document.querySelectorAll('#results tbody tr')].map(tr => tr.innerText);")
        .await?;
    let titles: Vec<String> = serde_json::from_value(titles)?;
    assert!(!titles.is_empty(), "nothing found");
    assert!(titles.iter().all(|t| t.contains("Tournée")), "{titles:?}");

    // In English, on request.
    b.goto(&site.url(&plan)).await?;
    b.click("a.lang").await?;
    b.until("document.documentElement.lang === 'en'").await?;
    assert!(b.main_text().await?.contains("Progress by orientation"));
    b.close().await
}

#[tokio::test]
async fn the_main_pages_pass_axe_at_desktop_and_phone_widths() -> TestResult {
    let site = Site::start().await?;
    let b = Browser::open().await?;
    let mut violations = Vec::new();

    b.goto(&site.url("/sign-in")).await?;
    for width in [1280, 320] {
        b.screenshot("sign-in", width).await?;
    }
    violations.extend(b.axe().await?.into_iter().map(|v| format!("sign-in: {v}")));

    b.sign_in(&site, COORDINATION.0, COORDINATION.1).await?;
    let plan = b.path().await?;
    let first = listed_actions(&b).await?[0].0;
    let pages = [
        ("plan", plan.clone()),
        ("plan-late", format!("{plan}?late=1")),
        ("action", format!("/actions/{first}")),
        ("reports", format!("{plan}/reports?month=2013-10")),
        ("admin", "/admin".to_owned()),
    ];
    for (name, path) in pages {
        b.goto(&site.url(&path)).await?;
        for width in [1280, 320] {
            b.screenshot(name, width).await?;
        }
        violations.extend(b.axe().await?.into_iter().map(|v| format!("{name}: {v}")));
        // Keyboard: from the top of the page, Tab reaches the skip link first, with a visible focus.
        b.script("window.scrollTo(0, 0); document.activeElement.blur();")
            .await?;
        b.client
            .find(fantoccini::Locator::Css("body"))
            .await?
            .send_keys("\u{E004}")
            .await?;
        let focus = b
            .script(
                "const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.className, s.outlineStyle, s.outlineWidth];",
            )
            .await?;
        assert_eq!(focus[0], "skip", "{name}: {focus}");
        assert!(
            focus[1] != "none" && focus[2] != "0px",
            "{name}: focus not visible: {focus}"
        );
    }
    assert!(violations.is_empty(), "axe-core found:\n{}", violations.join("\n"));
    b.close().await
}

/// Next year's draft made from the demo plan: a continued action shows its years, and
/// the plans say where they stand.
#[tokio::test]
async fn a_board_member_follows_an_action_into_next_years_plan() -> TestResult {
    let site = Site::start().await?;
    let report = {
        let mut conn = site.pool.get().await?;
        let request = planaction::year::next::NextPlan::default();
        planaction::year::next::carry_over(
            &mut conn,
            &planaction::write::Actor::system(),
            planaction::ids::PlanId(1),
            &request,
        )
        .await
        .map_err(|e| format!("{e:?}"))?
    };
    let continued = report
        .carried
        .iter()
        .find(|c| c.title == "Rencontres de la Tournée des régions")
        .map(|c| c.action_id)
        .ok_or("the Tournée is carried")?;
    let b = Browser::open().await?;
    b.sign_in(&site, BOARD.0, BOARD.1).await?;
    b.goto(&site.url(&format!("/plans/{}", report.plan.plan.id))).await?;
    let text = b.main_text().await?;
    assert!(
        text.contains("Plan d'action 2014-2015") && text.contains("Ébauche"),
        "{text}"
    );
    b.goto(&site.url(&format!("/actions/{continued}"))).await?;
    let text = b.main_text().await?;
    assert!(text.contains("Au fil des années"), "{text}");
    assert!(text.contains("Plan d'action 2013-2014"), "{text}");
    b.screenshot("action-across-years", 1280).await?;
    b.click("ol.lineage a").await?;
    b.until(&format!("!location.pathname.endsWith('/{continued}')")).await?;
    let text = b.main_text().await?;
    assert!(text.contains("cette action"), "last year's page: {text}");
    b.close().await
}

/// A regional table's six-column plan (issue 31), imported: its other columns on the plan's
/// page and the action's, at desktop and phone widths, within axe's rules.
#[tokio::test]
async fn another_organizations_columns_show_on_the_page() -> TestResult {
    let site = Site::start().await?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import/corpus/six-columns.docx");
    let parsed = planaction::import::read(&std::fs::read(path)?).map_err(|e| format!("{e:?}"))?;
    let (plan, _) = {
        let mut conn = site.pool.get().await?;
        let actor = planaction::write::Actor::system();
        planaction::plans::store::store(&mut conn, &actor, &parsed.draft, "Table régionale de l'Estrie")
            .await
            .map_err(|e| format!("{e:?}"))?
    };
    let b = Browser::open().await?;
    b.sign_in(&site, BOARD.0, BOARD.1).await?;
    b.goto(&site.url(&format!("/plans/{plan}"))).await?;
    let text = b.main_text().await?;
    assert!(text.contains("Indicateurs : 6 MRC rencontrées"), "{text}");
    assert!(text.contains("Coordination"), "{text}");
    let mut violations = b.axe().await?;
    for width in [1280, 320] {
        b.screenshot("plan-six-columns", width).await?;
    }
    let first = listed_actions(&b).await?[0].0;
    b.goto(&site.url(&format!("/actions/{first}"))).await?;
    let text = b.main_text().await?;
    assert!(text.contains("Indicateurs\n6 MRC rencontrées"), "{text}");
    assert!(text.contains("2 / 6 MRC rencontrées"), "{text}");
    violations.extend(b.axe().await?);
    b.screenshot("action-six-columns", 1280).await?;
    assert!(violations.is_empty(), "{violations:#?}");
    b.close().await
}
