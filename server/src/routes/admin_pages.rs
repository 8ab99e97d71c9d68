//! The admin's HTML pages under `/staff/admin` (units, groups, routing, people; accounts and
//! imports in `admin_account_pages`), and the registration of all of them.
//! Forms post back here; success redirects (so a reload does not post twice), a refusal shows
//! the page again with the reason.

use actix_multipart::form::MultipartFormConfig;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use frontend::pages::admin::{AdminNotice, ShownPassword};
use frontend::pages::{AdminAccountsPage, AdminPeoplePage, AdminUnitsPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::org::{GroupUpdate, LeaderRank, NewPerson, NewUnit, RoutingRuleUpdate, UnitUpdate};
use vocabulary::paths;

use super::admin_account_pages::{
    accounts_page, add_account, add_box, change_account, import, import_page,
};
use super::errors::Failure;
use super::staff_pages::{SavedQuery, saved_redirect, show_refusal};
use super::staff_session::PageReviewer;
use crate::domain::import::MAX_IMPORT_BYTES;
use crate::domain::problem::Problem;
use crate::render::html;
use crate::service::admin;
use crate::state::AppState;

/// Registers the admin pages inside the `/staff` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(paths::ADMIN.registered(), web::get().to(units_page))
        .route(paths::ADMIN_UNITS.registered(), web::post().to(add_unit))
        .route(
            paths::ADMIN_UNITS_CHANGE.registered(),
            web::post().to(change_unit),
        )
        .route(paths::ADMIN_GROUPS.registered(), web::post().to(save_group))
        .route(
            paths::ADMIN_ROUTING.registered(),
            web::post().to(set_routing),
        )
        .route(paths::ADMIN_PEOPLE.registered(), web::get().to(people_page))
        .route(paths::ADMIN_PEOPLE.registered(), web::post().to(add_person))
        .route(
            paths::PERSON_ACTIVE.registered(),
            web::post().to(set_person_active),
        )
        .route(
            paths::PERSON_RANK.registered(),
            web::post().to(set_person_rank),
        )
        .route(
            paths::ADMIN_ACCOUNTS.registered(),
            web::get().to(accounts_page),
        )
        .route(
            paths::ADMIN_ACCOUNTS.registered(),
            web::post().to(add_account),
        )
        .route(
            paths::ADMIN_ACCOUNT.registered(),
            web::post().to(change_account),
        )
        .route(paths::ADMIN_IMPORT.registered(), web::get().to(import_page))
        .service(
            web::resource(paths::ADMIN_IMPORT_KIND.registered())
                .app_data(
                    MultipartFormConfig::default()
                        .total_limit(MAX_IMPORT_BYTES + 16 * 1024)
                        .memory_limit(MAX_IMPORT_BYTES + 16 * 1024),
                )
                .route(web::post().to(import)),
        )
        .route(paths::BOXES.registered(), web::post().to(add_box));
}

/// The three admin pages that forms return to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum AdminPage {
    Units,
    People,
    Accounts,
}

impl AdminPage {
    pub(super) fn path(self) -> String {
        match self {
            AdminPage::Units => paths::ADMIN,
            AdminPage::People => paths::ADMIN_PEOPLE,
            AdminPage::Accounts => paths::ADMIN_ACCOUNTS,
        }
        .href()
    }
}

/// Renders an admin page from one read of the area; `shown` is a password drawn just now.
pub(super) async fn render(
    who: &PageReviewer,
    state: &AppState,
    page: AdminPage,
    shown: Option<ShownPassword>,
    notice: AdminNotice,
    status: StatusCode,
) -> Result<HttpResponse, Failure> {
    let data = admin::overview(state, &who.reviewer).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(state));
    let (units, people) = (data.units, data.people);
    Ok(match page {
        AdminPage::Units => {
            let rules = data.rules;
            html(status, lang, move || {
                view! { <AdminUnitsPage who=name csrf=csrf units=units people=people rules=rules notice=notice/> }
            })
        }
        AdminPage::People => html(status, lang, move || {
            view! { <AdminPeoplePage who=name csrf=csrf units=units people=people notice=notice/> }
        }),
        AdminPage::Accounts => {
            let accounts = data.accounts;
            html(status, lang, move || {
                view! {
                    <AdminAccountsPage who=name csrf=csrf accounts=accounts units=units people=people
                        shown=shown notice=notice/>
                }
            })
        }
    })
}

async fn units_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    let notice = query.notice(who.lang);
    render(&who, &state, AdminPage::Units, None, notice, StatusCode::OK).await
}

/// After a form's change: back to `page` saying it was saved, or `page` again with the reason;
/// access problems and faults become error pages.
pub(super) async fn after_change<T>(
    who: &PageReviewer,
    state: &AppState,
    result: Result<T, Problem>,
    page: AdminPage,
) -> Result<HttpResponse, Failure> {
    match result {
        Ok(_) => Ok(saved_redirect(who, &page.path())),
        Err(p) => show_refusal(who, p, |n, s| render(who, state, page, None, n, s)).await,
    }
}

/// The new-unit form.
#[derive(Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
}

async fn add_unit(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<UnitForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let new = NewUnit {
        parent_id: form.parent_id,
        name: form.name,
        kind: form.kind,
        category: Some(form.category),
    };
    let result = admin::add_unit(&state, &who.reviewer, new).await;
    after_change(&who, &state, result, AdminPage::Units).await
}

/// The rename-or-move form.
#[derive(Deserialize)]
pub struct UnitChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent_id: String,
}

async fn change_unit(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<UnitChangeForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let update = UnitUpdate {
        name: Some(form.name),
        parent_id: Some(form.parent_id.into()),
    };
    let result = admin::change_unit(&state, &who.reviewer, &form.unit_id, update).await;
    after_change(&who, &state, result, AdminPage::Units).await
}

/// The leading-group form.
#[derive(Deserialize)]
pub struct GroupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    head_person_id: String,
}

async fn save_group(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<GroupForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let update = GroupUpdate {
        name: form.name,
        head_person_id: Some(form.head_person_id.into()),
    };
    let result = admin::save_group(&state, &who.reviewer, &form.unit_id, update).await;
    after_change(&who, &state, result, AdminPage::Units).await
}

/// The routing form.
#[derive(Deserialize)]
pub struct RoutingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    group_id: String,
}

async fn set_routing(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<RoutingForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let update = RoutingRuleUpdate {
        unit_id: form.unit_id,
        category: form.category,
        group_id: form.group_id,
    };
    let result = admin::set_routing(&state, &who.reviewer, update).await;
    after_change(&who, &state, result, AdminPage::Units).await
}

async fn people_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    let notice = query.notice(who.lang);
    render(
        &who,
        &state,
        AdminPage::People,
        None,
        notice,
        StatusCode::OK,
    )
    .await
}

/// The new-person form.
#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    post: String,
    #[serde(default)]
    leader_rank: String,
}

async fn add_person(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<PersonForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let new = NewPerson {
        unit_id: form.unit_id,
        name: form.name,
        post: form.post,
        leader_rank: LeaderRank::parse(&form.leader_rank),
    };
    let result = admin::add_person(&state, &who.reviewer, new).await;
    after_change(&who, &state, result, AdminPage::People).await
}

/// The withdraw/restore button.
#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    active: String,
}

async fn set_person_active(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let result = admin::set_person_active(&state, &who.reviewer, &id, form.active == "1").await;
    after_change(&who, &state, result, AdminPage::People).await
}

/// The leader-rank selector of a person's row; empty clears the rank.
#[derive(Deserialize)]
pub struct RankForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    leader_rank: String,
}

async fn set_person_rank(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<RankForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let rank = LeaderRank::parse(&form.leader_rank);
    let result = admin::set_person_rank(&state, &who.reviewer, &id, rank).await;
    after_change(&who, &state, result, AdminPage::People).await
}
