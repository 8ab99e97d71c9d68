//! The page a villager reaches by scanning a box's QR code.

use leptos::prelude::*;

use crate::components::{Assets, OpinionForm, Shell};
use crate::lang::use_lang;
use vocabulary::i18n::Lang;
use vocabulary::model::{BoxInfo, Contact};
use vocabulary::paths;

/// A refill of the form after a rejected plain POST.
#[derive(Clone, Debug, Default)]
pub struct FormRefill {
    /// The message explaining what was wrong.
    pub error: Option<String>,
    /// The category that was chosen.
    pub category: Option<String>,
    /// The text that was typed.
    pub text: Option<String>,
    /// Whether to ask the villager to confirm names or addresses that may identify them.
    pub confirming: bool,
    /// The contact details typed, when 实名 was chosen.
    pub contact: Option<Contact>,
    /// Photos were attached; they must be chosen again.
    pub photos_dropped: bool,
    /// Possible personal names the server found, to ask about.
    pub names: Vec<String>,
    /// The target that was chosen.
    pub about: Option<String>,
    /// Whether 越级反映 was ticked.
    pub escalate: bool,
    /// The key that makes sending this opinion again harmless (fresh for each new form).
    pub submission_key: String,
    /// The box-page token the form must send (fresh for each page served).
    pub box_token: String,
}

/// Who receives the opinion, what is kept and never kept, and the form.
#[component]
pub fn BoxPage(info: BoxInfo, assets: Option<Assets>, refill: FormRefill) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let title = info.name.clone();
    let path = paths::BOX.at([&info.code]);
    let privacy_href = paths::PRIVACY.in_lang([], lang);
    view! {
        <Shell title=title.clone() path=path assets=assets>
            <h1>{title}</h1>
            <p class="receiver">{t.box_page.box_receiver} " " <strong>{info.leading_group.clone()}</strong></p>
            <details class="notice" open=true>
                <summary>"🔐 " {t.box_page.keep_heading} " / " {t.box_page.never_heading}</summary>
                <h2>{t.box_page.keep_heading}</h2>
                <ul>{t.box_page.keep_items.iter().map(|i| view! { <li>{*i}</li> }).collect_view()}</ul>
                <h2>{t.box_page.never_heading}</h2>
                <ul>{t.box_page.never_items.iter().map(|i| view! { <li>{*i}</li> }).collect_view()}</ul>
                <p><a href=privacy_href>{t.common.privacy_link}</a></p>
            </details>
            {(!info.notice_board.is_empty()).then(|| view! { <p><a href=format!("{}{}", info.notice_board, if lang == Lang::En { "?lang=en" } else { "" }) data-testid="notice-board-link">{t.box_page.nt_box_link}</a></p> })}
            <OpinionForm lang=lang box_code=info.code.clone() error=refill.error category=refill.category text=refill.text confirming=refill.confirming contact=refill.contact photos_dropped=refill.photos_dropped names=refill.names targets=info.targets.clone() about=refill.about escalate=refill.escalate submission_key=refill.submission_key box_token=refill.box_token/>
        </Shell>
    }
}
