//! The JSON API under `/api/v1`, used by the hydrated pages and by scripts, and its OpenAPI document.

use actix_governor::Governor;
use actix_web::dev::{HttpServiceFactory, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::guard::Guard;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use utoipa::OpenApi as _;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::OpenApiFactory;
use utoipa_actix_web::scope::Scope;

use super::errors::Failure;
use super::extract::{RequestLang, localise_api_failures};
use super::lang_of;
use super::limits::{Limit, Limiters};
use crate::domain::problem;

/// The `/api` scope: `/api/openapi.json` and `/api/v1/...`, registered through
/// `utoipa_actix_web` so that the document is read from the registration itself: a handler
/// cannot be registered here without its `#[utoipa::path]`.
pub fn scope(limits: &Limiters) -> impl HttpServiceFactory + use<> {
    let api = documented_scope(limits);
    let json = serde_json::to_vec(&read_document(&api)).unwrap_or_default();
    api.app_data(web::Data::new(ApiDocument(Bytes::from(json))))
        .app_data(json_config())
        .app_data(query_config())
        .app_data(path_config())
        .default_service(web::to(not_found))
        .wrap(actix_web::middleware::from_fn(localise_api_failures))
}

/// Every API route, in the order actix matches them (a fixed segment before a `{parameter}`).
fn documented_scope(limits: &Limiters) -> Scope<impl ScopeFactory + use<>> {
    let v1 = utoipa_actix_web::scope("/v1")
        .configure(super::issues_api::routes)
        .configure(super::appraisal_api::routes)
        .configure(super::statistics_api::routes)
        .configure(|cfg| super::resident_api::routes(cfg, limits))
        .configure(|cfg| super::staff_api::routes(cfg, limits))
        .configure(super::subjects_api::routes)
        .configure(super::held_api::routes)
        .configure(super::admin_api::routes)
        .default_service(web::to(not_found));
    utoipa_actix_web::scope("/api")
        .service(openapi_document)
        .service(v1)
}

/// The `/api` scope's service type before its middleware.
trait ScopeFactory:
    ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >
{
}

impl<T> ScopeFactory for T where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse,
            Error = actix_web::Error,
            InitError = (),
        >
{
}

/// A route behind a rate limit: a scope of its own for one method, so that the limit counts
/// only that route's requests. The handler's own path is `""`; `path` is where it lives.
pub(super) fn limited<H>(
    path: &str,
    method: impl Guard + 'static,
    limit: &Limit,
    handler: H,
) -> impl HttpServiceFactory + OpenApiFactory + 'static
where
    H: HttpServiceFactory + OpenApiFactory + 'static,
{
    utoipa_actix_web::scope(path)
        .guard(method)
        .service(handler)
        .default_service(web::to(not_found))
        .wrap(Governor::new(limit))
}

/// The OpenAPI document the `/api` scope was registered with, as served.
struct ApiDocument(Bytes);

/// Reads the paths and schemas from a registration (once: reading takes them out) and
/// completes them with the answers operations share ([`super::openapi::complete`]).
fn read_document<T>(registration: &Scope<T>) -> OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.paths.merge(registration.paths());
    let mut schemas = Vec::new();
    registration.schemas(&mut schemas);
    doc.components
        .get_or_insert_with(Default::default)
        .schemas
        .extend(schemas);
    super::openapi::complete(doc)
}

/// The document `/api/openapi.json` serves, read from the same registration as the server's
/// (for the document's own tests; the server reads it once per worker in [`scope`]).
#[cfg(test)]
pub(super) fn document() -> OpenApi {
    read_document(&documented_scope(&Limiters::new(Default::default())))
}

/// The OpenAPI 3 document's title and description; its operations and schemas come from the
/// registration ([`read_document`]).
#[derive(utoipa::OpenApi)]
#[openapi(info(
    title = "码上说 Mashangshuo API",
    description = "Anonymous back-to-back opinions for township leading groups."
))]
pub struct ApiDoc;

/// This document: every operation under `/api/v1`, with the answers they share.
#[utoipa::path(responses((status = 200, description = "The OpenAPI 3.1 document of `/api/v1`.",
    content_type = "application/json", body = Object)))]
#[get("/openapi.json")]
async fn openapi_document(document: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0.clone())
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
