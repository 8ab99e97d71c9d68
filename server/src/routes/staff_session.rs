//! Staff sign-in for the HTML pages: the session cookie (HttpOnly, SameSite=Strict) read into a
//! [`PageReviewer`], the CSRF token every state-changing form carries, signing in and out, and
//! changing one's own password.

use std::future::Future;
use std::pin::Pin;
use vocabulary::paths;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use frontend::pages::{LoginPage, PasswordPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::i18n::Lang;

use super::errors::Failure;
use super::lang_of;
use crate::auth::{self, COOKIE};
use crate::domain::problem::{self, Problem};
use crate::render::html;
use crate::service::staff::{self as service, Reviewer};
use crate::state::AppState;

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
                .insert_header((header::LOCATION, paths::LOGIN.href()))
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
        .path(paths::Scope::Staff.prefix())
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

pub(super) async fn login_form(req: HttpRequest, query: web::Query<ChangedQuery>) -> HttpResponse {
    let lang = lang_of(&req);
    let changed = query.changed.is_some();
    html(
        StatusCode::OK,
        lang,
        move || view! { <LoginPage error=None changed=changed/> },
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

pub(super) async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    match service::login(&state, &form.username, &form.password).await {
        Ok(signed_in) => {
            let cookie = Cookie::build(COOKIE, signed_in.token)
                .path(paths::Scope::Staff.prefix())
                .http_only(true)
                .secure(state.config.secure_cookies)
                .same_site(SameSite::Strict)
                .max_age(CookieDuration::seconds(state.config.session_ttl_secs))
                .finish();
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, signed_in.home.href()))
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
                lang,
                move || view! { <LoginPage error=Some(message)/> },
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

pub(super) async fn logout(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    service::logout(&state, &who.reviewer).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, paths::LOGIN.href()))
        .cookie(expired_cookie())
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

pub(super) async fn password_form(who: PageReviewer, state: web::Data<AppState>) -> HttpResponse {
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    html(StatusCode::OK, lang, move || {
        view! { <PasswordPage who=name csrf=csrf error=None/> }
    })
}

/// Changes the password; every session ends, so the reviewer signs in again.
pub(super) async fn change_password(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    match service::change_password(&state, &who.reviewer, &form.current, &form.new).await {
        Ok(()) => Ok(HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                paths::LOGIN.at_query([], &[("changed", "1")]),
            ))
            .cookie(expired_cookie())
            .finish()),
        Err(p) if p.status == 422 => {
            let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
            let error = Some(p.message(lang).to_string());
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, lang, move || {
                view! { <PasswordPage who=name csrf=csrf error=error/> }
            }))
        }
        Err(p) => Err(who.fail(p)),
    }
}
