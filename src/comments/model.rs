use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actions::model::Action;
use crate::audit::{self, Change};
use crate::auth::{AuthUser, Role};
use crate::db::schema::comments;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::i18n::Text;
use crate::validation::Validator;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = comments, check_for_backend(diesel::pg::Pg))]
pub struct Comment {
    pub id: i64,
    pub action_id: i64,
    pub author_id: i64,
    #[schema(example = "Rencontre avec la CRÉ de l'Estrie confirmée pour le 12 novembre.")]
    pub body: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Rencontre avec la CRÉ de l'Estrie confirmée pour le 12 novembre."}))]
pub struct CommentBody {
    /// 1 to 5,000 characters.
    pub body: String,
}

impl CommentBody {
    fn validate(self) -> ApiResult<String> {
        let mut v = Validator::new();
        let body = v.required_text("body", &self.body, 5000);
        v.finish()?;
        Ok(body)
    }
}

fn not_author() -> ApiError {
    ApiError::Forbidden(Text::new(
        "Seule la personne qui a écrit ce commentaire peut le modifier.",
        "Only the person who wrote this comment may change it.",
    ))
}

async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<Comment> {
    let comment: Comment = comments::table
        .find(id)
        .select(Comment::as_select())
        .for_update()
        .first(conn)
        .await
        .or_not_found(Entity::Comment, id)?;
    expected.check(comment.version)?;
    Ok(comment)
}

impl Comment {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<Comment> {
        comments::table
            .find(id)
            .select(Comment::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::Comment, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, action_id: i64) -> ApiResult<Vec<Comment>> {
        Action::read(conn, action_id).await?;
        Ok(comments::table
            .filter(comments::action_id.eq(action_id))
            .order((comments::created_at, comments::id))
            .select(Comment::as_select())
            .load(conn)
            .await?)
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        user: &AuthUser,
        action_id: i64,
        body: CommentBody,
    ) -> ApiResult<Comment> {
        let body = body.validate()?;
        conn.transaction(async |conn| {
            let plan_id = Action::plan_id(conn, action_id).await?;
            let comment: Comment = diesel::insert_into(comments::table)
                .values((
                    comments::action_id.eq(action_id),
                    comments::author_id.eq(user.id()),
                    comments::body.eq(&body),
                ))
                .returning(Comment::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                &user.actor(),
                Change::created("comment", comment.id, Some(plan_id), &comment),
            )
            .await?;
            Ok::<_, ApiError>(comment)
        })
        .await
    }

    /// Only the author edits a comment.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        user: &AuthUser,
        id: i64,
        expected: IfMatch,
        body: CommentBody,
    ) -> ApiResult<Comment> {
        let body = body.validate()?;
        conn.transaction(async |conn| {
            let before = lock(conn, id, expected).await?;
            if before.author_id != user.id() {
                return Err(not_author());
            }
            let after: Comment = diesel::update(comments::table.find(id))
                .set(comments::body.eq(&body))
                .returning(Comment::as_returning())
                .get_result(conn)
                .await?;
            let plan_id = Action::plan_id(conn, before.action_id).await?;
            audit::record(
                conn,
                &user.actor(),
                Change::updated("comment", id, Some(plan_id), &before, &after),
            )
            .await?;
            Ok::<_, ApiError>(after)
        })
        .await
    }

    /// The author deletes a comment; the coordination (admin) may remove one too.
    pub async fn delete(conn: &mut AsyncPgConnection, user: &AuthUser, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = lock(conn, id, expected).await?;
            if before.author_id != user.id() && user.role() != Role::Admin {
                return Err(not_author());
            }
            diesel::delete(comments::table.find(id)).execute(conn).await?;
            let plan_id = Action::plan_id(conn, before.action_id).await?;
            audit::record(
                conn,
                &user.actor(),
                Change::deleted("comment", id, Some(plan_id), &before),
            )
            .await
        })
        .await
    }
}
