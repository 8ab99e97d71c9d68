//! The leading group's appraisal pages: rounds, questionnaires, one round with its slips and
//! notes, and the printable slips. Plain forms with the session's CSRF token.

use leptos::prelude::*;

use super::admin::{AdminNotice, Notice};
use super::staff::StaffNav;
use crate::components::{PageScript, Shell, TextArea};
use crate::lang::use_lang;
use crate::style::SLIPS_CSS;
use vocabulary::appraisal::{
    AppraisalOverview, Choice, ItemKind, QuestionnaireView, RoundMode, RoundView, SlipBatch,
    Subject,
};
use vocabulary::i18n::Texts;
use vocabulary::paths;

/// 进行中 / 未开始 / 已结束.
fn round_status(t: &Texts, round: &RoundView) -> &'static str {
    if round.finished {
        t.appraisal.ap_status_finished
    } else if round.accepting {
        t.appraisal.ap_status_running
    } else {
        t.appraisal.ap_status_waiting
    }
}

/// A list of checkboxes named `subject`.
fn subject_boxes(
    legend: &'static str,
    choices: Vec<Choice>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="choices" data-testid=testid>
            <legend>{legend}</legend>
            {choices.into_iter().map(|c| view! {
                <label class="check"><input type="checkbox" name="subject" value=c.id/> " " {c.label}</label>
            }).collect_view()}
        </fieldset>
    }
}

/// The group's rounds and the form to open a new one.
#[component]
pub fn AppraisalPage(
    who: String,
    csrf: String,
    overview: AppraisalOverview,
    notice: AdminNotice,
    /// Today, the default first day.
    today: String,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let no_rounds = overview.rounds.is_empty();
    let questionnaires = overview.questionnaires.clone();
    view! {
        <Shell title=t.appraisal.ap_rounds_heading.to_string() path=paths::APPRAISAL.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{t.appraisal.ap_rounds_heading} " · " {overview.group.clone()}</h1>
            <Notice notice=notice/>
            {no_rounds.then(|| view! { <p class="hint">{t.appraisal.ap_no_rounds}</p> })}
            <div class="table-scroll" tabindex="0">
                <table class="counts" data-testid="rounds">
                    <thead><tr>
                        <th scope="col">{t.appraisal.ap_col_round}</th>
                        <th scope="col">{t.appraisal.ap_col_days}</th>
                        <th scope="col">{t.appraisal.ap_mode}</th>
                        <th scope="col">{t.appraisal.ap_col_responses}</th>
                        <th scope="col">{t.appraisal.ap_col_slips}</th>
                        <th scope="col">{t.common.col_state}</th>
                    </tr></thead>
                    <tbody>
                        {overview.rounds.into_iter().map(|r| {
                            let href = paths::ROUND.at([&r.id]);
                            let mode = match r.mode { RoundMode::Open => t.appraisal.ap_mode_open, RoundMode::Slips => t.appraisal.ap_mode_slips };
                            view! {
                                <tr>
                                    <th scope="row"><a href=href>{r.name.clone()}</a></th>
                                    <td>{lang.span(&r.opens_on, &r.closes_on)}</td>
                                    <td>{mode}</td>
                                    <td>{r.responses}</td>
                                    <td>{r.slips_issued}</td>
                                    <td>{round_status(t, &r)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>{t.appraisal.ap_new_round}</h2>
            <form method="post" action=paths::APPRAISAL.href() class="stack" data-testid="new-round">
                <input type="hidden" name="csrf" value=csrf/>
                <label class="field">{t.appraisal.ap_round_name} <input type="text" name="name" required maxlength="100"/></label>
                <label class="field">{t.appraisal.ap_questionnaire}
                    <select name="questionnaire">
                        <option value="template:organisation">{t.appraisal.ap_template_org}</option>
                        <option value="template:member">{t.appraisal.ap_template_member}</option>
                        {questionnaires.into_iter().map(|q| view! {
                            <option value=q.id>{q.questionnaire.title}</option>
                        }).collect_view()}
                    </select>
                </label>
                <fieldset class="choices">
                    <legend>{t.appraisal.ap_mode}</legend>
                    <label class="check"><input type="radio" name="mode" value="slips" checked/> " " {t.appraisal.ap_mode_slips}</label>
                    <label class="check"><input type="radio" name="mode" value="open"/> " " {t.appraisal.ap_mode_open}</label>
                </fieldset>
                <label class="field">{t.appraisal.ap_opens} <input type="date" name="opens_on" value=today.clone() required/></label>
                <label class="field">{t.appraisal.ap_closes_label} <input type="date" name="closes_on" required/></label>
                {subject_boxes(t.appraisal.ap_subjects_units, overview.units, "round-units")}
                {subject_boxes(t.appraisal.ap_subjects_members, overview.members, "round-members")}
                <button type="submit" class="button">{t.appraisal.ap_open_round}</button>
            </form>
            <p><a href=paths::QUESTIONNAIRES.href()>{t.common.nav_questionnaires}</a></p>
        </Shell>
    }
}

/// The questionnaires the group may use, with the buttons that copy the official templates.
#[component]
pub fn QuestionnairesPage(
    who: String,
    csrf: String,
    questionnaires: Vec<QuestionnaireView>,
    notice: AdminNotice,
    /// Admins see the organisation navigation.
    admin: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    view! {
        <Shell title=t.common.nav_questionnaires.to_string() path=paths::QUESTIONNAIRES.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone() admin=admin/>
            <h1>{t.common.nav_questionnaires}</h1>
            <Notice notice=notice/>
            <ul class="plain" data-testid="questionnaires">
                {questionnaires.into_iter().map(|q| {
                    let href = paths::QUESTIONNAIRE.at([&q.id]);
                    let subject = match q.questionnaire.subject { Subject::Organisation => t.appraisal.ap_template_org, Subject::Member => t.appraisal.ap_template_member };
                    view! {
                        <li>
                            <strong>{q.questionnaire.title.clone()}</strong> " · " <small>{subject} " · " {lang.day(&q.updated_on)}</small> " "
                            {if q.own {
                                view! { <a href=href>{t.appraisal.ap_edit}</a> }.into_any()
                            } else {
                                view! { <small>{t.appraisal.ap_from_above}</small> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form method="post" action=paths::QUESTIONNAIRES.href() class="inline">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <button type="submit" name="template" value="organisation" class="button secondary">{t.appraisal.ap_copy_org}</button>
                " "
                <button type="submit" name="template" value="member" class="button secondary">{t.appraisal.ap_copy_member}</button>
            </form>
        </Shell>
    }
}

/// Editing one questionnaire: each item's wording, kind, order and whether it is required.
#[component]
pub fn QuestionnairePage(
    who: String,
    csrf: String,
    view: QuestionnaireView,
    notice: AdminNotice,
    admin: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let action = paths::QUESTIONNAIRE.at([&view.id]);
    let q = view.questionnaire;
    let count = q.items.len();
    let kinds = move |chosen: Option<ItemKind>| {
        [
            (ItemKind::Rating, t.appraisal.ap_kind_rating),
            (ItemKind::Text, t.appraisal.ap_kind_text),
            (ItemKind::GroupNote, t.appraisal.ap_kind_group_note),
        ]
        .into_iter()
        .map(|(k, label)| view! { <option value=k.as_str() selected=chosen == Some(k)>{label}</option> })
        .collect_view()
    };
    view! {
        <Shell title=q.title.clone() path=action.clone() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone() admin=admin/>
            <h1>{q.title.clone()}</h1>
            <Notice notice=notice/>
            <form method="post" action=action class="stack" data-testid="questionnaire-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label class="field">{t.appraisal.ap_title} <input type="text" name="title" value=q.title.clone() required maxlength="100"/></label>
                <div class="table-scroll" tabindex="0">
                    <table class="counts">
                        <thead><tr>
                            <th scope="col">{t.appraisal.ap_item_order}</th>
                            <th scope="col">{t.appraisal.ap_item_text}</th>
                            <th scope="col">{t.appraisal.ap_item_kind}</th>
                            <th scope="col">{t.appraisal.ap_item_required}</th>
                            <th scope="col">{t.appraisal.ap_item_remove}</th>
                        </tr></thead>
                        <tbody>
                            {q.items.into_iter().enumerate().map(|(n, item)| view! {
                                <tr>
                                    <td>
                                        <input type="hidden" name=format!("key_{n}") value=item.key.clone()/>
                                        <input type="number" name=format!("order_{n}") value=(n + 1).to_string() min="1" class="narrow" aria-label=numbered(t.appraisal.ap_item_order, n)/>
                                    </td>
                                    <td><input type="text" name=format!("text_{n}") value=item.text.clone() maxlength="200" aria-label=numbered(t.appraisal.ap_item_text, n)/></td>
                                    <td><select name=format!("kind_{n}") aria-label=numbered(t.appraisal.ap_item_kind, n)>{kinds(Some(item.kind))}</select></td>
                                    <td><input type="checkbox" name=format!("required_{n}") checked=item.required aria-label=numbered(t.appraisal.ap_item_required, n)/></td>
                                    <td><input type="checkbox" name=format!("remove_{n}") aria-label=numbered(t.appraisal.ap_item_remove, n)/></td>
                                </tr>
                            }).collect_view()}
                            <tr>
                                <td><input type="number" name=format!("order_{count}") value=(count + 1).to_string() min="1" class="narrow" aria-label=numbered(t.appraisal.ap_item_order, count)/></td>
                                <td><input type="text" name=format!("text_{count}") placeholder=t.appraisal.ap_item_new maxlength="200" aria-label=numbered(t.appraisal.ap_item_text, count)/></td>
                                <td><select name=format!("kind_{count}") aria-label=numbered(t.appraisal.ap_item_kind, count)>{kinds(None)}</select></td>
                                <td><input type="checkbox" name=format!("required_{count}") aria-label=numbered(t.appraisal.ap_item_required, count)/></td>
                                <td></td>
                            </tr>
                        </tbody>
                    </table>
                </div>
                <button type="submit" class="button">{t.appraisal.ap_save_questionnaire}</button>
            </form>
        </Shell>
    }
}

/// One round: its address or slips, closing it, the results link and the group's notes.
#[component]
pub fn RoundPage(
    who: String,
    csrf: String,
    round: RoundView,
    notice: AdminNotice,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let id = round.id.clone();
    let base = paths::ROUND.at([&id]);
    let notes_open = round.finished
        && round
            .questionnaire
            .items
            .iter()
            .any(|i| i.kind == ItemKind::GroupNote);
    let subjects = round.subjects.clone();
    view! {
        <Shell title=round.name.clone() path=base.clone() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{round.name.clone()}</h1>
            <Notice notice=notice/>
            <p>{round.questionnaire.title.clone()} " · " {lang.span(&round.opens_on, &round.closes_on)} " · "
                <span class="badge" data-testid="round-status">{round_status(t, &round)}</span></p>
            <p data-testid="round-counts">{t.appraisal.ap_responses_n.replace("{n}", &round.responses.to_string())} " · "
                {t.appraisal.ap_col_slips} " " {round.slips_issued}</p>
            {(round.held > 0).then(|| view! {
                <div class="warning" role="alert" data-testid="held-alert">
                    <p>{t.appraisal.ap_held_alert.replace("{n}", &round.held.to_string())}</p>
                    <form method="post" action=paths::ROUND_HELD.at([&id]) class="inline">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <button type="submit" name="decision" value="accept" class="button">{t.appraisal.ap_held_accept}</button>
                        " "
                        <button type="submit" name="decision" value="discard" class="button secondary">{t.appraisal.ap_held_discard}</button>
                    </form>
                </div>
            })}
            <ul class="plain">{round.subjects.iter().map(|s| view! { <li>{s.label.clone()}</li> }).collect_view()}</ul>
            {(round.mode == RoundMode::Open).then(|| view! {
                <p>{t.appraisal.ap_public_form} ": " <a href=round.public_url.clone() data-testid="public-form">{round.public_url.clone()}</a>
                " · " <a href=paths::ROUND_POSTER.at([&id])>{t.appraisal.ap_poster}</a></p>
            })}
            {(round.mode == RoundMode::Slips && !round.finished).then(|| view! {
                <h2>{t.appraisal.ap_make_slips}</h2>
                <p class="hint">{t.appraisal.ap_slips_once}</p>
                <form method="post" action=paths::ROUND_SLIPS.at([&id]) target="_blank" class="inline" data-testid="slip-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{t.appraisal.ap_slip_count} " " <input type="number" name="count" min="1" max="2000" value="8" class="narrow"/></label>
                    " " <button type="submit" class="button">{t.appraisal.ap_make_slips}</button>
                </form>
            })}
            {if round.finished {
                view! { <p><a href=paths::ROUND_RESULTS.at([&id]) class="button" data-testid="results-link">{t.appraisal.ap_results}</a></p> }.into_any()
            } else {
                view! {
                    <p class="hint">{t.appraisal.ap_results_wait}</p>
                    <form method="post" action=paths::ROUND_CLOSE.at([&id]) class="inline" data-testid="close-round">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <p class="hint">{t.appraisal.ap_close_confirm}</p>
                        <button type="submit" class="button secondary">{t.appraisal.ap_close_round}</button>
                    </form>
                }.into_any()
            }}
            {notes_open.then(|| view! {
                <h2>{t.appraisal.ap_notes_heading}</h2>
                {subjects.into_iter().map(|s| view! {
                    <form method="post" action=paths::ROUND_NOTES.at([&id]) class="stack">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <input type="hidden" name="subject" value=s.id.to_string()/>
                        <label class="field">{s.label.clone()}
                            <TextArea value={s.note.clone().unwrap_or_default()} {..} name="note" rows="3" maxlength="2000"/>
                        </label>
                        <button type="submit" class="button secondary">{t.appraisal.ap_save_note}</button>
                    </form>
                }).collect_view()}
            })}
        </Shell>
    }
}

/// A column's name with the row's number, naming one input of the questionnaire table.
fn numbered(column: &str, row: usize) -> String {
    format!("{column} {}", row + 1)
}

/// Printable A4 sheets of cut-out slips, each with its QR code (a PNG data URL) and address.
#[component]
pub fn SlipsPage(batch: SlipBatch, qr_pngs: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let until = t
        .appraisal
        .ap_slip_until
        .replace("{date}", &lang.day(&batch.closes_on));
    view! {
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="referrer" content="no-referrer"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // One text node: tachys would put `<!>` markers between several into the title.
                <title>{format!("{} · {}", t.appraisal.ap_slips_heading, batch.round)}</title>
                <style inner_html=SLIPS_CSS></style>
            </head>
            <body class="slips">
                <main>
                <h1 class="no-print">{t.appraisal.ap_slips_heading} " · " {batch.round.clone()}</h1>
                <p class="no-print">{t.appraisal.ap_slips_once} " " <button type="button" data-print="1">{t.common.print}</button></p>
                <div class="sheet" data-testid="slips">
                    {batch.urls.iter().zip(qr_pngs).map(|(url, png)| view! {
                        <section class="slip" data-testid="slip">
                            <h2>{batch.group.clone()}</h2>
                            <h3>{batch.round.clone()}</h3>
                            <img src=png alt=t.appraisal.ap_slip_scan class="qr" data-testid="slip-qr"/>
                            <p class="scan">{t.appraisal.ap_slip_scan}</p>
                            <p class="url">{url.clone()}</p>
                            <p class="once">{t.appraisal.ap_slip_once} " " {until.clone()}</p>
                        </section>
                    }).collect_view()}
                </div>
                </main>
                <PageScript/>
            </body>
        </html>
    }
}
