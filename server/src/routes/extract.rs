//! What a JSON API handler takes as arguments instead of reading the request itself: the
//! signed-in staff account behind the bearer token ([`ApiStaff`]) and the language the client
//! asked for ([`RequestLang`]). A handler returns `Result<_, Failure>` and uses `?` on the
//! service's `Result<_, Problem>`; [`localise_api_failures`] (JSON) and
//! [`localise_page_failures`] (HTML) answer such a failure in the request's language.

use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, ResponseError, web};
use futures_util::future::LocalBoxFuture;
use vocabulary::i18n::Lang;

use super::errors::{Failure, Format};
use super::lang_of;
use crate::domain::problem::{self, Problem};
use crate::service::staff::{self, Reviewer};
use crate::state::AppState;

/// The language a request asks for (`?lang=en`), Chinese otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLang(pub Lang);

impl FromRequest for RequestLang {
    type Error = Failure;
    type Future = Ready<Result<Self, Failure>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestLang(lang_of(req))))
    }
}

/// The staff account behind the request's `Authorization: Bearer` token, signed in and not
/// revoked; a request without one is answered 401 before the handler runs. What the account
/// may do is checked by the service ([`Reviewer::require`]).
#[derive(Debug)]
pub struct ApiStaff(pub Reviewer);

impl Deref for ApiStaff {
    type Target = Reviewer;

    fn deref(&self) -> &Reviewer {
        &self.0
    }
}

impl FromRequest for ApiStaff {
    type Error = Failure;
    type Future = LocalBoxFuture<'static, Result<Self, Failure>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let lang = lang_of(req);
        let token = bearer_token(req).map(str::to_owned);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let refuse = |p: Problem| Failure::json(p, lang);
            let (Some(token), Some(state)) = (token, state) else {
                return Err(refuse(problem::UNAUTHORIZED));
            };
            staff::authenticate(&state, &token)
                .await
                .map_err(refuse)?
                .map(ApiStaff)
                .ok_or_else(|| refuse(problem::UNAUTHORIZED))
        })
    }
}

/// The token of an `Authorization: Bearer …` header.
fn bearer_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// `?` on a service's [`Problem`] in a handler: a failure that [`localise_api_failures`] or
/// [`localise_page_failures`] answers in the request's language and the scope's format.
impl From<Problem> for Failure {
    fn from(problem: Problem) -> Self {
        Failure::json(problem, Lang::default())
    }
}

/// Answers a failure the API's handlers returned as JSON in the request's language. Wraps the
/// `/api` scope.
pub async fn localise_api_failures(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    relocalise(req, next, Format::Json).await
}

/// Answers a failure the staff pages' handlers returned as an HTML page in the request's
/// language. Wraps the `/staff` scope.
pub async fn localise_page_failures(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    relocalise(req, next, Format::Html).await
}

/// Renders a [`Failure`] the handler returned again when its language or format is not the
/// request's and the scope's: one raised with `?` from a [`Problem`] knows neither.
async fn relocalise(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    format: Format,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let lang = lang_of(req.request());
    let response = next.call(req).await?.map_into_boxed_body();
    let relocalised = response
        .response()
        .error()
        .and_then(|e| e.as_error::<Failure>())
        .filter(|failure| failure.lang != lang || failure.format != format)
        .map(|failure| Failure {
            problem: failure.problem,
            lang,
            format,
        });
    let Some(failure) = relocalised else {
        return Ok(response);
    };
    let mut answer = failure.error_response();
    // Headers set on the way out (a rate limit's, say) stay; the body's own are the new ones.
    for (name, value) in response.headers() {
        if !answer.headers().contains_key(name) {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(response.into_response(answer))
}
