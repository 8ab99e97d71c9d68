//! Browser-only helpers for the hydrated islands: form reading, fetch, clipboard.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlFormElement, Request, RequestInit, Response};

use crate::model::{ApiError, Contact, NewOpinion, Receipt};

/// Marks the document as hydrated, so tests and styles can tell the WASM is running.
pub fn mark_hydrated() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "1");
    }
}

/// Reads category and text from the submitted form.
pub fn form_fields(ev: &leptos::ev::SubmitEvent) -> Option<NewOpinion> {
    let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let field = |name: &str| data.get(name).as_string().unwrap_or_default();
    let contact = (field("identity") == "named").then(|| Contact {
        name: field("contact_name"),
        phone: field("contact_phone"),
    });
    Some(NewOpinion {
        category: field("category"),
        text: field("text"),
        contact,
    })
}

/// Sends an opinion to the JSON API. `Err(None)` means the network failed; `Err(Some(msg))`
/// carries the server's message.
pub async fn send_opinion(
    box_code: &str,
    lang_query: &str,
    opinion: NewOpinion,
) -> Result<Receipt, Option<String>> {
    let body = serde_json::to_string(&opinion).map_err(|_| None)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    let request = Request::new_with_str_and_init(
        &format!("/api/v1/boxes/{box_code}/opinions{lang_query}"),
        &init,
    )
    .map_err(|_| None)?;
    request
        .headers()
        .set("Content-Type", "application/json")
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
        let message = serde_json::from_str::<ApiError>(&text)
            .ok()
            .map(|e| e.message);
        Err(message)
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
