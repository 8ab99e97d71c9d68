//! The leading group's appraisal pages under `/staff`: rounds, questionnaires, one round with
//! its slips, poster and notes, and the results. Forms post back here; success redirects with
//! `saved=1`, a refusal shows the page again with the reason.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use base64::Engine;
use frontend::pages::admin::AdminNotice;
use frontend::pages::{
    AppraisalPage, PosterPage, QuestionnairePage, QuestionnairesPage, ResultsPage, RoundPage,
    SlipsPage,
};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::appraisal::{ItemKind, NewRound, QuestionItem, Questionnaire, RoundNote, Subject};
use vocabulary::paths;

use super::errors::Failure;
use super::staff_pages::{SavedQuery, qr_failure, saved_redirect, show_refusal};
use super::staff_session::{CsrfForm, PageReviewer};
use crate::domain::appraisal_form::MAX_ITEMS;
use crate::domain::day::today;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::qr;
use crate::render::html;
use crate::service::{appraisal, appraisal_results};
use crate::sheets::SheetFormat;
use crate::state::AppState;

/// Registers the pages inside the `/staff` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(paths::APPRAISAL.registered(), web::get().to(overview))
        .route(paths::APPRAISAL.registered(), web::post().to(open_round))
        .route(paths::ROUND.registered(), web::get().to(round_page))
        .route(paths::ROUND_SLIPS.registered(), web::post().to(make_slips))
        .route(paths::ROUND_CLOSE.registered(), web::post().to(close_round))
        .route(paths::ROUND_HELD.registered(), web::post().to(settle_held))
        .route(paths::ROUND_NOTES.registered(), web::post().to(set_note))
        .route(paths::ROUND_POSTER.registered(), web::get().to(poster))
        .route(paths::ROUND_RESULTS.registered(), web::get().to(results))
        .route(
            paths::ROUND_RESULTS_FILE.registered(),
            web::get().to(results_file),
        )
        .route(
            paths::QUESTIONNAIRES.registered(),
            web::get().to(questionnaires),
        )
        .route(
            paths::QUESTIONNAIRES.registered(),
            web::post().to(copy_template),
        )
        .route(
            paths::QUESTIONNAIRE.registered(),
            web::get().to(questionnaire_page),
        )
        .route(
            paths::QUESTIONNAIRE.registered(),
            web::post().to(edit_questionnaire),
        );
}

async fn overview(
    who: PageReviewer,
    state: web::Data<AppState>,
    saved: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    overview_with(&who, &state, saved.notice(who.lang), StatusCode::OK).await
}

async fn overview_with(
    who: &PageReviewer,
    state: &AppState,
    notice: AdminNotice,
    status: StatusCode,
) -> Result<HttpResponse, Failure> {
    let found = appraisal::overview(state, &who.reviewer).await?;
    let (lang, name, csrf, day) = (who.lang, who.who(), who.csrf(state), today());
    Ok(html(status, lang, move || {
        view! { <AppraisalPage who=name csrf=csrf overview=found notice=notice today=day.into()/> }
    }))
}

/// The new-round form; `subject` repeats.
#[derive(Deserialize)]
struct RoundForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    questionnaire: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    subject: Vec<String>,
}

async fn open_round(
    who: PageReviewer,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let form: RoundForm = serde_html_form::from_bytes(&body).map_err(|_| problem::BAD_FORM)?;
    who.check_csrf(&state, &form.csrf)?;
    let new = NewRound {
        name: form.name,
        questionnaire: form.questionnaire,
        mode: form.mode,
        opens_on: form.opens_on,
        closes_on: form.closes_on,
        subjects: form.subject,
    };
    match appraisal::open_round(&state, &who.reviewer, &new).await {
        Ok(id) => Ok(saved_redirect(&who, &paths::ROUND.at([&id]))),
        Err(p) => show_refusal(&who, p, |n, s| overview_with(&who, &state, n, s)).await,
    }
}

async fn round_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    saved: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    round_with(&who, &state, &id, saved.notice(who.lang), StatusCode::OK).await
}

async fn round_with(
    who: &PageReviewer,
    state: &AppState,
    id: &str,
    notice: AdminNotice,
    status: StatusCode,
) -> Result<HttpResponse, Failure> {
    let round = appraisal::round(state, &who.reviewer, id).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(state));
    Ok(html(status, lang, move || {
        view! { <RoundPage who=name csrf=csrf round=round notice=notice/> }
    }))
}

/// A refusal on the round's own forms shows the round again with the reason.
async fn round_refused(
    who: &PageReviewer,
    state: &AppState,
    id: &str,
    p: Problem,
) -> Result<HttpResponse, Failure> {
    show_refusal(who, p, |n, s| round_with(who, state, id, n, s)).await
}

#[derive(Deserialize)]
struct SlipForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    count: String,
}

/// The printable slips: the only time their codes are shown.
async fn make_slips(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<SlipForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let count = form.count.trim().parse().unwrap_or(0);
    let batch = match appraisal::make_slips(&state, &who.reviewer, &id, count).await {
        Ok(batch) => batch,
        Err(p) => return round_refused(&who, &state, &id, p).await,
    };
    // Up to 2,000 PNGs: drawn off the async workers.
    let urls = batch.urls.clone();
    let qr_pngs = web::block(move || {
        urls.iter()
            .map(|url| {
                qr::png(url, 240).map(|png| {
                    format!(
                        "data:image/png;base64,{}",
                        base64::engine::general_purpose::STANDARD.encode(png)
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|_| problem::INTERNAL)?
    .map_err(|e| qr_failure(&who, e))?;
    let lang = who.lang;
    Ok(html(StatusCode::OK, lang, move || {
        view! { <SlipsPage batch=batch qr_pngs=qr_pngs/> }
    }))
}

async fn close_round(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    match appraisal::close_round(&state, &who.reviewer, &id).await {
        Ok(()) => Ok(saved_redirect(&who, &paths::ROUND.at([&id]))),
        Err(p) => round_refused(&who, &state, &id, p).await,
    }
}

#[derive(Deserialize)]
struct HeldForm {
    #[serde(default)]
    csrf: String,
    decision: vocabulary::appraisal::HeldDecision,
}

/// Counts in or discards the round's held answers (待核) after a 刷票 alert.
async fn settle_held(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<HeldForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    match appraisal::settle_held(&state, &who.reviewer, &id, form.decision).await {
        Ok(_) => Ok(saved_redirect(&who, &paths::ROUND.at([&id]))),
        Err(p) => round_refused(&who, &state, &id, p).await,
    }
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    note: String,
}

async fn set_note(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let note = RoundNote {
        subject: form.subject.clone(),
        note: form.note.clone(),
    };
    match appraisal::set_note(&state, &who.reviewer, &id, &note).await {
        Ok(()) => Ok(saved_redirect(&who, &paths::ROUND.at([&id]))),
        Err(p) => round_refused(&who, &state, &id, p).await,
    }
}

/// The A4 poster of an open round's public form.
async fn poster(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let round = appraisal::round(&state, &who.reviewer, &id).await?;
    let svg = qr::svg(&round.public_url).map_err(|e| qr_failure(&who, e))?;
    let lang = who.lang;
    let scan = lang.t().appraisal.ap_slip_scan.to_string();
    Ok(html(StatusCode::OK, lang, move || {
        view! { <PosterPage heading=round.questionnaire.title title=round.name url=round.public_url scan=scan qr_svg=svg/> }
    }))
}

async fn results(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let found = appraisal_results::results(&state, &who.reviewer, &id).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <ResultsPage who=name csrf=csrf results=found/> }
    }))
}

/// The results as `results.xlsx` or `results.csv`.
async fn results_file(
    who: PageReviewer,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let (id, ext) = path.into_inner();
    let format = SheetFormat::from_extension(&ext).ok_or(problem::NOT_FOUND)?;
    let file =
        appraisal_results::results_download(&state, &who.reviewer, &id, format, who.lang).await?;
    Ok(super::download_response(file))
}

fn is_admin(who: &PageReviewer) -> bool {
    who.reviewer.require(Permission::ManageOrganisation).is_ok()
}

async fn questionnaires(
    who: PageReviewer,
    state: web::Data<AppState>,
    saved: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    let found = appraisal::questionnaires(&state, &who.reviewer).await?;
    let shown = saved.notice(who.lang);
    let (lang, name, csrf, admin) = (who.lang, who.who(), who.csrf(&state), is_admin(&who));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <QuestionnairesPage who=name csrf=csrf questionnaires=found notice=shown admin=admin/> }
    }))
}

#[derive(Deserialize)]
struct CopyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    template: String,
}

async fn copy_template(
    who: PageReviewer,
    state: web::Data<AppState>,
    form: web::Form<CopyForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let template = Subject::parse(&form.template).ok_or(problem::BAD_FORM)?;
    let id = appraisal::copy_template(&state, &who.reviewer, template).await?;
    Ok(saved_redirect(&who, &paths::QUESTIONNAIRE.at([&id])))
}

async fn questionnaire_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    saved: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    questionnaire_with(&who, &state, &id, saved.notice(who.lang), StatusCode::OK).await
}

async fn questionnaire_with(
    who: &PageReviewer,
    state: &AppState,
    id: &str,
    notice: AdminNotice,
    status: StatusCode,
) -> Result<HttpResponse, Failure> {
    let found = appraisal::questionnaires(state, &who.reviewer)
        .await?
        .into_iter()
        .find(|q| q.id == id && q.own)
        .ok_or(problem::QUESTIONNAIRE_NOT_FOUND)?;
    let (lang, name, csrf, admin) = (who.lang, who.who(), who.csrf(state), is_admin(who));
    Ok(html(status, lang, move || {
        view! { <QuestionnairePage who=name csrf=csrf view=found notice=notice admin=admin/> }
    }))
}

/// Reads the edit form's rows (`text_0`, `kind_0`, `order_0`, `required_0`, `remove_0`, `key_0`,
/// …): removed and empty rows are dropped, the rest sorted by their order numbers.
fn edited_items(fields: &HashMap<String, String>) -> Vec<QuestionItem> {
    let mut rows: Vec<(i64, usize, QuestionItem)> = Vec::new();
    for n in 0..=MAX_ITEMS {
        let field = |name: &str| fields.get(&format!("{name}_{n}")).map(|v| v.trim());
        let Some(text) = field("text").filter(|t| !t.is_empty()) else {
            continue;
        };
        if field("remove").is_some() {
            continue;
        }
        let order = field("order")
            .and_then(|o| o.parse().ok())
            .unwrap_or(i64::MAX);
        rows.push((
            order,
            n,
            QuestionItem {
                key: field("key").unwrap_or_default().to_string(),
                text: text.to_string(),
                kind: field("kind")
                    .and_then(ItemKind::parse)
                    .unwrap_or(ItemKind::Rating),
                required: field("required").is_some(),
            },
        ));
    }
    rows.sort_by_key(|(order, n, _)| (*order, *n));
    rows.into_iter().map(|(_, _, item)| item).collect()
}

async fn edit_questionnaire(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, form.get("csrf").map_or("", String::as_str))?;
    let edited = Questionnaire {
        title: form.get("title").cloned().unwrap_or_default(),
        // The stored subject is kept whatever is sent.
        subject: Subject::Organisation,
        items: edited_items(&form),
    };
    match appraisal::edit_questionnaire(&state, &who.reviewer, &id, edited).await {
        Ok(()) => Ok(saved_redirect(&who, &paths::QUESTIONNAIRE.at([&id]))),
        Err(p) => show_refusal(&who, p, |n, s| questionnaire_with(&who, &state, &id, n, s)).await,
    }
}
