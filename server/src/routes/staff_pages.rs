//! The leading group's HTML pages: the `/staff` scope, the opinion queue and an opinion's page
//! with what a reviewer does there (handle, ask, step aside, tag, subjects, held opinions).
//! Sign-in and the session are in `staff_session.rs`, the group's own pages in `group_pages.rs`.

use actix_governor::Governor;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use frontend::pages::admin::AdminNotice;
use frontend::pages::{OpinionPage, QueuePage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::i18n::Lang;
use vocabulary::model::{ChangeId, OpinionId, PersonId, QueueQuery};
use vocabulary::paths;

use super::errors::Failure;
use super::limits::Limiters;
use super::staff_session::{
    CsrfForm, PageReviewer, change_password, login, login_form, logout, password_form,
};
use crate::domain::problem::{self, Problem};
use crate::qr;
use crate::render::html;
use crate::service::reviewing;
use crate::service::{suggestions, targets};
use crate::state::AppState;

/// The `/staff` scope.
pub fn scope(limits: &Limiters) -> impl actix_web::dev::HttpServiceFactory + use<> {
    web::scope(paths::Scope::Staff.prefix())
        .wrap(actix_web::middleware::from_fn(
            super::extract::localise_page_failures,
        ))
        .route(paths::QUEUE.registered(), web::get().to(queue))
        .route(paths::QUEUE_SLASH.registered(), web::get().to(queue))
        .service(
            web::resource(paths::LOGIN.registered())
                .route(web::get().to(login_form))
                .route(
                    web::post()
                        .to(login)
                        .wrap(Governor::new(&limits.login_form)),
                ),
        )
        .route(paths::LOGOUT.registered(), web::post().to(logout))
        .route(paths::OPINION.registered(), web::get().to(opinion))
        .route(paths::OPINION.registered(), web::post().to(handle))
        .route(paths::OPINION_MESSAGES.registered(), web::post().to(ask))
        .route(paths::OPINION_RECUSE.registered(), web::post().to(recuse))
        .route(
            paths::SUBJECT_REMOVALS.registered(),
            web::post().to(propose_removal),
        )
        .route(
            paths::SUBJECT_REMOVAL.registered(),
            web::post().to(confirm_removal),
        )
        .route(paths::HELD.registered(), web::get().to(held_page))
        .route(paths::HELD_ACCEPT.registered(), web::post().to(accept_held))
        .route(paths::OPINION_TARGET.registered(), web::post().to(tag))
        .route(paths::PASSWORD.registered(), web::get().to(password_form))
        .service(
            web::resource(paths::PASSWORD.registered()).route(
                web::post()
                    .to(change_password)
                    .wrap(Governor::new(&limits.login_form)),
            ),
        )
        .configure(super::admin_pages::configure)
        .configure(super::issue_pages::configure)
        .configure(super::appraisal_pages::configure)
        .configure(super::notice_pages::configure)
        .configure(super::statistics_pages::configure)
        .route(paths::OPINION_PHOTO.registered(), web::get().to(photo))
        .configure(super::group_pages::configure)
}

/// `?tagged=1` after tagging moved an opinion out of the reviewer's view.
#[derive(Deserialize)]
pub struct TaggedQuery {
    tagged: Option<String>,
}

async fn queue(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
    notice: web::Query<TaggedQuery>,
) -> Result<HttpResponse, Failure> {
    let query = query.into_inner();
    let tagged = notice.tagged.is_some();
    let inbox = reviewing::inbox(&state, &who.reviewer, &query).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! {
            <QueuePage who=name csrf=csrf group=inbox.group opinions=inbox.page.opinions
                next=inbox.page.next counts=inbox.counts villages=inbox.villages targets=inbox.targets
                query=query tagged=tagged/>
        }
    }))
}

/// `?saved=1` after a successful change.
#[derive(Deserialize)]
pub struct SavedQuery {
    /// Present after a successful change.
    pub saved: Option<String>,
}

impl SavedQuery {
    /// The notice of a page reached after a change: "saved" when it was.
    pub fn notice(&self, lang: Lang) -> AdminNotice {
        match self.saved {
            Some(_) => saved_notice(lang),
            None => AdminNotice::default(),
        }
    }
}

/// The notice saying a change was saved.
pub(super) fn saved_notice(lang: Lang) -> AdminNotice {
    AdminNotice {
        ok: Some(lang.t().common.saved.to_string()),
        error: None,
    }
}

/// The notice of a refused form.
pub(super) fn refused_notice(lang: Lang, p: &Problem) -> AdminNotice {
    AdminNotice {
        ok: None,
        error: Some(p.message(lang).to_string()),
    }
}

/// A refused form: a problem the reviewer can fix shows the form's page again (`show`, given
/// the reason and the status); access problems and faults become error pages.
pub(super) async fn show_refusal<F, Fut>(
    who: &PageReviewer,
    p: Problem,
    show: F,
) -> Result<HttpResponse, Failure>
where
    F: FnOnce(AdminNotice, StatusCode) -> Fut,
    Fut: std::future::Future<Output = Result<HttpResponse, Failure>>,
{
    if super::errors::is_form_problem(&p) {
        show(refused_notice(who.lang, &p), super::errors::form_status(&p)).await
    } else {
        Err(who.fail(p))
    }
}

async fn opinion(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    let found = reviewing::opinion(&state, &who.reviewer, &id).await?;
    let suggestions = suggestions::for_opinion(&state, &who.reviewer, &found).await?;
    let subjects = crate::service::subjects::of_opinion(&state, &who.reviewer, &found.id).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    let saved = query.saved.is_some();
    Ok(html(StatusCode::OK, lang, move || {
        view! { <OpinionPage who=name csrf=csrf opinion=found saved=saved suggestions=suggestions subjects=subjects/> }
    }))
}

async fn photo(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, Failure> {
    let (id, number) = path.into_inner();
    let jpeg = reviewing::photo(&state, &who.reviewer, &id, number).await?;
    Ok(super::jpeg_response(jpeg))
}

/// The opinion page's form.
#[derive(Deserialize)]
pub struct HandleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    state: String,
    reply: Option<String>,
}

async fn handle(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<HandleForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    reviewing::handle(
        &state,
        &who.reviewer,
        &id,
        Some(&form.state),
        form.reply.as_deref(),
    )
    .await?;
    Ok(saved_redirect(&who, &paths::OPINION.at([&id])))
}

/// Back to a staff page (`page` is its path), saying the change was saved.
pub(super) fn saved_redirect(who: &PageReviewer, page: &str) -> HttpResponse {
    let lang = if who.lang == Lang::En { "&lang=en" } else { "" };
    let join = if page.contains('?') { '&' } else { '?' };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{page}{join}saved=1{lang}")))
        .finish()
}

async fn recuse(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    reviewing::recuse(&state, &who.reviewer, &id).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, paths::QUEUE.href()))
        .finish())
}

/// Proposing to remove a wrongly matched subject.
#[derive(Deserialize)]
pub struct RemovalForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    person_id: String,
}

async fn propose_removal(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<OpinionId>,
    form: web::Form<RemovalForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let person = PersonId::from(form.person_id.as_str());
    crate::service::subjects::propose_removal(&state, &who.reviewer, &id, &person).await?;
    Ok(saved_redirect(&who, &paths::OPINION.at([&id])))
}

async fn confirm_removal(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(OpinionId, ChangeId)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let (id, change) = path.into_inner();
    crate::service::subjects::confirm_removal(&state, &who.reviewer, &id, &change).await?;
    Ok(saved_redirect(&who, &paths::OPINION.at([&id])))
}

/// The held (待核) opinions, apart from the queue.
async fn held_page(who: PageReviewer, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    let opinions = crate::service::held::list(&state, &who.reviewer).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <frontend::pages::HeldPage who=name csrf=csrf opinions=opinions/> }
    }))
}

/// Accepting one held opinion (`id`) or all of them into the queue.
#[derive(Deserialize)]
pub struct AcceptHeldForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: Option<String>,
}

async fn accept_held(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<AcceptHeldForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let only = form.id.clone().filter(|id| !id.is_empty());
    crate::service::held::accept(&state, &who.reviewer, only).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, paths::HELD.href()))
        .finish())
}

/// The tagging form on the opinion page.
#[derive(Deserialize)]
pub struct TagForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    about: String,
}

async fn tag(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<TagForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let still_visible = targets::set_target(&state, &who.reviewer, &id, &form.about).await?;
    if still_visible {
        return Ok(saved_redirect(&who, &paths::OPINION.at([&id])));
    }
    let query: &[(&str, &str)] = match who.lang {
        Lang::Zh => &[("tagged", "1")],
        Lang::En => &[("tagged", "1"), ("lang", "en")],
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, paths::QUEUE.at_query([], query)))
        .finish())
}

/// The question form on the opinion page.
#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

async fn ask(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<AskForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    reviewing::ask(&state, &who.reviewer, &id, &form.text).await?;
    Ok(saved_redirect(&who, &paths::OPINION.at([&id])))
}

pub(super) fn qr_failure(who: &PageReviewer, error: qr::QrError) -> Failure {
    tracing::error!(error = %error, "cannot draw a QR code");
    who.fail(problem::INTERNAL)
}
