//! The web layer's one error type: a [`Problem`] answered as JSON for the API or as an HTML page.

use std::fmt;
use vocabulary::paths;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use frontend::pages::MessagePage;
use vocabulary::i18n::Lang;
use vocabulary::model::ApiError;

use crate::domain::problem::Problem;
use crate::render;

/// The status a refused form is answered with.
pub fn form_status(p: &Problem) -> StatusCode {
    StatusCode::from_u16(p.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
}

/// Whether a problem is about the form (shown on the page again) rather than access or a fault.
/// A full disk is shown on the form too (503): nothing was saved, and what was typed is kept for
/// sending again later.
pub fn is_form_problem(p: &Problem) -> bool {
    matches!(p.status, 409 | 413 | 422) || *p == crate::domain::problem::STORAGE_FULL
}

/// How a failure is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `{code, message}` for the JSON API.
    Json,
    /// A page a person reads.
    Html,
}

/// A problem on its way to the client, in the client's language and format.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub problem: Problem,
    /// Language of the message.
    pub lang: Lang,
    /// JSON or HTML.
    pub format: Format,
}

impl Failure {
    /// A failure of the JSON API.
    pub fn json(problem: Problem, lang: Lang) -> Self {
        Failure {
            problem,
            lang,
            format: Format::Json,
        }
    }

    /// A failure shown as an HTML page.
    pub fn page(problem: Problem, lang: Lang) -> Self {
        Failure {
            problem,
            lang,
            format: Format::Html,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.problem.code)
    }
}

impl ResponseError for Failure {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header(("Cache-Control", "no-store"));
        match self.format {
            Format::Json => response.json(ApiError {
                code: self.problem.code.to_string(),
                message: self.problem.message(self.lang).to_string(),
                names: Vec::new(),
            }),
            Format::Html => response
                .content_type("text/html; charset=utf-8")
                .body(message_page(self.lang, &self.problem)),
        }
    }
}

/// The HTML page for a problem.
pub fn message_page(lang: Lang, problem: &Problem) -> String {
    let t = lang.t();
    let heading = if problem.status == 404 {
        t.common.not_found_heading
    } else {
        t.common.error_heading
    }
    .to_string();
    let message = problem.message(lang).to_string();
    render::to_document(lang, move || {
        leptos::prelude::view! { <MessagePage heading=heading message=message path=paths::HOME.href()/> }
    })
}
