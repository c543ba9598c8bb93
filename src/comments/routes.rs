use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::CommentBody;
use super::model::Comment;
use crate::auth::{AuthUser, Permission};
use crate::error::{ApiError, ApiResult};
use crate::etag::{Precondition, created, ok};
use crate::extract::Json;
use crate::i18n::Text;
use crate::ids::{ActionId, CommentId};
use crate::security::permissions::may_change_comment;
use crate::state::AppState;
use crate::write;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_comments)
        .service(create_comment)
        .service(get_comment)
        .service(update_comment)
        .service(delete_comment);
}

/// The comments on an action, oldest first.
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Action id")), responses((status = 200, body = [Comment])))]
#[get("/actions/{id}/comments")]
async fn list_comments(state: web::Data<AppState>, user: AuthUser, id: web::Path<ActionId>) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    Ok(HttpResponse::Ok().json(Comment::list(&mut conn, *id).await?))
}

/// Comment on an action.
#[utoipa::path(
    tag = "comments",
    params(("id" = i64, Path, description = "Action id")),
    request_body = CommentBody,
    responses((status = 201, body = Comment))
)]
#[post("/actions/{id}/comments")]
async fn create_comment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ActionId>,
    body: Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::Comment)?;
    let new = body.0.into_new(*id, user.id())?;
    let mut conn = state.conn().await?;
    let comment = write::create(&mut conn, &user.actor(), new).await?;
    Ok(created(
        format!("/api/v1/comments/{}", comment.id),
        comment.version,
        &comment,
    ))
}

/// One comment.
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Comment id")), responses((status = 200, body = Comment)))]
#[get("/comments/{id}")]
async fn get_comment(state: web::Data<AppState>, user: AuthUser, id: web::Path<CommentId>) -> ApiResult<HttpResponse> {
    user.require(Permission::ReadPlans)?;
    let mut conn = state.conn().await?;
    let comment = Comment::read(&mut conn, *id).await?;
    Ok(ok(comment.version, &comment))
}

/// Edit one's own comment.
#[utoipa::path(
    tag = "comments",
    params(("id" = i64, Path, description = "Comment id")),
    request_body = CommentBody,
    responses((status = 200, body = Comment))
)]
#[patch("/comments/{id}")]
async fn update_comment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<CommentId>,
    precondition: Precondition,
    body: Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::Comment)?;
    let expected = precondition.expected()?;
    let edit = body.0.into_edit()?;
    let mut conn = state.conn().await?;
    author_only(&user, &Comment::read(&mut conn, *id).await?, false)?;
    let comment: Comment = write::update(&mut conn, &user.actor(), *id, expected, edit).await?;
    Ok(ok(comment.version, &comment))
}

/// Delete one's own comment (the coordination may delete any).
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Comment id")), responses((status = 204, description = "Deleted")))]
#[delete("/comments/{id}")]
async fn delete_comment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<CommentId>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    user.require(Permission::Comment)?;
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    author_only(&user, &Comment::read(&mut conn, *id).await?, true)?;
    write::delete::<Comment>(&mut conn, &user.actor(), *id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
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
