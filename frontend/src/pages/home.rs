//! The landing page at `/`.

use leptos::prelude::*;

use crate::components::Shell;
use crate::i18n::Lang;

/// What the service is, and the way to the status page.
#[component]
pub fn HomePage(lang: Lang) -> impl IntoView {
    let t = lang.t();
    let status_href = if lang == Lang::En { "/r?lang=en" } else { "/r" };
    let privacy_href = if lang == Lang::En {
        "/privacy?lang=en"
    } else {
        "/privacy"
    };
    view! {
        <Shell lang=lang title=t.app_name.to_string() path="/".to_string() assets=None>
            <h1>{t.app_name}</h1>
            <p>{t.home_intro}</p>
            <p><a class="button" href=status_href>{t.home_status_link}</a></p>
            <p><a href=privacy_href>{t.privacy_link}</a></p>
        </Shell>
    }
}
