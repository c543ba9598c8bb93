use actix_web::http::header::{ACCEPT, CONTENT_DISPOSITION};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::build::{ReportPeriod, build};
use super::load::load;
use super::model::ProgressReport;
use super::render::{ReportFormat, render};
use crate::auth::{AuthUser, Permission};
use crate::error::ApiResult;
use crate::i18n::{Lang, Text};
use crate::state::AppState;
use crate::validation::Validator;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(progress_report);
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ReportLang {
    Fr,
    En,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day (default: the first day of the previous calendar month).
    #[param(example = "2013-10-01")]
    pub from: Option<NaiveDate>,
    /// Last day (default: the last day of the previous calendar month).
    #[param(example = "2013-10-31")]
    pub to: Option<NaiveDate>,
    /// Statuses as they stood at the end of this day (default: `to`).
    pub as_of: Option<NaiveDate>,
    /// Default `json`; an `Accept` header naming a format's media type also works.
    pub format: Option<ReportFormat>,
    /// Labels in French (default) or English.
    pub lang: Option<ReportLang>,
}

impl ReportParams {
    fn period(&self) -> ApiResult<ReportPeriod> {
        let mut v = Validator::new();
        let period = match (self.from, self.to) {
            (None, None) => ReportPeriod::previous_month(crate::clock::today()),
            (Some(from), Some(to)) => ReportPeriod { from, to, as_of: to },
            _ => {
                v.push(
                    "from",
                    "incomplete_period",
                    Text::new(
                        "Donnez « from » et « to » ensemble, ou ni l'un ni l'autre (le mois précédent).",
                        "Give \"from\" and \"to\" together, or neither (the previous month).",
                    ),
                );
                ReportPeriod::previous_month(crate::clock::today())
            }
        };
        if period.to < period.from {
            v.push(
                "to",
                "before_start",
                Text::new(
                    format!(
                        "La fin de la période ({}) précède son début ({}).",
                        period.to, period.from
                    ),
                    format!(
                        "The end of the period ({}) comes before its start ({}).",
                        period.to, period.from
                    ),
                ),
            );
        }
        v.finish()?;
        Ok(ReportPeriod {
            as_of: self.as_of.unwrap_or(period.as_of),
            ..period
        })
    }
}

fn accepted(req: &HttpRequest) -> Option<ReportFormat> {
    req.headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(ReportFormat::from_accept)
}

/// The monthly progress report: summary, what moved in the period, late actions, what
/// is coming up, and the plan table, with the statuses as they stood at `as_of` (from the
/// recorded history, not today's values).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Plan id"), ReportParams),
    responses(
        (status = 200, description = "The report", content(
            (ProgressReport = "application/json"),
            (String = "text/csv", example = "\u{feff}Orientation,Objectif,Action,Organisation responsable,Échéancier,État d'avancement,Note,Progression,Dernier changement\n"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/html")
        ))
    )
)]
#[get("/plans/{id}/reports/progress")]
async fn progress_report(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    params: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    user.require(Permission::ProduceReports)?;
    let period = params.period()?;
    let lang = match params.lang {
        Some(ReportLang::En) => Lang::En,
        _ => Lang::Fr,
    };
    let mut conn = state.conn().await?;
    let report = build(&load(&mut conn, *id).await?, period, lang);
    let format = params.format.or_else(|| accepted(&req)).unwrap_or(ReportFormat::Json);
    let bytes = render(&report, format, lang)?;
    let filename = format!("rapport-{}.{}", period.to.format("%Y-%m"), format.as_str());
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")))
        .body(bytes))
}
