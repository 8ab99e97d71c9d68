//! A page that only says something: not found, bad request, rate limited.

use leptos::prelude::*;

use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::paths;

/// A heading and one message, with a way back home.
#[component]
pub fn MessagePage(heading: String, message: String, path: String) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    view! {
        <Shell title=heading.clone() path=path assets=None>
            <h1>{heading}</h1>
            <p class="error" role="alert" data-testid="message">{message}</p>
            <p><a class="button secondary" href=paths::HOME.href()>{t.site.back}</a></p>
        </Shell>
    }
}
