//! The leading group's own pages: the group (retention, its accounts and their confirmation),
//! the audit trail, and the boxes with their QR codes and posters.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use frontend::pages::admin::AdminNotice;
use frontend::pages::{AuditTrailPage, BoxesPage, GroupPage, PosterPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::paths;

use super::errors::Failure;
use crate::domain::problem::{self};
use crate::domain::roles::{Permission, Role};
use crate::qr;
use crate::render::html;
use crate::service::boxes;
use crate::service::{admin, audit, stats};
use crate::state::AppState;

use super::staff_pages::{SavedQuery, qr_failure, saved_redirect, show_refusal};
use super::staff_session::{CsrfForm, PageReviewer};

/// Adds the group's pages to the `/staff` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(paths::BOXES.registered(), web::get().to(boxes))
        .route(paths::GROUP.registered(), web::get().to(group))
        .route(paths::AUDIT.registered(), web::get().to(audit_trail))
        .route(paths::GROUP.registered(), web::post().to(set_retention))
        .route(
            paths::GROUP_ACCOUNT_CONFIRM.registered(),
            web::post().to(confirm_account),
        )
        .route(paths::BOX_POSTER.registered(), web::get().to(poster))
        .route(paths::BOX_FILE.registered(), web::get().to(qr_file));
}

async fn group(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    group_with(&who, &state, query.notice(who.lang), StatusCode::OK, None).await
}

/// The group page with a notice; `typed` is the retention value of a refused change.
async fn group_with(
    who: &PageReviewer,
    state: &AppState,
    notice: AdminNotice,
    status: StatusCode,
    typed: Option<String>,
) -> Result<HttpResponse, Failure> {
    let overview = stats::overview(state, &who.reviewer).await?;
    let accounts = crate::service::group_accounts::group_accounts(state, &who.reviewer).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(state));
    let awaiting = who.reviewer.staff.role == Role::Member && !who.reviewer.acts_as_member();
    Ok(html(status, lang, move || {
        view! { <GroupPage who=name csrf=csrf overview=overview notice=notice typed=typed accounts=accounts awaiting=awaiting/> }
    }))
}

/// `?before=N` pages back through the audit trail.
#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

async fn audit_trail(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, Failure> {
    let page = audit::trail(&state, &who.reviewer, query.before).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <AuditTrailPage who=name csrf=csrf page=page/> }
    }))
}

/// The retention form.
#[derive(Deserialize)]
pub struct RetentionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    retention_days: String,
}

async fn set_retention(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<RetentionForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let typed = form.retention_days.trim().to_string();
    let changed = match typed.parse() {
        Ok(days) => stats::set_retention(&state, &who.reviewer, days).await,
        Err(_) => Err(problem::RETENTION_INVALID),
    };
    match changed {
        Ok(()) => Ok(saved_redirect(&who, &paths::GROUP.href())),
        Err(p) => show_refusal(&who, p, |n, s| group_with(&who, &state, n, s, Some(typed))).await,
    }
}

async fn confirm_account(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    match crate::service::group_accounts::confirm(&state, &who.reviewer, &id).await {
        Ok(()) => Ok(saved_redirect(&who, &paths::GROUP.href())),
        Err(p) => show_refusal(&who, p, |n, s| group_with(&who, &state, n, s, None)).await,
    }
}

async fn boxes(who: PageReviewer, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    let list = boxes::boxes(&state, &who.reviewer).await?;
    // Admins also get the new-box form, with their area's units.
    let units = if who.reviewer.require(Permission::ManageOrganisation).is_ok() {
        admin::units(&state, &who.reviewer).await?
    } else {
        Vec::new()
    };
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(
        StatusCode::OK,
        lang,
        move || view! { <BoxesPage who=name csrf=csrf boxes=list units=units/> },
    ))
}

/// `qr.svg` or `qr.png`: the box's QR code as a download.
async fn qr_file(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let (id, file) = path.into_inner();
    let (info, code) = boxes::find_box(&state, &who.reviewer, &id).await?;
    let (content_type, body) = match file.as_str() {
        "qr.svg" => ("image/svg+xml", qr::svg(&info.url).map(String::into_bytes)),
        "qr.png" => ("image/png", qr::png(&info.url, 1200)),
        _ => return Err(who.fail(problem::NOT_FOUND)),
    };
    let body = body.map_err(|e| qr_failure(&who, e))?;
    let extension = file.trim_start_matches("qr.");
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"box-{code}.{extension}\""),
        ))
        .body(body))
}

async fn poster(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let (info, _) = boxes::find_box(&state, &who.reviewer, &id).await?;
    let svg = qr::svg(&info.url).map_err(|e| qr_failure(&who, e))?;
    let lang = who.lang;
    let scan = lang.t().group.poster_scan.to_string();
    Ok(html(StatusCode::OK, lang, move || {
        view! { <PosterPage heading=info.township title=info.name url=info.url scan=scan qr_svg=svg/> }
    }))
}
