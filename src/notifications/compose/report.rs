//! A monthly report: saved and waiting for the board's sign-off (to the coordination and
//! the board), then signed off, with its PDF and Excel files attached (to the recipients of
//! the plan's report schedule, accounts or addresses).

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Words, say};
use crate::db::schema::{plans, users};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::mail::{Attachment, Mailer, OutgoingMail};
use crate::reports::render::ReportFormat;
use crate::reports::saved::SavedReport;
use crate::schedules::ReportSchedule;
use crate::text::{long_date, period_words};
use crate::write::outbox::{NoticeKind, ReportNotice};

/// The saved report and its plan's title; none when gone (with its plan).
async fn load(conn: &mut AsyncPgConnection, notice: ReportNotice) -> ApiResult<Option<(SavedReport, String)>> {
    let report = match SavedReport::read(conn, notice.report).await {
        Ok(report) => report,
        Err(ApiError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let plan: String = plans::table
        .find(report.plan_id)
        .select(plans::title)
        .first(conn)
        .await?;
    Ok(Some((report, plan)))
}

fn reports_page(mailer: &Mailer, report: &SavedReport) -> String {
    format!("{}/plans/{}/reports", mailer.public_url, report.plan_id)
}

/// A report saved, to sign off; none once it is signed off (nothing left to do).
pub async fn ready(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    lang: Lang,
    notice: ReportNotice,
) -> ApiResult<Option<Words>> {
    let Some((report, plan)) = load(conn, notice).await? else {
        return Ok(None);
    };
    if report.signed_off_by.is_some() {
        return Ok(None);
    }
    let period = period_words(report.period_from, report.period_to, lang);
    let by = match report.created_by {
        Some(id) => {
            users::table
                .find(id)
                .select(users::display_name)
                .first::<String>(conn)
                .await?
        }
        None => lang.pick("l'envoi mensuel", "the monthly schedule").to_owned(),
    };
    let recipients = match ReportSchedule::of_plan(conn, report.plan_id).await? {
        Some(schedule) => describe(&schedule, lang),
        None => lang
            .pick(
                "Ce plan n'a pas d'envoi mensuel : personne ne le recevra automatiquement.",
                "This plan has no monthly schedule: nobody will receive it automatically.",
            )
            .to_owned(),
    };
    Ok(Some(Words {
        lang,
        subject: say(
            lang,
            format!("Rapport à valider : {plan}, {period}"),
            format!("Report to sign off: {plan}, {period}"),
        ),
        paragraphs: vec![
            say(
                lang,
                format!(
                    "Le rapport d'avancement {period} ({plan}) a été enregistré par {by} (rapport n° {}). Il attend la validation du CA.",
                    report.id
                ),
                format!(
                    "The progress report {period} ({plan}) was saved by {by} (report {}). It waits for the board's sign-off.",
                    report.id
                ),
            ),
            say(
                lang,
                format!("Empreinte SHA-256 : {}", report.fingerprint),
                format!("SHA-256 fingerprint: {}", report.fingerprint),
            ),
            recipients,
        ],
        link: (
            lang.pick("Lire et valider le rapport", "Read and sign off the report")
                .to_owned(),
            reports_page(mailer, &report),
        ),
    }))
}

/// Who a schedule sends a signed-off report to, in a sentence.
fn describe(schedule: &ReportSchedule, lang: Lang) -> String {
    let mut who: Vec<String> = schedule
        .recipient_roles
        .iter()
        .map(|role| {
            say(
                lang,
                format!("les comptes « {} »", role.label(lang)),
                format!("\"{}\" accounts", role.label(lang)),
            )
        })
        .collect();
    who.extend(schedule.recipient_addresses.iter().cloned());
    if who.is_empty() {
        return lang
            .pick(
                "L'envoi mensuel ne nomme aucun destinataire : personne ne le recevra automatiquement.",
                "The monthly schedule names no recipient: nobody will receive it automatically.",
            )
            .to_owned();
    }
    say(
        lang,
        format!(
            "Une fois validé, il sera envoyé en PDF et en Excel à : {}.",
            who.join(", ")
        ),
        format!(
            "Once signed off, it will be sent as PDF and Excel to: {}.",
            who.join(", ")
        ),
    )
}

/// A report signed off, with its PDF and Excel files as certified; none before it is.
pub async fn signed(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    lang: Lang,
    notice: ReportNotice,
) -> ApiResult<Option<(Words, Vec<Attachment>)>> {
    match load(conn, notice).await? {
        Some((report, plan)) => signed_words(conn, mailer, lang, report, plan).await,
        None => Ok(None),
    }
}

async fn signed_words(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    lang: Lang,
    report: SavedReport,
    plan: String,
) -> ApiResult<Option<(Words, Vec<Attachment>)>> {
    let (Some(signer), Some(on)) = (report.signed_off_by, report.signed_off_on) else {
        return Ok(None);
    };
    let signer: String = users::table
        .find(signer)
        .select(users::display_name)
        .first(conn)
        .await?;
    let mut files = Vec::new();
    for format in [ReportFormat::Pdf, ReportFormat::Xlsx] {
        files.push(Attachment {
            filename: format!(
                "rapport-{}-{}.{}",
                report.period_to.format("%Y-%m"),
                report.id,
                format.as_str()
            ),
            content_type: format.content_type(),
            bytes: SavedReport::file(conn, report.id, Some(format)).await?,
        });
    }
    let period = period_words(report.period_from, report.period_to, lang);
    let meeting = report.meeting_reference.clone().unwrap_or_default();
    let words = Words {
        lang,
        subject: say(
            lang,
            format!("Rapport validé : {plan}, {period}"),
            format!("Report signed off: {plan}, {period}"),
        ),
        paragraphs: vec![
            say(
                lang,
                format!(
                    "Voici le rapport d'avancement {period} ({plan}), validé par {signer} le {} ({meeting}), en PDF et en Excel.",
                    long_date(on, lang)
                ),
                format!(
                    "Here is the progress report {period} ({plan}), signed off by {signer} on {} ({meeting}), as PDF and Excel.",
                    long_date(on, lang)
                ),
            ),
            say(
                lang,
                format!(
                    "Empreinte SHA-256 du rapport : {}. Elle est imprimée dans chaque fichier : elle permet de vérifier qu'il est bien celui que le CA a validé.",
                    report.fingerprint
                ),
                format!(
                    "The report's SHA-256 fingerprint: {}. It is printed in each file: it shows that the file is the one the board signed off.",
                    report.fingerprint
                ),
            ),
        ],
        link: (
            lang.pick("Les rapports du plan", "The plan's reports").to_owned(),
            reports_page(mailer, &report),
        ),
    };
    Ok(Some((words, files)))
}

/// A signed-off report to an address that is no account: only while the plan's schedule
/// still names it, in the schedule's language.
pub async fn to_address(
    conn: &mut AsyncPgConnection,
    mailer: &Mailer,
    kind: NoticeKind,
    address: &str,
    notice: ReportNotice,
) -> ApiResult<Option<OutgoingMail>> {
    if kind != NoticeKind::ReportSigned {
        return Ok(None);
    }
    let Some((report, plan)) = load(conn, notice).await? else {
        return Ok(None);
    };
    let Some(schedule) = ReportSchedule::of_plan(conn, report.plan_id).await? else {
        return Ok(None);
    };
    if !schedule
        .recipient_addresses
        .iter()
        .any(|a| a.eq_ignore_ascii_case(address))
    {
        return Ok(None);
    }
    let Some((words, attachments)) = signed_words(conn, mailer, schedule.lang, report, plan).await? else {
        return Ok(None);
    };
    Ok(Some(OutgoingMail {
        attachments,
        ..words.into_mail(String::new(), address.to_owned(), None)
    }))
}
