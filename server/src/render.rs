//! Server-side rendering of the leptos pages to complete HTML documents.

use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use leptos::prelude::*;
use leptos::reactive::owner::Owner;

/// Renders a page (an `<html>` view) to a document string.
pub fn to_document<V: IntoView + 'static>(page: impl FnOnce() -> V + 'static) -> String {
    let owner = Owner::new_root(Some(Arc::new(
        hydration_context::SsrSharedContext::new_islands(),
    )));
    let html = owner.with(|| page().to_html());
    owner.unset();
    format!("<!DOCTYPE html>{html}")
}

/// An HTML response with the given status; never cached, never framed by other sites.
pub fn html<V: IntoView + 'static>(
    status: StatusCode,
    page: impl FnOnce() -> V + 'static,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(to_document(page))
}
