//! Revoking a secret someone holds (an API token, a calendar feed's address): by its owner,
//! or by whoever may revoke any (the coordination); anyone else learns nothing (404). The
//! row stays, marked, with its audit row; revoking it again changes nothing.

use std::future::Future;

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;

use super::{Actor, Change, record};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::ids::{PlanId, UserId};

pub trait Revocable: Serialize + Send + Sync + Sized {
    const ENTITY: Entity;
    type Id: Copy + Send + Sync + Into<i64>;

    /// The row, locked until the transaction ends; none when absent.
    fn lock(conn: &mut AsyncPgConnection, id: Self::Id) -> impl Future<Output = ApiResult<Option<Self>>> + Send;
    /// Marks it revoked now; returns it as it is then.
    fn mark(conn: &mut AsyncPgConnection, id: Self::Id) -> impl Future<Output = ApiResult<Self>> + Send;
    fn owner(&self) -> UserId;
    fn is_revoked(&self) -> bool;
    fn plan_id(&self) -> Option<PlanId> {
        None
    }
}

pub async fn revoke<R: Revocable>(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: R::Id,
    may_revoke_any: bool,
) -> ApiResult<()> {
    let not_found = || ApiError::not_found(R::ENTITY, id.into());
    conn.transaction(async |conn| {
        let before = R::lock(conn, id).await?.ok_or_else(not_found)?;
        if !may_revoke_any && Some(before.owner()) != actor.user_id {
            return Err(not_found());
        }
        if before.is_revoked() {
            return Ok(());
        }
        let after = R::mark(conn, id).await?;
        record(
            conn,
            actor,
            Change::updated(R::ENTITY, id, before.plan_id(), &before, &after),
        )
        .await
    })
    .await
}

/// `Revocable` for a row of `$table` with `user_id` and `revoked_at` columns (and, with
/// `plan_id`, a plan of its own for the audit row).
#[macro_export]
macro_rules! revocable {
    ($row:ty, $id:ty, $table:ident, $entity:ident $(, $plan:ident)?) => {
        impl $crate::write::revoke::Revocable for $row {
            const ENTITY: $crate::entity::Entity = $crate::entity::Entity::$entity;
            type Id = $id;

            async fn lock(
                conn: &mut diesel_async::AsyncPgConnection,
                id: $id,
            ) -> $crate::error::ApiResult<Option<$row>> {
                Ok($crate::db::schema::$table::table
                    .find(id)
                    .select(<$row>::as_select())
                    .for_update()
                    .first(conn)
                    .await
                    .optional()?)
            }

            async fn mark(conn: &mut diesel_async::AsyncPgConnection, id: $id) -> $crate::error::ApiResult<$row> {
                Ok(diesel::update($crate::db::schema::$table::table.find(id))
                    .set($crate::db::schema::$table::revoked_at.eq(chrono::Utc::now()))
                    .returning(<$row>::as_returning())
                    .get_result(conn)
                    .await?)
            }

            fn owner(&self) -> $crate::ids::UserId {
                self.user_id
            }

            fn is_revoked(&self) -> bool {
                self.revoked_at.is_some()
            }

            $(fn plan_id(&self) -> Option<$crate::ids::PlanId> {
                self.$plan
            })?
        }
    };
}
