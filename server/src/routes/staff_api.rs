//! The leading group's JSON API: signing in and out, the opinion queue and an opinion (read,
//! handle, ask, step aside, tag whom it is about, photos), the group's boxes, retention and
//! audit trail, and one's own password.

use actix_web::{HttpResponse, get, guard, patch, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::model::{
    ApiError, AuditPage, GroupOverview, OpinionUpdate, PasswordChange, QueueQuery, RetentionUpdate,
    StaffBox, StaffMessage, StaffOpinion, StateCount,
};
use vocabulary::org::TargetUpdate;

use super::api::limited;
use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang};
use super::limits::Limiters;
use crate::service::{audit, boxes, reviewing, staff, stats, targets};
use crate::state::AppState;

/// The leading group's routes; signing in and changing one's password behind the sign-in limit.
pub(super) fn routes(cfg: &mut ServiceConfig, limits: &Limiters) {
    cfg.service(staff_message)
        .service(limited(
            "/staff/login",
            guard::Post(),
            &limits.login_api,
            login,
        ))
        .service(logout)
        .service(list_opinions)
        .service(opinion_counts)
        .service(get_opinion)
        .service(update_opinion)
        .service(post_recusal)
        .service(get_photo)
        .service(list_boxes)
        .service(get_group)
        .service(get_audit)
        .service(put_group)
        .service(put_target)
        .service(limited(
            "/staff/password",
            guard::Put(),
            &limits.login_api,
            put_password,
        ));
}

/// Asks the villager a question in the thread of one of the group's opinions.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = StaffMessage,
    responses((status = 201, body = StaffOpinion), (status = 422, body = ApiError)))]
#[post("/staff/opinions/{id}/messages")]
async fn staff_message(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<StaffMessage>,
) -> Result<HttpResponse, Failure> {
    reviewing::ask(&state, &reviewer, &id, &body.text).await?;
    let updated = reviewing::opinion(&state, &reviewer, &id).await?;
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
#[utoipa::path(request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ApiError), (status = 429, body = ApiError)))]
#[post("")]
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
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")),
    responses((status = 204)))]
#[post("/staff/opinions/{id}/recusal")]
async fn post_recusal(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    reviewing::recuse(&state, &reviewer, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Tags whom an untagged opinion is about (one of its `target_choices`). An opinion about the
/// group's head moves to the next level's group; one about a member leaves their view.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")), request_body = TargetUpdate,
    responses((status = 204), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[put("/staff/opinions/{id}/target")]
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
#[utoipa::path(security(("staff_jwt" = [])), request_body = PasswordChange,
    responses((status = 204), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
#[put("")]
async fn put_password(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, Failure> {
    staff::change_password(&state, &reviewer, &body.current, &body.new).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Photo `number` (from 1) of an opinion: a JPEG with no metadata.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id"), ("number" = u32, Path, description = "Photo number, from 1")),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>)))]
#[get("/staff/opinions/{id}/photos/{number}")]
async fn get_photo(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, Failure> {
    let (id, number) = path.into_inner();
    let jpeg = reviewing::photo(&state, &reviewer, &id, number).await?;
    Ok(super::jpeg_response(jpeg))
}

/// The reviewer's group: retention and opinion counts per village and category; counts
/// below the minimum group size, and any they could be worked out from, are `null`.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = GroupOverview)))]
#[get("/staff/group")]
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
#[utoipa::path(security(("staff_jwt" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage)))]
#[get("/staff/audit")]
async fn get_audit(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, Failure> {
    let page = audit::trail(&state, &reviewer, query.before).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Sets how many days the group keeps closed opinions (30 to 3650).
#[utoipa::path(security(("staff_jwt" = [])), request_body = RetentionUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
#[put("/staff/group")]
async fn put_group(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<RetentionUpdate>,
) -> Result<HttpResponse, Failure> {
    stats::set_retention(&state, &reviewer, body.retention_days).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ends the session of the bearer token.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 204)))]
#[post("/staff/logout")]
async fn logout(reviewer: ApiStaff, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    staff::logout(&state, &reviewer).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The reviewer's queue, filtered; 50 per page, newest release first. When there are more,
/// the `X-Next-Cursor` header holds the `after` value of the next page.
#[utoipa::path(security(("staff_jwt" = [])), params(QueueQuery),
    responses((status = 200, body = Vec<StaffOpinion>, headers(("X-Next-Cursor" = String, description = "`after` for the next page"))), (status = 422, body = ApiError)))]
#[get("/staff/opinions")]
async fn list_opinions(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, Failure> {
    let page = reviewing::queue(&state, &reviewer, &query).await?;
    let mut response = HttpResponse::Ok();
    response.insert_header(("Cache-Control", "no-store"));
    if let Some(next) = page.next {
        response.insert_header(("X-Next-Cursor", next));
    }
    Ok(response.json(page.opinions))
}

/// How many of the reviewer's opinions are in each state.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<StateCount>)))]
#[get("/staff/opinions/counts")]
async fn opinion_counts(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let counts = reviewing::state_counts(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(counts))
}

/// One opinion of the reviewer's group.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = StaffOpinion)))]
#[get("/staff/opinions/{id}")]
async fn get_opinion(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let found = reviewing::opinion(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found))
}

/// Changes state and reply of an opinion; omitted fields keep their value.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = OpinionUpdate,
    responses((status = 200, body = StaffOpinion), (status = 422, body = ApiError)))]
#[patch("/staff/opinions/{id}")]
async fn update_opinion(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<OpinionUpdate>,
) -> Result<HttpResponse, Failure> {
    reviewing::handle(
        &state,
        &reviewer,
        &id,
        body.state.as_deref(),
        body.reply.as_deref(),
    )
    .await?;
    let updated = reviewing::opinion(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// The boxes whose opinions reach the reviewer's group, with their public URLs.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<StaffBox>)))]
#[get("/staff/boxes")]
async fn list_boxes(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let list = boxes::boxes(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(list))
}
