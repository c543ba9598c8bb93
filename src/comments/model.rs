use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::comments;
use crate::error::ApiResult;
use crate::ids::{ActionId, CommentId, PlanId, UserId};
use crate::write::{Context, Edit, Insert, Versioned, lookup};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = comments, check_for_backend(diesel::pg::Pg))]
pub struct Comment {
    #[schema(value_type = i64)]
    pub id: CommentId,
    #[schema(value_type = i64)]
    pub action_id: ActionId,
    #[schema(value_type = i64)]
    pub author_id: UserId,
    #[schema(example = "Rencontre avec la CRÉ de l'Estrie confirmée pour le 12 novembre.")]
    pub body: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment {
    pub action_id: ActionId,
    pub author_id: UserId,
    pub body: String,
}

/// The new text of a comment.
#[derive(Debug)]
pub struct CommentText(pub String);

impl Comment {
    pub async fn read(conn: &mut AsyncPgConnection, id: CommentId) -> ApiResult<Comment> {
        crate::find_row!(conn, Comment, comments, Comment, id)
    }

    /// Oldest first.
    pub async fn list(conn: &mut AsyncPgConnection, action_id: ActionId) -> ApiResult<Vec<Comment>> {
        lookup::plan_of_action(conn, action_id).await?;
        Ok(comments::table
            .filter(comments::action_id.eq(action_id))
            .order((comments::created_at, comments::id))
            .select(Comment::as_select())
            .load(conn)
            .await?)
    }
}

impl Versioned for Comment {
    crate::versioned_names!(Comment, CommentId, "comments");
    const KIND: crate::lifecycle::ChangeKind = crate::lifecycle::ChangeKind::Progress;

    async fn lock(conn: &mut AsyncPgConnection, id: CommentId) -> ApiResult<Comment> {
        crate::find_row!(conn, Comment, comments, Comment, id, for_update)
    }

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan_of_action(conn, self.action_id).await?))
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        diesel::delete(comments::table.find(self.id)).execute(conn).await?;
        Ok(())
    }
}

impl Insert for NewComment {
    type Row = Comment;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan_of_action(conn, self.action_id).await?))
    }

    /// Its author follows the action from now on.
    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<Comment> {
        let comment: Comment = diesel::insert_into(comments::table)
            .values(&self)
            .returning(Comment::as_returning())
            .get_result(conn)
            .await?;
        crate::follows::follow(conn, comment.action_id, comment.author_id).await?;
        Ok(comment)
    }
}

impl Edit<Comment> for CommentText {
    type Output = ();

    fn is_empty(&self) -> bool {
        false
    }

    async fn apply(self, conn: &mut AsyncPgConnection, _: Context<'_>, before: &Comment) -> ApiResult<(Comment, ())> {
        let after = diesel::update(comments::table.find(before.id))
            .set(comments::body.eq(self.0))
            .returning(Comment::as_returning())
            .get_result(conn)
            .await?;
        Ok((after, ()))
    }
}
