use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::report_schedules;
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::i18n::{Lang, Text};
use crate::ids::{PlanId, ReportScheduleId};
use crate::reports::build::ReportPeriod;
use crate::security::permissions::Role;
use crate::write::{Context, Edit, Insert, Versioned, lookup};

/// As stored: PostgreSQL arrays may hold nulls, so diesel reads them as options.
#[derive(Queryable, Selectable)]
#[diesel(table_name = report_schedules, check_for_backend(diesel::pg::Pg))]
struct Row {
    id: ReportScheduleId,
    plan_id: PlanId,
    day_of_month: i32,
    recipient_roles: Vec<Option<String>>,
    recipient_addresses: Vec<Option<String>>,
    lang: String,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// When a plan's monthly report is saved and sent, and to whom once signed off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "plan_id": 1, "day_of_month": 5, "recipient_roles": ["observer"],
    "recipient_addresses": ["suivi.rqds@mess.gouv.qc.ca"], "lang": "fr", "version": 1,
    "created_at": "2013-09-12T14:00:00Z", "updated_at": "2013-09-12T14:00:00Z"
}))]
pub struct ReportSchedule {
    #[schema(value_type = i64)]
    pub id: ReportScheduleId,
    #[schema(value_type = i64)]
    pub plan_id: PlanId,
    /// On this day (Québec time), the previous month's report is saved and the board is
    /// asked to sign it off.
    pub day_of_month: i32,
    /// Every active account of these roles receives the signed-off report (PDF and Excel).
    pub recipient_roles: Vec<Role>,
    /// And these addresses, which are no account.
    pub recipient_addresses: Vec<String>,
    pub lang: Lang,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Row> for ReportSchedule {
    fn from(row: Row) -> ReportSchedule {
        ReportSchedule {
            id: row.id,
            plan_id: row.plan_id,
            day_of_month: row.day_of_month,
            recipient_roles: row
                .recipient_roles
                .iter()
                .flatten()
                .filter_map(|r| Role::parse(r))
                .collect(),
            recipient_addresses: row.recipient_addresses.into_iter().flatten().collect(),
            lang: Lang::parse(&row.lang).unwrap_or_default(),
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The month whose report is due on `today` under a schedule on `day_of_month`: the
/// previous month, from that day on (a pass missed on the day itself catches up later in
/// the month), when it lies within the plan's period. Pure.
pub fn month_due(day_of_month: i32, plan: (NaiveDate, NaiveDate), today: NaiveDate) -> Option<ReportPeriod> {
    if i64::from(today.day()) < i64::from(day_of_month) {
        return None;
    }
    let month = ReportPeriod::previous_month(today);
    let (start, end) = plan;
    (month.to >= start && month.from <= end).then_some(month)
}

fn not_scheduled(plan_id: PlanId) -> ApiError {
    ApiError::Missing(Text::new(
        format!(
            "Le plan {plan_id} n'a pas d'envoi mensuel du rapport : créez-le avec POST /api/v1/plans/{plan_id}/report-schedule."
        ),
        format!(
            "Plan {plan_id} has no monthly report schedule: create one with POST /api/v1/plans/{plan_id}/report-schedule."
        ),
    ))
}

impl ReportSchedule {
    pub async fn read(conn: &mut AsyncPgConnection, id: ReportScheduleId) -> ApiResult<ReportSchedule> {
        report_schedules::table
            .find(id)
            .select(Row::as_select())
            .first(conn)
            .await
            .map(ReportSchedule::from)
            .or_not_found(Entity::ReportSchedule, id.0)
    }

    /// The plan's schedule, if it has one (404 for a plan that does not exist).
    pub async fn of_plan(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<Option<ReportSchedule>> {
        lookup::plan(conn, plan_id).await?;
        Ok(report_schedules::table
            .filter(report_schedules::plan_id.eq(plan_id))
            .select(Row::as_select())
            .first(conn)
            .await
            .optional()?
            .map(ReportSchedule::from))
    }

    /// The plan's schedule, or a 404 that says how to make one.
    pub async fn for_plan(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<ReportSchedule> {
        Self::of_plan(conn, plan_id)
            .await?
            .ok_or_else(|| not_scheduled(plan_id))
    }

    /// Every schedule, with its plan's period.
    pub async fn all(conn: &mut AsyncPgConnection) -> ApiResult<Vec<(ReportSchedule, (NaiveDate, NaiveDate))>> {
        use crate::db::schema::plans;
        let rows: Vec<(Row, NaiveDate, NaiveDate)> = report_schedules::table
            .inner_join(plans::table)
            .select((Row::as_select(), plans::period_start, plans::period_end))
            .order(report_schedules::id)
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(row, start, end)| (row.into(), (start, end)))
            .collect())
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = report_schedules)]
pub struct NewSchedule {
    pub plan_id: PlanId,
    pub day_of_month: i32,
    pub recipient_roles: Vec<Option<String>>,
    pub recipient_addresses: Vec<Option<String>>,
    pub lang: String,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = report_schedules)]
pub struct ScheduleChange {
    pub day_of_month: Option<i32>,
    pub recipient_roles: Option<Vec<Option<String>>>,
    pub recipient_addresses: Option<Vec<Option<String>>>,
    pub lang: Option<String>,
}

impl Versioned for ReportSchedule {
    crate::versioned_names!(ReportSchedule, ReportScheduleId, "report-schedules");
    const KIND: crate::lifecycle::ChangeKind = crate::lifecycle::ChangeKind::Report;

    async fn lock(conn: &mut AsyncPgConnection, id: ReportScheduleId) -> ApiResult<ReportSchedule> {
        report_schedules::table
            .find(id)
            .select(Row::as_select())
            .for_update()
            .first(conn)
            .await
            .map(ReportSchedule::from)
            .or_not_found(Entity::ReportSchedule, id.0)
    }

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.plan_id))
    }

    async fn remove(&self, conn: &mut AsyncPgConnection) -> ApiResult<()> {
        diesel::delete(report_schedules::table.find(self.id))
            .execute(conn)
            .await?;
        Ok(())
    }
}

impl Insert for NewSchedule {
    type Row = ReportSchedule;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan(conn, self.plan_id).await?))
    }

    /// 409 when the plan has one already: it is changed, not made twice.
    async fn insert(self, conn: &mut AsyncPgConnection, _: Context<'_>) -> ApiResult<ReportSchedule> {
        if let Some(existing) = ReportSchedule::of_plan(conn, self.plan_id).await? {
            return Err(ApiError::Conflict(Text::new(
                format!(
                    "Ce plan a déjà un envoi mensuel du rapport : modifiez-le (PATCH /api/v1/report-schedules/{}).",
                    existing.id
                ),
                format!(
                    "This plan already has a monthly report schedule: change it (PATCH /api/v1/report-schedules/{}).",
                    existing.id
                ),
            )));
        }
        Ok(diesel::insert_into(report_schedules::table)
            .values(&self)
            .returning(Row::as_returning())
            .get_result(conn)
            .await?
            .into())
    }
}

impl Edit<ReportSchedule> for ScheduleChange {
    type Output = ();

    fn is_empty(&self) -> bool {
        self.day_of_month.is_none()
            && self.recipient_roles.is_none()
            && self.recipient_addresses.is_none()
            && self.lang.is_none()
    }

    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        _: Context<'_>,
        before: &ReportSchedule,
    ) -> ApiResult<(ReportSchedule, ())> {
        let after: Row = diesel::update(report_schedules::table.find(before.id))
            .set(&self)
            .returning(Row::as_returning())
            .get_result(conn)
            .await?;
        Ok((after.into(), ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_previous_month_is_due_from_its_day_within_the_plan() {
        let plan = (day(2013, 7, 1), day(2014, 6, 30));
        assert_eq!(month_due(5, plan, day(2013, 11, 4)), None, "before the day");
        let october = month_due(5, plan, day(2013, 11, 5)).map(|p| (p.from, p.to));
        assert_eq!(october, Some((day(2013, 10, 1), day(2013, 10, 31))));
        // A pass missed on the 5th catches up on the 20th: the same month.
        assert_eq!(
            month_due(5, plan, day(2013, 11, 20)).map(|p| p.from),
            Some(day(2013, 10, 1))
        );
        // January's report in February; June's, the plan's last month, in July.
        assert_eq!(
            month_due(28, plan, day(2014, 2, 28)).map(|p| p.to),
            Some(day(2014, 1, 31))
        );
        assert_eq!(
            month_due(1, plan, day(2014, 7, 1)).map(|p| p.to),
            Some(day(2014, 6, 30))
        );
        // Nothing for a month outside the plan.
        assert_eq!(month_due(1, plan, day(2014, 8, 1)), None);
        assert_eq!(
            month_due(1, plan, day(2013, 7, 1)),
            None,
            "June 2013 is before the plan"
        );
    }
}
