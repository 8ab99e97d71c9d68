//! The resident's appraisal pages: `/s/{code}` behind a one-time slip, `/a/{code}` behind an
//! open round's poster, and `/a/{code}/change` to change answers with the phone's change key.
//! Nothing here reads an address, a header or a cookie.

use std::collections::HashMap;

use actix_governor::Governor;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use frontend::pages::appraisal_form::AppraisalRefill;
use frontend::pages::{AppraisalFormPage, AppraisalThanksPage};
use leptos::prelude::view;
use vocabulary::i18n::Lang;
use vocabulary::paths;

use super::errors::Failure;
use super::lang_of;
use super::limits::Limiters;
use crate::domain::appraisal_form::Unanswered;
use crate::domain::problem;
use crate::render::html;
use crate::service::appraisal_resident::{self, Entry, normalize_slip};
use crate::state::AppState;

/// Registers the resident appraisal routes.
pub fn configure(cfg: &mut web::ServiceConfig, limits: &Limiters) {
    let limited = || Governor::new(&limits.appraisal_form);
    cfg.service(
        web::resource(paths::SLIP.registered())
            .route(web::get().to(slip_form))
            .route(web::post().to(slip_answer).wrap(limited())),
    )
    .service(
        web::resource(paths::OPEN_ROUND.registered())
            .route(web::get().to(open_form))
            .route(web::post().to(open_answer).wrap(limited())),
    )
    .service(
        web::resource(paths::CHANGE_ANSWERS.registered())
            .route(web::get().to(change_form))
            .route(web::post().to(change_answers).wrap(limited())),
    );
}

/// The form's fields; repeated names keep the last value.
fn fields(body: &[u8], lang: Lang) -> Result<HashMap<String, String>, Failure> {
    let pairs: Vec<(String, String)> =
        serde_html_form::from_bytes(body).map_err(|_| Failure::page(problem::BAD_FORM, lang))?;
    Ok(pairs.into_iter().collect())
}

/// The form page for `entry`, refilled after a refusal.
async fn form_page(
    state: &AppState,
    entry: &Entry,
    changing: bool,
    lang: Lang,
    status: StatusCode,
    refill: AppraisalRefill,
) -> Result<HttpResponse, Failure> {
    let form = appraisal_resident::form(state, entry, changing)
        .await
        .map_err(|p| Failure::page(p, lang))?;
    let assets = state.assets.clone();
    Ok(html(status, lang, move || {
        view! { <AppraisalFormPage form=form refill=refill changing=changing assets=assets/> }
    }))
}

async fn slip_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let entry = Entry::Slip(normalize_slip(&code));
    let refill = AppraisalRefill::default();
    form_page(&state, &entry, false, lang_of(&req), StatusCode::OK, refill).await
}

async fn open_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let entry = Entry::Open(code.into_inner());
    let refill = AppraisalRefill::default();
    form_page(&state, &entry, false, lang_of(&req), StatusCode::OK, refill).await
}

async fn change_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let entry = Entry::Open(code.into_inner());
    let refill = AppraisalRefill::default();
    form_page(&state, &entry, true, lang_of(&req), StatusCode::OK, refill).await
}

/// A fixable refusal shows the form again with every choice kept and the gaps marked; anything
/// else (a used slip, a closed round) is a page of its own.
async fn refused(
    state: &AppState,
    entry: &Entry,
    changing: bool,
    lang: Lang,
    values: HashMap<String, String>,
    why: Unanswered,
) -> Result<HttpResponse, Failure> {
    if why.problem.status != 422 {
        return Err(Failure::page(why.problem, lang));
    }
    let refill = AppraisalRefill {
        error: Some(why.problem.message(lang).to_string()),
        values,
        missing: why.fields,
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    form_page(state, entry, changing, lang, status, refill).await
}

/// Answers sent for the first time: the thank-you page carries the new change key.
async fn first_answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    entry: Entry,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let lang = lang_of(&req);
    let values = fields(&body, lang)?;
    match appraisal_resident::answer(&state, &entry, values.clone()).await {
        Ok((key, round_code)) => {
            let assets = state.assets.clone();
            Ok(html(StatusCode::OK, lang, move || {
                view! { <AppraisalThanksPage round_code=round_code change_key=Some(key) assets=assets/> }
            }))
        }
        Err(why) => refused(&state, &entry, false, lang, values, why).await,
    }
}

async fn slip_answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let entry = Entry::Slip(normalize_slip(&code));
    first_answer(req, state, entry, body).await
}

async fn open_answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    first_answer(req, state, Entry::Open(code.into_inner()), body).await
}

async fn change_answers(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let lang = lang_of(&req);
    let values = fields(&body, lang)?;
    let key = values.get("change").cloned().unwrap_or_default();
    let code = code.into_inner();
    match appraisal_resident::change(&state, &code, &key, values.clone()).await {
        Ok(()) => {
            let assets = state.assets.clone();
            Ok(html(StatusCode::OK, lang, move || {
                view! { <AppraisalThanksPage round_code=code change_key=None assets=assets/> }
            }))
        }
        Err(why) => refused(&state, &Entry::Open(code), true, lang, values, why).await,
    }
}
