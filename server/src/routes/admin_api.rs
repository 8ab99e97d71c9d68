//! The admin's JSON API under `/api/v1/admin`: units, groups, people, accounts, routing,
//! boxes and CSV imports, all limited to the admin's area.

use actix_web::{HttpResponse, get, patch, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;
use vocabulary::model::{ApiError, StaffBox};
use vocabulary::org::{
    AccountUpdate, AccountView, AccountWithPassword, GroupUpdate, GroupView, ImportReport,
    LeaderRank, NewAccount, NewBox, NewPerson, NewUnit, PersonView, RoutingRuleUpdate,
    RoutingRuleView, UnitUpdate, UnitView,
};

use super::errors::Failure;
use super::extract::{ApiStaff, RequestLang};
use crate::domain::import::MAX_IMPORT_BYTES;
use crate::domain::problem;
use crate::service::admin::{self, ImportKind};
use crate::state::AppState;

/// `/admin`: the township's units, people, accounts, routing, boxes and imports.
pub(super) fn routes(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/admin")
            .service(list_units)
            .service(post_unit)
            .service(patch_unit)
            .service(put_group)
            .service(list_people)
            .service(post_person)
            .service(patch_person)
            .service(list_accounts)
            .service(post_account)
            .service(patch_account)
            .service(list_routing)
            .service(put_routing)
            .service(post_box)
            .service(post_import)
            .default_service(web::to(super::api::not_found)),
    );
}

/// The units of the admin's area, depth-first, with their leading groups.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<UnitView>)))]
#[get("/units")]
async fn list_units(admin: ApiStaff, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    let units = admin::units(&state, &admin).await?;
    Ok(HttpResponse::Ok().json(units))
}

/// Adds a unit one level below a unit of the area.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewUnit,
    responses((status = 201, body = UnitView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[post("/units")]
async fn post_unit(
    admin: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewUnit>,
) -> Result<HttpResponse, Failure> {
    let unit = admin::add_unit(&state, &admin, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(unit))
}

/// Renames a unit or moves it under another unit of the level above.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = UnitUpdate,
    responses((status = 200, body = UnitView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[patch("/units/{id}")]
async fn patch_unit(
    admin: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<UnitUpdate>,
) -> Result<HttpResponse, Failure> {
    let unit = admin::change_unit(&state, &admin, &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(unit))
}

/// Creates or renames a unit's leading group and sets its head.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = GroupUpdate,
    responses((status = 200, body = GroupView), (status = 422, body = ApiError)))]
#[put("/units/{id}/group")]
async fn put_group(
    admin: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<GroupUpdate>,
) -> Result<HttpResponse, Failure> {
    let group = admin::save_group(&state, &admin, &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(group))
}

/// Everyone in the area who can be named in opinions.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<PersonView>)))]
#[get("/people")]
async fn list_people(admin: ApiStaff, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    let people = admin::people(&state, &admin).await?;
    Ok(HttpResponse::Ok().json(people))
}

/// Adds a person to a unit of the area.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewPerson,
    responses((status = 201, body = PersonView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[post("/people")]
async fn post_person(
    admin: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewPerson>,
) -> Result<HttpResponse, Failure> {
    let person = admin::add_person(&state, &admin, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(person))
}

/// Withdraws a person from villagers' lists (`active: false`) or offers them again, and sets
/// their leader rank for 附件1 (`""` clears it); what is left out stays.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct PersonUpdate {
    /// Whether villagers can choose them.
    #[serde(default)]
    pub active: Option<bool>,
    /// A rank's stable name, or `""` for none.
    #[serde(default)]
    pub leader_rank: Option<String>,
}

/// Withdraws or restores a person.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = PersonUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
#[patch("/people/{id}")]
async fn patch_person(
    admin: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<PersonUpdate>,
) -> Result<HttpResponse, Failure> {
    if let Some(active) = body.active {
        admin::set_person_active(&state, &admin, &id, active).await?;
    }
    if let Some(name) = &body.leader_rank {
        let rank = match name.trim() {
            "" => None,
            given => Some(LeaderRank::parse(given).ok_or(problem::LEADER_RANK_INVALID)?),
        };
        admin::set_person_rank(&state, &admin, &id, rank).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The accounts of the area's leading groups (never their password hashes).
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<AccountView>)))]
#[get("/accounts")]
async fn list_accounts(
    admin: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let accounts = admin::accounts(&state, &admin).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(accounts))
}

/// Creates an account; its password is drawn by the server and shown in this answer only.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewAccount,
    responses((status = 201, body = AccountWithPassword), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
#[post("/accounts")]
async fn post_account(
    admin: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewAccount>,
) -> Result<HttpResponse, Failure> {
    let created = admin::add_account(&state, &admin, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}

/// Changes an account's role, status, person or password; role and status changes and password
/// resets end its sessions.
#[utoipa::path(security(("staff_jwt" = [])), params(("id" = String, Path)),
    request_body = AccountUpdate,
    responses((status = 200, body = AccountWithPassword), (status = 422, body = ApiError)))]
#[patch("/accounts/{id}")]
async fn patch_account(
    admin: ApiStaff,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<AccountUpdate>,
) -> Result<HttpResponse, Failure> {
    let changed = admin::update_account(&state, &admin, &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(changed))
}

/// The routing rules of the area.
#[utoipa::path(security(("staff_jwt" = [])),
    responses((status = 200, body = Vec<RoutingRuleView>)))]
#[get("/routing")]
async fn list_routing(
    admin: ApiStaff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let rules = admin::routing(&state, &admin).await?;
    Ok(HttpResponse::Ok().json(rules))
}

/// Sends a category from an area to a leading group; an empty `group_id` removes the rule.
#[utoipa::path(security(("staff_jwt" = [])), request_body = RoutingRuleUpdate,
    responses((status = 204), (status = 422, body = ApiError)))]
#[put("/routing")]
async fn put_routing(
    admin: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<RoutingRuleUpdate>,
) -> Result<HttpResponse, Failure> {
    admin::set_routing(&state, &admin, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hangs a new box in a unit of the area.
#[utoipa::path(security(("staff_jwt" = [])), request_body = NewBox,
    responses((status = 201, body = StaffBox), (status = 422, body = ApiError)))]
#[post("/boxes")]
async fn post_box(
    admin: ApiStaff,
    state: web::Data<AppState>,
    body: web::Json<NewBox>,
) -> Result<HttpResponse, Failure> {
    let created = admin::add_box(&state, &admin, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// The whole request body, or `IMPORT_TOO_LARGE` as soon as it passes `max` bytes.
async fn read_limited(mut body: web::Payload, max: usize) -> Result<Vec<u8>, problem::Problem> {
    use futures_util::StreamExt;
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| problem::BAD_FORM)?;
        if out.len() + chunk.len() > max {
            return Err(problem::IMPORT_TOO_LARGE);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Imports `units` or `people` from a CSV body (UTF-8 or GBK, at most 1 MB and 5,000 rows).
/// Every row is checked first; when any fails, nothing is stored and the answer is 422 with
/// every failing line.
#[utoipa::path(security(("staff_jwt" = [])),
    params(("kind" = String, Path, description = "`units` or `people`")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport)))]
#[post("/import/{kind}")]
async fn post_import(
    admin: ApiStaff,
    RequestLang(lang): RequestLang,
    state: web::Data<AppState>,
    kind: web::Path<String>,
    body: web::Payload,
) -> Result<HttpResponse, Failure> {
    let kind = ImportKind::parse(&kind).ok_or(Failure::json(problem::NOT_FOUND, lang))?;
    let body = read_limited(body, MAX_IMPORT_BYTES).await?;
    let report = admin::import(&state, &admin, kind, &body, lang).await?;
    Ok(if report.errors.is_empty() {
        HttpResponse::Ok().json(report)
    } else {
        HttpResponse::UnprocessableEntity().json(report)
    })
}
