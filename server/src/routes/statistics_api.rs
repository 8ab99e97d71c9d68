//! The JSON API of the statistics tables (附件1–3) and the leader-review register.

use actix_web::{HttpResponse, web};
use frontend::model::ApiError;
use frontend::statistics::{
    NewReviews, ReviewBatch, ReviewRegister, RollupLine, StatBlock, StatRow, StatTable,
    StatisticsReport,
};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang};
use crate::service::statistics;
use crate::state::AppState;

/// Adds the routes to the `/api/v1` scope.
pub fn with_statistics_routes(scope: actix_web::Scope) -> actix_web::Scope {
    scope
        .route("/staff/statistics", web::get().to(get_statistics))
        .route("/staff/reviews", web::get().to(get_reviews))
        .route("/staff/reviews", web::post().to(post_reviews))
}

/// The OpenAPI description of these routes.
#[derive(OpenApi)]
#[openapi(
    paths(get_statistics, get_reviews, post_reviews),
    components(schemas(
        StatisticsReport,
        StatTable,
        StatBlock,
        StatRow,
        RollupLine,
        ReviewRegister,
        ReviewBatch,
        NewReviews,
        Recorded
    ))
)]
pub struct StatisticsDoc;

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
#[utoipa::path(get, path = "/api/v1/staff/statistics", security(("staff_jwt" = [])), params(YearParam),
    responses((status = 200, body = StatisticsReport), (status = 422, body = ApiError)))]
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
#[utoipa::path(get, path = "/api/v1/staff/reviews", security(("staff_jwt" = [])), params(YearParam),
    responses((status = 200, body = ReviewRegister), (status = 422, body = ApiError)))]
async fn get_reviews(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<YearParam>,
) -> Result<HttpResponse, Failure> {
    let register = statistics::register(&state, &reviewer, query.year).await?;
    Ok(HttpResponse::Ok().json(register))
}

/// Records that a leader of the area reviewed organisations and members in a pass.
#[utoipa::path(post, path = "/api/v1/staff/reviews", security(("staff_jwt" = [])), request_body = NewReviews,
    responses((status = 201, body = Recorded), (status = 422, body = ApiError)))]
async fn post_reviews(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewReviews>,
) -> Result<HttpResponse, Failure> {
    let added = statistics::record(&state, &reviewer, &body).await?;
    Ok(HttpResponse::Created().json(Recorded { added }))
}
