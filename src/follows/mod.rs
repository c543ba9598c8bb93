//! Following an action: its status updates, comments and échéancier changes are told to
//! its followers as to its assignees. Anyone who can read an action may follow it; who
//! comments on an action follows it.

mod routes;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::action_followers;
use crate::error::ApiResult;
use crate::ids::{ActionId, UserId};

pub use routes::routes;

/// `user` follows `action` (again: nothing changes).
pub async fn follow(conn: &mut AsyncPgConnection, action: ActionId, user: UserId) -> ApiResult<()> {
    diesel::insert_into(action_followers::table)
        .values((
            action_followers::action_id.eq(action),
            action_followers::user_id.eq(user),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn unfollow(conn: &mut AsyncPgConnection, action: ActionId, user: UserId) -> ApiResult<()> {
    diesel::delete(
        action_followers::table
            .filter(action_followers::action_id.eq(action))
            .filter(action_followers::user_id.eq(user)),
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn follows(conn: &mut AsyncPgConnection, action: ActionId, user: UserId) -> ApiResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        action_followers::table
            .filter(action_followers::action_id.eq(action))
            .filter(action_followers::user_id.eq(user)),
    ))
    .get_result(conn)
    .await?)
}
