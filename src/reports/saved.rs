//! Saved reports: a report frozen for a meeting (JSON snapshot, SHA-256 fingerprint, and
//! every format rendered once), then signed off by the board and never changed again.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::build::{ReportPeriod, build};
use super::dto::{SaveReport, SignOffForm};
use super::load::load;
use super::model::{Certification, ProgressReport, SignOff};
use super::render::{ReportFormat, render, render_blocking, render_one_blocking};
use crate::clock::local_day;
use crate::db::schema::{plans, saved_report_files, saved_reports, users};
use crate::entity::Entity;
use crate::error::{ApiError, ApiResult, ErrorCode, OrNotFound};
use crate::i18n::{Lang, Text};
use crate::ids::{PlanId, SavedReportId, UserId};
use crate::state::AppState;
use crate::text::long_date;
use crate::write::{self, Actor, Context, Edit, Insert, Versioned, lookup};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = saved_reports, check_for_backend(diesel::pg::Pg))]
pub struct SavedReport {
    #[schema(value_type = i64)]
    pub id: SavedReportId,
    #[schema(value_type = i64)]
    pub plan_id: PlanId,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub as_of: NaiveDate,
    #[schema(example = "fr")]
    pub lang: String,
    /// SHA-256 (hex) of the JSON snapshot (`download?format=snapshot`).
    pub fingerprint: String,
    /// Who saved it; none when the plan's monthly schedule did.
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    #[schema(value_type = Option<i64>)]
    pub signed_off_by: Option<UserId>,
    pub signed_off_on: Option<NaiveDate>,
    pub meeting_reference: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

pub fn fingerprint(snapshot: &str) -> String {
    Sha256::digest(snapshot.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The plan's last day, for the default period of its reports.
pub async fn plan_end(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<NaiveDate> {
    plans::table
        .find(plan_id)
        .select(plans::period_end)
        .first(conn)
        .await
        .or_not_found(Entity::Plan, plan_id.0)
}

/// The period a new saved report covers when none is given: the month after the last saved
/// report, else the default month. 422 when that month has not ended yet or lies after the
/// plan: a report is saved for a period that is over, never silently for another one.
pub async fn period_to_save(
    conn: &mut AsyncPgConnection,
    plan_id: PlanId,
    today: NaiveDate,
) -> ApiResult<ReportPeriod> {
    let plan_end = plan_end(conn, plan_id).await?;
    let last: Option<NaiveDate> = saved_reports::table
        .filter(saved_reports::plan_id.eq(plan_id))
        .select(saved_reports::period_to)
        .order(saved_reports::period_to.desc())
        .first(conn)
        .await
        .optional()?;
    let Some(next) = last.and_then(|d| d.succ_opt()) else {
        return Ok(ReportPeriod::default_for(plan_end, today));
    };
    let month = ReportPeriod::month_of(next);
    let period = ReportPeriod { from: next, ..month };
    if next > plan_end {
        return Err(ApiError::invalid(
            "since",
            ErrorCode::AfterPlan,
            Text::new(
                format!(
                    "Le dernier rapport enregistré va jusqu'à la fin du plan ({}) : il n'y a plus de période à enregistrer.",
                    long_date(plan_end, Lang::Fr)
                ),
                format!("The last saved report reaches the plan's end ({plan_end}): there is no period left to save."),
            ),
        ));
    }
    Ok(period)
}

/// The last report saved for a period that ended before `from`, as certified.
pub async fn previous_report(
    conn: &mut AsyncPgConnection,
    plan_id: PlanId,
    from: NaiveDate,
) -> ApiResult<Option<(i64, ProgressReport)>> {
    let id: Option<SavedReportId> = saved_reports::table
        .filter(saved_reports::plan_id.eq(plan_id))
        .filter(saved_reports::period_to.lt(from))
        .order((saved_reports::period_to.desc(), saved_reports::id.desc()))
        .select(saved_reports::id)
        .first(conn)
        .await
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    let (report, _) = SavedReport::certified(conn, id).await?;
    Ok(Some((id.0, report)))
}

/// A saved report covers a period that is over: its last day is before today.
pub fn check_ended(period: &ReportPeriod, today: NaiveDate) -> ApiResult<()> {
    if period.to < today && period.as_of < today {
        return Ok(());
    }
    Err(ApiError::invalid(
        "until",
        ErrorCode::NotEnded,
        Text::new(
            format!(
                "La période se termine le {} : un rapport s'enregistre une fois la période terminée (aperçu possible en attendant).",
                long_date(period.to.max(period.as_of), Lang::Fr)
            ),
            format!(
                "The period ends on {}: a report is saved once its period is over (preview it meanwhile).",
                period.to.max(period.as_of)
            ),
        ),
    ))
}

/// A saved report covers days of its plan: 422 for a period reaching outside them (a
/// request for 0001–2026 would freeze every row ever written, for nothing).
async fn check_within_plan(conn: &mut AsyncPgConnection, plan_id: PlanId, period: &ReportPeriod) -> ApiResult<()> {
    let (start, end): (NaiveDate, NaiveDate) = plans::table
        .find(plan_id)
        .select((plans::period_start, plans::period_end))
        .first(conn)
        .await
        .or_not_found(Entity::Plan, plan_id.0)?;
    if start <= period.from && period.to <= end {
        return Ok(());
    }
    let field = if period.from < start { "since" } else { "until" };
    Err(ApiError::invalid(
        field,
        ErrorCode::OutOfRange,
        Text::new(
            format!(
                "Un rapport enregistré couvre des jours du plan, du {} au {} : choisissez « since » et « until » entre ces dates.",
                long_date(start, Lang::Fr),
                long_date(end, Lang::Fr)
            ),
            format!(
                "A saved report covers days of the plan, from {start} to {end}: choose \"since\" and \"until\" between those dates."
            ),
        ),
    ))
}

/// 409 when the same period is already saved in the same language: it is the record of
/// that month, and a second copy would only double the storage (about 20 MB a large plan).
async fn check_not_saved(
    conn: &mut AsyncPgConnection,
    plan_id: PlanId,
    period: &ReportPeriod,
    lang: Lang,
) -> ApiResult<()> {
    let existing: Option<SavedReportId> = saved_reports::table
        .filter(saved_reports::plan_id.eq(plan_id))
        .filter(saved_reports::period_from.eq(period.from))
        .filter(saved_reports::period_to.eq(period.to))
        .filter(saved_reports::lang.eq(lang.code()))
        .select(saved_reports::id)
        .first(conn)
        .await
        .optional()?;
    match existing {
        None => Ok(()),
        Some(id) => Err(ApiError::Conflict(Text::new(
            format!(
                "Le rapport du {} au {} est déjà enregistré (rapport n° {}) : voir GET /api/v1/reports/{}.",
                long_date(period.from, Lang::Fr),
                long_date(period.to, Lang::Fr),
                id.0,
                id.0
            ),
            format!(
                "The report from {} to {} is already saved (report {}): see GET /api/v1/reports/{}.",
                period.from, period.to, id.0, id.0
            ),
        ))),
    }
}

/// Signing off is done by a person, never by the system (which may save a report: the
/// monthly schedule).
fn signed_in(actor: &Actor) -> ApiResult<UserId> {
    actor
        .user_id
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a report saved or signed off by no one")))
}

/// Stores the certified JSON, the source of every other format, in the transaction of the
/// change, and drops the files made from an earlier state. `render_files` makes the others
/// afterwards; until then (or if the process stops first) a download makes its format from
/// this JSON, byte for byte what `render_files` stores.
async fn store_json(conn: &mut AsyncPgConnection, id: SavedReportId, report: &ProgressReport) -> ApiResult<()> {
    diesel::delete(saved_report_files::table.filter(saved_report_files::report_id.eq(id)))
        .execute(conn)
        .await?;
    store_file(
        conn,
        id,
        ReportFormat::Json,
        render(report, ReportFormat::Json, Lang::default())?,
    )
    .await
}

async fn store_file(
    conn: &mut AsyncPgConnection,
    id: SavedReportId,
    format: ReportFormat,
    content: Vec<u8>,
) -> ApiResult<()> {
    diesel::insert_into(saved_report_files::table)
        .values((
            saved_report_files::report_id.eq(id),
            saved_report_files::format.eq(format.as_str()),
            saved_report_files::content.eq(content),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

impl SavedReport {
    /// Makes every format but JSON from the stored JSON, on a blocking thread and outside
    /// any transaction (no connection is held while it renders), then stores them.
    pub async fn render_files(state: &AppState, id: SavedReportId) -> ApiResult<()> {
        let mut conn = state.conn().await?;
        let (report, lang) = Self::certified(&mut conn, id).await?;
        drop(conn);
        let formats = ReportFormat::ALL
            .iter()
            .copied()
            .filter(|f| *f != ReportFormat::Json)
            .collect();
        let files = render_blocking(report, formats, lang).await?;
        conn = state.conn().await?;
        for (format, content) in files {
            store_file(&mut conn, id, format, content).await?;
        }
        Ok(())
    }

    /// The report as certified (its stored JSON) and its language.
    async fn certified(conn: &mut AsyncPgConnection, id: SavedReportId) -> ApiResult<(ProgressReport, Lang)> {
        let json: Vec<u8> = saved_report_files::table
            .filter(saved_report_files::report_id.eq(id))
            .filter(saved_report_files::format.eq(ReportFormat::Json.as_str()))
            .select(saved_report_files::content)
            .first(conn)
            .await
            .or_not_found(Entity::SavedReport, id.0)?;
        let lang = SavedReport::read(conn, id).await?.lang();
        let report = serde_json::from_slice(&json).map_err(|e| ApiError::Internal(e.into()))?;
        Ok((report, lang))
    }

    pub async fn read(conn: &mut AsyncPgConnection, id: SavedReportId) -> ApiResult<SavedReport> {
        crate::find_row!(conn, SavedReport, saved_reports, SavedReport, id)
    }

    pub async fn list(conn: &mut AsyncPgConnection, plan_id: PlanId) -> ApiResult<Vec<SavedReport>> {
        lookup::plan(conn, plan_id).await?;
        Ok(saved_reports::table
            .filter(saved_reports::plan_id.eq(plan_id))
            .order((saved_reports::period_to.desc(), saved_reports::id.desc()))
            .select(SavedReport::as_select())
            .load(conn)
            .await?)
    }

    fn lang(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or_default()
    }

    /// Builds the report of the period asked for (defaults: since the last saved report),
    /// freezes it and renders every format once.
    pub async fn save(
        conn: &mut AsyncPgConnection,
        actor: &Actor,
        plan_id: PlanId,
        body: SaveReport,
    ) -> ApiResult<SavedReport> {
        let today = crate::clock::today();
        let defaults = match (body.since, body.until) {
            (Some(from), Some(to)) => ReportPeriod { from, to, as_of: to },
            _ => period_to_save(conn, plan_id, today).await?,
        };
        let period = body.period(defaults)?;
        check_ended(&period, today)?;
        check_within_plan(conn, plan_id, &period).await?;
        let lang = body.lang.unwrap_or_default();
        check_not_saved(conn, plan_id, &period, lang).await?;
        let report = build(&load(conn, plan_id, &period).await?, period, lang);
        write::create(conn, actor, NewSavedReport { plan_id, lang, report }).await
    }
}

impl SavedReport {
    /// The monthly schedule's save of `period` in `lang`, by the system: none when that
    /// period is saved already in that language (by a person, or by another instance's pass).
    pub async fn save_scheduled(
        conn: &mut AsyncPgConnection,
        plan_id: PlanId,
        period: ReportPeriod,
        lang: Lang,
    ) -> ApiResult<Option<SavedReport>> {
        if check_not_saved(conn, plan_id, &period, lang).await.is_err() {
            return Ok(None);
        }
        let report = build(&load(conn, plan_id, &period).await?, period, lang);
        match write::create(conn, &Actor::system(), NewSavedReport { plan_id, lang, report }).await {
            Ok(saved) => Ok(Some(saved)),
            // Saved meanwhile (the insert waits on the plan's lock, then finds it).
            Err(ApiError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A report just built, to freeze.
struct NewSavedReport {
    plan_id: PlanId,
    lang: Lang,
    report: ProgressReport,
}

impl Versioned for SavedReport {
    crate::versioned_names!(SavedReport, SavedReportId, "reports");
    const KIND: crate::lifecycle::ChangeKind = crate::lifecycle::ChangeKind::Report;

    async fn lock(conn: &mut AsyncPgConnection, id: SavedReportId) -> ApiResult<SavedReport> {
        crate::find_row!(conn, SavedReport, saved_reports, SavedReport, id, for_update)
    }

    async fn plan_id(&self, _: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(self.plan_id))
    }

    /// A saved report is a record of what a meeting saw: it goes only with its plan.
    async fn remove(&self, _: &mut AsyncPgConnection) -> ApiResult<()> {
        Err(anyhow::anyhow!("saved reports are never deleted").into())
    }
}

impl Insert for NewSavedReport {
    type Row = SavedReport;

    async fn plan_id(&self, conn: &mut AsyncPgConnection) -> ApiResult<Option<PlanId>> {
        Ok(Some(lookup::plan(conn, self.plan_id).await?))
    }

    async fn insert(self, conn: &mut AsyncPgConnection, ctx: Context<'_>) -> ApiResult<SavedReport> {
        // Two saves of one period at once: the second waits here, then finds the first.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('saved report ' || $1, 0))")
            .bind::<diesel::sql_types::BigInt, _>(self.plan_id.0)
            .execute(conn)
            .await?;
        let period = ReportPeriod {
            from: self.report.heading.from,
            to: self.report.heading.to,
            as_of: self.report.heading.as_of,
        };
        check_not_saved(conn, self.plan_id, &period, self.lang).await?;
        let snapshot = serde_json::to_string(&self.report).map_err(|e| ApiError::Internal(e.into()))?;
        let digest = fingerprint(&snapshot);
        let saved: SavedReport = diesel::insert_into(saved_reports::table)
            .values((
                saved_reports::plan_id.eq(self.plan_id),
                saved_reports::period_from.eq(self.report.heading.from),
                saved_reports::period_to.eq(self.report.heading.to),
                saved_reports::as_of.eq(self.report.heading.as_of),
                saved_reports::lang.eq(self.lang.code()),
                saved_reports::snapshot.eq(&snapshot),
                saved_reports::fingerprint.eq(&digest),
                saved_reports::created_by.eq(ctx.actor.user_id),
            ))
            .returning(SavedReport::as_returning())
            .get_result(conn)
            .await?;
        let certified = ProgressReport {
            certification: Some(Certification {
                report_id: saved.id.0,
                fingerprint: digest,
                saved_on: local_day(saved.created_at),
                signed_off: None,
            }),
            ..self.report
        };
        store_json(conn, saved.id, &certified).await?;
        Ok(saved)
    }
}

impl Edit<SavedReport> for SignOffForm {
    type Output = ();

    fn is_empty(&self) -> bool {
        false
    }

    /// 409 when already signed off: a signed report never changes.
    async fn apply(
        self,
        conn: &mut AsyncPgConnection,
        ctx: Context<'_>,
        before: &SavedReport,
    ) -> ApiResult<(SavedReport, ())> {
        if before.signed_off_by.is_some() {
            return Err(ApiError::Conflict(Text::new(
                "Ce rapport est déjà validé : il ne change plus. Enregistrez un nouveau rapport au besoin.",
                "This report is already signed off: it no longer changes. Save a new report if needed.",
            )));
        }
        // Signed at a meeting held once the period was over (possibly recorded long after).
        if self.on < before.period_to {
            return Err(ApiError::invalid(
                "signed_on",
                ErrorCode::BeforePeriodEnd,
                Text::new(
                    format!(
                        "La validation ({}) précède la fin de la période du rapport ({}).",
                        long_date(self.on, Lang::Fr),
                        long_date(before.period_to, Lang::Fr)
                    ),
                    format!(
                        "The sign-off ({}) is before the report's period ends ({}).",
                        self.on, before.period_to
                    ),
                ),
            ));
        }
        let signer = signed_in(ctx.actor)?;
        let after: SavedReport = diesel::update(saved_reports::table.find(before.id))
            .set((
                saved_reports::signed_off_by.eq(signer),
                saved_reports::signed_off_on.eq(self.on),
                saved_reports::meeting_reference.eq(&self.meeting_reference),
            ))
            .returning(SavedReport::as_returning())
            .get_result(conn)
            .await?;
        let report = SavedReport::snapshot(conn, before.plan_id, before.id).await?;
        let by: String = users::table
            .find(signer)
            .select(users::display_name)
            .first(conn)
            .await?;
        let certified = ProgressReport {
            certification: Some(Certification {
                report_id: before.id.0,
                fingerprint: before.fingerprint.clone(),
                saved_on: local_day(before.created_at),
                signed_off: Some(SignOff {
                    by,
                    on: self.on,
                    meeting_reference: self.meeting_reference,
                }),
            }),
            ..report
        };
        store_json(conn, before.id, &certified).await?;
        Ok((after, ()))
    }
}

impl SavedReport {
    /// The frozen report of a saved report of `plan_id` (404 for another plan's).
    pub async fn snapshot(
        conn: &mut AsyncPgConnection,
        plan_id: PlanId,
        id: SavedReportId,
    ) -> ApiResult<ProgressReport> {
        let snapshot: String = saved_reports::table
            .find(id)
            .filter(saved_reports::plan_id.eq(plan_id))
            .select(saved_reports::snapshot)
            .first(conn)
            .await
            .or_not_found(Entity::SavedReport, id.0)?;
        serde_json::from_str(&snapshot).map_err(|e| ApiError::Internal(e.into()))
    }

    /// The stored bytes of a format, or the snapshot itself.
    pub async fn file(
        conn: &mut AsyncPgConnection,
        id: SavedReportId,
        format: Option<ReportFormat>,
    ) -> ApiResult<Vec<u8>> {
        let Some(format) = format else {
            return saved_reports::table
                .find(id)
                .select(saved_reports::snapshot)
                .first::<String>(conn)
                .await
                .map(String::into_bytes)
                .or_not_found(Entity::SavedReport, id.0);
        };
        let stored = |format: ReportFormat| {
            saved_report_files::table
                .filter(saved_report_files::report_id.eq(id))
                .filter(saved_report_files::format.eq(format.as_str()))
                .select(saved_report_files::content)
        };
        if let Some(bytes) = stored(format).first(conn).await.optional()? {
            return Ok(bytes);
        }
        // Not stored (yet, or a format added after the report was saved): made from its
        // stored JSON (the report as certified), as it would have been made that day.
        let (report, lang) = Self::certified(conn, id).await?;
        render_one_blocking(report, format, lang).await
    }
}
