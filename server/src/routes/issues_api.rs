//! The JSON API of merging and rectification: issues, measures, suggestions and the ledger.

use actix_web::{HttpResponse, web};
use frontend::issues::{
    IssueOpinions, IssueUpdate, IssueView, Ledger, LedgerFigures, LedgerQuery, MeasureUpdate,
    MeasureView, NewIssue, NewMeasure, OpinionSuggestions, SimilarGroup, SimilarIssue,
    SimilarOpinion,
};
use frontend::model::ApiError;
use serde::Serialize;
use utoipa::OpenApi;

use super::errors::Failure;
use super::extract::ApiStaff;
use crate::service::{issues, ledger, reviewing, suggestions};
use crate::state::AppState;

/// Adds the routes to the `/api/v1` scope.
pub fn with_issue_routes(scope: actix_web::Scope) -> actix_web::Scope {
    scope
        .route("/staff/issues", web::get().to(list_issues))
        .route("/staff/issues", web::post().to(post_issue))
        .route("/staff/issues/{id}", web::get().to(get_issue))
        .route("/staff/issues/{id}", web::patch().to(patch_issue))
        .route(
            "/staff/issues/{id}/opinions",
            web::post().to(post_issue_opinions),
        )
        .route(
            "/staff/issues/{id}/opinions/{opinion}",
            web::delete().to(delete_issue_opinion),
        )
        .route("/staff/issues/{id}/measures", web::post().to(post_measure))
        .route("/staff/measures/{id}", web::patch().to(patch_measure))
        .route("/staff/similar", web::get().to(get_similar))
        .route(
            "/staff/opinions/{id}/similar",
            web::get().to(get_opinion_similar),
        )
        .route("/staff/ledger", web::get().to(get_ledger))
}

/// The OpenAPI description of these routes.
#[derive(OpenApi)]
#[openapi(
    paths(
        list_issues,
        post_issue,
        get_issue,
        patch_issue,
        post_issue_opinions,
        delete_issue_opinion,
        post_measure,
        patch_measure,
        get_similar,
        get_opinion_similar,
        get_ledger
    ),
    components(schemas(
        IssueView,
        MeasureView,
        NewIssue,
        IssueOpinions,
        IssueUpdate,
        NewMeasure,
        MeasureUpdate,
        SimilarGroup,
        SimilarOpinion,
        SimilarIssue,
        OpinionSuggestions,
        Ledger,
        LedgerFigures,
        Created
    ))
)]
pub struct IssuesDoc;

/// The id of what was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    /// Random id.
    pub id: String,
}

/// The reviewer's issues, newest first (at most 200), with measure counts.
#[utoipa::path(get, path = "/api/v1/staff/issues", security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<IssueView>)))]
async fn list_issues(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let (_, found) = issues::list(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Merges opinions of the reviewer's group into a new issue.
#[utoipa::path(post, path = "/api/v1/staff/issues", security(("staff_jwt" = [])), request_body = NewIssue,
    responses((status = 201, body = Created), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn post_issue(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewIssue>,
) -> Result<HttpResponse, Failure> {
    let id = issues::create(&state, &reviewer, &body).await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// One issue with its kept opinions and its measures.
#[utoipa::path(get, path = "/api/v1/staff/issues/{id}", security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = IssueView)))]
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
#[utoipa::path(patch, path = "/api/v1/staff/issues/{id}", security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = IssueUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
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
#[utoipa::path(post, path = "/api/v1/staff/issues/{id}/opinions", security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = IssueOpinions,
    responses((status = 204), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
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
#[utoipa::path(delete, path = "/api/v1/staff/issues/{id}/opinions/{opinion}", security(("staff_jwt" = [])),
    params(("id" = String, Path), ("opinion" = String, Path)),
    responses((status = 204)))]
async fn delete_issue_opinion(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let (id, opinion) = path.into_inner();
    issues::detach(&state, &reviewer, &id, &opinion).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets a rectification measure for an issue.
#[utoipa::path(post, path = "/api/v1/staff/issues/{id}/measures", security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = NewMeasure,
    responses((status = 201, body = Created), (status = 422, body = ApiError)))]
async fn post_measure(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<NewMeasure>,
) -> Result<HttpResponse, Failure> {
    let id = issues::add_measure(&state, &reviewer, &id, &body).await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// Records evidence on a measure and whether it is done.
#[utoipa::path(patch, path = "/api/v1/staff/measures/{id}", security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = MeasureUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
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
#[utoipa::path(get, path = "/api/v1/staff/similar", security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<SimilarGroup>)))]
async fn get_similar(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let groups = suggestions::suggestions(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(groups))
}

/// The issue an opinion is in, or similar opinions and open issues it could join.
#[utoipa::path(get, path = "/api/v1/staff/opinions/{id}/similar", security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = OpinionSuggestions)))]
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
#[utoipa::path(get, path = "/api/v1/staff/ledger", security(("staff_jwt" = [])), params(LedgerQuery),
    responses((status = 200, body = Ledger), (status = 422, body = ApiError)))]
async fn get_ledger(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    query: web::Query<LedgerQuery>,
) -> Result<HttpResponse, Failure> {
    let (ledger, _) = ledger::ledger(&state, &reviewer, &query).await?;
    Ok(HttpResponse::Ok().json(ledger))
}
