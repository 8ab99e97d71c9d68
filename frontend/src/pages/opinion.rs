//! One opinion's page for a reviewer: its text with masks and photos, the thread, handling and
//! the reply, whom it is about (subjects), and what it could be merged with.

use leptos::prelude::*;

use super::issues::{join_choice, similarity};
use crate::components::{Shell, TextArea, ThreadView};
use crate::lang::use_lang;
use vocabulary::issues::{OpinionSuggestions, SimilarIssue, SimilarOpinion};
use vocabulary::model::{OpinionId, OpinionState, PersonId, StaffOpinion};
use vocabulary::paths;

use super::staff::{MaskSummary, StaffNav, excerpt};

/// One opinion, with the state and reply form.
#[component]
pub fn OpinionPage(
    who: String,
    csrf: String,
    opinion: StaffOpinion,
    saved: bool,
    /// The issue it is merged into, or similar opinions and issues to merge it with.
    suggestions: OpinionSuggestions,
    /// Whom it is about, with the removals waiting.
    #[prop(optional)]
    subjects: vocabulary::model::OpinionSubjects,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let action = paths::OPINION.at([&opinion.id]);
    let subjects_view =
        view! { <SubjectsSection csrf=csrf.clone() opinion=opinion.id.clone() subjects=subjects/> };
    let opinion_id = opinion.id.clone();
    let OpinionSuggestions {
        issue: merged,
        hidden_issue,
        opinions: similar,
        issues: open_issues,
    } = suggestions;
    let current = opinion.state;
    let csrf_recuse = csrf.clone();
    let csrf_tag = csrf.clone();
    let choices = opinion.target_choices.clone();
    let tag_action = format!("{action}/target");
    let recuse_action = format!("{action}/recuse");
    view! {
        <Shell title=t.opinion.detail_heading.to_string() path=action.clone() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{t.opinion.detail_heading}</h1>
            {saved.then(|| view! { <p class="ok" role="status">{t.common.saved}</p> })}
            <dl class="facts">
                <dt>{t.common.col_state}</dt><dd data-testid="opinion-state">{current.label(lang)}</dd>
                <dt>{t.common.col_category}</dt><dd>{opinion.category.icon()} " " {opinion.category.label(lang)}</dd>
                <dt>{t.common.col_village}</dt><dd>{opinion.village.clone()}</dd>
                <dt>{t.opinion.col_box}</dt><dd>{opinion.box_name.clone()}</dd>
                <dt>{t.opinion.col_date}</dt><dd>{lang.day(&opinion.released_on)}</dd>
                <dt>{t.common.due_label}</dt><dd>{opinion.due_on.as_deref().map(|d| lang.day(d)).unwrap_or_default()}
                    {opinion.overdue.then(|| view! { " " <span class="badge overdue">{t.common.overdue_badge}</span> })}</dd>
                {opinion.about.clone().map(|about| view! { <dt>{t.common.col_about}</dt><dd data-testid="opinion-about">{about}</dd> })}
                {opinion.escalation.map(|e| view! { <dt>{t.opinion.escalation_label}</dt><dd data-testid="opinion-escalation">{e.label(lang)}</dd> })}
            </dl>
            <blockquote class="opinion-text" data-testid="opinion-text">{opinion.text.clone()}</blockquote>
            <MaskSummary masks=opinion.masks.clone()/>
            {(!opinion.photos.is_empty()).then(|| view! {
                <div class="photos" data-testid="photos">
                    {opinion.photos.iter().map(|p| {
                        let src = format!("{action}/photos/{}", p.number);
                        let href = src.clone();
                        view! {
                            <a href=href>
                                <img src=src alt=format!("{} {}", t.opinion.photo_alt, p.number) width=p.width.min(320).to_string()
                                    height=(u64::from(p.height) * u64::from(p.width.min(320)) / u64::from(p.width.max(1))).to_string() loading="lazy"/>
                            </a>
                        }
                    }).collect_view()}
                </div>
            })}
            {opinion.contact.clone().map(|c| view! {
                <p class="contact" data-testid="contact">"☎️ " {t.opinion.named_label} " " <strong>{c.name}</strong> " " <a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a></p>
            })}
            <ThreadView thread=opinion.thread.clone()/>
            <form method="post" action=format!("{action}/messages") data-testid="ask-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <label for="question" class="field-label">{t.opinion.ask_label}</label>
                <TextArea {..} id="question" name="text" rows="3" required=true maxlength="2000"/>
                <button type="submit" class="button secondary">{t.opinion.ask_submit}</button>
            </form>
            {match merged {
                _ if hidden_issue => view! {
                    <p class="hint" data-testid="merged-hidden">{t.opinion.merged_hidden}</p>
                }.into_any(),
                Some(issue) => view! {
                    <p data-testid="merged-into">
                        {t.opinion.merged_into} " " <a href=paths::ISSUE.at([&issue.id])>{issue.title}</a>
                    </p>
                    <p class="hint">{t.opinion.merged_handled_hint}</p>
                }.into_any(),
                None => view! {
                    <form method="post" action=action>
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <label for="state" class="field-label">{t.common.col_state}</label>
                        <select id="state" name="state">
                            {OpinionState::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=s == current>{s.label(lang)}</option>
                            }).collect_view()}
                        </select>
                        <label for="reply" class="field-label">{t.common.reply_label}</label>
                        <TextArea value={opinion.reply.unwrap_or_default()} {..} id="reply" name="reply" rows="5" maxlength="2000"/>
                        <button type="submit" class="button" data-testid="save-opinion">{t.common.save}</button>
                    </form>
                    <Suggestions csrf=csrf opinion=opinion_id similar=similar issues=open_issues/>
                }.into_any(),
            }}
            {(!choices.is_empty()).then(move || {
                view! {
                    <form method="post" action=tag_action data-testid="tag-form">
                        <input type="hidden" name="csrf" value=csrf_tag/>
                        <label for="about" class="field-label">{t.opinion.tag_heading}</label>
                        <p class="hint">{t.opinion.tag_hint}</p>
                        <select id="about" name="about" required=true>
                            <option value="">{t.common.about_none}</option>
                            {choices.into_iter().map(|c| view! { <option value=c.value>{c.label}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button secondary">{t.opinion.tag_submit}</button>
                    </form>
                }
            })}
            {subjects_view}
            <form method="post" action=recuse_action data-testid="recuse-form">
                <input type="hidden" name="csrf" value=csrf_recuse/>
                <p class="hint">{t.opinion.recuse_hint}</p>
                <button type="submit" class="button secondary">{t.opinion.recuse_submit}</button>
            </form>
            <p><a href=paths::QUEUE.href()>{t.opinion.back_to_queue}</a></p>
        </Shell>
    }
}

/// Whom an opinion is about, with forms to propose removing a wrong match and to confirm
/// another member's proposal.
#[component]
fn SubjectsSection(
    csrf: String,
    /// The opinion's id.
    opinion: OpinionId,
    subjects: vocabulary::model::OpinionSubjects,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let source_label = move |s: &str| match s {
        "named" => t.opinion.subject_sources[0],
        "chosen" => t.opinion.subject_sources[1],
        "tagged" => t.opinion.subject_sources[2],
        "declared" => t.opinion.subject_sources[3],
        _ => "",
    };
    let proposed: Vec<PersonId> = subjects
        .proposals
        .iter()
        .map(|p| p.person_id.clone())
        .collect();
    let removal_action = paths::SUBJECT_REMOVALS.at([&opinion]);
    let (csrf_list, csrf_confirm) = (csrf.clone(), csrf);
    (!subjects.subjects.is_empty() || !subjects.proposals.is_empty()).then(move || view! {
        <section data-testid="subjects">
            <h2>{t.opinion.subjects_heading}</h2>
            <p class="hint">{t.opinion.subjects_hint}</p>
            <ul>
                {subjects.subjects.into_iter().map(|s| {
                    let sources = s.sources.iter().map(|x| source_label(x)).collect::<Vec<_>>().join("、");
                    let offer = s.removable && !proposed.contains(&s.person_id);
                    let (csrf, form_action, person) = (csrf_list.clone(), removal_action.clone(), s.person_id.clone());
                    view! {
                        <li>
                            {s.label} " (" {sources} ")"
                            {offer.then(|| view! {
                                <form method="post" action=form_action class="inline" data-testid="propose-removal">
                                    <input type="hidden" name="csrf" value=csrf/>
                                    <input type="hidden" name="person_id" value=person.to_string()/>
                                    <button type="submit" class="button secondary">{t.opinion.subject_propose_removal}</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {subjects.proposals.into_iter().map(|p| {
                let form_action = paths::SUBJECT_REMOVAL.at([&opinion, &p.id]);
                let csrf = csrf_confirm.clone();
                view! {
                    <form method="post" action=form_action data-testid="confirm-removal">
                        <input type="hidden" name="csrf" value=csrf/>
                        <p>{p.label} " · " {t.opinion.subject_proposed_by} {p.proposed_by} " " {lang.day(&p.proposed_on)}</p>
                        <button type="submit" class="button">{t.opinion.subject_confirm_removal}</button>
                    </form>
                }
            }).collect_view()}
        </section>
    })
}

/// Similar unmerged opinions to merge an opinion with, and open issues it could join.
#[component]
fn Suggestions(
    csrf: String,
    /// The opinion's id.
    opinion: OpinionId,
    similar: Vec<SimilarOpinion>,
    issues: Vec<SimilarIssue>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let none = similar.is_empty() && issues.is_empty();
    let merge = (!similar.is_empty()).then(|| {
        view! {
            <form method="post" action=paths::ISSUES.href() data-testid="suggest-merge-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="opinion" value=opinion.to_string()/>
                <ul class="queue">
                    {similar.into_iter().map(|s| view! {
                        <li class="row">
                            <label class="pick">
                                <input type="checkbox" name="opinion" value=s.opinion.id.to_string() checked=true/>
                                <span class="excerpt">{excerpt(&s.opinion.text)}</span>
                            </label>
                            <p class="meta">
                                <span class="badge" data-testid="similarity">{similarity(t, s.score)}</span> " "
                                <span>{s.opinion.village.clone()}</span> " · "
                                <time datetime=s.opinion.released_on.to_string()>{lang.day(&s.opinion.released_on)}</time> " · "
                                <a href=paths::OPINION.at([&s.opinion.id])>{t.common.open}</a>
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
                <label for="merge-title" class="field-label">{t.common.issue_title_label}</label>
                <input id="merge-title" name="title" type="text" required=true maxlength="100"/>
                <button type="submit" class="button secondary" data-testid="merge-suggested">{t.common.merge_submit}</button>
            </form>
        }
    });
    let join = (!issues.is_empty()).then(|| {
        view! {
            <form method="post" action=paths::ISSUES_JOIN.href() data-testid="join-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="opinion" value=opinion.to_string()/>
                <label for="join-issue" class="field-label">{t.opinion.join_label}</label>
                <select id="join-issue" name="issue" required=true>
                    {issues.iter().map(|i| view! { <option value=i.id.to_string()>{join_choice(t, i)}</option> }).collect_view()}
                </select>
                <button type="submit" class="button secondary" data-testid="join-issue">{t.opinion.join_submit}</button>
            </form>
        }
    });
    view! {
        <section class="suggestions" data-testid="suggestions">
            <h2>{t.opinion.suggestions_heading}</h2>
            {none.then(|| view! { <p class="hint">{t.opinion.suggestions_none}</p> })}
            {merge}
            {join}
        </section>
    }
}
