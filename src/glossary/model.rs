use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change};
use crate::db::schema::glossary_entries;
use crate::error::{ApiError, ApiResult, Entity, OrNotFound};
use crate::etag::IfMatch;
use crate::validation::Validator;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, ToSchema)]
#[diesel(table_name = glossary_entries, check_for_backend(diesel::pg::Pg))]
pub struct GlossaryEntry {
    pub id: i64,
    pub plan_id: i64,
    #[schema(example = "MESS")]
    pub acronym: String,
    #[schema(example = "Ministère de l'Emploi et de la Solidarité sociale")]
    pub definition: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = glossary_entries)]
pub struct GlossaryInsertForm {
    pub plan_id: i64,
    pub acronym: String,
    pub definition: String,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = glossary_entries)]
pub struct GlossaryUpdateForm {
    pub acronym: Option<String>,
    pub definition: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"acronym": "CRÉ", "definition": "Conférence régionale des élus"}))]
pub struct CreateGlossaryEntry {
    /// 1 to 40 characters, unique in the plan (ignoring case).
    pub acronym: String,
    /// 1 to 500 characters.
    pub definition: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"definition": "Conférence régionale des élu(e)s"}))]
pub struct UpdateGlossaryEntry {
    pub acronym: Option<String>,
    pub definition: Option<String>,
}

impl CreateGlossaryEntry {
    pub fn into_form(self, plan_id: i64) -> ApiResult<GlossaryInsertForm> {
        let mut v = Validator::new();
        let form = GlossaryInsertForm {
            plan_id,
            acronym: v.required_text("acronym", &self.acronym, 40),
            definition: v.required_text("definition", &self.definition, 500),
        };
        v.finish()?;
        Ok(form)
    }
}

impl UpdateGlossaryEntry {
    pub fn into_form(self) -> ApiResult<GlossaryUpdateForm> {
        let mut v = Validator::new();
        let form = GlossaryUpdateForm {
            acronym: self.acronym.map(|a| v.required_text("acronym", &a, 40)),
            definition: self.definition.map(|d| v.required_text("definition", &d, 500)),
        };
        v.finish()?;
        Ok(form)
    }
}

impl GlossaryEntry {
    pub async fn read(conn: &mut AsyncPgConnection, id: i64) -> ApiResult<GlossaryEntry> {
        glossary_entries::table
            .find(id)
            .select(GlossaryEntry::as_select())
            .first(conn)
            .await
            .or_not_found(Entity::GlossaryEntry, id)
    }

    /// Alphabetical, ignoring case.
    pub async fn list(conn: &mut AsyncPgConnection, plan_id: i64) -> ApiResult<Vec<GlossaryEntry>> {
        Ok(glossary_entries::table
            .filter(glossary_entries::plan_id.eq(plan_id))
            .order((crate::db::search_fold(glossary_entries::acronym), glossary_entries::id))
            .select(GlossaryEntry::as_select())
            .load(conn)
            .await?)
    }

    async fn lock(conn: &mut AsyncPgConnection, id: i64, expected: IfMatch) -> ApiResult<GlossaryEntry> {
        let entry: GlossaryEntry = glossary_entries::table
            .find(id)
            .select(GlossaryEntry::as_select())
            .for_update()
            .first(conn)
            .await
            .or_not_found(Entity::GlossaryEntry, id)?;
        expected.check(entry.version)?;
        Ok(entry)
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        form: &GlossaryInsertForm,
    ) -> ApiResult<GlossaryEntry> {
        crate::plans::model::Plan::read(conn, form.plan_id).await?;
        conn.transaction(async |conn| {
            let entry: GlossaryEntry = diesel::insert_into(glossary_entries::table)
                .values(form)
                .returning(GlossaryEntry::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                Change::created("glossary_entry", entry.id, Some(entry.plan_id), &entry),
            )
            .await?;
            Ok::<_, ApiError>(entry)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        id: i64,
        expected: IfMatch,
        form: &GlossaryUpdateForm,
    ) -> ApiResult<GlossaryEntry> {
        conn.transaction(async |conn| {
            let before = GlossaryEntry::lock(conn, id, expected).await?;
            let after: GlossaryEntry = diesel::update(glossary_entries::table.find(id))
                .set((form, glossary_entries::updated_at.eq(glossary_entries::updated_at)))
                .returning(GlossaryEntry::as_returning())
                .get_result(conn)
                .await?;
            if after.version != before.version {
                audit::record(
                    conn,
                    actor,
                    Change::updated("glossary_entry", id, Some(before.plan_id), &before, &after),
                )
                .await?;
            }
            Ok::<_, ApiError>(after)
        })
        .await
    }

    pub async fn delete(conn: &mut AsyncPgConnection, actor: &Actor, id: i64, expected: IfMatch) -> ApiResult<()> {
        conn.transaction(async |conn| {
            let before = GlossaryEntry::lock(conn, id, expected).await?;
            diesel::delete(glossary_entries::table.find(id)).execute(conn).await?;
            audit::record(
                conn,
                actor,
                Change::deleted("glossary_entry", id, Some(before.plan_id), &before),
            )
            .await
        })
        .await
    }
}
