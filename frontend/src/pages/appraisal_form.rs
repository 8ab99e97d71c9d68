//! The resident's appraisal form and the thank-you page: a plain form that works without
//! JavaScript, with big face buttons for the four levels; once hydrated, choices are kept on
//! the phone until sent.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::components::{Assets, KeepProgress, RememberChange, Shell, TextArea};
use crate::lang::use_lang;
use vocabulary::appraisal::{AppraisalForm, ItemKind, Rating, answer_field};
use vocabulary::i18n::Lang;
use vocabulary::paths;

/// What a refused form comes back with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppraisalRefill {
    /// The message, when something was wrong.
    pub error: Option<String>,
    /// The values sent.
    pub values: HashMap<String, String>,
    /// The fields to mark as unanswered.
    pub missing: Vec<String>,
}

/// The appraisal form for a slip, a poster or a change (`changing`).
#[component]
pub fn AppraisalFormPage(
    form: AppraisalForm,
    refill: AppraisalRefill,
    changing: bool,
    assets: Option<Assets>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let lang_query = if lang == Lang::En { "?lang=en" } else { "" };
    let action = format!("{}{lang_query}", form.action);
    let heading = if changing {
        t.appraisal_form.ap_change_heading
    } else {
        t.appraisal_form.ap_form_heading
    };
    let subjects = form.subjects.clone();
    let items: Vec<_> = form.questionnaire.asked().cloned().collect();
    let AppraisalRefill {
        error,
        values,
        missing,
    } = refill;
    let key_value = values.get("change").cloned().unwrap_or_default();
    view! {
        <Shell title=heading.to_string() path=form.action.clone() assets=assets>
            <h1>{heading}</h1>
            <p class="lead">{form.group.clone()} " · " {form.round.clone()}</p>
            <p class="hint">{form.questionnaire.title.clone()}</p>
            <p>{if changing { t.appraisal_form.ap_change_intro } else { t.appraisal_form.ap_intro }}</p>
            <p class="hint">{t.appraisal_form.ap_closes.replace("{date}", &lang.day(&form.closes_on))}</p>
            {error.map(|e| view! { <p class="error" role="alert" data-testid="appraisal-error">{e}</p> })}
            <KeepProgress lang=lang round_code=form.round_code.clone() changing=changing/>
            <form method="post" action=action id="appraisal-form" class="appraisal" data-testid="appraisal-form">
                {changing.then(|| view! {
                    <label class="field">
                        {t.appraisal_form.ap_change_key_label}
                        <input type="text" name="change" value=key_value autocomplete="off" inputmode="latin" data-testid="change-key"/>
                    </label>
                })}
                {subjects.into_iter().map(|(subject, label)| {
                    let items = items.clone();
                    let values = values.clone();
                    let missing = missing.clone();
                    view! {
                        <fieldset class="subject">
                            <legend>{label}</legend>
                            {items.into_iter().map(|item| {
                                let field = answer_field(&subject, &item.key);
                                let unanswered = missing.contains(&field);
                                let chosen = values.get(&field).cloned().unwrap_or_default();
                                let need = if item.required { t.appraisal_form.ap_required } else { t.appraisal_form.ap_optional };
                                let class = if unanswered { "item missing" } else { "item" };
                                let question = format!("q-{field}");
                                let answer = match item.kind {
                                    ItemKind::Text => view! {
                                        <TextArea value={chosen} {..} name=field.clone() rows="3" maxlength="1000" aria-labelledby=question.clone()/>
                                    }.into_any(),
                                    _ => view! {
                                        <div class="faces" role="radiogroup" aria-labelledby=question.clone()>
                                            {Rating::ALL.into_iter().map(|r| {
                                                let checked = chosen == r.as_str();
                                                view! {
                                                    <label class="face">
                                                        <input type="radio" name=field.clone() value=r.as_str() checked=checked required=item.required/>
                                                        <span class="icon" aria-hidden="true">{r.icon()}</span>
                                                        <span class="word">{r.label(lang)}</span>
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                    }.into_any(),
                                };
                                view! {
                                    <div class=class data-field=field.clone()>
                                        <p class="question" id=question>{item.text.clone()} " " <small>"(" {need} ")"</small></p>
                                        {unanswered.then(|| view! { <p class="error">{t.appraisal_form.ap_missing}</p> })}
                                        {answer}
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    }
                }).collect_view()}
                <button type="submit" class="button big" data-testid="appraisal-send">{t.appraisal_form.ap_send}</button>
            </form>
        </Shell>
    }
}

/// After sending: thanks, nothing of the answers, and how to change them from this phone.
#[component]
pub fn AppraisalThanksPage(
    round_code: String,
    /// The new change key (after a first answer), kept by the phone; `None` after a change.
    change_key: Option<String>,
    assets: Option<Assets>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let change_href = paths::CHANGE_ANSWERS.in_lang([&round_code], lang);
    let (heading, body) = match change_key {
        Some(_) => (
            t.appraisal_form.ap_thanks_heading,
            t.appraisal_form.ap_thanks_body,
        ),
        None => (
            t.appraisal_form.ap_changed_heading,
            t.appraisal_form.ap_changed_body,
        ),
    };
    view! {
        <Shell title=heading.to_string() path=paths::OPEN_ROUND.at([&round_code]) assets=assets>
            <h1 data-testid="appraisal-thanks">{heading}</h1>
            <p>{body}</p>
            <RememberChange round_code=round_code.clone() change_key=change_key.clone().unwrap_or_default()/>
            <p>{t.appraisal_form.ap_change_hint}</p>
            <p><a href=change_href class="button secondary" data-testid="change-link">{t.appraisal_form.ap_change_link}</a></p>
            {change_key.map(|key| view! {
                <details class="change-code">
                    <summary>{t.appraisal_form.ap_change_code_show}</summary>
                    <p class="code" data-testid="change-code">{key}</p>
                </details>
            })}
        </Shell>
    }
}
