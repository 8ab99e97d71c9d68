//! Resident pages: the box page and its plain form POST, the receipt status page, the home page.
//! Nothing here reads an address, a header or a cookie.

use actix_governor::Governor;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use frontend::components::needs_confirmation;
use frontend::pages::box_page::FormRefill;
use frontend::pages::{BoxPage, HomePage, PrivacyPage, ReceiptPage, StatusPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::paths;

use super::errors::{Failure, form_status, is_form_problem};
use super::lang_of;
use super::limits::Limiters;
use super::submission::{OpinionForm, read_opinion_upload, with_submission_routes};
use crate::domain::codes::{is_device_key, new_device_key, normalize_receipt};
use crate::domain::problem::{self, Problem};
use crate::render::html;
use crate::service::{box_token, resident};
use crate::state::AppState;

/// Registers the resident routes.
pub fn configure(cfg: &mut web::ServiceConfig, limits: &Limiters) {
    cfg.route(paths::HOME.registered(), web::get().to(home))
        .route(paths::PRIVACY.registered(), web::get().to(privacy))
        .service(with_submission_routes(
            web::resource(paths::BOX.registered()).route(web::get().to(box_page)),
            &limits.submit_form,
            submit_upload,
            submit_form,
        ))
        .service(
            web::resource(paths::RECEIPT.registered())
                .route(web::get().to(status_form))
                .route(
                    web::post()
                        .to(status_lookup)
                        .wrap(Governor::new(&limits.receipt_form)),
                ),
        )
        .service(
            web::resource(paths::RECEIPT_ANSWER.registered()).route(
                web::post()
                    .to(answer)
                    .wrap(Governor::new(&limits.receipt_form)),
            ),
        );
}

async fn home(req: HttpRequest) -> HttpResponse {
    let lang = lang_of(&req);
    html(StatusCode::OK, lang, move || view! { <HomePage/> })
}

async fn privacy(req: HttpRequest) -> HttpResponse {
    let lang = lang_of(&req);
    html(StatusCode::OK, lang, move || view! { <PrivacyPage/> })
}

async fn box_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let lang = lang_of(&req);
    box_page_with(&state, &code, lang, StatusCode::OK, FormRefill::default()).await
}

/// The box page's form as `multipart/form-data` (the page's own encoding), with photos. The
/// box is looked up before the body is read; a body over a limit is answered with the form
/// refilled as typed, and nothing is stored.
async fn submit_upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, Failure> {
    let lang = lang_of(&req);
    resident::ensure_box(&state, &code)
        .await
        .map_err(|p| Failure::page(p, lang))?;
    match read_opinion_upload(req.headers(), payload).await {
        Ok((form, photos)) => submit(req, state, code, form, photos).await,
        Err(refused) => {
            let p = refused.error.problem();
            let confirming = refused.form.confirmed.is_some();
            let message = p.message(lang).to_string();
            let refill = refill_of(refused.form, Some(message), confirming, refused.had_photos);
            box_page_with(&state, &code, lang, form_status(&p), refill).await
        }
    }
}

/// The box page's form urlencoded (no photos).
async fn submit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<OpinionForm>,
) -> Result<HttpResponse, Failure> {
    submit(req, state, code, form.into_inner(), Vec::new()).await
}

/// A plain form POST: the receipt page on success; the form again, refilled, on a fixable
/// problem. Photos cannot be put back into a file input, so a refilled form asks for them again.
async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: OpinionForm,
    photos: Vec<Vec<u8>>,
) -> Result<HttpResponse, Failure> {
    let lang = lang_of(&req);
    let photos_dropped = !photos.is_empty();
    let names = match form.confirmed {
        Some(_) => Vec::new(),
        None => resident::names_to_confirm(&state, &form.text).await,
    };
    if form.confirmed.is_none() && (needs_confirmation(&form.text) || !names.is_empty()) {
        // Without JavaScript the warning appears on this server-rendered confirmation step.
        let refill = FormRefill {
            names,
            ..refill_of(form, None, true, photos_dropped)
        };
        return box_page_with(&state, &code, lang, StatusCode::OK, refill).await;
    }
    let opinion = form.to_new_opinion();
    let spent = match box_token::spend(
        &state,
        opinion.box_token.as_deref(),
        opinion.submission_key.as_deref(),
    )
    .await
    {
        Ok(spent) => spent,
        Err(p) if is_form_problem(&p) => {
            // Shown again as typed, with a fresh token, so nothing is lost.
            let message = p.message(lang).to_string();
            let confirming = form.confirmed.is_some();
            let refill = refill_of(form, Some(message), confirming, photos_dropped);
            return box_page_with(&state, &code, lang, form_status(&p), refill).await;
        }
        Err(p) => return Err(Failure::page(p, lang)),
    };
    let submitted = resident::submit_opinion(&state, &code, &opinion, photos).await;
    if submitted.is_err() {
        box_token::give_back(&state, spent).await;
    }
    match submitted {
        Ok(receipt) => {
            let box_path = paths::BOX.at([&code.as_str()]);
            Ok(html(
                StatusCode::OK,
                lang,
                move || view! { <ReceiptPage receipt=receipt box_path=box_path/> },
            ))
        }
        Err(p) if p.status == 422 || p.status == 413 || p == problem::STORAGE_FULL => {
            let message = p.message(lang).to_string();
            let confirming = form.confirmed.is_some();
            let refill = refill_of(form, Some(message), confirming, photos_dropped);
            box_page_with(&state, &code, lang, form_status(&p), refill).await
        }
        Err(p) => Err(Failure::page(p, lang)),
    }
}

/// The box form as it was sent, to show again with `error`; photos cannot be put back into a
/// file input, so `photos_dropped` asks for them again.
fn refill_of(
    form: OpinionForm,
    error: Option<String>,
    confirming: bool,
    photos_dropped: bool,
) -> FormRefill {
    let new = form.to_new_opinion();
    FormRefill {
        error,
        confirming,
        contact: new.contact,
        about: new.about,
        escalate: new.escalate,
        category: Some(form.category),
        text: Some(form.text),
        photos_dropped,
        names: Vec::new(),
        submission_key: form.submission_key,
        box_token: String::new(),
    }
}

/// The box page with its form refilled.
async fn box_page_with(
    state: &AppState,
    code: &str,
    lang: vocabulary::i18n::Lang,
    status: StatusCode,
    mut refill: FormRefill,
) -> Result<HttpResponse, Failure> {
    if !is_device_key(&refill.submission_key) {
        refill.submission_key = new_device_key();
    }
    refill.box_token = box_token::issue(&state.config.secret);
    let info = resident::box_info(state, code)
        .await
        .map_err(|p| Failure::page(p, lang))?;
    let assets = state.assets.clone();
    Ok(html(status, lang, move || {
        view! { <BoxPage info=info assets=assets refill=refill/> }
    }))
}

async fn status_form(req: HttpRequest) -> HttpResponse {
    let lang = lang_of(&req);
    html(
        StatusCode::OK,
        lang,
        move || view! { <StatusPage status=None error=None receipt=None/> },
    )
}

/// The fields of the status page's form.
#[derive(Deserialize)]
pub struct ReceiptForm {
    #[serde(default)]
    receipt: String,
}

/// The receipt is posted, never put in a URL, so it stays out of histories and logs.
async fn status_lookup(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ReceiptForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let result = resident::receipt_status(&state, &form.receipt).await;
    status_page(lang, result, &form.receipt, None)
}

/// The fields of the answer form on the status page.
#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    receipt: String,
    #[serde(default)]
    text: String,
}

/// The villager answers the leading group's question; the page shows the thread again.
async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<AnswerForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    match resident::answer(&state, &form.receipt, &form.text).await {
        Ok(status) => status_page(lang, Ok(status), &form.receipt, None),
        Err(p) if p.status == 422 && p != problem::RECEIPT_INVALID => {
            let status = resident::receipt_status(&state, &form.receipt).await;
            status_page(lang, status, &form.receipt, Some(p))
        }
        Err(p) => status_page(lang, Err(p), &form.receipt, None),
    }
}

/// The status page for a look-up result, with `note` explaining a rejected answer.
fn status_page(
    lang: vocabulary::i18n::Lang,
    result: Result<vocabulary::model::OpinionStatus, Problem>,
    typed: &str,
    note: Option<Problem>,
) -> HttpResponse {
    let code =
        |p: &Problem| StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match result {
        Ok(status) => {
            let http = note.as_ref().map_or(StatusCode::OK, code);
            let error = note.map(|p| p.message(lang).to_string());
            let receipt = normalize_receipt(typed);
            html(http, lang, move || {
                view! { <StatusPage status=Some(status) error=error receipt=receipt/> }
            })
        }
        Err(p) => {
            let message = p.message(lang).to_string();
            html(code(&p), lang, move || {
                view! { <StatusPage status=None error=Some(message) receipt=None/> }
            })
        }
    }
}

/// Answers malformed or oversized resident forms with a clear page instead of a bare error.
pub fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(32 * 1024)
        .error_handler(|err, req| {
            let lang = lang_of(req);
            let problem = match err {
                actix_web::error::UrlencodedError::Overflow { .. } => problem::BODY_TOO_LARGE,
                _ => problem::BAD_FORM,
            };
            actix_web::error::InternalError::from_response(
                err,
                actix_web::ResponseError::error_response(&Failure::page(problem, lang)),
            )
            .into()
        })
}
