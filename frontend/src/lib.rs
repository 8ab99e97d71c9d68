//! 码上说 pages and components. The server renders them to HTML (`ssr`); the browser
//! hydrates the interactive islands from WASM (`hydrate`).

#![recursion_limit = "256"]

pub mod appraisal;
pub mod components;
pub mod i18n;
pub mod issues;
pub mod model;
pub mod notices;
pub mod org;
pub mod pages;
pub mod paths;
pub mod redact;
pub mod statistics;
pub mod style;

/// Entry point called by the page's loader script once the WASM module is ready.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
