//! The opinion form: a plain HTML form POST without JavaScript, sent in place by fetch once hydrated.

use leptos::prelude::*;

use crate::components::{ReceiptCode, ScreeningReport, TextArea, needs_confirmation};
use crate::lang::use_lang;
use vocabulary::i18n::Lang;
use vocabulary::model::{Category, Contact, MAX_OPINION_CHARS, Receipt};
use vocabulary::org::TargetChoice;
use vocabulary::paths;

/// The form on a box page. `error`, `category` and `text` refill it after a rejected plain POST;
/// `confirming` asks the villager to confirm text that may identify them.
#[island]
pub fn OpinionForm(
    lang: Lang,
    box_code: String,
    error: Option<String>,
    category: Option<String>,
    text: Option<String>,
    confirming: bool,
    contact: Option<Contact>,
    /// Photos came with a form that is shown again; a file input cannot be refilled.
    photos_dropped: bool,
    /// Possible personal names the server found and asks about.
    names: Vec<String>,
    /// Whom the opinion can be about.
    targets: Vec<TargetChoice>,
    /// The target chosen before the form came back.
    about: Option<String>,
    /// Whether 越级反映 was ticked before the form came back.
    escalate: bool,
    /// This opinion's key: sending it again (after a lost connection) stores it once.
    submission_key: String,
    /// The token this page was handed, which the submission must carry.
    box_token: String,
) -> impl IntoView {
    // The components inside read the language from the context, on the server and when the
    // browser hydrates this island alike.
    provide_context(lang);
    let t = lang.t();
    let receipt = RwSignal::new(None::<Receipt>);
    let error = RwSignal::new(error);
    let sending = RwSignal::new(false);
    let typed = RwSignal::new(text.clone().unwrap_or_default());
    let confirming = RwSignal::new(confirming);
    let server_names = RwSignal::new(names);
    let retrying = RwSignal::new(None::<String>);
    let restored = RwSignal::new(false);
    let action = paths::BOX.in_lang([&box_code], lang);
    let chosen = category.unwrap_or_default();
    let fresh = text.is_none();
    #[cfg(not(feature = "hydrate"))]
    let _ = fresh;
    let text = text.unwrap_or_default();
    // Keeps what is typed on the phone until the server has it.
    let keep = {
        let code = box_code.clone();
        move || {
            #[cfg(feature = "hydrate")]
            crate::components::browser::draft::save(&code);
            #[cfg(not(feature = "hydrate"))]
            let _ = &code;
        }
    };

    #[cfg(feature = "hydrate")]
    {
        use crate::components::browser::draft;
        crate::components::browser::mark_hydrated();
        let code = box_code.clone();
        Effect::new(move |_| {
            // A new form gets back what this phone kept; a form sent back by the server (with
            // what was typed) is kept as it is.
            match draft::load(&code).filter(|d| fresh && !d.text.trim().is_empty()) {
                Some(kept) => {
                    draft::apply(&kept);
                    typed.set(kept.text);
                    restored.set(true);
                }
                None if !fresh => draft::save(&code),
                None => {}
            }
        });
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            let Some(fields) = crate::components::browser::submitted(&ev) else {
                return;
            };
            if fields.photos > vocabulary::model::MAX_PHOTOS {
                error.set(Some(t.box_page.photos_too_many.to_string()));
                return;
            }
            // First ask about names and addresses that are kept as written.
            if !confirming.get_untracked() && needs_confirmation(&fields.text) {
                confirming.set(true);
                return;
            }
            sending.set(true);
            error.set(None);
            let code = box_code.clone();
            leptos::task::spawn_local(async move {
                use crate::components::browser::{draft, send_opinion, sleep};
                // Waits before each new try; the same submission key goes every time, so
                // nothing is stored twice however many tries reach the server.
                const WAITS_MS: [i32; 4] = [2_000, 4_000, 8_000, 16_000];
                let mut tries = 0;
                loop {
                    match send_opinion(&code, lang, &fields.data).await {
                        Ok(r) => {
                            draft::clear(&code);
                            receipt.set(Some(r));
                        }
                        Err(Some(answer)) => {
                            if !answer.names.is_empty() {
                                server_names.set(answer.names);
                                confirming.set(true);
                            }
                            error.set(Some(answer.message));
                        }
                        Err(None) if tries < WAITS_MS.len() => {
                            let n = (tries + 2).to_string();
                            retrying.set(Some(t.box_page.network_retrying.replace("{n}", &n)));
                            sleep(WAITS_MS[tries]).await;
                            tries += 1;
                            continue;
                        }
                        Err(None) => error.set(Some(t.box_page.network_error.to_string())),
                    }
                    break;
                }
                retrying.set(None);
                sending.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &box_code);
    };

    view! {
        <div class="opinion-form">
            {move || match receipt.get() {
                Some(r) => view! {
                    <ReceiptCode receipt=r.clone()>
                        <CopyButton code=r.receipt.clone()/>
                    </ReceiptCode>
                }.into_any(),
                None => {
                    let chosen = chosen.clone();
                    let text = text.clone();
                    view! {
                        <form method="post" action=action.clone() enctype="multipart/form-data" data-testid="opinion-form" on:submit=on_submit.clone()>
                            <fieldset class="categories">
                                <legend>{t.box_page.category_legend}</legend>
                                {Category::ALL.into_iter().map(|c| view! {
                                    <label class="category">
                                        <input type="radio" name="category" value=c.as_str()
                                            checked=chosen == c.as_str() required=true on:change={
                                                let keep = keep.clone();
                                                move |_| keep()
                                            }/>
                                        <span aria-hidden="true">{c.icon()}</span>
                                        " " {c.label(lang)}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <label for="opinion-text" class="field-label">{t.box_page.text_label}</label>
                            <p class="hint" id="opinion-hint">{t.box_page.text_hint}</p>
                            <TextArea value={text} {..} id="opinion-text" name="text" rows="8" required=true
                                maxlength=MAX_OPINION_CHARS.to_string() aria-describedby="opinion-hint"
                                on:input={
                                    let keep = keep.clone();
                                    move |ev| {
                                        typed.set(event_target_value(&ev));
                                        keep();
                                    }
                                }/>
                            {move || restored.get().then(|| view! { <p class="hint" data-testid="draft-restored">{t.box_page.draft_restored}</p> })}
                            {move || view! { <ScreeningReport text=typed.get() confirming=confirming.get() names=server_names.get()/> }}
                            {move || confirming.get().then(|| view! { <input type="hidden" name="confirmed" value="1"/> })}
                            <label for="opinion-photos" class="field-label">{t.box_page.photos_label}</label>
                            <p class="hint" id="photos-hint">{t.box_page.photos_hint}</p>
                            {photos_dropped.then(|| view! { <p class="warning" data-testid="photos-again">{t.box_page.photos_again}</p> })}
                            <input id="opinion-photos" name="photo" type="file" accept="image/jpeg,image/png"
                                multiple=true aria-describedby="photos-hint"/>
                            <input type="hidden" name="submission_key" value=submission_key.clone()/>
                            <input type="hidden" name="box_token" value=box_token.clone()/>
                            <AboutChoice targets=targets.clone() about=about.clone() escalate=escalate/>
                            <NamedChoice contact=contact.clone()/>
                            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                            {move || retrying.get().map(|m| view! { <p class="warning" role="status" data-testid="form-retrying">{m}</p> })}
                            <button type="submit" class="button" disabled=move || sending.get()>
                                {move || match (sending.get(), confirming.get() && (needs_confirmation(&typed.get()) || !server_names.get().is_empty())) {
                                    (true, _) => t.box_page.sending,
                                    (false, true) => t.box_page.submit_confirmed,
                                    (false, false) => t.box_page.submit,
                                }}
                            </button>
                        </form>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// The optional choice of whom the opinion is about, and 越级反映; collapsed unless used.
#[component]
fn AboutChoice(targets: Vec<TargetChoice>, about: Option<String>, escalate: bool) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let chosen = about.unwrap_or_default();
    let open = !chosen.is_empty() || escalate;
    let (people, units): (Vec<TargetChoice>, Vec<TargetChoice>) = targets
        .into_iter()
        .partition(|c| c.value.starts_with("person:"));
    let options = move |list: Vec<TargetChoice>| {
        let chosen = chosen.clone();
        list.into_iter()
            .map(move |c| {
                let selected = c.value == chosen;
                view! { <option value=c.value selected=selected>{c.label}</option> }
            })
            .collect_view()
    };
    view! {
        <details class="notice about" open=open data-testid="about-choice">
            <summary>{t.box_page.about_summary}</summary>
            <p class="hint" id="about-hint">{t.box_page.about_hint}</p>
            <label for="about" class="field-label">{t.box_page.about_label}</label>
            <select id="about" name="about" aria-describedby="about-hint">
                <option value="">{t.common.about_none}</option>
                <optgroup label=t.box_page.about_people>{options.clone()(people)}</optgroup>
                <optgroup label=t.box_page.about_units>{options(units)}</optgroup>
            </select>
            <label class="check">
                <input type="checkbox" name="escalate" value="1" checked=escalate/>
                " " {t.box_page.escalate_check}
            </label>
            <p class="hint">{t.box_page.escalate_hint}</p>
        </details>
    }
}

/// The optional 实名 choice: collapsed and unticked by default, so opinions stay anonymous.
#[component]
fn NamedChoice(contact: Option<Contact>) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let named = contact.is_some();
    let (name, phone) = contact.map(|c| (c.name, c.phone)).unwrap_or_default();
    view! {
        <details class="notice identity" open=named data-testid="named-choice">
            <summary>{t.box_page.named_summary}</summary>
            <p class="hint">{t.box_page.named_hint}</p>
            <label class="check">
                <input type="checkbox" name="identity" value="named" checked=named/>
                " " {t.box_page.named_check}
            </label>
            <label for="contact-name" class="field-label">{t.box_page.contact_name}</label>
            <input id="contact-name" name="contact_name" type="text" autocomplete="name" maxlength="20" value=name/>
            <label for="contact-phone" class="field-label">{t.box_page.contact_phone}</label>
            <input id="contact-phone" name="contact_phone" type="tel" autocomplete="tel" maxlength="20" value=phone/>
        </details>
    }
}

/// Copies the receipt code to the clipboard where the browser allows it.
#[component]
fn CopyButton(code: String) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        if crate::components::browser::copy_text(&code) {
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &code;
    };
    view! {
        <p>
            <button type="button" class="button secondary" on:click=on_click>
                {move || if copied.get() { t.box_page.receipt_copied } else { t.box_page.receipt_copy }}
            </button>
        </p>
    }
}
