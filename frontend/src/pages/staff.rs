//! The leading group's pages: sign-in, one's own password, the navigation bar and the queue.
//! One opinion's page is in `opinion.rs`, the boxes and posters in `boxes.rs`.

use leptos::prelude::*;

use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::model::{Category, MaskCount, OpinionState, QueueQuery, StaffOpinion, StateCount};
use vocabulary::org::TargetChoice;
use vocabulary::paths;

/// The sign-in form.
#[component]
pub fn LoginPage(
    error: Option<String>,
    /// The password was just changed.
    #[prop(optional)]
    changed: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    view! {
        <Shell title=t.staff.login_heading.to_string() path=paths::LOGIN.href() assets=None staff=true>
            <h1>{t.staff.login_heading}</h1>
            {changed.then(|| view! { <p class="ok" role="status">{t.staff.login_changed}</p> })}
            <form method="post" action=paths::LOGIN.href() class="narrow">
                <label for="username" class="field-label">{t.staff.login_username}</label>
                <input id="username" name="username" type="text" autocomplete="username" required=true/>
                <label for="password" class="field-label">{t.staff.login_password}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true/>
                {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <button type="submit" class="button">{t.staff.login_submit}</button>
            </form>
        </Shell>
    }
}

/// The navigation bar of signed-in pages, with the sign-out form.
#[component]
pub(crate) fn StaffNav(
    who: String,
    csrf: String,
    /// Auditors see only the audit trail.
    #[prop(optional)]
    auditor: bool,
    /// Admins see the organisation pages.
    #[prop(optional)]
    admin: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let links = if auditor {
        view! { <a href=paths::AUDIT.href()>{t.common.audit_heading}</a> }.into_any()
    } else if admin {
        view! {
            <a href=paths::ADMIN.href()>{t.staff.nav_org}</a>
            <a href=paths::ADMIN_PEOPLE.href()>{t.staff.nav_people}</a>
            <a href=paths::ADMIN_ACCOUNTS.href()>{t.staff.nav_accounts}</a>
            <a href=paths::ADMIN_IMPORT.href()>{t.staff.nav_import}</a>
            <a href=paths::BOXES.href()>{t.common.boxes_heading}</a>
            <a href=paths::QUESTIONNAIRES.href()>{t.common.nav_questionnaires}</a>
        }
        .into_any()
    } else {
        view! {
            <a href=paths::QUEUE.href()>{t.staff.queue_heading}</a>
            <a href=paths::HELD.href()>{t.staff.held_link}</a>
            <a href=paths::ISSUES.href()>{t.common.issues_heading}</a>
            <a href=paths::LEDGER.href()>{t.common.ledger_heading}</a>
            <a href=paths::APPRAISAL.href()>{t.staff.nav_appraisal}</a>
            <a href=paths::NOTICES.href()>{t.staff.nav_notices}</a>
            <a href=paths::REVIEWS.href()>{t.staff.nav_reviews}</a>
            <a href=paths::TABLES.href()>{t.staff.nav_tables}</a>
            <a href=paths::BOXES.href()>{t.common.boxes_heading}</a>
            <a href=paths::GROUP.href()>{t.common.group_heading}</a>
        }
        .into_any()
    };
    view! {
        <nav class="staff-nav">
            {links}
            <a href=paths::PASSWORD.href()>{t.staff.nav_password}</a>
            <span class="who">{who}</span>
            <form method="post" action=paths::LOGOUT.href() class="inline">
                <input type="hidden" name="csrf" value=csrf/>
                <button type="submit" class="link">{t.staff.logout}</button>
            </form>
        </nav>
    }
}

/// The form to change one's own password.
#[component]
pub fn PasswordPage(who: String, csrf: String, error: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    view! {
        <Shell title=t.staff.password_heading.to_string() path=paths::PASSWORD.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{t.staff.password_heading}</h1>
            <form method="post" action=paths::PASSWORD.href() class="narrow" data-testid="password-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label for="current" class="field-label">{t.staff.password_current}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required=true/>
                <label for="new" class="field-label">{t.staff.password_new}</label>
                <input id="new" name="new" type="password" autocomplete="new-password" minlength="10" maxlength="128" required=true/>
                {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <button type="submit" class="button">{t.staff.password_submit}</button>
            </form>
        </Shell>
    }
}

/// The leading group's queue of opinions: counts per state, filters, one page.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn QueuePage(
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
    let lang = use_lang();
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
        paths::QUEUE.at_query([], &q)
    });
    view! {
        <Shell title=t.staff.queue_heading.to_string() path=paths::QUEUE.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{t.staff.queue_heading} " · " {group}</h1>
            {tagged.then(|| view! { <p class="ok" role="status">{t.staff.tagged_moved}</p> })}
            <p class="state-counts" data-testid="state-counts">
                {counts.into_iter().map(|c| view! {
                    <a class=format!("badge state-{}", c.state.as_str()) href=paths::QUEUE.at_query([], &[("state", c.state.as_str())])>
                        {c.state.label(lang)} " " {c.count}
                    </a> " "
                }).collect_view()}
            </p>
            <form method="get" action=paths::QUEUE.href() class="filters" data-testid="queue-filters">
                <label>{t.common.col_state} " "
                    <select name="state">
                        <option value="">{t.staff.filter_any}</option>
                        {OpinionState::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=state == s.as_str()>{s.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.common.col_category} " "
                    <select name="category">
                        <option value="">{t.staff.filter_any}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=category == c.as_str()>{c.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.common.col_village} " "
                    <select name="village">
                        <option value="">{t.staff.filter_any}</option>
                        {villages.into_iter().map(|v| view! {
                            <option value=v.clone() selected=village == v>{v.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {(!targets.is_empty()).then(|| view! {
                    <label>{t.common.col_about} " "
                        <select name="about">
                            <option value="">{t.staff.filter_any}</option>
                            {targets.into_iter().map(|c| {
                                let selected = about == c.value;
                                view! { <option value=c.value selected=selected>{c.label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <label>{t.common.filter_from} " " <input type="date" name="from" value=chosen(&query.from)/></label>
                <label>{t.common.filter_to} " " <input type="date" name="to" value=chosen(&query.to)/></label>
                <label>{t.staff.filter_text} " " <input type="search" name="q" value=chosen(&query.q)/></label>
                <label class="check"><input type="checkbox" name="overdue" value="1" checked=query.overdue.is_some()/> " " {t.common.overdue_badge}</label>
                <button type="submit" class="button secondary">{t.staff.filter_submit}</button>
            </form>
            {empty.then(|| view! { <p class="hint">{t.staff.queue_empty}</p> })}
            <form method="post" action=paths::ISSUES.href() data-testid="merge-form">
            <input type="hidden" name="csrf" value=csrf/>
            <ul class="queue">
                {opinions.into_iter().map(|o| view! {
                    <li data-testid="opinion-row" class=format!("row state-{}", o.state.as_str())>
                        {match o.issue_id.clone() {
                            Some(issue) => view! {
                                <p class="merged">
                                    <a class="badge merged" href=paths::ISSUE.at([&issue]) data-testid="merged-badge">{t.staff.merged_badge}</a>
                                </p>
                            }.into_any(),
                            None => view! {
                                <label class="pick">
                                    <input type="checkbox" name="opinion" value=o.id.to_string()
                                        aria-label=format!("{} {}", t.staff.select_label, excerpt(&o.text))/>
                                    <span>{t.staff.select_label}</span>
                                </label>
                            }.into_any(),
                        }}
                        <p class="meta">
                            <span class="badge">{o.state.label(lang)}</span> " "
                            {o.contact.is_some().then(|| view! { <span class="badge named">{t.staff.named_badge}</span> " " })}
                            <span>{o.category.icon()} " " {o.category.label(lang)}</span> " · "
                            <span>{o.village.clone()} " · " {o.box_name.clone()}</span> " · "
                            <time datetime=o.released_on.to_string()>{lang.day(&o.released_on)}</time>
                            {o.about.clone().map(|a| view! { " · " <span data-testid="row-about">{t.common.col_about} ": " {a}</span> })}
                            {o.due_on.clone().map(|due| view! { " · " {t.common.due_label} " " <time datetime=due.to_string()>{lang.day(&due)}</time> })}
                            {o.overdue.then(|| view! { " " <span class="badge overdue" data-testid="overdue">{t.common.overdue_badge}</span> })}
                        </p>
                        <p class="excerpt">{excerpt(&o.text)}</p>
                        <MaskSummary masks=o.masks.clone()/>
                        <a href=paths::OPINION.at([&o.id])>{t.common.open}</a>
                    </li>
                }).collect_view()}
            </ul>
            {mergeable.then(|| view! {
                <div class="merge-bar">
                    <label for="merge-title" class="field-label">{t.common.issue_title_label}</label>
                    <input id="merge-title" name="title" type="text" required=true maxlength="100"/>
                    <button type="submit" class="button" data-testid="merge-selected">{t.staff.merge_selected}</button>
                </div>
            })}
            </form>
            {next_href.map(|href| view! { <p><a href=href data-testid="next-page">{t.staff.next_page}</a></p> })}
        </Shell>
    }
}

/// What was masked in an opinion before it was stored, e.g. "保存前已遮盖:手机号 ×1"; nothing when nothing was.
#[component]
pub(super) fn MaskSummary(masks: Vec<MaskCount>) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    (!masks.is_empty()).then(|| {
        let list = masks
            .iter()
            .map(|m| format!("{} ×{}", m.kind.label(lang), m.count))
            .collect::<Vec<_>>()
            .join(t.common.list_separator);
        view! { <p class="hint masks" data-testid="masks">"🔒 " {t.staff.masked_label} " " {list}</p> }
    })
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
