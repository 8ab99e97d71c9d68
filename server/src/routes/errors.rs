//! Turning a [`Problem`] into a response: JSON for the API, an HTML page for people.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use frontend::i18n::Lang;
use frontend::model::ApiError;
use frontend::pages::MessagePage;

use crate::domain::problem::Problem;
use crate::render;

/// A problem answered as JSON `{code, message}`.
#[derive(Debug)]
pub struct ApiFailure {
    /// What went wrong.
    pub problem: Problem,
    /// Language of the message.
    pub lang: Lang,
}

impl ApiFailure {
    /// Wraps a problem for the API, with its message in `lang`.
    pub fn new(problem: Problem, lang: Lang) -> Self {
        ApiFailure { problem, lang }
    }
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.problem.code)
    }
}

impl ResponseError for ApiFailure {
    fn status_code(&self) -> StatusCode {
        status(&self.problem)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).json(ApiError {
            code: self.problem.code.to_string(),
            message: self.problem.message(self.lang).to_string(),
        })
    }
}

/// A problem answered as an HTML page in the reader's language.
#[derive(Debug)]
pub struct PageFailure {
    /// What went wrong.
    pub problem: Problem,
    /// Language of the page.
    pub lang: Lang,
}

impl PageFailure {
    /// Wraps a problem for an HTML page in `lang`.
    pub fn new(problem: Problem, lang: Lang) -> Self {
        PageFailure { problem, lang }
    }
}

impl fmt::Display for PageFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.problem.code)
    }
}

impl ResponseError for PageFailure {
    fn status_code(&self) -> StatusCode {
        status(&self.problem)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .body(message_page(self.lang, &self.problem))
    }
}

/// The HTML page for a problem.
pub fn message_page(lang: Lang, problem: &Problem) -> String {
    let t = lang.t();
    let heading = if problem.status == 404 {
        t.not_found_heading
    } else {
        t.error_heading
    }
    .to_string();
    let message = problem.message(lang).to_string();
    render::to_document(move || {
        leptos::prelude::view! { <MessagePage lang=lang heading=heading message=message path="/".to_string()/> }
    })
}

fn status(problem: &Problem) -> StatusCode {
    StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
