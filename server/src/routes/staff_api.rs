//! The leading group's JSON API: signing in and out, the opinion queue and an opinion (read,
//! handle, ask, step aside, tag whom it is about, photos), the group's boxes, retention and
//! audit trail, and one's own password.

use actix_governor::Governor;
use actix_web::{HttpResponse, web};
use frontend::model::{
    ApiError, AuditPage, GroupOverview, OpinionUpdate, PasswordChange, QueueQuery, RetentionUpdate,
    StaffBox, StaffMessage, StaffOpinion, StateCount,
};
use frontend::org::TargetUpdate;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang};
use super::limits::Limiters;
use crate::service::{audit, boxes, reviewing, staff, stats, targets};
use crate::state::AppState;

/// Adds the leading group's routes to the `/api/v1` scope.
pub(super) fn with_staff_routes(scope: actix_web::Scope, limits: &Limiters) -> actix_web::Scope {
    scope
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
}

/// The OpenAPI description of these routes.
#[derive(OpenApi)]
#[openapi(paths(
    put_target,
    put_password,
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
))]
pub struct StaffDoc;

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
    reviewing::recuse(&state, &reviewer, &id).await?;
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
    let jpeg = reviewing::photo(&state, &reviewer, &id, number).await?;
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
    let page = reviewing::queue(&state, &reviewer, &query).await?;
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
    let counts = reviewing::state_counts(&state, &reviewer).await?;
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
    let found = reviewing::opinion(&state, &reviewer, &id).await?;
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
#[utoipa::path(get, path = "/api/v1/staff/boxes", security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<StaffBox>)))]
async fn list_boxes(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let list = boxes::boxes(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(list))
}
