//! JSON endpoints for held opinions (待核): the list with its banner, and accepting one or all
//! into the queue.

use actix_web::{HttpResponse, web};
use frontend::model::{ApiError, StaffOpinion};
use serde::Serialize;
use utoipa::OpenApi;

use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang};
use crate::service::held;
use crate::state::AppState;

/// The routes, mounted under `/api/v1`.
pub fn scope() -> actix_web::Scope {
    web::scope("/staff/held")
        .route("", web::get().to(get_held))
        .route("/accept", web::post().to(accept_all))
        .route("/{id}/accept", web::post().to(accept_one))
        .default_service(web::to(super::api::not_found))
}

/// The OpenAPI description of these endpoints.
#[derive(OpenApi)]
#[openapi(
    paths(get_held, accept_all, accept_one),
    components(schemas(HeldList, Accepted))
)]
pub struct HeldDoc;

/// The held opinions, apart from the queue, with why they are held.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct HeldList {
    /// Why these opinions are held, in the reader's language.
    pub banner: String,
    /// The held opinions the reviewer may see.
    pub opinions: Vec<StaffOpinion>,
}

/// How many held opinions were accepted into the queue.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// Their number.
    pub accepted: usize,
}

/// The held (待核) opinions of the reviewer's group.
#[utoipa::path(get, path = "/api/v1/staff/held", security(("staff_jwt" = [])),
    responses((status = 200, body = HeldList), (status = 403, body = ApiError)))]
async fn get_held(
    reviewer: ApiStaff,
    RequestLang(lang): RequestLang,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let opinions = held::list(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(HeldList {
        banner: lang.t().held_banner.to_string(),
        opinions,
    }))
}

/// Accepts every held opinion the reviewer may see into the queue.
#[utoipa::path(post, path = "/api/v1/staff/held/accept", security(("staff_jwt" = [])),
    responses((status = 200, body = Accepted), (status = 403, body = ApiError)))]
async fn accept_all(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let accepted = held::accept(&state, &reviewer, None).await?;
    Ok(HttpResponse::Ok().json(Accepted { accepted }))
}

/// Accepts one held opinion into the queue.
#[utoipa::path(post, path = "/api/v1/staff/held/{id}/accept", security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")),
    responses((status = 200, body = Accepted), (status = 404, body = ApiError)))]
async fn accept_one(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let accepted = held::accept(&state, &reviewer, Some(id.into_inner())).await?;
    Ok(HttpResponse::Ok().json(Accepted { accepted }))
}
