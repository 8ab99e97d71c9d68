//! The JSON API of the statistics tables (附件1–3) and the leader-review register.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::model::ApiError;
use vocabulary::statistics::{NewReviews, ReviewRegister, StatisticsReport};

use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang};
use crate::service::statistics;
use crate::state::AppState;

/// The 统计表 and the leaders' reviews.
pub(super) fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_statistics)
        .service(get_reviews)
        .service(post_reviews);
}

/// `?year=`, this year when absent.
#[derive(Deserialize, utoipa::IntoParams)]
struct YearParam {
    /// The year counted.
    year: Option<i32>,
}

/// How many reviews were new.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Recorded {
    /// Reviews recorded now (those recorded before are not counted again).
    pub added: u32,
}

/// 附件1–3 of the reviewer's area for a year, with a county's roll-up of its townships.
#[utoipa::path(security(("staff_jwt" = [])), params(YearParam),
    responses((status = 200, body = StatisticsReport), (status = 422, body = ApiError)))]
#[get("/staff/statistics")]
async fn get_statistics(
    reviewer: ApiStaff,
    RequestLang(lang): RequestLang,
    state: web::Data<AppState>,
    query: web::Query<YearParam>,
) -> Result<HttpResponse, Failure> {
    let report = statistics::report(&state, &reviewer, query.year, lang).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The group's leader-review register for a year, and the leaders, organisations and members
/// it may record.
#[utoipa::path(security(("staff_jwt" = [])), params(YearParam),
    responses((status = 200, body = ReviewRegister), (status = 422, body = ApiError)))]
#[get("/staff/reviews")]
async fn get_reviews(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<YearParam>,
) -> Result<HttpResponse, Failure> {
    let register = statistics::register(&state, &reviewer, query.year).await?;
    Ok(HttpResponse::Ok().json(register))
}

/// Records that a leader of the area reviewed organisations and members in a pass.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewReviews,
    responses((status = 201, body = Recorded), (status = 422, body = ApiError)))]
#[post("/staff/reviews")]
async fn post_reviews(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewReviews>,
) -> Result<HttpResponse, Failure> {
    let added = statistics::record(&state, &reviewer, &body).await?;
    Ok(HttpResponse::Created().json(Recorded { added }))
}
