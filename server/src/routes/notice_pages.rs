//! Public notices (通报): the group's pages under `/staff/notices` and the township's public
//! board at `/t/{unit}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use frontend::pages::admin::AdminNotice;
use frontend::pages::{NoticeBoardPage, NoticeEditPage, NoticesPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::notices::NoticeDraft;
use vocabulary::paths;

use super::errors::Failure;
use super::lang_of;
use super::staff_pages::{SavedQuery, saved_redirect, show_refusal};
use super::staff_session::{CsrfForm, PageReviewer};
use crate::domain::problem::Problem;
use crate::qr;
use crate::render::html;
use crate::service::notices;
use crate::state::AppState;

/// Registers the group's pages inside the `/staff` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(paths::NOTICES.registered(), web::get().to(list))
        .route(paths::NOTICES.registered(), web::post().to(create))
        .route(paths::NOTICE.registered(), web::get().to(notice_page))
        .route(paths::NOTICE.registered(), web::post().to(edit))
        .route(paths::NOTICE_ACTION.registered(), web::post().to(act));
}

/// Registers the public board.
pub fn configure_public(cfg: &mut web::ServiceConfig) {
    cfg.route(paths::BOARD.registered(), web::get().to(board));
}

/// The draft form; an unchecked box sends no `ledger`.
#[derive(Deserialize)]
struct DraftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    round: String,
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    ledger_from: String,
    #[serde(default)]
    ledger_to: String,
}

impl DraftForm {
    fn draft(&self) -> NoticeDraft {
        NoticeDraft {
            title: self.title.clone(),
            body: self.body.clone(),
            round: self.round.clone(),
            ledger: self.ledger.is_some(),
            ledger_from: self.ledger_from.clone(),
            ledger_to: self.ledger_to.clone(),
        }
    }
}

async fn list(
    who: PageReviewer,
    state: web::Data<AppState>,
    saved: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    let draft = NoticeDraft::default();
    list_with(&who, &state, saved.notice(who.lang), StatusCode::OK, draft).await
}

async fn list_with(
    who: &PageReviewer,
    state: &AppState,
    notice: AdminNotice,
    status: StatusCode,
    draft: NoticeDraft,
) -> Result<HttpResponse, Failure> {
    let (found, rounds, board_url) = notices::list(state, &who.reviewer).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(state));
    Ok(html(status, lang, move || {
        view! { <NoticesPage who=name csrf=csrf notices=found rounds=rounds board_url=board_url notice=notice draft=draft/> }
    }))
}

async fn create(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<DraftForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let draft = form.draft();
    match notices::create(&state, &who.reviewer, &draft).await {
        Ok(id) => Ok(saved_redirect(&who, &paths::NOTICE.at([&id]))),
        Err(p) => show_refusal(&who, p, |n, s| list_with(&who, &state, n, s, draft)).await,
    }
}

async fn notice_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    saved: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    notice_with(&who, &state, &id, saved.notice(who.lang), StatusCode::OK).await
}

async fn notice_with(
    who: &PageReviewer,
    state: &AppState,
    id: &str,
    notice: AdminNotice,
    status: StatusCode,
) -> Result<HttpResponse, Failure> {
    let (found, rounds) = notices::find(state, &who.reviewer, id).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(state));
    Ok(html(status, lang, move || {
        view! { <NoticeEditPage who=name csrf=csrf view=found rounds=rounds notice=notice/> }
    }))
}

/// A refusal on a notice's own forms shows it again with the reason.
async fn refused(
    who: &PageReviewer,
    state: &AppState,
    id: &str,
    p: Problem,
) -> Result<HttpResponse, Failure> {
    show_refusal(who, p, |n, s| notice_with(who, state, id, n, s)).await
}

async fn edit(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<DraftForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    match notices::edit(&state, &who.reviewer, &id, &form.draft()).await {
        Ok(()) => Ok(saved_redirect(&who, &paths::NOTICE.at([&id]))),
        Err(p) => refused(&who, &state, &id, p).await,
    }
}

/// Publishes, withdraws or deletes a notice.
async fn act(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let (id, action) = path.into_inner();
    let (done, back) = match action.as_str() {
        "publish" => (notices::publish(&state, &who.reviewer, &id).await, true),
        "withdraw" => (notices::withdraw(&state, &who.reviewer, &id).await, true),
        "delete" => (notices::delete(&state, &who.reviewer, &id).await, false),
        _ => return Err(who.fail(crate::domain::problem::NOT_FOUND)),
    };
    match done {
        Ok(()) if back => Ok(saved_redirect(&who, &paths::NOTICE.at([&id]))),
        Ok(()) => Ok(saved_redirect(&who, &paths::NOTICES.href())),
        Err(p) => refused(&who, &state, &id, p).await,
    }
}

/// The township's public notices, with a QR code back to the page for the printed poster.
async fn board(
    req: HttpRequest,
    state: web::Data<AppState>,
    unit: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let lang = lang_of(&req);
    let found = notices::board(&state, &unit)
        .await
        .map_err(|p| Failure::page(p, lang))?;
    let svg = qr::svg(&found.url).map_err(|e| {
        tracing::error!(error = %e, "cannot draw the notice board's QR code");
        Failure::page(crate::domain::problem::INTERNAL, lang)
    })?;
    Ok(html(StatusCode::OK, lang, move || {
        view! { <NoticeBoardPage board=found qr_svg=svg/> }
    }))
}
