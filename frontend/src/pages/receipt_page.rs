//! The answer to a plain (JavaScript-free) form POST: the receipt code.

use leptos::prelude::*;

use crate::components::{ReceiptCode, Shell};
use crate::lang::use_lang;
use vocabulary::model::Receipt;

/// The receipt after an opinion was committed.
#[component]
pub fn ReceiptPage(receipt: Receipt, box_path: String) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    view! {
        <Shell title=t.common.receipt_heading.to_string() path=box_path assets=None>
            <ReceiptCode receipt=receipt/>
        </Shell>
    }
}
