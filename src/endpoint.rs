//! What a write endpoint answers, the same way for every resource: the write path on a
//! fresh connection, then 201 with `Location` and `ETag`, 200 with `ETag`, or 204.
//! Handlers keep what is theirs: the permission check, `If-Match` and the body's
//! validation, in that order.

use actix_web::HttpResponse;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::etag::{self, IfMatch};
use crate::state::AppState;
use crate::write::{self, Edit, Insert, Versioned};

/// 200 with a file to save (`Content-Disposition: attachment`).
pub fn attachment(media_type: &str, filename: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes)
}

/// 200 with the row and its `ETag`.
pub fn ok<T: Versioned>(row: &T) -> HttpResponse {
    etag::ok(row.version(), row)
}

/// Inserts `new`; 201 with where it lives.
pub async fn create<I: Insert>(state: &AppState, user: &AuthUser, new: I) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let row = write::create(&mut conn, &user.actor(), new).await?;
    Ok(etag::created(row.location(), row.version(), &row))
}

/// Applies `edit` to row `id` if it is still at version `expected`; 200 with the row
/// (what else the edit yields is for the endpoints that answer it).
pub async fn update<T: Versioned, E: Edit<T>>(
    state: &AppState,
    user: &AuthUser,
    id: T::Id,
    expected: IfMatch,
    edit: E,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (row, _) = write::update_returning::<T, E>(&mut conn, &user.actor(), id, expected, edit).await?;
    Ok(ok(&row))
}

/// Deletes row `id` if it is still at version `expected`; 204.
pub async fn delete<T: Versioned>(
    state: &AppState,
    user: &AuthUser,
    id: T::Id,
    expected: IfMatch,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    write::delete::<T>(&mut conn, &user.actor(), id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The bytes of a file answered (a report's XLSX or PDF, the plan as a Word document), for
/// the OpenAPI document: a binary string, which generated clients read as bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);
