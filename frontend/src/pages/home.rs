//! The landing page at `/`.

use leptos::prelude::*;

use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::paths;

/// What the service is, and the way to the status page.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let status_href = paths::RECEIPT.in_lang([], lang);
    let privacy_href = paths::PRIVACY.in_lang([], lang);
    view! {
        <Shell title=t.common.app_name.to_string() path=paths::HOME.href() assets=None>
            <h1>{t.common.app_name}</h1>
            <p>{t.site.home_intro}</p>
            <p><a class="button" href=status_href>{t.site.home_status_link}</a></p>
            <p><a href=privacy_href>{t.common.privacy_link}</a></p>
        </Shell>
    }
}
