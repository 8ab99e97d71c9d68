//! Server-side rendering of the leptos pages to complete HTML documents.

use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use vocabulary::i18n::Lang;

/// Renders a page (an `<html>` view) to a document string, in `lang`: the one place the
/// language is given; every component below reads it from the context (`use_lang`).
pub fn to_document<V: IntoView + 'static>(
    lang: Lang,
    page: impl FnOnce() -> V + 'static,
) -> String {
    let owner = Owner::new_root(Some(Arc::new(
        hydration_context::SsrSharedContext::new_islands(),
    )));
    let html = owner.with(|| {
        provide_context(lang);
        page().to_html()
    });
    owner.unset();
    format!("<!DOCTYPE html>{html}")
}

/// An HTML response with the given status; never cached, never framed by other sites.
pub fn html<V: IntoView + 'static>(
    status: StatusCode,
    lang: Lang,
    page: impl FnOnce() -> V + 'static,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(to_document(lang, page))
}

#[cfg(test)]
mod tests {
    use frontend::pages::HomePage;

    use super::*;

    /// The language given to the render reaches every component below it, the page's frame
    /// (`<html lang>`, the switch to the other language) and its body alike.
    #[test]
    fn the_language_given_once_reaches_every_component() {
        let english = to_document(Lang::En, || view! { <HomePage/> });
        assert!(english.contains(r#"<html lang="en""#), "{english}");
        assert!(english.contains(Lang::En.t().site.home_intro), "{english}");
        assert!(english.contains(Lang::En.t().site.other_lang_label));
        let chinese = to_document(Lang::Zh, || view! { <HomePage/> });
        assert!(chinese.contains(r#"<html lang="zh-CN""#));
        assert!(chinese.contains(Lang::Zh.t().site.home_intro));
        assert!(!chinese.contains(Lang::En.t().site.home_intro));
    }
}
