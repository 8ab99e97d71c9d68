//! The leading group's HTML pages. The session is an HttpOnly SameSite=Strict cookie; every
//! state-changing form also carries a CSRF token bound to the session.

use std::future::Future;
use std::pin::Pin;

use actix_governor::Governor;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use frontend::i18n::Lang;
use frontend::model::QueueQuery;
use frontend::pages::admin::AdminNotice;
use frontend::pages::{
    AuditTrailPage, BoxesPage, GroupPage, LoginPage, OpinionPage, PasswordPage, PosterPage,
    QueuePage,
};
use leptos::prelude::view;
use serde::Deserialize;

use super::errors::Failure;
use super::lang_of;
use super::limits::Limiters;
use crate::auth::{self, COOKIE};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::{Permission, Role};
use crate::qr;
use crate::render::html;
use crate::service::staff::{self as service, Reviewer};
use crate::service::{admin, audit, issues, stats, targets};
use crate::state::AppState;

/// The `/staff` scope.
pub fn scope(limits: &Limiters) -> impl actix_web::dev::HttpServiceFactory + use<> {
    web::scope("/staff")
        .wrap(actix_web::middleware::from_fn(
            super::extract::localise_page_failures,
        ))
        .route("", web::get().to(queue))
        .route("/", web::get().to(queue))
        .service(
            web::resource("/login")
                .route(web::get().to(login_form))
                .route(
                    web::post()
                        .to(login)
                        .wrap(Governor::new(&limits.login_form)),
                ),
        )
        .route("/logout", web::post().to(logout))
        .route("/opinions/{id}", web::get().to(opinion))
        .route("/opinions/{id}", web::post().to(handle))
        .route("/opinions/{id}/messages", web::post().to(ask))
        .route("/opinions/{id}/recuse", web::post().to(recuse))
        .route(
            "/opinions/{id}/subjects/removals",
            web::post().to(propose_removal),
        )
        .route(
            "/opinions/{id}/subjects/removals/{change}",
            web::post().to(confirm_removal),
        )
        .route("/held", web::get().to(held_page))
        .route("/held/accept", web::post().to(accept_held))
        .route("/opinions/{id}/target", web::post().to(tag))
        .route("/password", web::get().to(password_form))
        .service(
            web::resource("/password").route(
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
        .route("/opinions/{id}/photos/{number}", web::get().to(photo))
        .route("/boxes", web::get().to(boxes))
        .route("/group", web::get().to(group))
        .route("/audit", web::get().to(audit_trail))
        .route("/group", web::post().to(set_retention))
        .route(
            "/group/accounts/{id}/confirm",
            web::post().to(confirm_account),
        )
        .route("/boxes/{id}/poster", web::get().to(poster))
        .route("/boxes/{id}/{file}", web::get().to(qr_file))
}

/// A reviewer signed in through the session cookie; others are sent to the sign-in page.
pub struct PageReviewer {
    /// The signed-in account.
    pub reviewer: Reviewer,
    /// The page language.
    pub lang: Lang,
}

impl PageReviewer {
    /// The CSRF token of this session, for forms.
    pub fn csrf(&self, state: &AppState) -> String {
        auth::csrf_token(state.hasher.keys(), &self.reviewer.session_id)
    }

    /// The name shown in the navigation bar.
    pub fn who(&self) -> String {
        self.reviewer.staff.display_name.clone()
    }

    /// `CSRF` unless the form carries this session's token.
    pub fn check_csrf(&self, state: &AppState, submitted: &str) -> Result<(), Failure> {
        if auth::csrf_matches(state.hasher.keys(), &self.reviewer.session_id, submitted) {
            Ok(())
        } else {
            Err(Failure::page(problem::CSRF, self.lang))
        }
    }

    /// A problem as a page in the reviewer's language.
    pub fn fail(&self, p: Problem) -> Failure {
        Failure::page(p, self.lang)
    }
}

/// Why a staff page was refused: no session (go sign in) or a real problem.
#[derive(Debug)]
pub enum StaffRefusal {
    /// No valid session: redirect to the sign-in page.
    SignIn,
    /// Anything else.
    Problem(Failure),
}

impl std::fmt::Display for StaffRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("staff page refused")
    }
}

impl ResponseError for StaffRefusal {
    fn status_code(&self) -> StatusCode {
        match self {
            StaffRefusal::SignIn => StatusCode::SEE_OTHER,
            StaffRefusal::Problem(p) => p.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            StaffRefusal::SignIn => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/staff/login"))
                .cookie(expired_cookie())
                .finish(),
            StaffRefusal::Problem(p) => p.error_response(),
        }
    }
}

impl FromRequest for PageReviewer {
    type Error = StaffRefusal;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let lang = lang_of(req);
        let token = req.cookie(COOKIE).map(|c| c.value().to_string());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else {
                return Err(StaffRefusal::SignIn);
            };
            match service::authenticate(&state, &token).await {
                Ok(Some(reviewer)) => Ok(PageReviewer { reviewer, lang }),
                Ok(None) => Err(StaffRefusal::SignIn),
                Err(p) => Err(StaffRefusal::Problem(Failure::page(p, lang))),
            }
        })
    }
}

fn expired_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build(COOKIE, "")
        .path("/staff")
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish();
    cookie.make_removal();
    cookie
}

/// `?changed=1` after a password change.
#[derive(Deserialize)]
pub struct ChangedQuery {
    changed: Option<String>,
}

async fn login_form(req: HttpRequest, query: web::Query<ChangedQuery>) -> HttpResponse {
    let lang = lang_of(&req);
    let changed = query.changed.is_some();
    html(
        StatusCode::OK,
        move || view! { <LoginPage lang=lang error=None changed=changed/> },
    )
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    match service::login(&state, &form.username, &form.password).await {
        Ok(signed_in) => {
            let cookie = Cookie::build(COOKIE, signed_in.token)
                .path("/staff")
                .http_only(true)
                .secure(state.config.secure_cookies)
                .same_site(SameSite::Strict)
                .max_age(CookieDuration::seconds(state.config.session_ttl_secs))
                .finish();
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, signed_in.home))
                .cookie(cookie)
                .finish()
        }
        Err(refused) => {
            let p = refused.problem();
            let status =
                StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = p.message(lang).to_string();
            let mut response = html(
                status,
                move || view! { <LoginPage lang=lang error=Some(message)/> },
            );
            if let Some(wait) = refused.retry_after() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from(wait));
            }
            response
        }
    }
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    /// The session's CSRF token.
    #[serde(default)]
    pub csrf: String,
}

async fn logout(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    service::logout(&state, &who.reviewer).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/staff/login"))
        .cookie(expired_cookie())
        .finish())
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
    let inbox = service::inbox(&state, &who.reviewer, &query).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, move || {
        view! {
            <QueuePage lang=lang who=name csrf=csrf group=inbox.group opinions=inbox.page.opinions
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
        ok: Some(lang.t().saved.to_string()),
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
    let found = service::opinion(&state, &who.reviewer, &id).await?;
    let suggestions = issues::for_opinion(&state, &who.reviewer, &found).await?;
    let subjects = crate::service::subjects::of_opinion(&state, &who.reviewer, &found.id).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    let saved = query.saved.is_some();
    Ok(html(StatusCode::OK, move || {
        view! { <OpinionPage lang=lang who=name csrf=csrf opinion=found saved=saved suggestions=suggestions subjects=subjects/> }
    }))
}

async fn photo(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, Failure> {
    let (id, number) = path.into_inner();
    let jpeg = service::photo(&state, &who.reviewer, &id, number).await?;
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
    service::handle(
        &state,
        &who.reviewer,
        &id,
        Some(&form.state),
        form.reply.as_deref(),
    )
    .await?;
    Ok(saved_redirect(&who, &format!("/staff/opinions/{id}")))
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
    service::recuse(&state, &who.reviewer, &id).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/staff"))
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
    id: web::Path<String>,
    form: web::Form<RemovalForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    crate::service::subjects::propose_removal(&state, &who.reviewer, &id, &form.person_id).await?;
    Ok(saved_redirect(&who, &format!("/staff/opinions/{id}")))
}

async fn confirm_removal(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let (id, change) = path.into_inner();
    crate::service::subjects::confirm_removal(&state, &who.reviewer, &id, &change).await?;
    Ok(saved_redirect(&who, &format!("/staff/opinions/{id}")))
}

/// The held (待核) opinions, apart from the queue.
async fn held_page(who: PageReviewer, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    let opinions = crate::service::held::list(&state, &who.reviewer).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, move || {
        view! { <frontend::pages::HeldPage lang=lang who=name csrf=csrf opinions=opinions/> }
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
        .insert_header((header::LOCATION, "/staff/held"))
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
        return Ok(saved_redirect(&who, &format!("/staff/opinions/{id}")));
    }
    let lang = if who.lang == Lang::En { "&lang=en" } else { "" };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/staff?tagged=1{lang}")))
        .finish())
}

/// The password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

async fn password_form(who: PageReviewer, state: web::Data<AppState>) -> HttpResponse {
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    html(StatusCode::OK, move || {
        view! { <PasswordPage lang=lang who=name csrf=csrf error=None/> }
    })
}

/// Changes the password; every session ends, so the reviewer signs in again.
async fn change_password(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    match service::change_password(&state, &who.reviewer, &form.current, &form.new).await {
        Ok(()) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/staff/login?changed=1"))
            .cookie(expired_cookie())
            .finish()),
        Err(p) if p.status == 422 => {
            let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
            let error = Some(p.message(lang).to_string());
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, move || {
                view! { <PasswordPage lang=lang who=name csrf=csrf error=error/> }
            }))
        }
        Err(p) => Err(who.fail(p)),
    }
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
    service::ask(&state, &who.reviewer, &id, &form.text).await?;
    Ok(saved_redirect(&who, &format!("/staff/opinions/{id}")))
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
    let awaiting =
        who.reviewer.staff.role == Role::Member.as_str() && !who.reviewer.acts_as_member();
    Ok(html(status, move || {
        view! { <GroupPage lang=lang who=name csrf=csrf overview=overview notice=notice typed=typed accounts=accounts awaiting=awaiting/> }
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
    Ok(html(StatusCode::OK, move || {
        view! { <AuditTrailPage lang=lang who=name csrf=csrf page=page/> }
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
        Ok(()) => Ok(saved_redirect(&who, "/staff/group")),
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
        Ok(()) => Ok(saved_redirect(&who, "/staff/group")),
        Err(p) => show_refusal(&who, p, |n, s| group_with(&who, &state, n, s, None)).await,
    }
}

async fn boxes(who: PageReviewer, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    let list = service::boxes(&state, &who.reviewer).await?;
    // Admins also get the new-box form, with their area's units.
    let units = if who.reviewer.require(Permission::ManageOrganisation).is_ok() {
        admin::units(&state, &who.reviewer).await?
    } else {
        Vec::new()
    };
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(
        StatusCode::OK,
        move || view! { <BoxesPage lang=lang who=name csrf=csrf boxes=list units=units/> },
    ))
}

/// `qr.svg` or `qr.png`: the box's QR code as a download.
async fn qr_file(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let (id, file) = path.into_inner();
    let (info, code) = service::find_box(&state, &who.reviewer, &id).await?;
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
    let (info, _) = service::find_box(&state, &who.reviewer, &id).await?;
    let svg = qr::svg(&info.url).map_err(|e| qr_failure(&who, e))?;
    let lang = who.lang;
    let scan = lang.t().poster_scan.to_string();
    Ok(html(StatusCode::OK, move || {
        view! { <PosterPage lang=lang heading=info.township title=info.name url=info.url scan=scan qr_svg=svg/> }
    }))
}

pub(super) fn qr_failure(who: &PageReviewer, error: qr::QrError) -> Failure {
    tracing::error!(error = %error, "cannot draw a QR code");
    who.fail(problem::INTERNAL)
}
