//! Islands of the appraisal form: keep the resident's choices on the phone until they are
//! sent, and keep the change key after. Only `localStorage` is used, never a cookie.

use leptos::prelude::*;

use vocabulary::i18n::Lang;

/// Restores the choices kept on this phone into the form `#appraisal-form`, keeps every new
/// choice, and (when `changing`) fills in the change key this phone kept.
#[island]
pub fn KeepProgress(lang: Lang, round_code: String, changing: bool) -> impl IntoView {
    let t = lang.t();
    let kept = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        crate::components::browser::mark_hydrated();
        Effect::new(move |_| {
            storage::restore_and_watch(&round_code, changing);
            kept.set(true);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (round_code, changing);
    view! { <p class="hint" hidden=move || !kept.get() data-testid="progress-kept">{t.box_page.ap_saved_hint}</p> }
}

/// After sending: forgets the kept choices and keeps the change key on this phone.
#[island]
pub fn RememberChange(round_code: String, change_key: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        crate::components::browser::mark_hydrated();
        Effect::new(move |_| storage::finish(&round_code, &change_key));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (round_code, change_key);
}

#[cfg(feature = "hydrate")]
mod storage {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{HtmlFormElement, HtmlInputElement, HtmlTextAreaElement};

    use crate::components::browser::{document, local};

    fn draft_key(code: &str) -> String {
        format!("mss-appraisal-{code}")
    }

    fn change_key(code: &str) -> String {
        format!("mss-change-{code}")
    }

    /// Every chosen level and written answer of the form, as `name=value` pairs.
    fn choices(form: &HtmlFormElement) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Ok(nodes) = form.query_selector_all("input[type=radio]:checked, textarea") else {
            return out;
        };
        for i in 0..nodes.length() {
            let Some(node) = nodes.item(i) else { continue };
            if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                out.push((input.name(), input.value()));
            } else if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>()
                && !area.value().is_empty()
            {
                out.push((area.name(), area.value()));
            }
        }
        out
    }

    /// Puts one kept choice back.
    fn restore(form: &HtmlFormElement, name: &str, value: &str) {
        let quoted = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let radio = format!(
            "input[type=radio][name=\"{}\"][value=\"{}\"]",
            quoted(name),
            quoted(value)
        );
        if let Ok(Some(el)) = form.query_selector(&radio)
            && let Some(input) = el.dyn_ref::<HtmlInputElement>()
        {
            input.set_checked(true);
            return;
        }
        let area = format!("textarea[name=\"{}\"]", quoted(name));
        if let Ok(Some(el)) = form.query_selector(&area)
            && let Some(area) = el.dyn_ref::<HtmlTextAreaElement>()
            && area.value().is_empty()
        {
            area.set_value(value);
        }
    }

    /// Restores what was kept and keeps each change from now on.
    pub fn restore_and_watch(code: &str, changing: bool) {
        let (Some(store), Some(doc)) = (local(), document()) else {
            return;
        };
        let Some(form) = doc
            .get_element_by_id("appraisal-form")
            .and_then(|el| el.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if let Ok(Some(kept)) = store.get_item(&draft_key(code)) {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(&kept).unwrap_or_default();
            for (name, value) in pairs {
                restore(&form, &name, &value);
            }
        }
        if changing
            && let Ok(Some(key)) = store.get_item(&change_key(code))
            && let Ok(Some(el)) = form.query_selector("input[name=change]")
            && let Some(input) = el.dyn_ref::<HtmlInputElement>()
            && input.value().is_empty()
        {
            input.set_value(&key);
        }
        let watched = form.clone();
        let key = draft_key(code);
        let keep = Closure::<dyn Fn()>::new(move || {
            let encoded = serde_urlencoded::to_string(choices(&watched)).unwrap_or_default();
            let _ = store.set_item(&key, &encoded);
        });
        for event in ["change", "input"] {
            let _ = form.add_event_listener_with_callback(event, keep.as_ref().unchecked_ref());
        }
        // The listener lives as long as the page.
        keep.forget();
    }

    /// Forgets the kept choices; keeps the change key when there is a new one.
    pub fn finish(code: &str, key: &str) {
        let Some(store) = local() else { return };
        let _ = store.remove_item(&draft_key(code));
        if !key.is_empty() {
            let _ = store.set_item(&change_key(code), key);
        }
    }
}
