//! The residents' JSON API: a box's public facts, sending an opinion (JSON, or multipart with
//! photos), and a receipt's status and messages.

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::{HttpRequest, HttpResponse, get, guard, post, web};
use frontend::components::needs_confirmation;
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::model::{
    ApiError, BoxInfo, NewOpinion, OpinionStatus, Receipt, ReceiptMessage, ReceiptQuery,
};

use super::api::limited;
use super::errors::Failure;
use super::extract::RequestLang;
use super::limits::{Limit, Limiters};
use super::submission::{read_opinion_upload, with_submission_routes};
use crate::domain::problem;
use crate::service::{box_token, resident};
use crate::state::AppState;

/// The residents' routes, each behind its limit.
pub(super) fn routes(cfg: &mut ServiceConfig, limits: &Limiters) {
    cfg.service(get_box)
        .service(SubmitOpinion(limits.submit_api.clone()))
        .service(limited(
            "/receipts/status",
            guard::Post(),
            &limits.receipt_api,
            receipt_status,
        ))
        .service(limited(
            "/receipts/messages",
            guard::Post(),
            &limits.receipt_api,
            receipt_message,
        ));
}

/// Public facts about a box.
#[utoipa::path(params(("code" = String, Path, description = "The box's public code")),
    responses((status = 200, body = BoxInfo)))]
#[get("/boxes/{code}")]
async fn get_box(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let info = resident::box_info(&state, &code).await?;
    Ok(HttpResponse::Ok().json(info))
}

/// `POST /boxes/{code}/opinions`: one documented operation answered by two handlers, chosen by
/// the body's content type ([`post_opinion_upload`] for multipart), behind the submission limit.
pub(super) struct SubmitOpinion(Limit);

impl HttpServiceFactory for SubmitOpinion {
    fn register(self, config: &mut AppService) {
        let resource = web::resource(<Self as utoipa::Path>::path());
        with_submission_routes(resource, &self.0, post_opinion_upload, post_opinion)
            .register(config);
    }
}

/// Sends an opinion, as JSON or, with photos, as `multipart/form-data`; the receipt is returned
/// only after it is committed. Every submission must carry the `box_token` that the box page
/// (`GET /b/{code}`) hands out in its form's hidden `box_token` field: good for 48 hours and
/// spent by the submission. Sending the same submission again with the same `submission_key`
/// and token returns the same receipt; the token with another key, or without one, is refused
/// (409 `box_token_used`); a missing, altered or expired token is refused (422
/// `box_token_invalid`). A refused submission does not spend its token.
#[utoipa::path(post, path = "/boxes/{code}/opinions", impl_for = SubmitOpinion, params(("code" = String, Path, description = "The box's public code")),
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
pub(super) struct OpinionUploadForm {
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
#[utoipa::path(request_body = ReceiptQuery,
    responses((status = 200, body = OpinionStatus), (status = 404, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
#[post("")]
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
#[utoipa::path(request_body = ReceiptMessage,
    responses((status = 201, body = OpinionStatus), (status = 404, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
#[post("")]
async fn receipt_message(
    state: web::Data<AppState>,
    body: web::Json<ReceiptMessage>,
) -> Result<HttpResponse, Failure> {
    let status = resident::answer(&state, &body.receipt, &body.text).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(status))
}
