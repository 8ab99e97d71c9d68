//! JSON endpoints for whom an opinion is about: its subjects, the four-eyes removal of a wrong
//! match, and the group's accounts with the people they are linked to and their confirmation.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::model::{ApiError, ChangeId, GroupAccount, OpinionId, OpinionSubjects, PersonId};

use super::errors::Failure;
use super::extract::ApiStaff;
use crate::service::{group_accounts, subjects};
use crate::state::AppState;

/// `/staff/subjects`: whom opinions are about, and confirming accounts' people.
pub(super) fn routes(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/staff/subjects")
            .service(get_accounts)
            .service(confirm_account)
            .service(get_subjects)
            .service(post_removal)
            .service(confirm_removal)
            .default_service(web::to(super::api::not_found)),
    );
}

/// Which subject to remove.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct RemovalRequest {
    /// The person's id.
    pub person_id: PersonId,
}

/// The proposal made.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Proposed {
    /// Its id, for another member to confirm.
    pub id: ChangeId,
}

/// The accounts of the reviewer's group with whose each is and who linked it.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<GroupAccount>)))]
#[get("/accounts")]
async fn get_accounts(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let accounts = group_accounts::group_accounts(&state, &reviewer).await?;
    Ok(HttpResponse::Ok().json(accounts))
}

/// Confirms, as a second member of the group, that a member account belongs to its person:
/// until then it reads no opinion.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses((status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
#[post("/accounts/{id}/confirm")]
async fn confirm_account(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    group_accounts::confirm(&state, &reviewer, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Whom one of the reviewer's opinions is about, and the removals waiting.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")),
    responses((status = 200, body = OpinionSubjects), (status = 404, body = ApiError)))]
#[get("/{id}")]
async fn get_subjects(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let found = subjects::of_opinion(&state, &reviewer, &id).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Proposes removing a wrongly matched or tagged subject; another member must confirm.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id")), request_body = RemovalRequest,
    responses((status = 201, body = Proposed), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
#[post("/{id}/removals")]
async fn post_removal(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<OpinionId>,
    body: web::Json<RemovalRequest>,
) -> Result<HttpResponse, Failure> {
    let id = subjects::propose_removal(&state, &reviewer, &id, &body.person_id).await?;
    Ok(HttpResponse::Created().json(Proposed { id }))
}

/// Confirms a proposed removal, as a second member of the group whom the opinion is not about.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("id" = String, Path, description = "Opinion id"), ("change" = String, Path, description = "Proposal id")),
    responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
#[post("/{id}/removals/{change}")]
async fn confirm_removal(
    reviewer: ApiStaff,
    state: web::Data<AppState>,
    path: web::Path<(OpinionId, ChangeId)>,
) -> Result<HttpResponse, Failure> {
    let (id, change) = path.into_inner();
    subjects::confirm_removal(&state, &reviewer, &id, &change).await?;
    Ok(HttpResponse::NoContent().finish())
}
