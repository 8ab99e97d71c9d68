//! Browser-only helpers for the hydrated islands: form reading, fetch, clipboard.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FormData, HtmlFormElement, Request, RequestInit, Response};

use vocabulary::i18n::Lang;
use vocabulary::model::{ApiError, Receipt};

/// Marks the document as hydrated, so tests and styles can tell the WASM is running.
pub fn mark_hydrated() {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-hydrated", "1");
    }
}

/// The page's `localStorage`, where the islands keep drafts (never a cookie).
pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The page's document.
pub fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// A submitted form: all its fields (files included) and what the island checks first.
pub struct Submitted {
    /// Every field, ready to send as `multipart/form-data`.
    pub data: FormData,
    /// The opinion text.
    pub text: String,
    /// How many photos were chosen.
    pub photos: usize,
}

/// Reads the submitted form.
pub fn submitted(ev: &leptos::ev::SubmitEvent) -> Option<Submitted> {
    let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = FormData::new_with_form(&form).ok()?;
    let text = data.get("text").as_string().unwrap_or_default();
    let photos = data
        .get_all("photo")
        .iter()
        .filter_map(|v| v.dyn_into::<File>().ok())
        .filter(|f| f.size() > 0.0)
        .count();
    Some(Submitted { data, text, photos })
}

/// Sends the form to the API as `multipart/form-data`. `Err(None)` means the network failed;
/// `Err(Some(error))` carries the server's answer.
pub async fn send_opinion(
    box_code: &str,
    lang: Lang,
    data: &FormData,
) -> Result<Receipt, Option<ApiError>> {
    let lang_query = if lang == Lang::En { "?lang=en" } else { "" };
    let init = RequestInit::new();
    init.set_method("POST");
    // No Content-Type: the browser sets multipart/form-data with its boundary.
    init.set_body(data.as_ref());
    let request = Request::new_with_str_and_init(
        &format!("/api/v1/boxes/{box_code}/opinions{lang_query}"),
        &init,
    )
    .map_err(|_| None)?;
    let window = web_sys::window().ok_or(None)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| None)?
        .dyn_into()
        .map_err(|_| None)?;
    let text = JsFuture::from(response.text().map_err(|_| None)?)
        .await
        .map_err(|_| None)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| None)
    } else {
        Err(serde_json::from_str::<ApiError>(&text).ok())
    }
}

/// Copies text to the clipboard; false where the browser offers no clipboard.
pub fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    let _ = clipboard.write_text(text);
    true
}

/// Waits `ms` milliseconds (for retrying after a lost connection).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The opinion being written, kept on the phone (`localStorage`, never a cookie) until the
/// server acknowledges it, so a reload, a crash or a lost connection loses nothing.
pub mod draft {
    use serde::{Deserialize, Serialize};
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlInputElement, HtmlTextAreaElement};

    use super::{document, local};

    /// What is kept: the category, the text and the opinion's submission key.
    #[derive(Debug, Default, Serialize, Deserialize)]
    pub struct Draft {
        /// The chosen category's name.
        pub category: String,
        /// The text typed.
        pub text: String,
        /// The key that makes sending again harmless.
        pub key: String,
    }

    fn name(box_code: &str) -> String {
        format!("mss-draft-{box_code}")
    }

    fn input(selector: &str) -> Option<HtmlInputElement> {
        document()?.query_selector(selector).ok()??.dyn_into().ok()
    }

    fn textarea() -> Option<HtmlTextAreaElement> {
        document()?
            .get_element_by_id("opinion-text")?
            .dyn_into()
            .ok()
    }

    /// The draft kept for this box, if any.
    pub fn load(box_code: &str) -> Option<Draft> {
        let text = local()?.get_item(&name(box_code)).ok()??;
        serde_json::from_str(&text).ok()
    }

    /// What the form holds now.
    pub fn current() -> Draft {
        Draft {
            category: input("input[name=category]:checked")
                .map(|i| i.value())
                .unwrap_or_default(),
            text: textarea().map(|t| t.value()).unwrap_or_default(),
            key: input("input[name=submission_key]")
                .map(|i| i.value())
                .unwrap_or_default(),
        }
    }

    /// Keeps what the form holds now; an empty form keeps nothing.
    pub fn save(box_code: &str) {
        let draft = current();
        let Some(storage) = local() else { return };
        if draft.text.trim().is_empty() && draft.category.is_empty() {
            let _ = storage.remove_item(&name(box_code));
        } else if let Ok(json) = serde_json::to_string(&draft) {
            let _ = storage.set_item(&name(box_code), &json);
        }
    }

    /// Puts a kept draft back into the form, key included.
    pub fn apply(draft: &Draft) {
        if let Some(t) = textarea() {
            t.set_value(&draft.text);
        }
        if !draft.category.is_empty()
            && let Some(radio) = input(&format!(
                "input[name=category][value=\"{}\"]",
                draft.category
            ))
        {
            radio.set_checked(true);
        }
        if !draft.key.is_empty()
            && let Some(key) = input("input[name=submission_key]")
        {
            key.set_value(&draft.key);
        }
    }

    /// Forgets the draft once the server has acknowledged the opinion.
    pub fn clear(box_code: &str) {
        if let Some(storage) = local() {
            let _ = storage.remove_item(&name(box_code));
        }
    }
}
