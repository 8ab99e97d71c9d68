//! The receipt code shown after sending an opinion.

use leptos::prelude::*;

use crate::lang::use_lang;
use vocabulary::model::{Receipt, group_receipt};
use vocabulary::paths;

/// The receipt in large grouped digits with the advice to keep it, and when the leading
/// group will see the opinion.
#[component]
pub fn ReceiptCode(
    receipt: Receipt,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let status_href = paths::RECEIPT.in_lang([], lang);
    view! {
        <section class="receipt" aria-live="polite">
            <h1>"✅ " {t.common.receipt_heading}</h1>
            <p>{t.box_page.receipt_intro}</p>
            <p class="code" data-testid="receipt">{group_receipt(&receipt.receipt)}</p>
            <p class="advice">{t.box_page.receipt_save}</p>
            <p class="hint" data-testid="release-note">{receipt.release.explain(lang)}</p>
            {children.map(|c| c())}
            <p><a class="button secondary" href=status_href>{t.box_page.receipt_check_link}</a></p>
        </section>
    }
}
