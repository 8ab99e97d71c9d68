//! "我们如何保护你": what is kept and what is never kept, in plain words.

use leptos::prelude::*;

use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::paths;

/// The public privacy page at `/privacy`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    view! {
        <Shell title=t.site.privacy_heading.to_string() path=paths::PRIVACY.href() assets=None>
            <h1>{t.site.privacy_heading}</h1>
            <p>{t.site.privacy_intro}</p>
            {t.site.privacy_sections.iter().map(|section| view! {
                <section class="notice">
                    <h2>{section.heading}</h2>
                    <ul>{section.items.iter().map(|item| view! { <li>{*item}</li> }).collect_view()}</ul>
                </section>
            }).collect_view()}
        </Shell>
    }
}
