//! The answer to a plain (JavaScript-free) form POST: the receipt code.

use leptos::prelude::*;

use crate::components::{ReceiptCode, Shell};
use crate::i18n::Lang;
use crate::model::Receipt;

/// The receipt after an opinion was committed.
#[component]
pub fn ReceiptPage(lang: Lang, receipt: Receipt, box_path: String) -> impl IntoView {
    let t = lang.t();
    view! {
        <Shell lang=lang title=t.common.receipt_heading.to_string() path=box_path assets=None>
            <ReceiptCode lang=lang receipt=receipt/>
        </Shell>
    }
}
