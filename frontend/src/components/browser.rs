//! Browser-only helpers for the hydrated islands: form reading, fetch, clipboard.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FormData, HtmlFormElement, Request, RequestInit, Response};

use crate::model::{ApiError, Receipt};

/// Marks the document as hydrated, so tests and styles can tell the WASM is running.
pub fn mark_hydrated() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "1");
    }
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
    lang_query: &str,
    data: &FormData,
) -> Result<Receipt, Option<ApiError>> {
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
