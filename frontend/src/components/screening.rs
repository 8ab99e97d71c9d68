//! What the villager is shown before sending: numbers that will be masked, and names or
//! addresses that may identify them but are kept unless they change the text.

use leptos::prelude::*;

use crate::lang::use_lang;
use redact::{find_identifiers, find_warnings};
use vocabulary::screening::WarningKind;

/// Whether a text holds anything that may identify its writer and is kept as written.
pub fn needs_confirmation(text: &str) -> bool {
    !find_warnings(text).is_empty()
}

/// The list of what will be masked and what may identify the writer; empty when nothing is found.
/// `names` are possible personal names the server found (jieba) and the page cannot.
#[component]
pub fn ScreeningReport(
    text: String,
    confirming: bool,
    #[prop(optional)] names: Vec<String>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let masked: Vec<(String, &'static str)> = find_identifiers(&text)
        .into_iter()
        .map(|f| (text[f.start..f.end].to_string(), f.kind.mask()))
        .collect();
    let mut warned: Vec<(String, &'static str)> = find_warnings(&text)
        .into_iter()
        .map(|w| (text[w.start..w.end].to_string(), w.kind.label(lang)))
        .collect();
    for name in names.into_iter().filter(|n| text.contains(n.as_str())) {
        if !warned
            .iter()
            .any(|(fragment, _)| fragment.contains(name.as_str()))
        {
            warned.push((name, WarningKind::PersonName.label(lang)));
        }
    }
    let has_masked = !masked.is_empty();
    let has_warned = !warned.is_empty();
    view! {
        <div class="screening" aria-live="polite" data-testid="screening">
            {has_masked.then(|| view! {
                <div class="masked-preview" data-testid="masked-preview">
                    <p>"🔒 " {t.box_page.screen_masked_intro}</p>
                    <ul>{masked.into_iter().map(|(fragment, mask)| view! {
                        <li><mark>{fragment}</mark> " → " {mask}</li>
                    }).collect_view()}</ul>
                </div>
            })}
            {has_warned.then(|| view! {
                <div class="warned" data-testid="identity-warning">
                    <p>"⚠️ " {t.box_page.screen_warn_intro}</p>
                    <ul>{warned.into_iter().map(|(fragment, label)| view! {
                        <li><mark>{fragment}</mark> " (" {label} ")"</li>
                    }).collect_view()}</ul>
                    {confirming.then(|| view! { <p class="confirm" role="alert" data-testid="confirm-question">{t.box_page.screen_confirm}</p> })}
                </div>
            })}
        </div>
    }
}
