//! The admin's HTML pages under `/staff/admin`, and the new-box form on `/staff/boxes`.
//! Forms post back here; success redirects (so a reload does not post twice), a refusal shows
//! the page again with the reason.

use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::{MultipartForm, MultipartFormConfig};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use frontend::org::{
    AccountUpdate, GroupUpdate, ImportReport, LeaderRank, NewAccount, NewBox, NewPerson, NewUnit,
    RoutingRuleUpdate, UnitUpdate,
};
use frontend::pages::admin::{AdminNotice, ShownPassword};
use frontend::pages::{
    AdminAccountsPage, AdminImportPage, AdminPeoplePage, AdminUnitsPage, BoxesPage,
};
use leptos::prelude::view;
use serde::Deserialize;

use super::errors::{Failure, form_status, is_form_problem};
use super::staff_pages::{SavedQuery, refused_notice, saved_notice, saved_redirect, show_refusal};
use super::staff_session::PageReviewer;
use crate::domain::import::MAX_IMPORT_BYTES;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::render::html;
use crate::service::admin::{self, ImportKind};
use crate::state::AppState;

/// Registers the admin pages inside the `/staff` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(units_page))
        .route("/admin/units", web::post().to(add_unit))
        .route("/admin/units/change", web::post().to(change_unit))
        .route("/admin/groups", web::post().to(save_group))
        .route("/admin/routing", web::post().to(set_routing))
        .route("/admin/people", web::get().to(people_page))
        .route("/admin/people", web::post().to(add_person))
        .route(
            "/admin/people/{id}/active",
            web::post().to(set_person_active),
        )
        .route("/admin/people/{id}/rank", web::post().to(set_person_rank))
        .route("/admin/accounts", web::get().to(accounts_page))
        .route("/admin/accounts", web::post().to(add_account))
        .route("/admin/accounts/{id}", web::post().to(change_account))
        .route("/admin/import", web::get().to(import_page))
        .service(
            web::resource("/admin/import/{kind}")
                .app_data(
                    MultipartFormConfig::default()
                        .total_limit(MAX_IMPORT_BYTES + 16 * 1024)
                        .memory_limit(MAX_IMPORT_BYTES + 16 * 1024),
                )
                .route(web::post().to(import)),
        )
        .route("/boxes", web::post().to(add_box));
}

/// The three admin pages that forms return to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AdminPage {
    Units,
    People,
    Accounts,
}

impl AdminPage {
    fn path(self) -> &'static str {
        match self {
            AdminPage::Units => "/staff/admin",
            AdminPage::People => "/staff/admin/people",
            AdminPage::Accounts => "/staff/admin/accounts",
        }
    }
}

/// Renders an admin page from one read of the area; `shown` is a password drawn just now.
async fn render(
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
            html(status, move || {
                view! { <AdminUnitsPage lang=lang who=name csrf=csrf units=units people=people rules=rules notice=notice/> }
            })
        }
        AdminPage::People => html(status, move || {
            view! { <AdminPeoplePage lang=lang who=name csrf=csrf units=units people=people notice=notice/> }
        }),
        AdminPage::Accounts => {
            let accounts = data.accounts;
            html(status, move || {
                view! {
                    <AdminAccountsPage lang=lang who=name csrf=csrf accounts=accounts units=units people=people
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
async fn after_change<T>(
    who: &PageReviewer,
    state: &AppState,
    result: Result<T, Problem>,
    page: AdminPage,
) -> Result<HttpResponse, Failure> {
    match result {
        Ok(_) => Ok(saved_redirect(who, page.path())),
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
        parent_id: Some(form.parent_id),
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
        head_person_id: Some(form.head_person_id),
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

async fn accounts_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    let notice = query.notice(who.lang);
    render(
        &who,
        &state,
        AdminPage::Accounts,
        None,
        notice,
        StatusCode::OK,
    )
    .await
}

/// The new-account form.
#[derive(Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    person_id: String,
}

/// Shows the page with the new password right away: it is never stored, so it cannot survive
/// a redirect.
async fn add_account(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<AccountForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let new = NewAccount {
        username: form.username,
        display_name: form.display_name,
        role: form.role,
        group_id: Some(form.group_id),
        person_id: Some(form.person_id),
    };
    match admin::add_account(&state, &who.reviewer, new).await {
        Ok(created) => {
            let shown = created.password.map(|password| ShownPassword {
                username: created.account.username,
                password,
            });
            let notice = saved_notice(who.lang);
            render(
                &who,
                &state,
                AdminPage::Accounts,
                shown,
                notice,
                StatusCode::OK,
            )
            .await
        }
        Err(p) => after_change(&who, &state, Err::<(), _>(p), AdminPage::Accounts).await,
    }
}

/// One account's row form; `do` names the button pressed.
#[derive(Deserialize)]
pub struct ChangeAccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    person_id: String,
    #[serde(default, rename = "do")]
    action: String,
}

async fn change_account(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<ChangeAccountForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let update = match form.action.as_str() {
        "save" => AccountUpdate {
            role: Some(form.role),
            person_id: Some(form.person_id),
            ..AccountUpdate::default()
        },
        "reset" => AccountUpdate {
            reset_password: true,
            ..AccountUpdate::default()
        },
        "disable" | "enable" => AccountUpdate {
            active: Some(form.action == "enable"),
            ..AccountUpdate::default()
        },
        _ => return Err(who.fail(problem::BAD_FORM)),
    };
    match admin::update_account(&state, &who.reviewer, &id, update).await {
        Ok(changed) => match changed.password {
            Some(password) => {
                let shown = Some(ShownPassword {
                    username: changed.account.username,
                    password,
                });
                let notice = saved_notice(who.lang);
                render(
                    &who,
                    &state,
                    AdminPage::Accounts,
                    shown,
                    notice,
                    StatusCode::OK,
                )
                .await
            }
            None => Ok(saved_redirect(&who, AdminPage::Accounts.path())),
        },
        Err(p) => after_change(&who, &state, Err::<(), _>(p), AdminPage::Accounts).await,
    }
}

async fn import_page(
    who: PageReviewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    who.reviewer.require(Permission::ManageOrganisation)?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, move || {
        view! { <AdminImportPage lang=lang who=name csrf=csrf report=None notice=AdminNotice::default()/> }
    }))
}

/// The upload form of an import.
#[derive(MultipartForm)]
pub struct ImportUpload {
    csrf: Option<Text<String>>,
    file: Option<Bytes>,
}

async fn import(
    who: PageReviewer,
    state: web::Data<AppState>,
    kind: web::Path<String>,
    upload: MultipartForm<ImportUpload>,
) -> Result<HttpResponse, Failure> {
    let upload = upload.into_inner();
    let csrf = upload.csrf.map(Text::into_inner).unwrap_or_default();
    who.check_csrf(&state, &csrf)?;
    let kind = ImportKind::parse(&kind).ok_or(problem::NOT_FOUND)?;
    let bytes = upload.file.map(|f| f.data.to_vec()).unwrap_or_default();
    let (report, notice, status) =
        match admin::import(&state, &who.reviewer, kind, &bytes, who.lang).await {
            Ok(report) if report.errors.is_empty() => {
                (Some(report), AdminNotice::default(), StatusCode::OK)
            }
            Ok(report) => (
                Some(report),
                refused_notice(who.lang, &problem::IMPORT_REJECTED),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(p) if is_form_problem(&p) || p.status == 400 => (
                None::<ImportReport>,
                refused_notice(who.lang, &p),
                form_status(&p),
            ),
            Err(p) => return Err(who.fail(p)),
        };
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(status, move || {
        view! { <AdminImportPage lang=lang who=name csrf=csrf report=report notice=notice/> }
    }))
}

/// The new-box form.
#[derive(Deserialize)]
pub struct BoxForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    name: String,
}

async fn add_box(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<BoxForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let form = form.into_inner();
    let new = NewBox {
        unit_id: form.unit_id,
        name: form.name,
    };
    match admin::add_box(&state, &who.reviewer, new).await {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/staff/boxes"))
            .finish()),
        Err(p) if is_form_problem(&p) => {
            let list = crate::service::boxes::boxes(&state, &who.reviewer).await?;
            let units = admin::units(&state, &who.reviewer).await?;
            let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
            let error = p.message(lang).to_string();
            Ok(html(form_status(&p), move || {
                view! { <BoxesPage lang=lang who=name csrf=csrf boxes=list units=units error=error/> }
            }))
        }
        Err(p) => Err(who.fail(p)),
    }
}
