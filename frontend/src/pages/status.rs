//! The status page: a receipt code in, the opinion's state and reply out.

use leptos::prelude::*;

use crate::components::{Shell, TextArea, ThreadView};
use crate::lang::use_lang;
use vocabulary::model::OpinionStatus;
use vocabulary::paths;

/// The look-up form, and the result or an error when there is one.
#[component]
pub fn StatusPage(
    status: Option<OpinionStatus>,
    error: Option<String>,
    /// The receipt just looked up, so the answer form can carry it (never put in a URL).
    receipt: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let action = paths::RECEIPT.in_lang([], lang);
    let answer_action = paths::RECEIPT_ANSWER.in_lang([], lang);
    view! {
        <Shell title=t.status.status_heading.to_string() path=paths::RECEIPT.href() assets=None>
            <h1>{t.status.status_heading}</h1>
            {status.map(|s| view! {
                <section class="status" aria-live="polite">
                    <dl>
                        <dt>{t.status.status_state}</dt>
                        {match s.waiting {
                            Some(_) => view! { <dd data-testid="opinion-state" class="state state-waiting">{t.status.state_waiting}</dd> }.into_any(),
                            None => view! { <dd data-testid="opinion-state" class=format!("state state-{}", s.state.as_str())>{s.state.label(lang)}</dd> }.into_any(),
                        }}
                        <dt>{t.status.status_category}</dt>
                        <dd>{s.category.icon()} " " {s.category.label(lang)}</dd>
                        <dt>{t.status.status_received}</dt>
                        <dd>{lang.day(&s.received_on)}</dd>
                    </dl>
                    {s.waiting.as_ref().map(|w| view! {
                        <p class="hint" data-testid="release-note">{w.explain(lang)}</p>
                    })}
                    <h2>{t.status.status_reply}</h2>
                    {match s.reply {
                        Some(reply) => view! {
                            <p class="reply" data-testid="reply">{reply}</p>
                            <p class="hint">{lang.day(s.replied_on.as_deref().unwrap_or_default())}</p>
                        }.into_any(),
                        None if s.issue_reply.is_none() => view! { <p class="hint">{t.status.status_no_reply}</p> }.into_any(),
                        None => ().into_any(),
                    }}
                    {s.merged.then(|| view! { <p class="hint" data-testid="merged-note">{t.status.status_merged}</p> })}
                    {s.issue_reply.map(|reply| view! {
                        <p class="reply" data-testid="issue-reply">{reply}</p>
                        <p class="hint">{lang.day(s.issue_replied_on.as_deref().unwrap_or_default())}</p>
                    })}
                    <ThreadView thread=s.thread/>
                    {receipt.map(|r| view! {
                        <form method="post" action=answer_action data-testid="answer-form">
                            <input type="hidden" name="receipt" value=r/>
                            <label for="answer" class="field-label">{t.status.answer_label}</label>
                            <TextArea {..} id="answer" name="text" rows="4" required=true maxlength="2000"/>
                            <button type="submit" class="button secondary">{t.status.answer_submit}</button>
                        </form>
                    })}
                </section>
            })}
            <form method="post" action=action data-testid="status-form">
                <p class="hint" id="receipt-hint">{t.status.status_intro}</p>
                <label for="receipt" class="field-label">{t.status.status_receipt_label}</label>
                <input id="receipt" name="receipt" type="text" inputmode="numeric" autocomplete="off"
                    required=true maxlength="40" aria-describedby="receipt-hint" class="receipt-input"/>
                {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <button type="submit" class="button">{t.status.status_submit}</button>
            </form>
        </Shell>
    }
}
