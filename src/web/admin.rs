//! Administration, for the coordination: the accounts (create, deactivate, reactivate).
//! Assignees are set on each action's page. Same checks as `/api/v1/users`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::WebResult;
use super::forms::Done;
use super::layout::{self, Frame, Section, csrf_field, notice, refusal};
use super::session::Visitor;
use crate::auth::{Permission, Role};
use crate::error::{ApiError, ErrorCode};
use crate::etag::IfMatch;
use crate::ids::UserId;
use crate::security::permissions;
use crate::state::AppState;
use crate::users;
use crate::users::dto::{CreateUser, UpdateUser};
use crate::users::model::{NewUser, User};
use crate::users::regions::MEMBER_REGIONS;
use crate::validation::bounded::Password;
use crate::write;

pub(super) async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    done: web::Query<Done>,
) -> WebResult {
    let l = visitor.lang;
    visitor.user.require(Permission::ManageUsers)?;
    let message = match done.done.as_deref() {
        Some("created") => Some(notice(l.pick("Compte créé.", "Account created."))),
        Some("changed") => Some(notice(l.pick("Compte modifié.", "Account changed."))),
        _ => None,
    };
    let here = req.uri().path().to_owned();
    render(&state, &visitor, &here, message, None, StatusCode::OK).await
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    here: &str,
    message: Option<Markup>,
    refused: Option<(&ApiError, &AccountForm)>,
    status: StatusCode,
) -> WebResult {
    let l = visitor.lang;
    let mut conn = state.conn().await?;
    let users = User::list(&mut conn).await?;
    drop(conn);
    let frame = Frame {
        visitor,
        title: l.pick("Administration", "Administration"),
        section: Section::Admin,
        plan_id: None,
        here,
    };
    let empty = AccountForm::default();
    let values = refused.map_or(&empty, |(_, form)| form);
    let body = html! {
        h1 { (l.pick("Administration des comptes", "Accounts")) }
        @if let Some(message) = message { (message) }
        p { (l.pick(
            "Les personnes à qui une action est assignée se choisissent sur la page de l'action.",
            "The people an action is assigned to are chosen on the action's page."
        )) }
        table.accounts {
            thead { tr {
                th scope="col" { (l.pick("Nom", "Name")) }
                th scope="col" { (l.pick("Courriel", "Email")) }
                th scope="col" { (l.pick("Rôle", "Role")) }
                th scope="col" { (l.pick("Région", "Region")) }
                th scope="col" { (l.pick("État", "State")) }
            } }
            tbody {
                @for u in &users {
                    tr {
                        td data-label=(l.pick("Nom", "Name")) { (u.display_name) }
                        td data-label=(l.pick("Courriel", "Email")) { (u.email) }
                        td data-label=(l.pick("Rôle", "Role")) { (u.role.label(l)) }
                        td data-label=(l.pick("Région", "Region")) { (u.region.as_deref().unwrap_or("—")) }
                        td data-label=(l.pick("État", "State")) {
                            (if u.active { l.pick("Actif", "Active") } else { l.pick("Désactivé", "Deactivated") })
                            @if u.id != visitor.user.id() {
                                form.inline method="post" action={ "/admin/users/" (u.id.0) "/active" } {
                                    (csrf_field(visitor))
                                    input type="hidden" name="version" value=(u.version);
                                    input type="hidden" name="active" value=(if u.active { "0" } else { "1" });
                                    " "
                                    button.link type="submit" {
                                        (if u.active { l.pick("Désactiver", "Deactivate") } else { l.pick("Réactiver", "Reactivate") })
                                        span.visually-hidden { " " (u.display_name) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        form.account method="post" action="/admin/users" {
            h2 { (l.pick("Créer un compte", "Create an account")) }
            @if let Some((error, _)) = refused { (refusal(error, l)) }
            (csrf_field(visitor))
            p { label for="new-email" { (l.pick("Courriel", "Email")) } input #new-email type="email" name="email" required value=(values.email); }
            p { label for="new-name" { (l.pick("Nom affiché", "Display name")) } input #new-name type="text" name="display_name" required maxlength=(users::dto::DisplayName::MAX) value=(values.display_name); }
            p {
                label for="new-role" { (l.pick("Rôle", "Role")) }
                select #new-role name="role" {
                    @for role in Role::ALL { option value=(role.as_str()) selected[values.role == role.as_str()] { (role.label(l)) } }
                }
            }
            p {
                label for="new-region" { (l.pick("Région (délégations régionales)", "Region (regional delegates)")) }
                select #new-region name="region" {
                    option value="" { "—" }
                    @for region in MEMBER_REGIONS { option value=(region) selected[values.region == region] { (region) } }
                }
            }
            p { label for="new-password" { (l.pick("Mot de passe", "Password")) " (" (Password::MIN) (l.pick(" caractères ou plus)", " characters or more)")) } input #new-password type="password" name="password" required minlength=(Password::MIN) maxlength=(Password::MAX) autocomplete="new-password"; }
            p { button type="submit" { (l.pick("Créer le compte", "Create the account")) } }
        }
    };
    Ok(layout::respond(status, layout::page(&frame, body)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AccountForm {
    csrf: String,
    email: String,
    display_name: String,
    role: String,
    region: String,
    password: String,
}

/// The account the form describes, checked as the API checks it. An unknown role is
/// refused, never read as another one.
async fn new_account(state: &AppState, form: &AccountForm) -> Result<NewUser, ApiError> {
    let role = Role::parse(&form.role).ok_or_else(|| {
        ApiError::invalid(
            "role",
            ErrorCode::UnknownValue,
            crate::i18n::Text::new("Choisissez un rôle dans la liste.", "Choose a role from the list."),
        )
    })?;
    CreateUser {
        email: form.email.clone().into(),
        display_name: form.display_name.clone().into(),
        role,
        region: Some(form.region.clone()).filter(|r| !r.is_empty()).map(Into::into),
        password: form.password.clone().into(),
    }
    .into_form(&state.passwords)
    .await
}

pub(super) async fn create_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    form: web::Form<AccountForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::ManageUsers)?;
    let created = match new_account(&state, &form).await {
        Ok(new) => {
            let mut conn = state.conn().await?;
            write::create(&mut conn, &visitor.user.actor(), new).await.map(|_| ())
        }
        Err(error) => Err(error),
    };
    match created {
        Ok(()) => Ok(layout::see_other("/admin?done=created")),
        Err(error @ (ApiError::Validation(_) | ApiError::Conflict(_))) => {
            let status = actix_web::ResponseError::status_code(&error);
            let here = req.uri().path().to_owned();
            render(&state, &visitor, &here, None, Some((&error, &form)), status).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ActiveForm {
    csrf: String,
    version: String,
    active: String,
}

pub(super) async fn set_active(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<UserId>,
    form: web::Form<ActiveForm>,
) -> WebResult {
    visitor.submitted(&form.csrf, Permission::ManageUsers)?;
    let active = form.active == "1";
    if *id == visitor.user.id() {
        permissions::keep_own_access(visitor.role(), None, Some(active))?;
    }
    let change = UpdateUser {
        active: Some(active),
        ..UpdateUser::default()
    }
    .into_form(&state.passwords)
    .await?;
    let version = form.version.trim().parse::<i32>().unwrap_or(-1);
    let mut conn = state.conn().await?;
    write::update_returning::<User, _>(
        &mut conn,
        &visitor.user.actor(),
        *id,
        IfMatch::Versions(vec![version]),
        change,
    )
    .await?;
    Ok(layout::see_other("/admin?done=changed"))
}
