use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{DEFAULT_ORGANIZATION, ReadError, docx, odt, sheet};
use crate::plans::store::{ImportCounts, store};
use planaction_macros::endpoint;

use crate::auth::authorized::{Authorized, EditPlans};
use crate::columns::TableColumn;
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::extract::{content_type, read_body};
use crate::i18n::{Lang, Text};
use crate::plans::dto::{OrganizationFilter, PlanView};
use crate::plans::model::Plan;
use crate::state::AppState;
use crate::upload::DocumentBytes;
use crate::validation::Validator;

/// Largest plan document accepted.
pub const DOCUMENT_LIMIT: usize = 2 * 1024 * 1024;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(import_plan);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The organization the plan belongs to; "Réseau québécois de développement social" when absent.
    #[param(inline)]
    pub organization: Option<OrganizationFilter>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportWarning {
    #[schema(example = 27)]
    pub line: usize,
    #[schema(
        example = "Ligne 27 : « 2 initiatives présentées Réalisé » semble regrouper plusieurs valeurs pour 4 actions; recopié tel quel à chacune, à vérifier."
    )]
    pub message: String,
}

/// What an import created, and what it read in a way worth checking.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub plan: PlanView,
    pub counts: ImportCounts,
    /// The table's columns as read: its header row's, in order, or the four of the RQDS plans
    /// when it has none.
    pub columns: Vec<TableColumn>,
    pub warnings: Vec<ImportWarning>,
}

/// Create a plan from a plan document: a Word document (DOCX: its paragraphs and tables), a
/// LibreOffice text (ODT), an Excel workbook (XLSX: its first sheet, one row per action,
/// merged cells continuing the objective above), or the text form (the text of
/// `plan-action-2013-2014.txt`: tab-separated rows, HTML fragments in cells). The table's
/// columns are read by their headers (OBJECTIFS, ACTIONS, RESPONSABLE, ÉCHÉANCIER,
/// INDICATEURS, CIBLE, PARTENAIRES, ÉTAT D'AVANCEMENT and their usual synonyms, any other
/// kept by its name), the RQDS's four when the table has no header row; numbers before
/// objectives and actions (1.1, 1.2.3, A., IV.) are read as positions and checked.
/// All or nothing: a malformed document gets a 422 naming the line (in a Word document,
/// the paragraph or table row counted from the top; in a workbook, the sheet and cell; in
/// an ODT, the table and row) and creates nothing.
#[endpoint]
#[utoipa::path(
    tag = "plans",
    params(ImportParams),
    request_body(
        content(
            (DocumentBytes = "application/octet-stream", example = json!("PLAN D'ACTION 2013-2014 (juillet à juin)\n\nMise à jour : 2013-10-11\n\nORIENTATION 1 : OUTILLER LES MEMBRES DU RQDS\n\nOBJECTIFS\tACTIONS\tÉCHÉANCIER\tÉTAT D'AVANCEMENT\nDiffuser des informations régionales\t- Mise à jour annuelle du document <i>Tour du Québec</i>\tAutomne 2013\tComplété\n")),
            (DocumentBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", example = json!("PK\u{3}\u{4}… (the bytes of the plan saved by Word as .docx)")),
            (DocumentBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", example = json!("PK\u{3}\u{4}… (the bytes of the plan saved by Excel as .xlsx)")),
            (DocumentBytes = "application/vnd.oasis.opendocument.text", example = json!("PK\u{3}\u{4}mimetype… (the bytes of the plan saved by LibreOffice as .odt)")),
        ),
        description = "The plan document's bytes: a Word document (.docx), an Excel workbook (.xlsx), a LibreOffice text (.odt), or UTF-8 text (sent as `text/plain` it is accepted too). The kind of file is recognized by its content whatever the type sent."
    ),
    responses((status = 201, body = ImportReport))
)]
#[post("/plans/import")]
async fn import_plan(
    state: web::Data<AppState>,
    user: Authorized<EditPlans>,
    req: HttpRequest,
    params: web::Query<ImportParams>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let lang = Lang::from_headers(req.headers());
    let accepted = [
        "text/plain",
        "application/octet-stream",
        docx::MEDIA_TYPE,
        sheet::MEDIA_TYPE,
        odt::MEDIA_TYPE,
    ];
    if !content_type(&req).is_some_and(|ct| accepted.contains(&ct.as_str())) {
        return Err(ApiError::UnsupportedMediaType(Text::new(
            format!(
                "Envoyez le document Word (« Content-Type: {} »), Excel (« {} ») ou LibreOffice (« {} »), ou le texte du plan avec « Content-Type: text/plain; charset=utf-8 » (ou application/octet-stream pour tout fichier).",
                docx::MEDIA_TYPE,
                sheet::MEDIA_TYPE,
                odt::MEDIA_TYPE
            ),
            format!(
                "Send the Word document (\"Content-Type: {}\"), the Excel workbook (\"{}\") or the LibreOffice text (\"{}\"), or the plan's text with \"Content-Type: text/plain; charset=utf-8\" (or application/octet-stream for any file).",
                docx::MEDIA_TYPE,
                sheet::MEDIA_TYPE,
                odt::MEDIA_TYPE
            ),
        )));
    }
    let mut v = Validator::new();
    let organization = v
        .optional("organization", params.organization.as_ref())
        .unwrap_or_else(|| DEFAULT_ORGANIZATION.to_owned());
    v.finish()?;
    let body = read_body(payload.into_inner(), DOCUMENT_LIMIT).await?;
    // Parsing is CPU work: off the server's threads, one document per core at a time.
    let turn = state.heavy_turn().await?;
    let parsed = crate::state::off_thread(move || super::read(&body)).await?;
    drop(turn);
    let parsed = parsed.map_err(|e| match e {
        ReadError::NotUtf8(at) => ApiError::BadRequest(Text::new(
            format!("Le document n'est pas en UTF-8 (octet {at}). Enregistrez-le en UTF-8, ou envoyez le document Word (.docx), Excel (.xlsx) ou LibreOffice (.odt)."),
            format!("The document is not UTF-8 (byte {at}). Save it as UTF-8, or send the Word (.docx), Excel (.xlsx) or LibreOffice (.odt) document."),
        )),
        ReadError::TooLarge(text) => ApiError::ContentTooLarge(text),
        ReadError::Document(e) => {
            ApiError::Validation(vec![FieldError::new(format!("line {}", e.line), ErrorCode::Import, e.message)])
        }
    })?;
    let mut conn = state.conn().await?;
    let (plan_id, counts) = store(&mut conn, &user.actor(), &parsed.draft, &organization).await?;
    let plan = PlanView::from(Plan::read_with_last_change(&mut conn, crate::ids::PlanId(plan_id)).await?);
    let warnings = parsed
        .warnings
        .iter()
        .map(|w| ImportWarning {
            line: w.line,
            message: w.message.get(lang).to_owned(),
        })
        .collect();
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/plans/{plan_id}")))
        .json(ImportReport {
            plan,
            counts,
            columns: parsed.columns,
            warnings,
        }))
}
