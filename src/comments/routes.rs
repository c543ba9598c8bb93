use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::CommentBody;
use super::model::Comment;
use planaction_macros::endpoint;

use crate::auth::AuthUser;
use crate::auth::authorized::{self, Authorized, ReadPlans};
use crate::endpoint;
use crate::error::{ApiError, ApiResult};
use crate::etag::Precondition;
use crate::extract::Json;
use crate::i18n::Text;
use crate::ids::{ActionId, CommentId};
use crate::security::permissions::may_change_comment;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_comments)
        .service(create_comment)
        .service(get_comment)
        .service(update_comment)
        .service(delete_comment);
}

/// The comments on an action, oldest first.
#[endpoint]
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [Comment])))]
#[get("/actions/{id}/comments")]
async fn list_comments(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<ActionId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Comment::list(&mut conn, *id).await?))
}

/// Comment on an action.
#[endpoint]
#[utoipa::path(
    tag = "comments",
    params(("id" = i64, Path, description = "Action id")),
    request_body = CommentBody,
    responses((status = 201, body = Comment))
)]
#[post("/actions/{id}/comments")]
async fn create_comment(
    state: web::Data<AppState>,
    user: Authorized<authorized::Comment>,
    id: web::Path<ActionId>,
    body: Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    endpoint::create(&state, &user, body.into_inner()?.into_new(*id, user.id())?).await
}

/// One comment.
#[endpoint]
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Comment id")), responses((status = 200, body = Comment)))]
#[get("/comments/{id}")]
async fn get_comment(
    state: web::Data<AppState>,
    _user: Authorized<ReadPlans>,
    id: web::Path<CommentId>,
) -> ApiResult<HttpResponse> {
    Ok(endpoint::ok(&Comment::read(&mut *state.conn().await?, *id).await?))
}

/// Edit one's own comment.
#[endpoint]
#[utoipa::path(
    tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    request_body = CommentBody,
    responses((status = 200, body = Comment))
)]
#[patch("/comments/{id}")]
async fn update_comment(
    state: web::Data<AppState>,
    user: Authorized<authorized::Comment>,
    id: web::Path<CommentId>,
    precondition: Precondition,
    body: Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    let edit = body.into_inner()?.into_edit()?;
    author_only(&user, &Comment::read(&mut *state.conn().await?, *id).await?, false)?;
    endpoint::update::<Comment, _>(&state, &user, *id, expected, edit).await
}

/// Delete one's own comment (the coordination may delete any).
#[endpoint]
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Comment id")), responses((status = 204, description = "Deleted")))]
#[delete("/comments/{id}")]
async fn delete_comment(
    state: web::Data<AppState>,
    user: Authorized<authorized::Comment>,
    id: web::Path<CommentId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    let expected = precondition.expected()?;
    author_only(&user, &Comment::read(&mut *state.conn().await?, *id).await?, true)?;
    endpoint::delete::<Comment>(&state, &user, *id, expected).await
}

fn author_only(user: &AuthUser, comment: &Comment, removing: bool) -> ApiResult<()> {
    if may_change_comment(user.role(), comment.author_id == user.id(), removing) {
        return Ok(());
    }
    Err(ApiError::Forbidden(Text::new(
        "Seule la personne qui a écrit ce commentaire peut le modifier.",
        "Only the person who wrote this comment may change it.",
    )))
}
