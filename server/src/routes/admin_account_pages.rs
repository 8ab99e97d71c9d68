//! The admin's pages for staff accounts and spreadsheet imports, and the new-box form on
//! `/staff/boxes` (registered with the other admin pages in `admin_pages::configure`).

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use frontend::pages::admin::{AdminNotice, ShownPassword};
use frontend::pages::{AdminImportPage, BoxesPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::org::{AccountUpdate, ImportReport, NewAccount, NewBox};
use vocabulary::paths;

use super::admin_pages::{AdminPage, after_change, render};
use super::errors::{Failure, form_status, is_form_problem};
use super::staff_pages::{SavedQuery, refused_notice, saved_notice, saved_redirect};
use super::staff_session::PageReviewer;
use crate::domain::problem::{self};
use crate::domain::roles::Permission;
use crate::render::html;
use crate::service::admin::{self, ImportKind};
use crate::state::AppState;

pub(super) async fn accounts_page(
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
pub(super) async fn add_account(
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
        group_id: Some(form.group_id.into()),
        person_id: Some(form.person_id.into()),
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

pub(super) async fn change_account(
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
            person_id: Some(form.person_id.into()),
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
            None => Ok(saved_redirect(&who, &AdminPage::Accounts.path())),
        },
        Err(p) => after_change(&who, &state, Err::<(), _>(p), AdminPage::Accounts).await,
    }
}

pub(super) async fn import_page(
    who: PageReviewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    who.reviewer.require(Permission::ManageOrganisation)?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <AdminImportPage who=name csrf=csrf report=None notice=AdminNotice::default()/> }
    }))
}

/// The upload form of an import.
#[derive(MultipartForm)]
pub struct ImportUpload {
    csrf: Option<Text<String>>,
    file: Option<Bytes>,
}

pub(super) async fn import(
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
    Ok(html(status, lang, move || {
        view! { <AdminImportPage who=name csrf=csrf report=report notice=notice/> }
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

pub(super) async fn add_box(
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
            .insert_header((header::LOCATION, paths::BOXES.href()))
            .finish()),
        Err(p) if is_form_problem(&p) => {
            let list = crate::service::boxes::boxes(&state, &who.reviewer).await?;
            let units = admin::units(&state, &who.reviewer).await?;
            let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
            let error = p.message(lang).to_string();
            Ok(html(form_status(&p), lang, move || {
                view! { <BoxesPage who=name csrf=csrf boxes=list units=units error=error/> }
            }))
        }
        Err(p) => Err(who.fail(p)),
    }
}
