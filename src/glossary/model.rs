use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::glossary_entries;
use crate::error::ApiResult;
use crate::ids::{GlossaryEntryId, PlanId};
use crate::write::{self, Context, Edit, Insert, Versioned};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = glossary_entries, check_for_backend(diesel::pg::Pg))]
pub struct GlossaryEntry {
    #[schema(value_type = i64)]
    pub id: GlossaryEntryId,
    #[schema(value_type = i64)]
    pub plan_id: PlanId,
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
    pub plan_id: PlanId,
    pub acronym: String,
    pub definition: String,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = glossary_entries)]
pub struct GlossaryUpdateForm {
    pub acronym: Option<String>,
    pub definition: Option<String>,
}

impl GlossaryEntry {
    pub async fn read(conn: &mut AsyncPgConnection, id: GlossaryEntryId) -> ApiResult<GlossaryEntry> {
        crate::find_row!(conn, GlossaryEntry, glossary_entries, GlossaryEntry, id)
    }

    /// Alphabetical, ignoring case (the plan is not checked: the tree reads it already).
    pub async fn list(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<Vec<GlossaryEntry>> {
        Ok(glossary_entries::table
            .filter(glossary_entries::plan_id.eq(plan_id))
            .order((crate::db::search_fold(glossary_entries::acronym), glossary_entries::id))
            .select(GlossaryEntry::as_select())
            .load(conn)
            .await?)
    }
}

impl Versioned for GlossaryEntry {
    crate::versioned_names!(GlossaryEntry, GlossaryEntryId, "glossary");

    async fn lock(conn: &mut AsyncPgConnection, id: GlossaryEntryId) -> ApiResult<GlossaryEntry> {
        crate::find_row!(conn, GlossaryEntry, glossary_entries, GlossaryEntry, id, for_update)
    }

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.plan_id))
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        diesel::delete(glossary_entries::table.find(self.id))
            .execute(conn)
            .await?;
        Ok(())
    }
}

impl Insert for GlossaryInsertForm {
    type Row = GlossaryEntry;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(write::lookup::plan(conn, self.plan_id).await?))
    }

    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<GlossaryEntry> {
        Ok(diesel::insert_into(glossary_entries::table)
            .values(&self)
            .returning(GlossaryEntry::as_returning())
            .get_result(conn)
            .await?)
    }
}

impl Edit<GlossaryEntry> for GlossaryUpdateForm {
    type Output = ();

    fn is_empty(&self) -> bool {
        self.acronym.is_none() && self.definition.is_none()
    }

    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        _: Context<'_>,
        before: &GlossaryEntry,
    ) -> ApiResult<(GlossaryEntry, ())> {
        let after = diesel::update(glossary_entries::table.find(before.id))
            .set(&self)
            .returning(GlossaryEntry::as_returning())
            .get_result(conn)
            .await?;
        Ok((after, ()))
    }
}
