//! The HTML pages of merging and rectification under `/staff`: issues, measures, suggestions and
//! the ledger. Forms post back here; success redirects, a refusal on the issue's own forms shows
//! the issue again with the reason.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use frontend::pages::{IssuePage, IssuesPage, LedgerPage, SimilarPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::issues::{
    IssueOpinions, IssueUpdate, LedgerQuery, MeasureUpdate, NewIssue, NewMeasure,
};
use vocabulary::model::{IssueId, OpinionId};
use vocabulary::paths;

use super::errors::Failure;
use super::staff_pages::{SavedQuery, saved_redirect};
use super::staff_session::PageReviewer;
use crate::domain::problem::{self, Problem};
use crate::render::html;
use crate::service::{issues, ledger, suggestions};
use crate::state::AppState;

/// Registers the pages inside the `/staff` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(paths::ISSUES.registered(), web::get().to(list_page))
        .route(paths::ISSUES.registered(), web::post().to(create))
        .route(paths::ISSUES_JOIN.registered(), web::post().to(join))
        .route(paths::ISSUE.registered(), web::get().to(issue_page))
        .route(paths::ISSUE.registered(), web::post().to(handle))
        .route(paths::ISSUE_DETACH.registered(), web::post().to(detach))
        .route(
            paths::ISSUE_MEASURES.registered(),
            web::post().to(add_measure),
        )
        .route(paths::MEASURE.registered(), web::post().to(record_progress))
        .route(paths::SIMILAR.registered(), web::get().to(similar_page))
        .route(paths::LEDGER.registered(), web::get().to(ledger_page))
        .route(
            paths::LEDGER_XLSX.registered(),
            web::get().to(ledger_export),
        );
}

/// A form whose fields may repeat (`opinion=a&opinion=b`), which `web::Form` cannot read.
fn repeated_form<T: serde::de::DeserializeOwned>(
    who: &PageReviewer,
    body: &[u8],
) -> Result<T, Failure> {
    serde_html_form::from_bytes(body).map_err(|_| who.fail(problem::BAD_FORM))
}

/// The merge forms: the queue's, the suggestions' and the opinion page's.
#[derive(Deserialize)]
struct MergeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    opinion: Vec<String>,
    #[serde(default)]
    issue: String,
}

/// The issue's page, saying the change was saved.
fn to_issue(who: &PageReviewer, id: &str) -> HttpResponse {
    saved_redirect(who, &paths::ISSUE.at([&id]))
}

async fn list_page(who: PageReviewer, state: web::Data<AppState>) -> Result<HttpResponse, Failure> {
    let (group, found) = issues::list(&state, &who.reviewer).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <IssuesPage who=name csrf=csrf group=group issues=found/> }
    }))
}

async fn create(
    who: PageReviewer,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let form: MergeForm = repeated_form(&who, &body)?;
    who.check_csrf(&state, &form.csrf)?;
    let new = NewIssue {
        title: form.title,
        opinions: form.opinion,
    };
    let id = issues::create(&state, &who.reviewer, &new).await?;
    Ok(to_issue(&who, &id))
}

async fn join(
    who: PageReviewer,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let form: MergeForm = repeated_form(&who, &body)?;
    who.check_csrf(&state, &form.csrf)?;
    let added = IssueOpinions {
        opinions: form.opinion,
    };
    issues::join(&state, &who.reviewer, &form.issue, &added).await?;
    Ok(to_issue(&who, &form.issue))
}

/// The issue's page, with a refusal of one of its forms when there was one.
async fn render_issue(
    who: &PageReviewer,
    state: &AppState,
    id: &str,
    saved: bool,
    refusal: Option<Problem>,
) -> Result<HttpResponse, Failure> {
    let (issue, people) = issues::find(state, &who.reviewer, id).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(state));
    let status = refusal
        .as_ref()
        .and_then(|p| StatusCode::from_u16(p.status).ok())
        .unwrap_or(StatusCode::OK);
    let error = refusal.map(|p| p.message(lang).to_string());
    Ok(html(status, lang, move || {
        view! { <IssuePage who=name csrf=csrf issue=issue saved=saved error=error people=people/> }
    }))
}

async fn issue_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, Failure> {
    render_issue(&who, &state, &id, query.saved.is_some(), None).await
}

/// Success goes back to the issue; a refusal the reviewer can fix shows it there.
async fn after(
    who: &PageReviewer,
    state: &AppState,
    id: &str,
    outcome: Result<(), Problem>,
) -> Result<HttpResponse, Failure> {
    match outcome {
        Ok(()) => Ok(to_issue(who, id)),
        Err(p) if p.status == 422 || p.status == 409 => {
            render_issue(who, state, id, false, Some(p)).await
        }
        Err(p) => Err(who.fail(p)),
    }
}

/// The issue's handling form.
#[derive(Deserialize)]
struct HandleForm {
    #[serde(default)]
    csrf: String,
    title: Option<String>,
    state: Option<String>,
    reply: Option<String>,
}

async fn handle(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<HandleForm>,
) -> Result<HttpResponse, Failure> {
    let form = form.into_inner();
    who.check_csrf(&state, &form.csrf)?;
    let update = IssueUpdate {
        title: form.title,
        state: form.state,
        reply: form.reply,
    };
    let outcome = issues::handle(&state, &who.reviewer, &id, &update).await;
    after(&who, &state, &id, outcome).await
}

/// The "take out of this issue" button.
#[derive(Deserialize)]
struct DetachForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    opinion: String,
}

async fn detach(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<IssueId>,
    form: web::Form<DetachForm>,
) -> Result<HttpResponse, Failure> {
    who.check_csrf(&state, &form.csrf)?;
    let opinion = OpinionId::from(form.opinion.as_str());
    issues::detach(&state, &who.reviewer, &id, &opinion).await?;
    Ok(to_issue(&who, &id))
}

/// The new-measure form.
#[derive(Deserialize)]
struct MeasureForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    due_on: String,
}

async fn add_measure(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<MeasureForm>,
) -> Result<HttpResponse, Failure> {
    let form = form.into_inner();
    who.check_csrf(&state, &form.csrf)?;
    let new = NewMeasure {
        text: form.text,
        responsible: form.responsible,
        due_on: form.due_on,
    };
    let outcome = issues::add_measure(&state, &who.reviewer, &id, &new)
        .await
        .map(|_| ());
    after(&who, &state, &id, outcome).await
}

/// A measure's progress form; an unticked box is absent, so `done` is false then.
#[derive(Deserialize)]
struct ProgressForm {
    #[serde(default)]
    csrf: String,
    evidence: Option<String>,
    done: Option<String>,
    #[serde(default)]
    issue: String,
}

async fn record_progress(
    who: PageReviewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<ProgressForm>,
) -> Result<HttpResponse, Failure> {
    let form = form.into_inner();
    who.check_csrf(&state, &form.csrf)?;
    let update = MeasureUpdate {
        evidence: form.evidence,
        done: Some(form.done.is_some()),
    };
    match issues::record_progress(&state, &who.reviewer, &id, &update).await {
        Ok(issue) => Ok(to_issue(&who, &issue)),
        Err(p) if p.status == 422 && !form.issue.is_empty() => {
            render_issue(&who, &state, &form.issue, false, Some(p)).await
        }
        Err(p) => Err(who.fail(p)),
    }
}

async fn similar_page(
    who: PageReviewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let groups = suggestions::suggestions(&state, &who.reviewer).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <SimilarPage who=name csrf=csrf groups=groups/> }
    }))
}

async fn ledger_page(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<LedgerQuery>,
) -> Result<HttpResponse, Failure> {
    let query = query.into_inner();
    let (ledger, full) = ledger::ledger(&state, &who.reviewer, &query).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <LedgerPage who=name csrf=csrf ledger=ledger query=query full=full/> }
    }))
}

async fn ledger_export(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<LedgerQuery>,
) -> Result<HttpResponse, Failure> {
    let file = ledger::ledger_workbook(&state, &who.reviewer, &query, who.lang).await?;
    Ok(super::download_response(file))
}
