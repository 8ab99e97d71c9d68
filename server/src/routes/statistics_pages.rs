//! The statistics tables (`/staff/tables`, `.xlsx`, `/{table}.csv`) and the leader-review
//! register (`/staff/reviews`) under `/staff`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use frontend::pages::admin::AdminNotice;
use frontend::pages::{ReviewsPage, TablesPage};
use leptos::prelude::view;
use serde::Deserialize;
use vocabulary::paths;
use vocabulary::statistics::NewReviews;

use super::errors::Failure;
use super::staff_pages::{SavedQuery, saved_redirect, show_refusal};
use super::staff_session::PageReviewer;
use crate::domain::problem;
use crate::render::html;
use crate::service::statistics::{self, TablesFile};
use crate::state::AppState;

/// Registers the pages inside the `/staff` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(paths::TABLES.registered(), web::get().to(tables))
        .route(paths::TABLES_XLSX.registered(), web::get().to(workbook))
        .route(paths::TABLE_FILE.registered(), web::get().to(table_file))
        .route(paths::REVIEWS.registered(), web::get().to(reviews))
        .route(paths::REVIEWS.registered(), web::post().to(record))
        .route(paths::REVIEWS_DELETE.registered(), web::post().to(remove));
}

/// `?year=` (and the saved flag of a redirect).
#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
    saved: Option<String>,
}

impl YearQuery {
    /// The year asked for; a year that is not a number is refused like one out of range.
    fn year(&self) -> Result<Option<i32>, problem::Problem> {
        match self.year.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(y) => y.parse().map(Some).map_err(|_| problem::STAT_YEAR_INVALID),
        }
    }
}

async fn tables(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, Failure> {
    let year = query.year()?;
    let report = statistics::report(&state, &who.reviewer, year, who.lang).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(&state));
    Ok(html(StatusCode::OK, lang, move || {
        view! { <TablesPage who=name csrf=csrf report=report/> }
    }))
}

async fn download(
    who: &PageReviewer,
    state: &AppState,
    query: &YearQuery,
    file: TablesFile,
) -> Result<HttpResponse, Failure> {
    let year = query.year()?;
    let made = statistics::tables_download(state, &who.reviewer, year, file, who.lang).await?;
    Ok(super::download_response(made))
}

async fn workbook(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, Failure> {
    download(&who, &state, &query, TablesFile::Workbook).await
}

async fn table_file(
    who: PageReviewer,
    state: web::Data<AppState>,
    file: web::Path<String>,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, Failure> {
    let file = TablesFile::parse(&file)
        .filter(|f| *f != TablesFile::Workbook)
        .ok_or(problem::NOT_FOUND)?;
    download(&who, &state, &query, file).await
}

async fn reviews(
    who: PageReviewer,
    state: web::Data<AppState>,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, Failure> {
    let year = query.year()?;
    let saved = SavedQuery {
        saved: query.saved.clone(),
    };
    reviews_with(&who, &state, year, saved.notice(who.lang), StatusCode::OK).await
}

async fn reviews_with(
    who: &PageReviewer,
    state: &AppState,
    year: Option<i32>,
    notice: AdminNotice,
    status: StatusCode,
) -> Result<HttpResponse, Failure> {
    let register = statistics::register(state, &who.reviewer, year).await?;
    let (lang, name, csrf) = (who.lang, who.who(), who.csrf(state));
    Ok(html(status, lang, move || {
        view! { <ReviewsPage who=name csrf=csrf register=register notice=notice/> }
    }))
}

/// The register's form; `unit` and `person` repeat (and are absent from the delete button).
#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    pass: String,
    #[serde(default)]
    reviewer: String,
    #[serde(default)]
    unit: Vec<String>,
    #[serde(default)]
    person: Vec<String>,
}

async fn record(
    who: PageReviewer,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let form: ReviewForm = serde_html_form::from_bytes(&body).map_err(|_| problem::BAD_FORM)?;
    who.check_csrf(&state, &form.csrf)?;
    let year = form.year.trim().parse().ok();
    let new = NewReviews {
        year: year.unwrap_or_default(),
        pass: form.pass.trim().parse().unwrap_or(0),
        reviewer: form.reviewer,
        units: form.unit,
        people: form.person,
    };
    match statistics::record(&state, &who.reviewer, &new).await {
        Ok(_) => Ok(saved_redirect(
            &who,
            &paths::REVIEWS.at_query([], &[("year", new.year)]),
        )),
        Err(p) => show_refusal(&who, p, |n, s| reviews_with(&who, &state, year, n, s)).await,
    }
}

/// The delete button of one reviewer's records in one pass (the register's fields, no subjects).
async fn remove(
    who: PageReviewer,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, Failure> {
    let form: ReviewForm = serde_html_form::from_bytes(&body).map_err(|_| problem::BAD_FORM)?;
    who.check_csrf(&state, &form.csrf)?;
    let year: i32 = form.year.trim().parse().unwrap_or_default();
    let pass: u8 = form.pass.trim().parse().unwrap_or_default();
    statistics::remove(&state, &who.reviewer, (year, pass), &form.reviewer).await?;
    Ok(saved_redirect(
        &who,
        &paths::REVIEWS.at_query([], &[("year", year)]),
    ))
}
