//! The JSON API of mass appraisal: questionnaires, rounds, slips, notes and results.

use actix_web::{HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::appraisal::{
    AppraisalOverview, HeldRequest, HeldSettled, NewQuestionnaire, NewRound, Questionnaire,
    QuestionnaireView, RoundNote, RoundResults, RoundView, SlipBatch, SlipRequest,
};
use vocabulary::model::ApiError;

use super::errors::Failure;
use super::extract::ApiStaff;
use super::issues_api::Created;
use crate::service::{appraisal, appraisal_results};
use crate::state::AppState;

/// Appraisal rounds (群众评议), their slips and results, and questionnaires.
pub(super) fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_overview)
        .service(post_round)
        .service(get_round)
        .service(post_slips)
        .service(post_close)
        .service(post_held)
        .service(put_note)
        .service(get_results)
        .service(list_questionnaires)
        .service(post_questionnaire)
        .service(put_questionnaire);
}

/// The group's rounds, questionnaires, and the units and people it may appraise.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = AppraisalOverview)))]
#[get("/staff/appraisal")]
async fn get_overview(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let overview = appraisal::overview(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(overview))
}

/// Opens a round: `questionnaire` is `template:organisation`, `template:member` or a stored id.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewRound,
    responses((status = 201, body = Created), (status = 422, body = ApiError)))]
#[post("/staff/appraisal/rounds")]
async fn post_round(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewRound>,
) -> Result<HttpResponse, Failure> {
    let id = appraisal::open_round(&state, &reviewer, &body).await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// One round: status, response count, slips issued and subjects.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = RoundView)))]
#[get("/staff/appraisal/rounds/{id}")]
async fn get_round(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let round = appraisal::round(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok().json(round))
}

/// Makes one-time slips; the answer is the only time their addresses exist.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = SlipRequest,
    responses((status = 201, body = SlipBatch), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[post("/staff/appraisal/rounds/{id}/slips")]
async fn post_slips(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<SlipRequest>,
) -> Result<HttpResponse, Failure> {
    let batch = appraisal::make_slips(&state, &reviewer, &id, body.count).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(batch))
}

/// Closes a running round today.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 409, body = ApiError)))]
#[post("/staff/appraisal/rounds/{id}/close")]
async fn post_close(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    appraisal::close_round(&state, &reviewer, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Counts in or discards the round's held answers (待核, after a 刷票 alert) as one batch.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = HeldRequest,
    responses((status = 200, body = HeldSettled), (status = 404, body = ApiError)))]
#[post("/staff/appraisal/rounds/{id}/held")]
async fn post_held(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<HeldRequest>,
) -> Result<HttpResponse, Failure> {
    let settled = appraisal::settle_held(&state, &reviewer, &id, body.decision).await?;
    Ok(HttpResponse::Ok().json(HeldSettled { settled }))
}

/// Writes the group's 整改落实情况 for one subject of the round.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = RoundNote,
    responses((status = 204), (status = 422, body = ApiError)))]
#[put("/staff/appraisal/rounds/{id}/notes")]
async fn put_note(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<RoundNote>,
) -> Result<HttpResponse, Failure> {
    appraisal::set_note(&state, &reviewer, &id, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A finished round's results, suppressed below the minimum group size, with the trend.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    responses((status = 200, body = RoundResults), (status = 409, body = ApiError)))]
#[get("/staff/appraisal/rounds/{id}/results")]
async fn get_results(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let results = appraisal_results::results(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok().json(results))
}

/// The questionnaires the group may use and edit.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<QuestionnaireView>)))]
#[get("/staff/questionnaires")]
async fn list_questionnaires(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let found = appraisal::questionnaires(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Copies a built-in template (附件4 or 附件5) into the group's questionnaires.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewQuestionnaire,
    responses((status = 201, body = Created)))]
#[post("/staff/questionnaires")]
async fn post_questionnaire(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewQuestionnaire>,
) -> Result<HttpResponse, Failure> {
    let id = appraisal::copy_template(&state, &reviewer, body.template).await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// Replaces a questionnaire's title and items; items without a key get one.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = Questionnaire,
    responses((status = 204), (status = 422, body = ApiError)))]
#[put("/staff/questionnaires/{id}")]
async fn put_questionnaire(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Questionnaire>,
) -> Result<HttpResponse, Failure> {
    appraisal::edit_questionnaire(&state, &reviewer, &id, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
