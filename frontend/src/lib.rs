//! 码上说 pages and components. The server renders them to HTML (`ssr`); the browser
//! hydrates the interactive islands from WASM (`hydrate`). Their words come from the
//! `vocabulary` crate, the opinion form's screening from the `redact` crate.

#![recursion_limit = "256"]

pub mod components;
pub mod lang;
pub mod pages;
pub mod style;

/// Entry point called by the page's loader script once the WASM module is ready.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
