//! JSON endpoints for held opinions (待核): the list with its banner, and accepting one or all
//! into the queue.

use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::model::{ApiError, StaffOpinion};

use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang};
use crate::service::held;
use crate::state::AppState;

/// `/staff/held`: the held (待核) opinions and accepting them.
pub(super) fn routes(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/staff/held")
            .service(get_held)
            .service(accept_all)
            .service(accept_one)
            .default_service(web::to(super::api::not_found)),
    );
}

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
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = HeldList), (status = 403, body = ApiError)))]
#[get("")]
async fn get_held(
    reviewer: ApiStaff,
    RequestLang(lang): RequestLang,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let opinions = held::list(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(HeldList {
        banner: lang.t().common.held_banner.to_string(),
        opinions,
    }))
}

/// Accepts every held opinion the reviewer may see into the queue.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Accepted), (status = 403, body = ApiError)))]
#[post("/accept")]
async fn accept_all(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let accepted = held::accept(&state, &reviewer, None).await?;
    Ok(HttpResponse::Ok().json(Accepted { accepted }))
}

/// Accepts one held opinion into the queue.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")),
    responses((status = 200, body = Accepted), (status = 404, body = ApiError)))]
#[post("/{id}/accept")]
async fn accept_one(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let accepted = held::accept(&state, &reviewer, Some(id.into_inner())).await?;
    Ok(HttpResponse::Ok().json(Accepted { accepted }))
}
