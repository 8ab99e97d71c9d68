//! The JSON API of merging and rectification: issues, measures, suggestions and the ledger.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::issues::{
    IssueOpinions, IssueUpdate, IssueView, Ledger, LedgerQuery, MeasureUpdate, NewIssue,
    NewMeasure, OpinionSuggestions, SimilarGroup,
};
use vocabulary::model::{ApiError, IssueId, OpinionId};

use super::errors::Failure;
use super::extract::ApiStaff;
use crate::service::{issues, ledger, reviewing, suggestions};
use crate::state::AppState;

/// The issues (归纳整理), their measures (整改), similar opinions and the ledger.
pub(super) fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_issues)
        .service(post_issue)
        .service(get_issue)
        .service(patch_issue)
        .service(post_issue_opinions)
        .service(delete_issue_opinion)
        .service(post_measure)
        .service(patch_measure)
        .service(get_similar)
        .service(get_opinion_similar)
        .service(get_ledger);
}

/// The id of what was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    /// Random id.
    pub id: String,
}

/// The reviewer's issues, newest first (at most 200), with measure counts.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<IssueView>)))]
#[get("/staff/issues")]
async fn list_issues(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let (_, found) = issues::list(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Merges opinions of the reviewer's group into a new issue.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewIssue,
    responses((status = 201, body = Created), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[post("/staff/issues")]
async fn post_issue(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewIssue>,
) -> Result<HttpResponse, Failure> {
    let id = issues::create(&state, &reviewer, &body).await?;
    Ok(HttpResponse::Created().json(Created { id: id.into() }))
}

/// One issue with its kept opinions and its measures.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = IssueView)))]
#[get("/staff/issues/{id}")]
async fn get_issue(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let (found, _) = issues::find(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found))
}

/// Changes an issue's title, state or reply; its opinions follow the state.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = IssueUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
#[patch("/staff/issues/{id}")]
async fn patch_issue(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<IssueUpdate>,
) -> Result<HttpResponse, Failure> {
    issues::handle(&state, &reviewer, &id, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds opinions to an issue.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = IssueOpinions,
    responses((status = 204), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[post("/staff/issues/{id}/opinions")]
async fn post_issue_opinions(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<IssueOpinions>,
) -> Result<HttpResponse, Failure> {
    issues::join(&state, &reviewer, &id, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Takes an opinion out of an issue.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path), ("opinion" = String, Path)),
    responses((status = 204)))]
#[delete("/staff/issues/{id}/opinions/{opinion}")]
async fn delete_issue_opinion(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    path: web::Path<(IssueId, OpinionId)>,
) -> Result<HttpResponse, Failure> {
    let (id, opinion) = path.into_inner();
    issues::detach(&state, &reviewer, &id, &opinion).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets a rectification measure for an issue.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = NewMeasure,
    responses((status = 201, body = Created), (status = 422, body = ApiError)))]
#[post("/staff/issues/{id}/measures")]
async fn post_measure(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<NewMeasure>,
) -> Result<HttpResponse, Failure> {
    let id = issues::add_measure(&state, &reviewer, &id, &body).await?;
    Ok(HttpResponse::Created().json(Created { id: id.into() }))
}

/// Records evidence on a measure and whether it is done.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = MeasureUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
#[patch("/staff/measures/{id}")]
async fn patch_measure(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<MeasureUpdate>,
) -> Result<HttpResponse, Failure> {
    issues::record_progress(&state, &reviewer, &id, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Groups of similar unmerged opinions, with similarity scores (0–100).
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<SimilarGroup>)))]
#[get("/staff/similar")]
async fn get_similar(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let groups = suggestions::suggestions(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(groups))
}

/// The issue an opinion is in, or similar opinions and open issues it could join.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = OpinionSuggestions)))]
#[get("/staff/opinions/{id}/similar")]
async fn get_opinion_similar(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let opinion = reviewing::opinion(&state, &reviewer, &id).await?;
    let found = suggestions::for_opinion(&state, &reviewer, &opinion).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The rectification ledger of a period (this year by default): figures for viewers, and the
/// issues with their measures for members.
#[utoipa::path(security(("staff_jwt" = [])), params(LedgerQuery),
    responses((status = 200, body = Ledger), (status = 422, body = ApiError)))]
#[get("/staff/ledger")]
async fn get_ledger(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<LedgerQuery>,
) -> Result<HttpResponse, Failure> {
    let (ledger, _) = ledger::ledger(&state, &reviewer, &query).await?;
    Ok(HttpResponse::Ok().json(ledger))
}
