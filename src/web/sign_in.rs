//! Signing in and out of the page, and the language switch. Same accounts, same limits
//! as `POST /api/v1/auth/login` (`sessions::service::check_credentials`).

use actix_web::cookie::time;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::{WebError, WebResult};
use super::forms::CsrfForm;
use super::layout::{self, alert, encode};
use super::session::{self, LANG_COOKIE, SESSION_COOKIE, SIGN_IN_COOKIE, Visitor, lang_of};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::plans::model::Plan;
use crate::sessions::service::{ClientAddress, check_credentials};
use crate::state::AppState;

/// Where to go after signing in: only a path of ours (never `//elsewhere` or a full URL).
/// A control character is refused, not kept: browsers drop tabs and line breaks from a URL,
/// so `/<TAB>/evil.example` would become `//evil.example`. Spaces and letters beyond ASCII
/// are percent-encoded, as a `Location` header must be.
pub fn safe_next(next: Option<&str>) -> String {
    const ENCODED: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ');
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.chars().any(|c| c == '\\' || c.is_control()) =>
        {
            percent_encoding::utf8_percent_encode(path, ENCODED).to_string()
        }
        _ => "/".to_owned(),
    }
}

pub fn sign_in_location(next: &str) -> String {
    if next == "/" {
        "/sign-in".to_owned()
    } else {
        format!("/sign-in?next={}", encode(next))
    }
}

/// `/`: the plan of the current year (the latest that started), or the sign-in page.
pub(super) async fn home(state: web::Data<AppState>, _signed_in: Visitor) -> WebResult {
    let mut conn = state.conn().await?;
    let plans = Plan::list(&mut conn, Some(false)).await?;
    let today = crate::clock::today();
    let current = plans.iter().find(|(p, _)| p.period_start <= today).or(plans.first());
    match current {
        Some((plan, _)) => Ok(layout::see_other(&format!("/plans/{}", plan.id.0))),
        None => Err(WebError::from(ApiError::BadRequest(crate::i18n::Text::new(
            "Aucun plan d'action n'est encore enregistré : la coordination en importe un avec POST /api/v1/plans/import.",
            "No action plan is recorded yet: the coordination imports one with POST /api/v1/plans/import.",
        )))),
    }
}

#[derive(Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

fn sign_in_page(lang: Lang, csrf: &str, next: &str, email: &str, message: Option<Markup>) -> Markup {
    let title = lang.pick("Connexion", "Sign in");
    layout::bare(
        lang,
        title,
        html! {
            section.sign-in {
                h1 { (lang.pick("Plan d'action du RQDS", "RQDS action plan")) }
                @if let Some(message) = message { (message) }
                form method="post" action="/sign-in" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="next" value=(next);
                    p {
                        label for="email" { (lang.pick("Courriel", "Email")) }
                        input #email type="email" name="email" value=(email) autocomplete="username" required;
                    }
                    p {
                        label for="password" { (lang.pick("Mot de passe", "Password")) }
                        input #password type="password" name="password" autocomplete="current-password" required;
                    }
                    p { button type="submit" { (title) } }
                }
                p.hint { a href="/forgot-password" { (lang.pick("Mot de passe oublié ?", "Forgotten password?")) } }
            }
        },
    )
}

/// The form token of a page without a session (sign-in, a password link): kept while it is
/// one of ours (two tabs share it); a value the client chose is replaced.
pub(super) fn form_token(state: &AppState, req: &HttpRequest) -> WebResult<String> {
    Ok(match req.cookie(SIGN_IN_COOKIE).map(|c| c.value().to_owned()) {
        Some(token) if state.jwt.is_form_token(&token) => token,
        _ => state.jwt.form_token(chrono::Utc::now())?,
    })
}

/// A form of such a page sent with the token of its cookie.
pub(super) fn check_form_token(state: &AppState, req: &HttpRequest, sent: &str) -> WebResult<()> {
    let expected = req.cookie(SIGN_IN_COOKIE).map(|c| c.value().to_owned());
    if expected.is_some_and(|token| state.jwt.is_form_token(&token) && session::same_secret(&token, sent)) {
        Ok(())
    } else {
        Err(WebError::from(session::forged()))
    }
}

/// Signs this browser in as `user` and goes to `next`. Whoever signed in before in this
/// browser is signed out: their session ends here, not merely its cookie.
pub(super) async fn sign_in_here(
    conn: &mut diesel_async::AsyncPgConnection,
    req: &HttpRequest,
    user: crate::ids::UserId,
    next: &str,
) -> WebResult {
    if let Some(previous) = req.cookie(SESSION_COOKIE) {
        session::close(conn, previous.value()).await?;
    }
    let token = session::open(conn, user).await?;
    let mut response = layout::see_other(next);
    let age = time::Duration::hours(session::SESSION_HOURS);
    let _ = response.add_cookie(&session::cookie(req, SESSION_COOKIE, token, Some(age)));
    let _ = response.add_cookie(&session::removal(req, SIGN_IN_COOKIE));
    Ok(response)
}

pub(super) async fn form(state: web::Data<AppState>, req: HttpRequest, query: web::Query<NextQuery>) -> WebResult {
    let lang = lang_of(&req);
    let token = form_token(&state, &req)?;
    let message = query
        .signed_out
        .as_ref()
        .map(|_| layout::notice(lang.pick("Vous êtes déconnecté·e.", "You are signed out.")));
    let page = sign_in_page(lang, &token, &safe_next(query.next.as_deref()), "", message);
    let mut response = layout::ok(page);
    let _ = response.add_cookie(&session::cookie(&req, SIGN_IN_COOKIE, token, None));
    Ok(response)
}

#[derive(Deserialize)]
pub(super) struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub(super) async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    from: ClientAddress,
    body: web::Form<SignInForm>,
) -> WebResult {
    let lang = lang_of(&req);
    let body = body.into_inner();
    check_form_token(&state, &req, &body.csrf)?;
    let next = safe_next(Some(&body.next));
    let mut conn = state.conn().await?;
    let checked = check_credentials(&state, &mut conn, &from, &body.email, &body.password).await;
    match checked {
        Ok(user) => sign_in_here(&mut conn, &req, user.id, &next).await,
        Err(error @ (ApiError::Unauthorized(_) | ApiError::TooManyRequests { .. })) => {
            let status = error.status_code();
            let problem = error.problem(lang, None);
            let page = sign_in_page(lang, &body.csrf, &next, &body.email, Some(alert(&problem.detail)));
            let mut response = layout::respond(status, page);
            if let ApiError::TooManyRequests { retry_after } = error {
                response.headers_mut().insert(
                    actix_web::http::header::RETRY_AFTER,
                    actix_web::http::header::HeaderValue::from(retry_after),
                );
            }
            Ok(response)
        }
        Err(other) => Err(WebError::from(other)),
    }
}

pub(super) async fn sign_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    body: web::Form<CsrfForm>,
) -> WebResult {
    visitor.check_form(&body.csrf)?;
    if let Some(token) = req.cookie(SESSION_COOKIE) {
        let mut conn = state.conn().await?;
        session::close(&mut conn, token.value()).await?;
    }
    let mut response = layout::see_other("/sign-in?signed_out=1");
    let _ = response.add_cookie(&session::removal(&req, SESSION_COOKIE));
    Ok(response)
}

pub(super) async fn language(req: HttpRequest, code: web::Path<String>, query: web::Query<NextQuery>) -> HttpResponse {
    let lang = Lang::parse(&code).unwrap_or_default();
    let mut response = layout::see_other(&safe_next(query.next.as_deref()));
    let year = Some(time::Duration::days(365));
    let _ = response.add_cookie(&session::cookie(&req, LANG_COOKIE, lang.code().to_owned(), year));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/plans/1?mine=1")), "/plans/1?mine=1");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        // Found under attack: a tab (or any control) that a browser drops, DEL, line breaks.
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/x",
            "/\u{b}/x",
            "/\u{c}/x",
            "/\u{7f}/x",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(
            safe_next(Some("/plans/1?q=réalisé en cours")),
            "/plans/1?q=r%C3%A9alis%C3%A9%20en%20cours"
        );
    }
}
