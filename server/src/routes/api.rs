//! The JSON API under `/api/v1`, used by the hydrated pages and by scripts, and its OpenAPI document.

use actix_web::{HttpRequest, HttpResponse, web};
use frontend::model::{
    ApiError, AuditCheck, AuditEntryView, AuditPage, BoxInfo, Contact, CountRow, CountTable,
    Escalation, GroupOverview, MaskCount, NewOpinion, OpinionStatus, OpinionUpdate, PasswordChange,
    PhotoInfo, Receipt, ReceiptMessage, ReceiptQuery, ReleaseInfo, ReleaseRule, RetentionUpdate,
    StaffBox, StaffMessage, StaffOpinion, StateCount, ThreadMessage,
};
use frontend::org::{TargetChoice, TargetUpdate};
use utoipa::OpenApi;

use super::errors::Failure;
use super::extract::{RequestLang, localise_api_failures};
use super::lang_of;
use super::limits::Limiters;
use super::resident_api::OpinionUploadForm;
use super::staff_api::{LoginRequest, LoginResponse};
use crate::domain::problem;

/// `/api/v1` with the routes of the staff workspaces.
fn v1_scope() -> actix_web::Scope {
    let workspaces: [fn(actix_web::Scope) -> actix_web::Scope; 3] = [
        super::issues_api::with_issue_routes,
        super::appraisal_api::with_appraisal_routes,
        super::statistics_api::with_statistics_routes,
    ];
    workspaces
        .into_iter()
        .fold(web::scope("/v1"), |scope, add| add(scope))
        .default_service(web::to(not_found))
}

/// The `/api` scope: `/api/v1/...` and `/api/openapi.json`.
pub fn scope(limits: &Limiters) -> impl actix_web::dev::HttpServiceFactory + use<> {
    web::scope("/api")
        .wrap(actix_web::middleware::from_fn(localise_api_failures))
        .app_data(json_config())
        .app_data(query_config())
        .app_data(path_config())
        .default_service(web::to(not_found))
        .route("/openapi.json", web::get().to(openapi))
        .service(
            super::staff_api::with_staff_routes(
                super::resident_api::with_resident_routes(v1_scope(), limits),
                limits,
            )
            .service(super::subjects_api::scope())
            .service(super::held_api::scope())
            .service(super::admin_api::scope()),
        )
}

/// The OpenAPI 3 description of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "码上说 Mashangshuo API",
        description = "Anonymous back-to-back opinions for township leading groups."
    ),
    components(schemas(
        ApiError,
        BoxInfo,
        NewOpinion,
        OpinionUploadForm,
        Receipt,
        ReceiptQuery,
        OpinionStatus,
        LoginRequest,
        LoginResponse,
        StaffOpinion,
        OpinionUpdate,
        StaffBox,
        ReceiptMessage,
        StaffMessage,
        ThreadMessage,
        Contact,
        MaskCount,
        ReleaseInfo,
        ReleaseRule,
        PhotoInfo,
        GroupOverview,
        CountTable,
        CountRow,
        RetentionUpdate,
        AuditPage,
        AuditCheck,
        AuditEntryView,
        StateCount,
        TargetChoice,
        TargetUpdate,
        PasswordChange,
        Escalation
    ))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`: the document, with the answers every operation shares
/// (see [`super::openapi`]).
async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(super::openapi::document_json())
}

/// A request the extractors refused, answered as the API's JSON problem.
fn refused<E>(err: E, problem: problem::Problem, req: &HttpRequest) -> actix_web::Error
where
    E: std::fmt::Debug + std::fmt::Display + 'static,
{
    let response = actix_web::ResponseError::error_response(&Failure::json(problem, lang_of(req)));
    actix_web::error::InternalError::from_response(err, response).into()
}

/// Answers malformed or oversized JSON, or a body of another content type, with a JSON problem.
fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(16 * 1024)
        .error_handler(|err, req| {
            use actix_web::error::JsonPayloadError;
            let problem = match err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => problem::BODY_TOO_LARGE,
                _ => problem::BAD_FORM,
            };
            refused(err, problem, req)
        })
}

/// Answers a query parameter of the wrong type with a JSON `bad_request`.
fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, req| refused(err, problem::BAD_FORM, req))
}

/// Answers a path segment of the wrong type (a photo number that is no number) with a JSON
/// `not_found`: such a path names nothing.
fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| refused(err, problem::NOT_FOUND, req))
}

/// Any other path or method under `/api`: a JSON `not_found`, never the HTML page. (Each
/// scope needs it: a nested scope falls back to the app's default, not its parent's.)
pub(super) async fn not_found(RequestLang(lang): RequestLang) -> HttpResponse {
    actix_web::ResponseError::error_response(&Failure::json(problem::NOT_FOUND, lang))
}
