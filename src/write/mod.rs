//! The one write path. Every change of a stored row goes through `create`, `update` or
//! `delete`, which own what must never drift between resources: the transaction, the
//! row lock and the `If-Match` check, the plan lookup, and the audit row — written when,
//! and only when, the row's version moved. Resources say only what is theirs: how to
//! lock a row, how to insert or change it (`Versioned`, `Insert`, `Edit`).
//!
//! Permission checks by role are not here: handlers make them before calling. What the
//! plan's state allows (an adopted plan's structure, a closed plan) is checked here, on
//! every change, whatever the route or page that makes it.

mod actor;
pub mod audit;
pub mod events;
pub mod lookup;
mod macros;
pub mod outbox;
pub mod revoke;
pub mod webhooks;

use std::future::Future;

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;

pub use actor::Actor;
pub use audit::{Change, Operation, record};

use crate::entity::Entity;
use crate::error::{ApiError, ApiResult};
use crate::etag::IfMatch;
use crate::ids::PlanId;
use crate::lifecycle::{ChangeKind, PlanState, may_change};

/// A stored row that changes under optimistic concurrency: it has a version, bumped by
/// the database whenever one of its values really changes.
pub trait Versioned: Serialize + Send + Sync + Sized {
    const ENTITY: Entity;
    /// What creating, changing or deleting such a row touches, for the plan's state.
    const KIND: ChangeKind = ChangeKind::Structure;
    /// The row's collection in the API: `/api/v1/{COLLECTION}/{id}`.
    const COLLECTION: &'static str;
    type Id: Copy + Send + Sync + Into<i64>;

    fn id(&self) -> Self::Id;
    fn version(&self) -> i32;

    /// Where the row is read: the `Location` of a 201.
    fn location(&self) -> String {
        format!("/api/v1/{}/{}", Self::COLLECTION, self.id().into())
    }

    /// Reads the row and locks it until the end of the transaction, after whatever else
    /// a change of it needs locked (the parent of ordered siblings). 404 when absent.
    fn lock(conn: &mut AsyncPgConnection, id: Self::Id) -> impl Future<Output = ApiResult<Self>> + Send;

    /// Like `lock`, for a change that leaves the row where it is among its siblings (a
    /// status update): only the row itself needs locking. By default, `lock`.
    fn lock_in_place(conn: &mut AsyncPgConnection, id: Self::Id) -> impl Future<Output = ApiResult<Self>> + Send {
        Self::lock(conn, id)
    }

    /// The plan the row belongs to, for the audit row (none for accounts).
    fn plan_id(&self, conn: &mut AsyncPgConnection) -> impl Future<Output = ApiResult<Option<PlanId>>> + Send;

    /// Deletes the row (and, by cascade, what hangs from it), closing the gap among its
    /// siblings.
    fn remove(&self, conn: &mut AsyncPgConnection) -> impl Future<Output = ApiResult<()>> + Send;
}

/// Who makes a change, and in which plan; passed to what a resource writes itself
/// (the history row of an action, for instance).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub actor: &'a Actor,
    pub plan_id: Option<PlanId>,
}

impl Context<'_> {
    pub async fn record(&self, conn: &mut AsyncPgConnection, change: Change) -> ApiResult<()> {
        record(conn, self.actor, change).await
    }
}

/// A new row to insert.
pub trait Insert: Send {
    type Row: Versioned;

    /// The plan the row goes into; 404 when its parent does not exist. `None` for a row
    /// that is its own plan (asked of the row once inserted) or that has none.
    fn plan_id(&self, conn: &mut AsyncPgConnection) -> impl Future<Output = ApiResult<Option<PlanId>>> + Send;

    /// Inserts the row, and what goes with it (the first history entry of an action).
    fn insert(
        self,
        conn: &mut AsyncPgConnection,
        ctx: Context<'_>,
    ) -> impl Future<Output = ApiResult<Self::Row>> + Send;
}

/// A change to a locked row.
pub trait Edit<T: Versioned>: Send {
    /// What the change yields besides the row (the history entry of a status update);
    /// its default is what an empty change yields.
    type Output: Send + Default;

    /// A change that names nothing (an empty PATCH): the row is only checked and read.
    fn is_empty(&self) -> bool;

    /// What the change touches, for the plan's state; by default, what the row is.
    fn kind(&self) -> ChangeKind {
        T::KIND
    }

    /// Whether the change may move the row among its siblings (what `Versioned::lock`
    /// locks the parent for); when it cannot, only the row is locked.
    fn moves(&self) -> bool {
        true
    }

    /// Writes the change to `before`, which is locked and at the version the client read,
    /// and returns the row as it is now.
    fn apply(
        self,
        conn: &mut AsyncPgConnection,
        ctx: Context<'_>,
        before: &T,
    ) -> impl Future<Output = ApiResult<(T, Self::Output)>> + Send;
}

/// A link between two rows that has no version of its own: it exists or it does not
/// (an action's assignee). Audited under the row it hangs from.
pub trait Link: Serialize + Send + Sync {
    const ENTITY: Entity;
    /// What the link touches, for the plan's state.
    const KIND: ChangeKind = ChangeKind::Progress;

    /// The row the link hangs from (the action), named by the audit row.
    fn owner_id(&self) -> i64;

    /// The plan of the owner; 404 when the owner does not exist.
    fn plan_id(&self, conn: &mut AsyncPgConnection) -> impl Future<Output = ApiResult<PlanId>> + Send;

    /// Makes the link; 422 when its other end does not exist.
    fn insert(&self, conn: &mut AsyncPgConnection) -> impl Future<Output = ApiResult<()>> + Send;

    /// Undoes the link; 404 when there was none.
    fn remove(&self, conn: &mut AsyncPgConnection) -> impl Future<Output = ApiResult<()>> + Send;
}

/// Makes a link and its audit row, in one transaction.
pub async fn link<L: Link>(conn: &mut AsyncPgConnection, actor: &Actor, link: &L) -> ApiResult<()> {
    conn.transaction(async |conn| {
        let plan_id = link.plan_id(conn).await?;
        gate(conn, actor, Some(plan_id), L::KIND).await?;
        link.insert(conn).await?;
        record(
            conn,
            actor,
            Change::created(L::ENTITY, link.owner_id(), Some(plan_id), link),
        )
        .await
    })
    .await
}

/// Undoes a link, with its audit row, in one transaction.
pub async fn unlink<L: Link>(conn: &mut AsyncPgConnection, actor: &Actor, link: &L) -> ApiResult<()> {
    conn.transaction(async |conn| {
        let plan_id = link.plan_id(conn).await?;
        gate(conn, actor, Some(plan_id), L::KIND).await?;
        link.remove(conn).await?;
        record(
            conn,
            actor,
            Change::deleted(L::ENTITY, link.owner_id(), Some(plan_id), link),
        )
        .await
    })
    .await
}

/// Inserts a row and its audit row, in one transaction.
pub async fn create<I: Insert>(conn: &mut AsyncPgConnection, actor: &Actor, new: I) -> ApiResult<I::Row> {
    conn.transaction(async |conn| {
        let ctx = Context {
            actor,
            plan_id: new.plan_id(conn).await?,
        };
        gate(conn, actor, ctx.plan_id, I::Row::KIND).await?;
        let row = new.insert(conn, ctx).await?;
        let plan_id = match ctx.plan_id {
            Some(plan_id) => Some(plan_id),
            None => row.plan_id(conn).await?,
        };
        ctx.record(conn, Change::created(I::Row::ENTITY, row.id(), plan_id, &row))
            .await?;
        Ok::<_, ApiError>(row)
    })
    .await
}

/// Changes a row if it is still at the version `expected`, in one transaction; the
/// audit row is written only when the version moved.
pub async fn update_returning<T: Versioned, E: Edit<T>>(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: T::Id,
    expected: IfMatch,
    edit: E,
) -> ApiResult<(T, E::Output)> {
    conn.transaction(async |conn| {
        let before = if edit.moves() {
            T::lock(conn, id).await?
        } else {
            T::lock_in_place(conn, id).await?
        };
        expected.check(before.version())?;
        if edit.is_empty() {
            return Ok((before, E::Output::default()));
        }
        let ctx = Context {
            actor,
            plan_id: before.plan_id(conn).await?,
        };
        gate(conn, actor, ctx.plan_id, edit.kind()).await?;
        let (after, output) = edit.apply(conn, ctx, &before).await?;
        if after.version() != before.version() {
            ctx.record(conn, Change::updated(T::ENTITY, id, ctx.plan_id, &before, &after))
                .await?;
        }
        Ok::<_, ApiError>((after, output))
    })
    .await
}

/// Refuses a change that the plan's state does not allow (`lifecycle::may_change`).
/// The system (no role: the CLI, the demo) is not stopped; a report needs no lookup.
async fn gate(conn: &mut AsyncPgConnection, actor: &Actor, plan_id: Option<PlanId>, kind: ChangeKind) -> ApiResult<()> {
    let (Some(plan_id), Some(role)) = (plan_id, actor.role) else {
        return Ok(());
    };
    if matches!(kind, ChangeKind::Report | ChangeKind::Lifecycle) {
        return Ok(());
    }
    let state: PlanState = lookup::plan_state(conn, plan_id).await?;
    may_change(state, kind, Some(role))
}

/// `update_returning` for the changes that yield only the row.
pub async fn update<T: Versioned, E: Edit<T, Output = ()>>(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: T::Id,
    expected: IfMatch,
    edit: E,
) -> ApiResult<T> {
    Ok(update_returning(conn, actor, id, expected, edit).await?.0)
}

/// Deletes a row if it is still at the version `expected`, with its audit row.
pub async fn delete<T: Versioned>(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: T::Id,
    expected: IfMatch,
) -> ApiResult<()> {
    conn.transaction(async |conn| {
        let before = T::lock(conn, id).await?;
        expected.check(before.version())?;
        let plan_id = before.plan_id(conn).await?;
        gate(conn, actor, plan_id, T::KIND).await?;
        before.remove(conn).await?;
        record(conn, actor, Change::deleted(T::ENTITY, id, plan_id, &before)).await
    })
    .await
}
