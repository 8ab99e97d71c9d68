//! The JSON API under `/api/v1`, used by the hydrated pages and by scripts, and its OpenAPI document.

use actix_governor::Governor;
use actix_web::{HttpRequest, HttpResponse, web};
use frontend::components::needs_confirmation;
use frontend::model::{
    ApiError, AuditCheck, AuditEntryView, AuditPage, BoxInfo, Contact, CountRow, CountTable,
    Escalation, GroupOverview, MaskCount, NewOpinion, OpinionStatus, OpinionUpdate, PasswordChange,
    PhotoInfo, QueueQuery, Receipt, ReceiptMessage, ReceiptQuery, ReleaseInfo, ReleaseRule,
    RetentionUpdate, StaffBox, StaffMessage, StaffOpinion, StateCount, ThreadMessage,
};
use frontend::org::{TargetChoice, TargetUpdate};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang, localise_api_failures};
use super::lang_of;
use super::limits::Limiters;
use super::submission::{read_opinion_upload, with_submission_routes};
use crate::domain::problem;
use crate::service::{audit, box_token, resident, staff, stats, targets};
use crate::state::AppState;

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
            v1_scope()
                .route("/boxes/{code}", web::get().to(get_box))
                .service(with_submission_routes(
                    web::resource("/boxes/{code}/opinions"),
                    &limits.submit_api,
                    post_opinion_upload,
                    post_opinion,
                ))
                .service(
                    web::resource("/receipts/status").route(
                        web::post()
                            .to(receipt_status)
                            .wrap(Governor::new(&limits.receipt_api)),
                    ),
                )
                .service(
                    web::resource("/receipts/messages").route(
                        web::post()
                            .to(receipt_message)
                            .wrap(Governor::new(&limits.receipt_api)),
                    ),
                )
                .route(
                    "/staff/opinions/{id}/messages",
                    web::post().to(staff_message),
                )
                .service(
                    web::resource("/staff/login")
                        .route(web::post().to(login).wrap(Governor::new(&limits.login_api))),
                )
                .route("/staff/logout", web::post().to(logout))
                .route("/staff/opinions", web::get().to(list_opinions))
                .route("/staff/opinions/counts", web::get().to(opinion_counts))
                .route("/staff/opinions/{id}", web::get().to(get_opinion))
                .route("/staff/opinions/{id}", web::patch().to(update_opinion))
                .route("/staff/opinions/{id}/recusal", web::post().to(post_recusal))
                .route(
                    "/staff/opinions/{id}/photos/{number}",
                    web::get().to(get_photo),
                )
                .route("/staff/boxes", web::get().to(list_boxes))
                .route("/staff/group", web::get().to(get_group))
                .route("/staff/audit", web::get().to(get_audit))
                .route("/staff/group", web::put().to(put_group))
                .route("/staff/opinions/{id}/target", web::put().to(put_target))
                .service(
                    web::resource("/staff/password").route(
                        web::put()
                            .to(put_password)
                            .wrap(Governor::new(&limits.login_api)),
                    ),
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
    paths(
        put_target,
        put_password,
        get_box,
        post_opinion,
        receipt_status,
        receipt_message,
        staff_message,
        login,
        logout,
        list_opinions,
        get_opinion,
        update_opinion,
        get_photo,
        list_boxes,
        get_group,
        put_group,
        get_audit,
        post_recusal,
        opinion_counts
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

/// Public facts about a box.
#[utoipa::path(get, path = "/api/v1/boxes/{code}", params(("code" = String, Path, description = "The box's public code")),
    responses((status = 200, body = BoxInfo)))]
async fn get_box(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let info = resident::box_info(&state, &code).await?;
    Ok(HttpResponse::Ok().json(info))
}

/// Sends an opinion, as JSON or, with photos, as `multipart/form-data`; the receipt is returned
/// only after it is committed. Every submission must carry the `box_token` that the box page
/// (`GET /b/{code}`) hands out in its form's hidden `box_token` field: good for 48 hours and
/// spent by the submission. Sending the same submission again with the same `submission_key`
/// and token returns the same receipt; the token with another key, or without one, is refused
/// (409 `box_token_used`); a missing, altered or expired token is refused (422
/// `box_token_invalid`). A refused submission does not spend its token.
#[utoipa::path(post, path = "/api/v1/boxes/{code}/opinions", params(("code" = String, Path, description = "The box's public code")),
    request_body(content((NewOpinion = "application/json"), (OpinionUploadForm = "multipart/form-data"))),
    responses((status = 201, body = Receipt), (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn post_opinion(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Json<NewOpinion>,
) -> Result<HttpResponse, Failure> {
    // An unknown box is 404 whatever the token.
    resident::ensure_box(&state, &code).await?;
    created(&req, &state, &code, &body, Vec::new()).await
}

/// The multipart form of a new opinion, with photos (documentation only).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct OpinionUploadForm {
    /// Category name.
    category: String,
    /// The opinion.
    text: String,
    /// `named` for 实名.
    identity: Option<String>,
    /// Name for 实名.
    contact_name: Option<String>,
    /// Phone for 实名.
    contact_phone: Option<String>,
    /// The phone's random key for this opinion (32 hex digits), so sending it again is harmless.
    submission_key: Option<String>,
    /// The token the box page handed out (required).
    box_token: String,
    /// Up to three JPEG or PNG files, 8 MB each; re-encoded without metadata.
    #[schema(value_type = Vec<String>, format = Binary)]
    photo: Vec<Vec<u8>>,
}

/// Sends an opinion with photos as `multipart/form-data` (same path as [`post_opinion`]). The
/// box is looked up before the body is read; the body is read as a stream within its limits.
async fn post_opinion_upload(
    req: HttpRequest,
    RequestLang(lang): RequestLang,
    state: web::Data<AppState>,
    code: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, Failure> {
    resident::ensure_box(&state, &code).await?;
    let (form, photos) = read_opinion_upload(req.headers(), payload)
        .await
        .map_err(|refused| Failure::json(refused.error.problem(), lang))?;
    if form.confirmed.is_none() {
        // The page's island asks about cue words itself; names jieba finds are asked about here.
        let names = resident::names_to_confirm(&state, &form.text).await;
        if !names.is_empty() || needs_confirmation(&form.text) {
            let p = problem::CONFIRM_NAMES;
            return Ok(HttpResponse::UnprocessableEntity()
                .insert_header(("Cache-Control", "no-store"))
                .json(ApiError {
                    code: p.code.to_string(),
                    message: p.message(lang).to_string(),
                    names,
                }));
        }
    }
    created(&req, &state, &code, &form.to_new_opinion(), photos).await
}

async fn created(
    _req: &HttpRequest,
    state: &AppState,
    code: &str,
    opinion: &NewOpinion,
    photos: Vec<Vec<u8>>,
) -> Result<HttpResponse, Failure> {
    let spent = box_token::spend(
        state,
        opinion.box_token.as_deref(),
        opinion.submission_key.as_deref(),
    )
    .await?;
    let submitted = resident::submit_opinion(state, code, opinion, photos).await;
    if submitted.is_err() {
        box_token::give_back(state, spent).await;
    }
    let receipt = submitted?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(receipt))
}

/// State and reply of the opinion behind a receipt code.
#[utoipa::path(post, path = "/api/v1/receipts/status", request_body = ReceiptQuery,
    responses((status = 200, body = OpinionStatus), (status = 404, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn receipt_status(
    state: web::Data<AppState>,
    body: web::Json<ReceiptQuery>,
) -> Result<HttpResponse, Failure> {
    let status = resident::receipt_status(&state, &body.receipt).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(status))
}

/// Adds the villager's answer to the thread behind a receipt code (masked like an opinion).
#[utoipa::path(post, path = "/api/v1/receipts/messages", request_body = ReceiptMessage,
    responses((status = 201, body = OpinionStatus), (status = 404, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn receipt_message(
    state: web::Data<AppState>,
    body: web::Json<ReceiptMessage>,
) -> Result<HttpResponse, Failure> {
    let status = resident::answer(&state, &body.receipt, &body.text).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(status))
}

/// Asks the villager a question in the thread of one of the group's opinions.
#[utoipa::path(post, path = "/api/v1/staff/opinions/{id}/messages", security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = StaffMessage,
    responses((status = 201, body = StaffOpinion), (status = 422, body = ApiError)))]
async fn staff_message(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<StaffMessage>,
) -> Result<HttpResponse, Failure> {
    staff::ask(&state, &reviewer, &id, &body.text).await?;
    let updated = staff::opinion(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Created().json(updated))
}

/// Staff credentials.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    username: String,
    password: String,
}

/// A staff session token (send it as `Authorization: Bearer …`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    token: String,
    /// Unix seconds.
    expires_at: i64,
}

/// Signs a reviewer in.
#[utoipa::path(post, path = "/api/v1/staff/login", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ApiError), (status = 429, body = ApiError)))]
async fn login(
    RequestLang(lang): RequestLang,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, Failure> {
    let signed_in = match staff::login(&state, &body.username, &body.password).await {
        Ok(signed_in) => signed_in,
        Err(refused) => {
            let mut response =
                actix_web::ResponseError::error_response(&Failure::json(refused.problem(), lang));
            if let Some(wait) = refused.retry_after() {
                response.headers_mut().insert(
                    actix_web::http::header::RETRY_AFTER,
                    actix_web::http::header::HeaderValue::from(wait),
                );
            }
            return Ok(response);
        }
    };
    Ok(HttpResponse::Ok().json(LoginResponse {
        token: signed_in.token,
        expires_at: signed_in.expires_at,
    }))
}

/// Declares a conflict of interest: the opinion disappears from all of this reviewer's views.
#[utoipa::path(post, path = "/api/v1/staff/opinions/{id}/recusal", security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")),
    responses((status = 204)))]
async fn post_recusal(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    staff::recuse(&state, &reviewer, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Tags whom an untagged opinion is about (one of its `target_choices`). An opinion about the
/// group's head moves to the next level's group; one about a member leaves their view.
#[utoipa::path(put, path = "/api/v1/staff/opinions/{id}/target", security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")), request_body = TargetUpdate,
    responses((status = 204), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn put_target(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<TargetUpdate>,
) -> Result<HttpResponse, Failure> {
    targets::set_target(&state, &reviewer, &id, &body.about).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Changes the signed-in account's own password; every session of the account ends, this one too.
#[utoipa::path(put, path = "/api/v1/staff/password", security(("staff_jwt" = [])), request_body = PasswordChange,
    responses((status = 204), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn put_password(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, Failure> {
    staff::change_password(&state, &reviewer, &body.current, &body.new).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Photo `number` (from 1) of an opinion: a JPEG with no metadata.
#[utoipa::path(get, path = "/api/v1/staff/opinions/{id}/photos/{number}", security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id"), ("number" = u32, Path, description = "Photo number, from 1")),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>)))]
async fn get_photo(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, Failure> {
    let (id, number) = path.into_inner();
    let jpeg = staff::photo(&state, &reviewer, &id, number).await?;
    Ok(super::jpeg_response(jpeg))
}

/// The reviewer's group: retention and opinion counts per village and category; counts
/// below the minimum group size, and any they could be worked out from, are `null`.
#[utoipa::path(get, path = "/api/v1/staff/group", security(("staff_jwt" = [])),
    responses((status = 200, body = GroupOverview)))]
async fn get_group(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let overview = stats::overview(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(overview))
}

/// `?before=N` pages back through the audit trail.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Only entries numbered below this.
    before: Option<i64>,
}

/// The audit trail, newest first, with the whole hash chain checked (auditors only).
#[utoipa::path(get, path = "/api/v1/staff/audit", security(("staff_jwt" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage)))]
async fn get_audit(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, Failure> {
    let page = audit::trail(&state, &reviewer, query.before).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Sets how many days the group keeps closed opinions (30 to 3650).
#[utoipa::path(put, path = "/api/v1/staff/group", security(("staff_jwt" = [])), request_body = RetentionUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
async fn put_group(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<RetentionUpdate>,
) -> Result<HttpResponse, Failure> {
    stats::set_retention(&state, &reviewer, body.retention_days).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ends the session of the bearer token.
#[utoipa::path(post, path = "/api/v1/staff/logout", security(("staff_jwt" = [])),
    responses((status = 204)))]
async fn logout(reviewer: ApiStaff, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    staff::logout(&state, &reviewer).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The reviewer's queue, filtered; 50 per page, newest release first. When there are more,
/// the `X-Next-Cursor` header holds the `after` value of the next page.
#[utoipa::path(get, path = "/api/v1/staff/opinions", security(("staff_jwt" = [])), params(QueueQuery),
    responses((status = 200, body = Vec<StaffOpinion>, headers(("X-Next-Cursor" = String, description = "`after` for the next page"))), (status = 422, body = ApiError)))]
async fn list_opinions(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, Failure> {
    let page = staff::queue(&state, &reviewer, &query).await?;
    let mut response = HttpResponse::Ok();
    response.insert_header(("Cache-Control", "no-store"));
    if let Some(next) = page.next {
        response.insert_header(("X-Next-Cursor", next));
    }
    Ok(response.json(page.opinions))
}

/// How many of the reviewer's opinions are in each state.
#[utoipa::path(get, path = "/api/v1/staff/opinions/counts", security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<StateCount>)))]
async fn opinion_counts(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let counts = staff::state_counts(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(counts))
}

/// One opinion of the reviewer's group.
#[utoipa::path(get, path = "/api/v1/staff/opinions/{id}", security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = StaffOpinion)))]
async fn get_opinion(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let found = staff::opinion(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found))
}

/// Changes state and reply of an opinion; omitted fields keep their value.
#[utoipa::path(patch, path = "/api/v1/staff/opinions/{id}", security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = OpinionUpdate,
    responses((status = 200, body = StaffOpinion), (status = 422, body = ApiError)))]
async fn update_opinion(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<OpinionUpdate>,
) -> Result<HttpResponse, Failure> {
    staff::handle(
        &state,
        &reviewer,
        &id,
        body.state.as_deref(),
        body.reply.as_deref(),
    )
    .await?;
    let updated = staff::opinion(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// The boxes whose opinions reach the reviewer's group, with their public URLs.
#[utoipa::path(get, path = "/api/v1/staff/boxes", security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<StaffBox>)))]
async fn list_boxes(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let list = staff::boxes(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(list))
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
