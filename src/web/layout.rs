//! The frame of every page: language, our stylesheet and script, a skip link, the
//! navigation for the visitor's role, and sign-out.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_SECURITY_POLICY;
use maud::{DOCTYPE, Markup, html};

use super::assets;
use super::session::Visitor;
use crate::i18n::Lang;
use crate::security::permissions::Permission;

/// Which part of the site a page belongs to (marked in the navigation).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Plan,
    Reports,
    Admin,
}

/// htmx without `eval`, script tags in swapped content or inline styles, as the CSP wants.
const HTMX_CONFIG: &str =
    r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0}"#;

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="htmx-config" content=(HTMX_CONFIG);
            title { (title) " — Planaction" }
            link rel="stylesheet" href=(assets::STYLESHEET);
            script src=(assets::HTMX) defer {}
        }
    }
}

/// A page without navigation (sign-in, errors).
pub fn bare(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(title))
            body {
                header.top { p.brand { "Planaction" } (language_switch(lang, "/")) }
                main #main { (body) }
            }
        }
    }
}

fn language_switch(lang: Lang, back: &str) -> Markup {
    let (code, label, name) = match lang {
        Lang::Fr => ("en", "English", "en"),
        Lang::En => ("fr", "Français", "fr"),
    };
    html! {
        a.lang href={ "/language/" (code) "?next=" (encode(back)) } lang=(name) hreflang=(name) { (label) }
    }
}

/// `text` for a query string value.
pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub struct Frame<'a> {
    pub visitor: &'a Visitor,
    pub title: &'a str,
    pub section: Section,
    /// The plan the page is about, for the navigation's links.
    pub plan_id: Option<i64>,
    /// The page's own address (the language switch comes back to it).
    pub here: &'a str,
}

pub fn page(frame: &Frame<'_>, body: Markup) -> Markup {
    let v = frame.visitor;
    let l = v.lang;
    let current = |s: Section| (frame.section == s).then_some("page");
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            (head(frame.title))
            body {
                a.skip href="#main" { (l.pick("Aller au contenu", "Skip to content")) }
                header.top {
                    p.brand { a href="/" { "Planaction" } }
                    nav aria-label=(l.pick("Menu principal", "Main menu")) {
                        ul {
                            @if let Some(plan) = frame.plan_id {
                                li { a href={ "/plans/" (plan) } aria-current=[current(Section::Plan)] { (l.pick("Plan d'action", "Action plan")) } }
                                li { a href={ "/plans/" (plan) "/reports" } aria-current=[current(Section::Reports)] { (l.pick("Rapports", "Reports")) } }
                            } @else {
                                li { a href="/" { (l.pick("Plan d'action", "Action plan")) } }
                            }
                            @if Permission::ManageUsers.allows(v.role()) {
                                li { a href="/admin" aria-current=[current(Section::Admin)] { (l.pick("Administration", "Administration")) } }
                            }
                        }
                    }
                    div.who {
                        span { (v.name) " · " (v.role().label(l)) }
                        (language_switch(l, frame.here))
                        a href="/me/notifications" { (l.pick("Mes courriels", "My email")) }
                        a href="/me/calendars" { (l.pick("Mes calendriers", "My calendars")) }
                        a href="/me/password" { (l.pick("Mot de passe", "Password")) }
                        form method="post" action="/sign-out" {
                            input type="hidden" name="csrf" value=(v.csrf);
                            button.link type="submit" { (l.pick("Se déconnecter", "Sign out")) }
                        }
                    }
                }
                main #main { (body) }
            }
        }
    }
}

/// An HTML answer under the page's Content-Security-Policy.
pub fn respond(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((CONTENT_SECURITY_POLICY, super::PAGE_POLICY))
        .body(markup.into_string())
}

pub fn ok(markup: Markup) -> HttpResponse {
    respond(StatusCode::OK, markup)
}

/// 303 to `location` (after a form: reloading the page does not post it again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_owned()))
        .finish()
}

/// A hidden CSRF field, for every form of a session.
pub fn csrf_field(v: &Visitor) -> Markup {
    html! { input type="hidden" name="csrf" value=(v.csrf); }
}

/// A message after a change, announced to screen readers.
pub fn notice(text: &str) -> Markup {
    html! { p.notice role="status" { (text) } }
}

/// What was refused, announced at once.
pub fn alert(text: &str) -> Markup {
    html! { div.alert role="alert" { (text) } }
}

/// What the domain refused, with each field's message, announced at once.
pub fn refusal(error: &crate::error::ApiError, l: Lang) -> Markup {
    let problem = error.problem(l, None);
    let mut text = problem.detail;
    for field in problem.errors.unwrap_or_default() {
        if !text.contains(&field.message) {
            text.push(' ');
            text.push_str(&field.message);
        }
    }
    alert(&text)
}
