//! The language of the page being rendered, read from leptos context.

use vocabulary::i18n::Lang;

/// The language of the page being rendered, provided once for the whole page by whoever renders
/// it; Chinese, the default language, when none was. (Islands take it as a property instead:
/// the browser hydrates them without the server's context.)
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}
