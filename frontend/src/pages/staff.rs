//! The leading group's pages: sign-in, the queue, one opinion, the boxes and their posters.

use leptos::prelude::*;

use super::issues::{join_choice, similarity};
use crate::components::{PageScript, Shell, TextArea, ThreadView};
use crate::i18n::Lang;
use crate::issues::{OpinionSuggestions, SimilarIssue, SimilarOpinion};
use crate::model::{
    Category, MaskCount, OpinionState, QueueQuery, StaffBox, StaffOpinion, StateCount,
};
use crate::org::TargetChoice;
use crate::style::POSTER_CSS;

/// The sign-in form.
#[component]
pub fn LoginPage(
    lang: Lang,
    error: Option<String>,
    /// The password was just changed.
    #[prop(optional)]
    changed: bool,
) -> impl IntoView {
    let t = lang.t();
    view! {
        <Shell lang=lang title=t.login_heading.to_string() path="/staff/login".to_string() assets=None staff=true>
            <h1>{t.login_heading}</h1>
            {changed.then(|| view! { <p class="ok" role="status">{t.login_changed}</p> })}
            <form method="post" action="/staff/login" class="narrow">
                <label for="username" class="field-label">{t.login_username}</label>
                <input id="username" name="username" type="text" autocomplete="username" required=true/>
                <label for="password" class="field-label">{t.login_password}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true/>
                {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <button type="submit" class="button">{t.login_submit}</button>
            </form>
        </Shell>
    }
}

/// The navigation bar of signed-in pages, with the sign-out form.
#[component]
pub(crate) fn StaffNav(
    lang: Lang,
    who: String,
    csrf: String,
    /// Auditors see only the audit trail.
    #[prop(optional)]
    auditor: bool,
    /// Admins see the organisation pages.
    #[prop(optional)]
    admin: bool,
) -> impl IntoView {
    let t = lang.t();
    let links = if auditor {
        view! { <a href="/staff/audit">{t.audit_heading}</a> }.into_any()
    } else if admin {
        view! {
            <a href="/staff/admin">{t.nav_org}</a>
            <a href="/staff/admin/people">{t.nav_people}</a>
            <a href="/staff/admin/accounts">{t.nav_accounts}</a>
            <a href="/staff/admin/import">{t.nav_import}</a>
            <a href="/staff/boxes">{t.boxes_heading}</a>
            <a href="/staff/questionnaires">{t.nav_questionnaires}</a>
        }
        .into_any()
    } else {
        view! {
            <a href="/staff">{t.queue_heading}</a>
            <a href="/staff/held">{t.held_link}</a>
            <a href="/staff/issues">{t.issues_heading}</a>
            <a href="/staff/ledger">{t.ledger_heading}</a>
            <a href="/staff/appraisal">{t.nav_appraisal}</a>
            <a href="/staff/notices">{t.nav_notices}</a>
            <a href="/staff/reviews">{t.nav_reviews}</a>
            <a href="/staff/tables">{t.nav_tables}</a>
            <a href="/staff/boxes">{t.boxes_heading}</a>
            <a href="/staff/group">{t.group_heading}</a>
        }
        .into_any()
    };
    view! {
        <nav class="staff-nav">
            {links}
            <a href="/staff/password">{t.nav_password}</a>
            <span class="who">{who}</span>
            <form method="post" action="/staff/logout" class="inline">
                <input type="hidden" name="csrf" value=csrf/>
                <button type="submit" class="link">{t.logout}</button>
            </form>
        </nav>
    }
}

/// The form to change one's own password.
#[component]
pub fn PasswordPage(lang: Lang, who: String, csrf: String, error: Option<String>) -> impl IntoView {
    let t = lang.t();
    view! {
        <Shell lang=lang title=t.password_heading.to_string() path="/staff/password".to_string() assets=None staff=true>
            <StaffNav lang=lang who=who csrf=csrf.clone()/>
            <h1>{t.password_heading}</h1>
            <form method="post" action="/staff/password" class="narrow" data-testid="password-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label for="current" class="field-label">{t.password_current}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required=true/>
                <label for="new" class="field-label">{t.password_new}</label>
                <input id="new" name="new" type="password" autocomplete="new-password" minlength="10" maxlength="128" required=true/>
                {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <button type="submit" class="button">{t.password_submit}</button>
            </form>
        </Shell>
    }
}

/// The leading group's queue of opinions: counts per state, filters, one page.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn QueuePage(
    lang: Lang,
    who: String,
    csrf: String,
    group: String,
    opinions: Vec<StaffOpinion>,
    /// The cursor of the next page.
    next: Option<String>,
    counts: Vec<StateCount>,
    /// Village names to filter by.
    villages: Vec<String>,
    /// People and units to filter by.
    targets: Vec<TargetChoice>,
    /// The filters in force.
    query: QueueQuery,
    /// An opinion was just tagged and left the reviewer's view.
    #[prop(optional)]
    tagged: bool,
) -> impl IntoView {
    let t = lang.t();
    let empty = opinions.is_empty();
    let mergeable = opinions.iter().any(|o| o.issue_id.is_none());
    let chosen = |v: &Option<String>| v.clone().unwrap_or_default();
    let (state, category, village, about) = (
        chosen(&query.state),
        chosen(&query.category),
        chosen(&query.village),
        chosen(&query.about),
    );
    let next_href = next.map(|after| {
        let mut q = query.clone();
        q.after = Some(after);
        format!(
            "/staff?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    });
    view! {
        <Shell lang=lang title=t.queue_heading.to_string() path="/staff".to_string() assets=None staff=true>
            <StaffNav lang=lang who=who csrf=csrf.clone()/>
            <h1>{t.queue_heading} " · " {group}</h1>
            {tagged.then(|| view! { <p class="ok" role="status">{t.tagged_moved}</p> })}
            <p class="state-counts" data-testid="state-counts">
                {counts.into_iter().map(|c| view! {
                    <a class=format!("badge state-{}", c.state.as_str()) href=format!("/staff?state={}", c.state.as_str())>
                        {c.state.label(lang)} " " {c.count}
                    </a> " "
                }).collect_view()}
            </p>
            <form method="get" action="/staff" class="filters" data-testid="queue-filters">
                <label>{t.col_state} " "
                    <select name="state">
                        <option value="">{t.filter_any}</option>
                        {OpinionState::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=state == s.as_str()>{s.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.col_category} " "
                    <select name="category">
                        <option value="">{t.filter_any}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=category == c.as_str()>{c.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.col_village} " "
                    <select name="village">
                        <option value="">{t.filter_any}</option>
                        {villages.into_iter().map(|v| view! {
                            <option value=v.clone() selected=village == v>{v.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {(!targets.is_empty()).then(|| view! {
                    <label>{t.col_about} " "
                        <select name="about">
                            <option value="">{t.filter_any}</option>
                            {targets.into_iter().map(|c| {
                                let selected = about == c.value;
                                view! { <option value=c.value selected=selected>{c.label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <label>{t.filter_from} " " <input type="date" name="from" value=chosen(&query.from)/></label>
                <label>{t.filter_to} " " <input type="date" name="to" value=chosen(&query.to)/></label>
                <label>{t.filter_text} " " <input type="search" name="q" value=chosen(&query.q)/></label>
                <label class="check"><input type="checkbox" name="overdue" value="1" checked=query.overdue.is_some()/> " " {t.overdue_badge}</label>
                <button type="submit" class="button secondary">{t.filter_submit}</button>
            </form>
            {empty.then(|| view! { <p class="hint">{t.queue_empty}</p> })}
            <form method="post" action="/staff/issues" data-testid="merge-form">
            <input type="hidden" name="csrf" value=csrf/>
            <ul class="queue">
                {opinions.into_iter().map(|o| view! {
                    <li data-testid="opinion-row" class=format!("row state-{}", o.state.as_str())>
                        {match o.issue_id.clone() {
                            Some(issue) => view! {
                                <p class="merged">
                                    <a class="badge merged" href=format!("/staff/issues/{issue}") data-testid="merged-badge">{t.merged_badge}</a>
                                </p>
                            }.into_any(),
                            None => view! {
                                <label class="pick">
                                    <input type="checkbox" name="opinion" value=o.id.clone()
                                        aria-label=format!("{} {}", t.select_label, excerpt(&o.text))/>
                                    <span>{t.select_label}</span>
                                </label>
                            }.into_any(),
                        }}
                        <p class="meta">
                            <span class="badge">{o.state.label(lang)}</span> " "
                            {o.contact.is_some().then(|| view! { <span class="badge named">{t.named_badge}</span> " " })}
                            <span>{o.category.icon()} " " {o.category.label(lang)}</span> " · "
                            <span>{o.village.clone()} " · " {o.box_name.clone()}</span> " · "
                            <time datetime=o.released_on.clone()>{lang.day(&o.released_on)}</time>
                            {o.about.clone().map(|a| view! { " · " <span data-testid="row-about">{t.col_about} ": " {a}</span> })}
                            {o.due_on.clone().map(|due| view! { " · " {t.due_label} " " <time datetime=due.clone()>{lang.day(&due)}</time> })}
                            {o.overdue.then(|| view! { " " <span class="badge overdue" data-testid="overdue">{t.overdue_badge}</span> })}
                        </p>
                        <p class="excerpt">{excerpt(&o.text)}</p>
                        <MaskSummary lang=lang masks=o.masks.clone()/>
                        <a href=format!("/staff/opinions/{}", o.id)>{t.open}</a>
                    </li>
                }).collect_view()}
            </ul>
            {mergeable.then(|| view! {
                <div class="merge-bar">
                    <label for="merge-title" class="field-label">{t.issue_title_label}</label>
                    <input id="merge-title" name="title" type="text" required=true maxlength="100"/>
                    <button type="submit" class="button" data-testid="merge-selected">{t.merge_selected}</button>
                </div>
            })}
            </form>
            {next_href.map(|href| view! { <p><a href=href data-testid="next-page">{t.next_page}</a></p> })}
        </Shell>
    }
}

/// What was masked in an opinion before it was stored, e.g. "保存前已遮盖:手机号 ×1"; nothing when nothing was.
#[component]
fn MaskSummary(lang: Lang, masks: Vec<MaskCount>) -> impl IntoView {
    let t = lang.t();
    (!masks.is_empty()).then(|| {
        let list = masks
            .iter()
            .map(|m| format!("{} ×{}", m.kind.label(lang), m.count))
            .collect::<Vec<_>>()
            .join(t.list_separator);
        view! { <p class="hint masks" data-testid="masks">"🔒 " {t.masked_label} " " {list}</p> }
    })
}

/// One opinion, with the state and reply form.
#[component]
pub fn OpinionPage(
    lang: Lang,
    who: String,
    csrf: String,
    opinion: StaffOpinion,
    saved: bool,
    /// The issue it is merged into, or similar opinions and issues to merge it with.
    suggestions: OpinionSuggestions,
    /// Whom it is about, with the removals waiting.
    #[prop(optional)]
    subjects: crate::model::OpinionSubjects,
) -> impl IntoView {
    let t = lang.t();
    let action = format!("/staff/opinions/{}", opinion.id);
    let subjects_view = view! { <SubjectsSection lang=lang csrf=csrf.clone() action=action.clone() subjects=subjects/> };
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
        <Shell lang=lang title=t.detail_heading.to_string() path=action.clone() assets=None staff=true>
            <StaffNav lang=lang who=who csrf=csrf.clone()/>
            <h1>{t.detail_heading}</h1>
            {saved.then(|| view! { <p class="ok" role="status">{t.saved}</p> })}
            <dl class="facts">
                <dt>{t.col_state}</dt><dd data-testid="opinion-state">{current.label(lang)}</dd>
                <dt>{t.col_category}</dt><dd>{opinion.category.icon()} " " {opinion.category.label(lang)}</dd>
                <dt>{t.col_village}</dt><dd>{opinion.village.clone()}</dd>
                <dt>{t.col_box}</dt><dd>{opinion.box_name.clone()}</dd>
                <dt>{t.col_date}</dt><dd>{lang.day(&opinion.released_on)}</dd>
                <dt>{t.due_label}</dt><dd>{opinion.due_on.as_deref().map(|d| lang.day(d)).unwrap_or_default()}
                    {opinion.overdue.then(|| view! { " " <span class="badge overdue">{t.overdue_badge}</span> })}</dd>
                {opinion.about.clone().map(|about| view! { <dt>{t.col_about}</dt><dd data-testid="opinion-about">{about}</dd> })}
                {opinion.escalation.map(|e| view! { <dt>{t.escalation_label}</dt><dd data-testid="opinion-escalation">{e.label(lang)}</dd> })}
            </dl>
            <blockquote class="opinion-text" data-testid="opinion-text">{opinion.text.clone()}</blockquote>
            <MaskSummary lang=lang masks=opinion.masks.clone()/>
            {(!opinion.photos.is_empty()).then(|| view! {
                <div class="photos" data-testid="photos">
                    {opinion.photos.iter().map(|p| {
                        let src = format!("{action}/photos/{}", p.number);
                        let href = src.clone();
                        view! {
                            <a href=href>
                                <img src=src alt=format!("{} {}", t.photo_alt, p.number) width=p.width.min(320).to_string()
                                    height=(u64::from(p.height) * u64::from(p.width.min(320)) / u64::from(p.width.max(1))).to_string() loading="lazy"/>
                            </a>
                        }
                    }).collect_view()}
                </div>
            })}
            {opinion.contact.clone().map(|c| view! {
                <p class="contact" data-testid="contact">"☎️ " {t.named_label} " " <strong>{c.name}</strong> " " <a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a></p>
            })}
            <ThreadView lang=lang thread=opinion.thread.clone()/>
            <form method="post" action=format!("{action}/messages") data-testid="ask-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <label for="question" class="field-label">{t.ask_label}</label>
                <TextArea {..} id="question" name="text" rows="3" required=true maxlength="2000"/>
                <button type="submit" class="button secondary">{t.ask_submit}</button>
            </form>
            {match merged {
                _ if hidden_issue => view! {
                    <p class="hint" data-testid="merged-hidden">{t.merged_hidden}</p>
                }.into_any(),
                Some(issue) => view! {
                    <p data-testid="merged-into">
                        {t.merged_into} " " <a href=format!("/staff/issues/{}", issue.id)>{issue.title}</a>
                    </p>
                    <p class="hint">{t.merged_handled_hint}</p>
                }.into_any(),
                None => view! {
                    <form method="post" action=action>
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <label for="state" class="field-label">{t.col_state}</label>
                        <select id="state" name="state">
                            {OpinionState::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=s == current>{s.label(lang)}</option>
                            }).collect_view()}
                        </select>
                        <label for="reply" class="field-label">{t.reply_label}</label>
                        <TextArea value={opinion.reply.unwrap_or_default()} {..} id="reply" name="reply" rows="5" maxlength="2000"/>
                        <button type="submit" class="button" data-testid="save-opinion">{t.save}</button>
                    </form>
                    <Suggestions lang=lang csrf=csrf opinion=opinion_id similar=similar issues=open_issues/>
                }.into_any(),
            }}
            {(!choices.is_empty()).then(move || {
                view! {
                    <form method="post" action=tag_action data-testid="tag-form">
                        <input type="hidden" name="csrf" value=csrf_tag/>
                        <label for="about" class="field-label">{t.tag_heading}</label>
                        <p class="hint">{t.tag_hint}</p>
                        <select id="about" name="about" required=true>
                            <option value="">{t.about_none}</option>
                            {choices.into_iter().map(|c| view! { <option value=c.value>{c.label}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button secondary">{t.tag_submit}</button>
                    </form>
                }
            })}
            {subjects_view}
            <form method="post" action=recuse_action data-testid="recuse-form">
                <input type="hidden" name="csrf" value=csrf_recuse/>
                <p class="hint">{t.recuse_hint}</p>
                <button type="submit" class="button secondary">{t.recuse_submit}</button>
            </form>
            <p><a href="/staff">{t.back_to_queue}</a></p>
        </Shell>
    }
}

/// Whom an opinion is about, with forms to propose removing a wrong match and to confirm
/// another member's proposal.
#[component]
fn SubjectsSection(
    lang: Lang,
    csrf: String,
    action: String,
    subjects: crate::model::OpinionSubjects,
) -> impl IntoView {
    let t = lang.t();
    let source_label = move |s: &str| match s {
        "named" => t.subject_sources[0],
        "chosen" => t.subject_sources[1],
        "tagged" => t.subject_sources[2],
        "declared" => t.subject_sources[3],
        _ => "",
    };
    let proposed: Vec<String> = subjects
        .proposals
        .iter()
        .map(|p| p.person_id.clone())
        .collect();
    let removal_action = format!("{action}/subjects/removals");
    let (csrf_list, csrf_confirm) = (csrf.clone(), csrf);
    let confirm_base = removal_action.clone();
    (!subjects.subjects.is_empty() || !subjects.proposals.is_empty()).then(move || view! {
        <section data-testid="subjects">
            <h2>{t.subjects_heading}</h2>
            <p class="hint">{t.subjects_hint}</p>
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
                                    <input type="hidden" name="person_id" value=person/>
                                    <button type="submit" class="button secondary">{t.subject_propose_removal}</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {subjects.proposals.into_iter().map(|p| {
                let form_action = format!("{confirm_base}/{}", p.id);
                let csrf = csrf_confirm.clone();
                view! {
                    <form method="post" action=form_action data-testid="confirm-removal">
                        <input type="hidden" name="csrf" value=csrf/>
                        <p>{p.label} " · " {t.subject_proposed_by} {p.proposed_by} " " {lang.day(&p.proposed_on)}</p>
                        <button type="submit" class="button">{t.subject_confirm_removal}</button>
                    </form>
                }
            }).collect_view()}
        </section>
    })
}

/// Similar unmerged opinions to merge an opinion with, and open issues it could join.
#[component]
fn Suggestions(
    lang: Lang,
    csrf: String,
    /// The opinion's id.
    opinion: String,
    similar: Vec<SimilarOpinion>,
    issues: Vec<SimilarIssue>,
) -> impl IntoView {
    let t = lang.t();
    let none = similar.is_empty() && issues.is_empty();
    let merge = (!similar.is_empty()).then(|| {
        view! {
            <form method="post" action="/staff/issues" data-testid="suggest-merge-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="opinion" value=opinion.clone()/>
                <ul class="queue">
                    {similar.into_iter().map(|s| view! {
                        <li class="row">
                            <label class="pick">
                                <input type="checkbox" name="opinion" value=s.opinion.id.clone() checked=true/>
                                <span class="excerpt">{excerpt(&s.opinion.text)}</span>
                            </label>
                            <p class="meta">
                                <span class="badge" data-testid="similarity">{similarity(t, s.score)}</span> " "
                                <span>{s.opinion.village.clone()}</span> " · "
                                <time datetime=s.opinion.released_on.clone()>{lang.day(&s.opinion.released_on)}</time> " · "
                                <a href=format!("/staff/opinions/{}", s.opinion.id)>{t.open}</a>
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
                <label for="merge-title" class="field-label">{t.issue_title_label}</label>
                <input id="merge-title" name="title" type="text" required=true maxlength="100"/>
                <button type="submit" class="button secondary" data-testid="merge-suggested">{t.merge_submit}</button>
            </form>
        }
    });
    let join = (!issues.is_empty()).then(|| {
        view! {
            <form method="post" action="/staff/issues/join" data-testid="join-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="opinion" value=opinion.clone()/>
                <label for="join-issue" class="field-label">{t.join_label}</label>
                <select id="join-issue" name="issue" required=true>
                    {issues.iter().map(|i| view! { <option value=i.id.clone()>{join_choice(t, i)}</option> }).collect_view()}
                </select>
                <button type="submit" class="button secondary" data-testid="join-issue">{t.join_submit}</button>
            </form>
        }
    });
    view! {
        <section class="suggestions" data-testid="suggestions">
            <h2>{t.suggestions_heading}</h2>
            {none.then(|| view! { <p class="hint">{t.suggestions_none}</p> })}
            {merge}
            {join}
        </section>
    }
}

/// The boxes of the leading group's area and links to their QR codes and posters; admins also
/// get a form to hang a new box in a unit of their area (`units` is empty for others).
#[component]
pub fn BoxesPage(
    lang: Lang,
    who: String,
    csrf: String,
    boxes: Vec<StaffBox>,
    /// The admin's units; empty for other roles.
    #[prop(optional)]
    units: Vec<crate::org::UnitView>,
    /// The form was refused.
    #[prop(optional)]
    error: Option<String>,
) -> impl IntoView {
    let t = lang.t();
    let admin = !units.is_empty();
    let form_csrf = csrf.clone();
    view! {
        <Shell lang=lang title=t.boxes_heading.to_string() path="/staff/boxes".to_string() assets=None staff=true>
            <StaffNav lang=lang who=who csrf=csrf admin=admin/>
            <h1>{t.boxes_heading}</h1>
            {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <ul class="queue">
                {boxes.into_iter().map(|b| {
                    let base = format!("/staff/boxes/{}", b.id);
                    view! {
                        <li class="row" data-testid="box-row">
                            <p><strong>{b.name.clone()}</strong> " · " {b.village.clone()}</p>
                            <p class="hint url"><a href=b.url.clone()>{b.url.clone()}</a></p>
                            <p class="links">
                                <a href=format!("{base}/qr.svg") download="">{t.qr_svg}</a>
                                <a href=format!("{base}/qr.png") download="">{t.qr_png}</a>
                                <a href=format!("{base}/poster")>{t.poster}</a>
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {admin.then(|| view! {
                <h2>{t.box_add_heading}</h2>
                <form method="post" action="/staff/boxes" class="narrow" data-testid="box-form">
                    <input type="hidden" name="csrf" value=form_csrf/>
                    <label for="box-unit" class="field-label">{t.col_unit}</label>
                    <select id="box-unit" name="unit_id" required=true>
                        {units.iter().map(|u| view! {
                            <option value=u.id.clone()>{format!("{}{}", "　".repeat(u.depth as usize), u.name)}</option>
                        }).collect_view()}
                    </select>
                    <label for="box-name" class="field-label">{t.box_name_label}</label>
                    <input id="box-name" name="name" type="text" maxlength="60" required=true/>
                    <button type="submit" class="button">{t.box_add_submit}</button>
                </form>
            })}
        </Shell>
    }
}

/// A printable A4 poster: who asks (township), what for, the privacy promise and a large QR code.
#[component]
pub fn PosterPage(
    lang: Lang,
    /// The township or group, largest.
    heading: String,
    /// The box's or round's name.
    title: String,
    /// The QR code's address, printed small below it.
    url: String,
    /// What to do, e.g. 扫码提意见.
    scan: String,
    qr_svg: String,
) -> impl IntoView {
    let t = lang.t();
    view! {
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{title.clone()}</title>
                <style inner_html=POSTER_CSS></style>
            </head>
            <body class="poster">
                <main>
                <h1>{heading}</h1>
                <h2>{title}</h2>
                <p class="scan">{scan}</p>
                <div class="qr" inner_html=qr_svg></div>
                <p class="url">{url}</p>
                <p class="promise">{t.poster_promise}</p>
                <button type="button" class="no-print" data-print="1">{t.print}</button>
                </main>
                <PageScript/>
            </body>
        </html>
    }
}

pub(super) fn excerpt(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}
