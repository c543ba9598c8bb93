//! Choosing a password with an invitation or reset link, asking for a reset link, and
//! changing one's password: the same service as the API (`accounts::service`).

use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::{WebError, WebResult};
use super::layout::{self, refusal};
use super::session::{self, SIGN_IN_COOKIE, Visitor, lang_of};
use super::sign_in::{check_form_token, form_token, sign_in_here};
use crate::accounts::dto::{ChangePassword, ResetRequest, SetPassword};
use crate::accounts::service;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::sessions::service::ClientAddress;
use crate::state::AppState;
use crate::validation::bounded::{Email, Password};

fn with_token(req: &HttpRequest, token: String, page: Markup, status: actix_web::http::StatusCode) -> HttpResponse {
    let mut response = layout::respond(status, page);
    let _ = response.add_cookie(&session::cookie(req, SIGN_IN_COOKIE, token, None));
    response
}

fn password_fields(lang: Lang, name: &str, autocomplete: &str) -> Markup {
    html! {
        p {
            label for=(name) { (lang.pick("Nouveau mot de passe (10 caractères ou plus)", "New password (10 characters or more)")) }
            input id=(name) type="password" name=(name) autocomplete=(autocomplete) minlength="10" maxlength="128" required;
        }
    }
}

/// A page of one form, without navigation.
fn form_page(lang: Lang, title: &str, action: &str, message: Option<Markup>, fields: Markup) -> Markup {
    layout::bare(
        lang,
        title,
        html! {
            section.sign-in {
                h1 { (title) }
                @if let Some(message) = message { (message) }
                form method="post" action=(action) {
                    (fields)
                }
            }
        },
    )
}

#[derive(Deserialize)]
pub(super) struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn choose_page(lang: Lang, csrf: &str, token: &str, message: Option<Markup>) -> Markup {
    let title = lang.pick("Choisir un mot de passe", "Choose a password");
    let fields = html! {
        input type="hidden" name="csrf" value=(csrf);
        input type="hidden" name="token" value=(token);
        (password_fields(lang, "password", "new-password"))
        p { button type="submit" { (title) } }
    };
    form_page(lang, title, "/password", message, fields)
}

/// `/password?token=…`: the page an invitation or reset link opens.
pub(super) async fn choose(state: web::Data<AppState>, req: HttpRequest, query: web::Query<TokenQuery>) -> WebResult {
    let csrf = form_token(&state, &req)?;
    let page = choose_page(lang_of(&req), &csrf, &query.token, None);
    Ok(with_token(&req, csrf, page, actix_web::http::StatusCode::OK))
}

#[derive(Deserialize)]
pub(super) struct ChooseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub(super) async fn chosen(state: web::Data<AppState>, req: HttpRequest, body: web::Form<ChooseForm>) -> WebResult {
    let lang = lang_of(&req);
    let body = body.into_inner();
    check_form_token(&state, &req, &body.csrf)?;
    let mut conn = state.conn().await?;
    let set = SetPassword {
        token: body.token.clone(),
        password: Password::from(body.password),
    };
    match service::set_password(&state, &mut conn, set).await {
        Ok(tokens) => sign_in_here(&mut conn, &req, tokens.user.id, "/").await,
        Err(error @ (ApiError::BadRequest(_) | ApiError::Validation(_))) => {
            let page = choose_page(lang, &body.csrf, &body.token, Some(refusal(&error, lang)));
            Ok(with_token(&req, body.csrf, page, error.status_code()))
        }
        Err(other) => Err(WebError::from(other)),
    }
}

fn forgot_page(lang: Lang, csrf: &str, message: Option<Markup>) -> Markup {
    let title = lang.pick("Mot de passe oublié", "Forgotten password");
    let fields = html! {
        input type="hidden" name="csrf" value=(csrf);
        p {
            label for="email" { (lang.pick("Courriel de votre compte", "Your account's email")) }
            input #email type="email" name="email" autocomplete="username" required;
        }
        p { button type="submit" { (lang.pick("Recevoir un lien", "Send me a link")) } }
    };
    form_page(lang, title, "/forgot-password", message, fields)
}

pub(super) async fn forgot(state: web::Data<AppState>, req: HttpRequest) -> WebResult {
    let csrf = form_token(&state, &req)?;
    let page = forgot_page(lang_of(&req), &csrf, None);
    Ok(with_token(&req, csrf, page, actix_web::http::StatusCode::OK))
}

#[derive(Deserialize)]
pub(super) struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

pub(super) async fn forgot_sent(
    state: web::Data<AppState>,
    req: HttpRequest,
    from: ClientAddress,
    body: web::Form<ForgotForm>,
) -> WebResult {
    let lang = lang_of(&req);
    let body = body.into_inner();
    check_form_token(&state, &req, &body.csrf)?;
    let mut conn = state.conn().await?;
    let asked = ResetRequest {
        email: Email::new(body.email),
    };
    let (message, status) = match service::request_reset(&state, &mut conn, &from, asked).await {
        Ok(()) => (
            layout::notice(lang.pick(
                "Si cette adresse est celle d'un compte, un lien pour choisir un nouveau mot de passe vient d'y être envoyé (valide une heure).",
                "If this address is an account's, a link to choose a new password was just sent to it (valid one hour).",
            )),
            actix_web::http::StatusCode::OK,
        ),
        Err(error @ (ApiError::Validation(_) | ApiError::TooManyRequests { .. })) => {
            (refusal(&error, lang), error.status_code())
        }
        Err(other) => return Err(WebError::from(other)),
    };
    let page = forgot_page(lang, &body.csrf, Some(message));
    Ok(with_token(&req, body.csrf, page, status))
}

fn change_page(v: &Visitor, message: Option<Markup>) -> Markup {
    let lang = v.lang;
    let title = lang.pick("Changer mon mot de passe", "Change my password");
    let fields = html! {
        (layout::csrf_field(v))
        p {
            label for="current_password" { (lang.pick("Mot de passe actuel", "Current password")) }
            input #current_password type="password" name="current_password" autocomplete="current-password" required;
        }
        (password_fields(lang, "new_password", "new-password"))
        p { button type="submit" { (title) } }
    };
    form_page(lang, title, "/me/password", message, fields)
}

pub(super) async fn change(visitor: Visitor) -> WebResult {
    Ok(layout::ok(change_page(&visitor, None)))
}

#[derive(Deserialize)]
pub(super) struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub(super) async fn changed(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    from: ClientAddress,
    body: web::Form<ChangeForm>,
) -> WebResult {
    let body = body.into_inner();
    visitor.check_form(&body.csrf)?;
    let mut conn = state.conn().await?;
    let change = ChangePassword {
        current_password: body.current_password,
        new_password: Password::from(body.new_password),
    };
    match service::change_password(&state, &mut conn, &from, visitor.user.id(), change).await {
        Ok(tokens) => sign_in_here(&mut conn, &req, tokens.user.id, "/").await,
        Err(error @ (ApiError::Validation(_) | ApiError::TooManyRequests { .. })) => {
            let page = change_page(&visitor, Some(refusal(&error, visitor.lang)));
            Ok(layout::respond(error.status_code(), page))
        }
        Err(other) => Err(WebError::from(other)),
    }
}
