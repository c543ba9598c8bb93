//! What saving and signing off a report tell: a report saved waits for the board's
//! sign-off (the coordination and the board are told); a report signed off goes to the
//! recipients its plan's report schedule names, once for its month.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Addressee, Audience, NoticeKind, active_with};
use crate::db::schema::{report_schedules, users};
use crate::entity::Entity;
use crate::error::ApiResult;
use crate::ids::{PlanId, SavedReportId};
use crate::security::permissions::Role;
use crate::write::{Change, Operation};

/// A saved report, told of by reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportNotice {
    pub report: SavedReportId,
}

/// What a change of a saved report tells, and to whom. Pure.
pub fn report_notice(change: &Change) -> Option<(Audience, NoticeKind, ReportNotice)> {
    if change.entity != Entity::SavedReport {
        return None;
    }
    let notice = ReportNotice {
        report: SavedReportId(change.entity_id),
    };
    let after = change.after.as_ref()?;
    let signed = |v: Option<&Value>| v.and_then(|v| v.get("signed_off_by")).is_some_and(|s| !s.is_null());
    match change.operation {
        Operation::Create => Some((Audience::Signers, NoticeKind::ReportReady, notice)),
        Operation::Update if signed(Some(after)) && !signed(change.before.as_ref()) => {
            let (from, to) = (after.get("period_from")?.as_str()?, after.get("period_to")?.as_str()?);
            let audience = Audience::ReportRecipients {
                plan: PlanId(after.get("plan_id")?.as_i64()?),
                month: format!("report {} {from} {to}", after.get("plan_id")?),
            };
            Some((audience, NoticeKind::ReportSigned, notice))
        }
        _ => None,
    }
}

/// Who the plan's report schedule sends its signed-off reports to: the active accounts of
/// its roles, then its addresses that are no such account's. (Read from the table: the
/// schedules' module writes through this one.)
pub async fn recipients(conn: &mut AsyncPgConnection, plan: PlanId) -> ApiResult<Vec<Addressee>> {
    // Arrays may hold nulls, for diesel.
    type Lists = (Vec<Option<String>>, Vec<Option<String>>);
    let schedule: Option<Lists> = report_schedules::table
        .filter(report_schedules::plan_id.eq(plan))
        .select((report_schedules::recipient_roles, report_schedules::recipient_addresses))
        .first(conn)
        .await
        .optional()?;
    let Some((roles, addresses)) = schedule else {
        return Ok(Vec::new());
    };
    let roles: Vec<Role> = roles.iter().flatten().filter_map(|r| Role::parse(r)).collect();
    let people = active_with(conn, &roles).await?;
    let emails: Vec<String> = users::table
        .filter(users::id.eq_any(&people))
        .select(users::email)
        .load(conn)
        .await?;
    let mut recipients: Vec<Addressee> = people.into_iter().map(Addressee::User).collect();
    recipients.extend(
        addresses
            .into_iter()
            .flatten()
            .filter(|a| !emails.iter().any(|e| e.eq_ignore_ascii_case(a)))
            .map(Addressee::Address),
    );
    Ok(recipients)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(signed_off_by: Option<i64>) -> Value {
        serde_json::json!({"id": 7, "plan_id": 1, "period_from": "2013-10-01", "period_to": "2013-10-31",
            "signed_off_by": signed_off_by})
    }

    #[test]
    fn a_saved_report_asks_for_sign_off_and_a_signed_one_goes_to_the_recipients() {
        let saved = Change::created(Entity::SavedReport, 7, Some(PlanId(1)), &report(None));
        let (audience, kind, notice) = report_notice(&saved).unwrap_or_else(|| panic!("a notice"));
        assert_eq!((audience, kind), (Audience::Signers, NoticeKind::ReportReady));
        assert_eq!(notice.report, SavedReportId(7));
        let signed = Change::updated(Entity::SavedReport, 7, Some(PlanId(1)), &report(None), &report(Some(3)));
        let (audience, kind, _) = report_notice(&signed).unwrap_or_else(|| panic!("a notice"));
        assert_eq!(kind, NoticeKind::ReportSigned);
        assert_eq!(
            audience,
            Audience::ReportRecipients {
                plan: PlanId(1),
                month: "report 1 2013-10-01 2013-10-31".into()
            }
        );
        // A change that is no sign-off (files rendered again) tells nobody.
        let again = Change::updated(
            Entity::SavedReport,
            7,
            Some(PlanId(1)),
            &report(Some(3)),
            &report(Some(3)),
        );
        assert!(report_notice(&again).is_none());
        let other = Change::created(Entity::Comment, 7, Some(PlanId(1)), &report(None));
        assert!(report_notice(&other).is_none());
    }
}
