//! The web page over plain HTTP: its cookie, CSRF protection, sign-in limits, escaping and
//! Content-Security-Policy, and the end of a session (what the browser tests take for granted).

use std::collections::HashMap;

use planaction::auth::Role;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, TestResult};

/// A browser without JavaScript: keeps cookies, follows nothing by itself.
struct Visitor {
    client: reqwest::Client,
    base: String,
    cookies: HashMap<String, String>,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let start = self.body.find("name=\"csrf\" value=\"").map_or(0, |i| i + 19);
        self.body[start..].split('"').next().unwrap_or("").to_owned()
    }
}

impl Visitor {
    fn new(app: &TestApp) -> TestResult<Visitor> {
        Ok(Visitor {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
            base: app.address.clone(),
            cookies: HashMap::new(),
        })
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> TestResult<Answer> {
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let response = request.header("cookie", cookie.join("; ")).send().await?;
        let answer = Answer {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await?,
        };
        for value in answer
            .headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let pair = value.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        Ok(answer)
    }

    async fn get(&mut self, path: &str) -> TestResult<Answer> {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResult<Answer> {
        let request = self.client.post(format!("{}{path}", self.base)).form(fields);
        self.send(request).await
    }

    async fn sign_in(&mut self, role: Role, password: &str) -> TestResult<Answer> {
        let form = self.get("/sign-in").await?;
        let email = format!("{}@rqds.test", role.as_str());
        self.post(
            "/sign-in",
            &[
                ("csrf", &form.csrf()),
                ("email", &email),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }
}

#[tokio::test]
async fn pages_ask_for_a_sign_in_and_the_session_cookie_is_protected() -> TestResult {
    let app = TestApp::spawn().await;
    app.import_seed().await;
    let mut v = Visitor::new(&app)?;
    let page = v.get("/plans/1?late=1").await?;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/sign-in?next=%2Fplans%2F1%3Flate%3D1");

    let signed = v.sign_in(Role::Board, PASSWORD).await?;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let cookie = signed.set_cookie("planaction_session").ok_or("no session cookie")?;
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    let plan = v.get("/plans/1").await?;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(plan.body.contains("ORIENTATION 1") || plan.body.contains("Orientation 1"));

    // Behind a proxy that terminates TLS, the cookie is for TLS only.
    let form = v.get("/sign-in").await?;
    let request = v
        .client
        .post(format!("{}/sign-in", v.base))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("csrf", form.csrf().as_str()),
            ("email", "board@rqds.test"),
            ("password", PASSWORD),
        ]);
    let over_tls = v.send(request).await?;
    let cookie = over_tls.set_cookie("planaction_session").ok_or("no session cookie")?;
    assert!(cookie.contains("Secure"), "{cookie}");

    // Signing out ends the session on the server, not only in the browser.
    let stolen = v.cookies.get("planaction_session").cloned().unwrap_or_default();
    let plan = v.get("/plans/1").await?;
    let out = v.post("/sign-out", &[("csrf", &plan.csrf())]).await?;
    assert_eq!(out.location(), "/sign-in?signed_out=1");
    v.cookies.insert("planaction_session".into(), stolen);
    assert_eq!(v.get("/plans/1").await?.status, StatusCode::SEE_OTHER);
    Ok(())
}

#[tokio::test]
async fn a_sign_in_cookie_the_client_chose_is_not_ours_and_a_new_sign_in_ends_the_previous() -> TestResult {
    let app = TestApp::spawn().await;
    app.import_seed().await;
    let mut v = Visitor::new(&app)?;
    // A neighbouring site (or the attacker's own browser) planted a long enough value.
    let planted = "a".repeat(64);
    v.cookies.insert("planaction_sign_in".into(), planted.clone());
    let form = v.get("/sign-in").await?;
    assert_ne!(form.csrf(), planted, "the form never echoes a token we did not issue");
    assert!(
        form.set_cookie("planaction_sign_in")
            .is_some_and(|c| !c.contains(&planted))
    );
    v.cookies.insert("planaction_sign_in".into(), planted.clone());
    let forged = v
        .post(
            "/sign-in",
            &[("csrf", &planted), ("email", "board@rqds.test"), ("password", PASSWORD)],
        )
        .await?;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert!(forged.set_cookie("planaction_session").is_none());
    // Our own token, kept across two tabs.
    let first = v.get("/sign-in").await?;
    let second = v.get("/sign-in").await?;
    assert_eq!(first.csrf(), second.csrf());

    v.sign_in(Role::Board, PASSWORD).await?;
    let board = v
        .cookies
        .get("planaction_session")
        .cloned()
        .ok_or("no session cookie")?;
    let member = v.sign_in(Role::Member, PASSWORD).await?;
    assert_eq!(member.status, StatusCode::SEE_OTHER, "{}", member.body);
    assert_ne!(v.cookies.get("planaction_session"), Some(&board));
    assert_eq!(
        v.get("/plans/1").await?.status,
        StatusCode::OK,
        "the member is signed in"
    );
    v.cookies.insert("planaction_session".into(), board);
    let page = v.get("/plans/1").await?;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "the board member's session ended with the new sign-in"
    );
    Ok(())
}

#[tokio::test]
async fn forms_without_the_session_token_are_refused_and_change_nothing() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, action) = app.seed_with_an_action().await;
    let mut v = Visitor::new(&app)?;
    v.sign_in(Role::Board, PASSWORD).await?;
    let path = format!("/actions/{action}/comments");
    for csrf in ["", "forged-token"] {
        let refused = v.post(&path, &[("csrf", csrf), ("body", "Commentaire forgé")]).await?;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("ne vient pas de Planaction"), "{}", refused.body);
        assert!(refused.headers["content-type"].to_str()?.starts_with("text/html"));
    }
    let comments = app.get(&format!("/api/v1/actions/{action}/comments")).await;
    assert_eq!(comments.body, json!([]));

    // The sign-in form too: a post from elsewhere lacks the cookie its token must match.
    let mut stranger = Visitor::new(&app)?;
    let forged = stranger
        .post(
            "/sign-in",
            &[("csrf", "x"), ("email", "board@rqds.test"), ("password", PASSWORD)],
        )
        .await?;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test]
async fn what_people_write_is_escaped_under_a_policy_without_inline_script() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, action) = app.seed_with_an_action().await;
    let mut v = Visitor::new(&app)?;
    v.sign_in(Role::Member, PASSWORD).await?;
    let page = v.get(&format!("/actions/{action}")).await?;
    // Markup itself is refused (and given back to be corrected)…
    let refused = v
        .post(
            &format!("/actions/{action}/comments"),
            &[("csrf", &page.csrf()), ("body", "<script>alert('x')</script>")],
        )
        .await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("contient du HTML"), "{}", refused.body);
    assert!(
        refused
            .body
            .contains("&lt;script&gt;alert('x')&lt;/script&gt;</textarea>")
    );
    // …and what remains is escaped.
    let hostile = "a < b & \"c\" > 'd' -- <3";
    let posted = v
        .post(
            &format!("/actions/{action}/comments"),
            &[("csrf", &page.csrf()), ("body", hostile)],
        )
        .await?;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let page = v.get(&format!("/actions/{action}")).await?;
    assert!(
        page.body.contains("a &lt; b &amp; &quot;c&quot; &gt; 'd' -- &lt;3"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("a < b"));
    // Our only script is a file; the policy allows nothing inline.
    assert_eq!(page.body.matches("<script").count(), 1);
    assert!(page.body.contains("<script src=\"/static/htmx-2.0.11.min.js\""));
    let policy = page.headers["content-security-policy"].to_str()?;
    assert!(
        policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
        "{policy}"
    );
    let htmx = v.get("/static/htmx-2.0.11.min.js").await?;
    assert_eq!(htmx.status, StatusCode::OK);
    assert!(htmx.body.starts_with("var htmx="));
    Ok(())
}

#[tokio::test]
async fn the_page_counts_failed_sign_ins_with_the_api() -> TestResult {
    let app = TestApp::spawn().await;
    let mut v = Visitor::new(&app)?;
    for _ in 0..5 {
        let refused = v.sign_in(Role::Observer, "mauvais mot de passe").await?;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert!(refused.body.contains("Courriel ou mot de passe invalide."));
        assert!(
            refused.body.contains("value=\"observer@rqds.test\""),
            "the email stays typed"
        );
    }
    let limited = v.sign_in(Role::Observer, PASSWORD).await?;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
    // The API sees the same count.
    let api = app
        .request(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": "observer@rqds.test", "password": PASSWORD})),
            &[("authorization", "")],
        )
        .await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    Ok(())
}

#[tokio::test]
async fn a_deactivated_account_is_signed_out_of_the_page() -> TestResult {
    let app = TestApp::spawn().await;
    app.import_seed().await;
    let mut v = Visitor::new(&app)?;
    v.sign_in(Role::Member, PASSWORD).await?;
    assert_eq!(v.get("/plans/1").await?.status, StatusCode::OK);
    let member = app.account_id(Role::Member);
    let changed = app
        .patch(&format!("/api/v1/users/{member}"), json!({"active": false}))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(v.get("/plans/1").await?.status, StatusCode::SEE_OTHER);
    Ok(())
}

#[tokio::test]
async fn a_member_is_refused_a_status_update_on_an_action_not_theirs() -> TestResult {
    let app = TestApp::spawn().await;
    let (_, action) = app.seed_with_an_action().await;
    let mut v = Visitor::new(&app)?;
    v.sign_in(Role::Member, PASSWORD).await?;
    let page = v.get(&format!("/actions/{action}")).await?;
    assert!(!page.body.contains("form class=\"update\""));
    // The page's language travels with the request: the same refusal, then in English.
    for (lang, message) in [
        ("fr", "Cette action ne vous est pas assignée"),
        ("en", "This action is not assigned to you"),
    ] {
        v.get(&format!("/language/{lang}?next=/")).await?;
        let refused = v
            .post(
                &format!("/actions/{action}/status"),
                &[("csrf", &page.csrf()), ("version", "1"), ("status", "completed")],
            )
            .await?;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains(&format!("lang=\"{lang}\"")), "{}", refused.body);
        assert!(refused.body.contains(message), "{}", refused.body);
    }
    let missing = v.get("/actions/999999").await?;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Back to the home page"), "{}", missing.body);
    assert!(!missing.body.contains("Retour"), "{}", missing.body);
    let now = app.get(&format!("/api/v1/actions/{action}")).await;
    assert_ne!(now.body["status"], "completed");
    Ok(())
}

#[tokio::test]
async fn the_page_shows_the_plans_standing_and_an_actions_years() -> TestResult {
    let app = TestApp::spawn().await;
    let (plan, action) = app.seed_with_an_action().await;
    let next = app
        .post(&format!("/api/v1/plans/{plan}/next"), serde_json::json!({}))
        .await
        .body;
    let continued = next["carried"][0]["action_id"].clone();
    assert_eq!(next["carried"][0]["from_action_id"], action);
    let mut v = Visitor::new(&app)?;
    v.sign_in(Role::Board, PASSWORD).await?;
    let page = v.get(&format!("/plans/{plan}")).await?;
    assert!(page.body.contains("Ébauche"), "a draft says so");
    let page = v.get(&format!("/actions/{continued}")).await?;
    assert!(page.body.contains("Au fil des années"), "{}", page.body);
    assert!(
        page.body.contains(&format!("href=\"/actions/{action}\"")),
        "last year's action is linked"
    );
    assert!(page.body.contains("Plan d'action 2013-2014") && page.body.contains("Plan d'action 2014-2015"));
    Ok(())
}

#[tokio::test]
async fn the_page_shows_the_columns_other_plans_have() -> TestResult {
    let app = TestApp::spawn().await;
    let media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let bytes = crate::other_shapes::corpus("six-columns.docx");
    let imported = app
        .send_raw(reqwest::Method::POST, "/api/v1/plans/import", media_type, bytes)
        .await;
    let plan = imported.body["plan"]["id"].clone();
    let tree = app.get(&format!("/api/v1/plans/{plan}/tree")).await.body;
    let action = &tree["orientations"][0]["objectives"][0]["actions"][0]["id"];
    let mut v = Visitor::new(&app)?;
    v.sign_in(Role::Board, PASSWORD).await?;
    let page = v.get(&format!("/actions/{action}")).await?;
    assert!(
        page.body.contains("<dt>Indicateurs</dt><dd>6 MRC rencontrées</dd>"),
        "{}",
        page.body
    );
    let page = v.get(&format!("/plans/{plan}")).await?;
    assert!(page.body.contains("Indicateurs : 6 MRC rencontrées"), "{}", page.body);
    Ok(())
}

/// « Mes calendriers »: an address is made and shown once, works without a session, and
/// stops once revoked from the page.
#[tokio::test]
async fn a_delegate_makes_a_calendar_address_on_the_page_and_revokes_it() -> TestResult {
    let app = TestApp::spawn().await;
    let plan = app.import_seed().await["plan"]["id"].clone();
    let mut v = Visitor::new(&app)?;
    v.sign_in(Role::Member, PASSWORD).await?;
    let page = v.get("/me/calendars").await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Plan d'action 2013-2014"), "{}", page.body);
    let made = v
        .post("/me/calendars", &[("csrf", &page.csrf()), ("of", &plan.to_string())])
        .await?;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let start = made
        .body
        .find("/api/v1/calendar/")
        .unwrap_or_else(|| panic!("{}", made.body));
    let path: String = made.body[start..].chars().take_while(|c| *c != '"').collect();
    assert!(path.ends_with(".ics"), "{path}");
    let feed = app.client.get(format!("{}{path}", app.address)).send().await?;
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(feed.text().await?.contains("BEGIN:VEVENT"));
    // Shown once: the list shows the feed, never its address again.
    let listed = v.get("/me/calendars").await?;
    assert!(!listed.body.contains(&path), "the address is shown only once");
    let feeds = app.as_role(Role::Member).get("/api/v1/me/calendar-feeds").await.body;
    let revoke = format!("/me/calendars/{}/revoke", feeds[0]["id"]);
    let revoked = v.post(&revoke, &[("csrf", &listed.csrf())]).await?;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert!(revoked.body.contains("Révoquée"), "{}", revoked.body);
    let gone = app.client.get(format!("{}{path}", app.address)).send().await?;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    Ok(())
}
