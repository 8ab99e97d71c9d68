//! HTTP routes: thin handlers that parse, call `service`, and render or serialise.

pub mod admin_account_pages;
pub mod admin_api;
pub mod admin_pages;
pub mod api;
pub mod appraisal_api;
pub mod appraisal_pages;
pub mod appraisal_resident;
pub mod assets;
pub mod errors;
pub mod extract;
pub mod group_pages;
pub mod health;
pub mod held_api;
pub mod issue_pages;
pub mod issues_api;
pub mod limits;
pub mod notice_pages;
pub mod openapi;
pub mod resident;
pub mod resident_api;
pub mod staff_api;
pub mod staff_pages;
pub mod staff_session;
pub mod statistics_api;
pub mod statistics_pages;
pub mod subjects_api;
pub mod submission;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use vocabulary::i18n::Lang;

use crate::state::AppState;

/// A photo for a signed-in reviewer: private, never stored by shared caches.
pub fn jpeg_response(jpeg: Vec<u8>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("Cache-Control", "private, no-store"))
        .body(jpeg)
}

/// A file for a signed-in reviewer to save: private, never stored by shared caches.
pub fn download_response(file: crate::service::Download) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", file.name),
        ))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(file.bytes)
}

/// The `?lang=` parameter.
#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The language a request asks for (`?lang=en`), Chinese otherwise.
pub fn lang_of(req: &HttpRequest) -> Lang {
    web::Query::<LangQuery>::from_query(req.query_string())
        .map(|q| Lang::from_param(q.lang.as_deref()))
        .unwrap_or_default()
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db(crate::db::ping_conn).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unreachable")
        }
    }
}

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig, limiter: &limits::Limiters) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics))
        .route("/pkg/{name}", web::get().to(assets::serve))
        .service(api::scope(limiter))
        .service(staff_pages::scope(limiter))
        .configure(|c| resident::configure(c, limiter))
        .configure(|c| appraisal_resident::configure(c, limiter))
        .configure(notice_pages::configure_public);
}

/// Any other path: a Chinese (or English) not-found page.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&errors::Failure::page(
        crate::domain::problem::NOT_FOUND,
        lang_of(&req),
    ))
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test};
    use vocabulary::paths;

    use super::*;

    /// Every page route in `vocabulary::paths` is registered under its own pattern: a link built
    /// from it reaches that route and no other. (The pages link only through `paths`, so this
    /// holds the links and the registration together.)
    #[actix_web::test]
    async fn every_declared_page_route_is_registered_under_its_pattern() {
        let limits = limits::Limiters::new(Default::default());
        let probe = |req: HttpRequest| async move {
            let map = req.resource_map();
            let lines: Vec<_> = paths::ALL
                .iter()
                .map(|route| {
                    let link = route.with_every_parameter("1");
                    let matched = map.match_pattern(&link).unwrap_or_default();
                    (route.pattern(), link, matched)
                })
                .collect();
            HttpResponse::Ok().json(lines)
        };
        let app = test::init_service(
            App::new()
                .route("/__probe", web::get().to(probe))
                .configure(|cfg| configure(cfg, &limits)),
        )
        .await;
        let body =
            test::call_and_read_body(&app, test::TestRequest::get().uri("/__probe").to_request())
                .await;
        let report: Vec<(String, String, String)> =
            serde_json::from_slice(&body).expect("the probe's report");
        assert_eq!(report.len(), paths::ALL.len());
        for (pattern, link, matched) in report {
            assert_eq!(pattern, matched, "{link} is not served by {pattern}");
        }
    }
}
