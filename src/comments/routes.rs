use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{Comment, CommentBody};
use crate::auth::{AuthUser, Permission};
use crate::error::ApiResult;
use crate::etag::{Precondition, created, ok};
use crate::extract::Json;
use crate::state::AppState;

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
async fn list_comments(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
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
    id: web::Path<i64>,
    body: Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::Comment)?;
    let mut conn = state.conn().await?;
    let comment = Comment::create(&mut conn, &user, *id, body.0).await?;
    Ok(created(
        format!("/api/v1/comments/{}", comment.id),
        comment.version,
        &comment,
    ))
}

/// One comment.
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Comment id")), responses((status = 200, body = Comment)))]
#[get("/comments/{id}")]
async fn get_comment(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
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
    id: web::Path<i64>,
    precondition: Precondition,
    body: Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::Comment)?;
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    let comment = Comment::update(&mut conn, &user, *id, expected, body.0).await?;
    Ok(ok(comment.version, &comment))
}

/// Delete one's own comment (the coordination may delete any).
#[utoipa::path(tag = "comments", params(("id" = i64, Path, description = "Comment id")), responses((status = 204, description = "Deleted")))]
#[delete("/comments/{id}")]
async fn delete_comment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    user.require(Permission::Comment)?;
    let expected = precondition.expected()?;
    let mut conn = state.conn().await?;
    Comment::delete(&mut conn, &user, *id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}
