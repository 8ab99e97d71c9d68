//! The admin's pages: organisation and leading groups with routing, people, accounts, import.
//! Plain forms that work without JavaScript; every form carries the session's CSRF token.

use leptos::prelude::*;

use super::staff::StaffNav;
use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::i18n::{Lang, Texts};
use vocabulary::model::Category;
use vocabulary::org::{
    AccountView, ImportReport, LeaderRank, PersonView, RoutingRuleView, UnitCategory, UnitKind,
    UnitView,
};
use vocabulary::paths;

/// What the admin just did, or why it was refused.
#[derive(Clone, Debug, Default)]
pub struct AdminNotice {
    /// A confirmation.
    pub ok: Option<String>,
    /// A refusal, in the reader's language.
    pub error: Option<String>,
}

/// The notice and error lines at the top of an admin or appraisal page.
#[component]
pub(super) fn Notice(notice: AdminNotice) -> impl IntoView {
    view! {
        {notice.ok.map(|m| view! { <p class="ok" role="status" data-testid="admin-ok">{m}</p> })}
        {notice.error.map(|m| view! { <p class="error" role="alert" data-testid="form-error">{m}</p> })}
    }
}

/// `<option>`s for "not a leader" and the fourteen ranks of 附件1, `chosen` selected.
fn rank_options(lang: Lang, chosen: Option<LeaderRank>) -> impl IntoView + use<> {
    let t = lang.t();
    view! {
        <option value="" selected=chosen.is_none()>{t.admin.rank_none}</option>
        {LeaderRank::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=chosen == Some(r)>{r.label(lang)}</option> }).collect_view()}
    }
}

/// A unit's name indented by its depth, for `<option>`s.
fn indented(unit: &UnitView) -> String {
    format!("{}{}", "　".repeat(unit.depth as usize), unit.name)
}

/// `<option>`s for every unit of the area.
fn unit_options(units: &[UnitView]) -> impl IntoView + use<> {
    units
        .iter()
        .map(|u| view! { <option value=u.id.to_string()>{indented(u)}</option> })
        .collect_view()
}

/// `<option>`s for everyone in the area, labelled with their unit and post.
fn person_options(people: &[PersonView], chosen: Option<&str>) -> impl IntoView + use<> {
    people
        .iter()
        .map(|p| {
            let selected = chosen == Some(p.id.as_str());
            let label = format!("{}({} {})", p.name, p.unit_name, p.post);
            view! { <option value=p.id.to_string() selected=selected>{label}</option> }
        })
        .collect_view()
}

/// The leading groups of the area as (id, "unit · group").
fn groups_of(units: &[UnitView]) -> Vec<(String, String)> {
    units
        .iter()
        .filter_map(|u| {
            u.group
                .as_ref()
                .map(|g| (g.id.to_string(), format!("{} · {}", u.name, g.name)))
        })
        .collect()
}

/// The label of a role's stable name.
pub fn role_label(t: &Texts, role: &str) -> &'static str {
    match role {
        "admin" => t.admin.role_admin,
        "member" => t.admin.role_member,
        "viewer" => t.admin.role_viewer,
        "auditor" => t.admin.role_auditor,
        _ => "?",
    }
}

const ROLES: [&str; 4] = ["member", "viewer", "auditor", "admin"];

/// Units with their levels, categories and groups; forms to add units, set groups and route.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn AdminUnitsPage(
    who: String,
    csrf: String,
    units: Vec<UnitView>,
    people: Vec<PersonView>,
    rules: Vec<RoutingRuleView>,
    notice: AdminNotice,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let groups = groups_of(&units);
    let rows = units.clone();
    view! {
        <Shell title=t.admin.org_heading.to_string() path=paths::ADMIN.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone() admin=true/>
            <h1>{t.admin.org_heading}</h1>
            <p class="hint">{t.admin.org_intro}</p>
            <Notice notice=notice/>
            <table class="stats" data-testid="unit-table">
                <thead><tr>
                    <th scope="col">{t.common.col_unit}</th><th scope="col">{t.admin.col_kind}</th>
                    <th scope="col">{t.admin.col_unit_category}</th><th scope="col">{t.admin.col_group}</th><th scope="col">{t.admin.col_head}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|u| view! {
                        <tr data-testid="unit-row">
                            <th scope="row">{indented(&u)}</th>
                            <td>{u.kind.label(lang)}</td>
                            <td>{u.category.map(|c| c.label(lang)).unwrap_or("")}</td>
                            <td>{u.group.as_ref().map(|g| g.name.clone()).unwrap_or_default()}</td>
                            <td>{u.group.as_ref().and_then(|g| g.head_name.clone()).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>

            <h2>{t.admin.unit_add_heading}</h2>
            <form method="post" action=paths::ADMIN_UNITS.href() class="narrow" data-testid="unit-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <label for="parent_id" class="field-label">{t.admin.unit_parent}</label>
                <select id="parent_id" name="parent_id" required=true>{unit_options(&units)}</select>
                <label for="unit-name" class="field-label">{t.common.col_unit}</label>
                <input id="unit-name" name="name" type="text" maxlength="60" required=true/>
                <label for="kind" class="field-label">{t.admin.col_kind}</label>
                <select id="kind" name="kind">
                    <option value="">{t.admin.kind_auto}</option>
                    {UnitKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label(lang)}</option> }).collect_view()}
                </select>
                <label for="category" class="field-label">{t.admin.col_unit_category}</label>
                <select id="category" name="category">
                    <option value="">{t.admin.category_none}</option>
                    {UnitCategory::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label(lang)}</option> }).collect_view()}
                </select>
                <button type="submit" class="button">{t.admin.unit_add_submit}</button>
            </form>

            <h2>{t.admin.unit_change_heading}</h2>
            <p class="hint">{t.admin.unit_change_hint}</p>
            <form method="post" action=paths::ADMIN_UNITS_CHANGE.href() class="narrow" data-testid="unit-change-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <label for="change-unit" class="field-label">{t.common.col_unit}</label>
                <select id="change-unit" name="unit_id" required=true>{unit_options(&units)}</select>
                <label for="change-name" class="field-label">{t.admin.unit_new_name}</label>
                <input id="change-name" name="name" type="text" maxlength="60"/>
                <label for="change-parent" class="field-label">{t.admin.unit_new_parent}</label>
                <select id="change-parent" name="parent_id">
                    <option value="">{t.admin.unit_keep_parent}</option>
                    {unit_options(&units)}
                </select>
                <button type="submit" class="button">{t.admin.unit_change_submit}</button>
            </form>

            <h2>{t.admin.group_form_heading}</h2>
            <form method="post" action=paths::ADMIN_GROUPS.href() class="narrow" data-testid="group-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <label for="group-unit" class="field-label">{t.common.col_unit}</label>
                <select id="group-unit" name="unit_id" required=true>{unit_options(&units)}</select>
                <label for="group-name" class="field-label">{t.admin.group_name_label}</label>
                <input id="group-name" name="name" type="text" maxlength="60" required=true/>
                <label for="head" class="field-label">{t.admin.head_label}</label>
                <select id="head" name="head_person_id">
                    <option value="">{t.admin.head_none}</option>
                    {person_options(&people, None)}
                </select>
                <button type="submit" class="button">{t.admin.group_submit}</button>
            </form>

            <h2>{t.admin.routing_heading}</h2>
            <p class="hint">{t.admin.routing_intro}</p>
            {if rules.is_empty() {
                view! { <p class="hint">{t.admin.routing_none}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="routing-rules">
                        {rules.into_iter().map(|r| view! {
                            <li>{r.unit_name} " · " {r.category.label(lang)} " → " {r.group_name}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form method="post" action=paths::ADMIN_ROUTING.href() class="narrow" data-testid="routing-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label for="routing-unit" class="field-label">{t.admin.routing_area}</label>
                <select id="routing-unit" name="unit_id" required=true>{unit_options(&units)}</select>
                <label for="routing-category" class="field-label">{t.common.col_category}</label>
                <select id="routing-category" name="category" required=true>
                    {Category::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label(lang)}</option> }).collect_view()}
                </select>
                <label for="routing-group" class="field-label">{t.admin.routing_group}</label>
                <select id="routing-group" name="group_id">
                    <option value="">{t.admin.routing_remove}</option>
                    {groups.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
                <button type="submit" class="button">{t.admin.routing_submit}</button>
            </form>
        </Shell>
    }
}

/// Everyone who can be named, with withdraw/restore buttons and a form to add someone.
#[component]
pub fn AdminPeoplePage(
    who: String,
    csrf: String,
    units: Vec<UnitView>,
    people: Vec<PersonView>,
    notice: AdminNotice,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let row_csrf = csrf.clone();
    view! {
        <Shell title=t.admin.people_heading.to_string() path=paths::ADMIN_PEOPLE.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone() admin=true/>
            <h1>{t.admin.people_heading}</h1>
            <p class="hint">{t.admin.people_intro}</p>
            <Notice notice=notice/>
            <table class="stats" data-testid="people-table">
                <thead><tr>
                    <th scope="col">{t.common.col_unit}</th><th scope="col">{t.admin.col_name}</th>
                    <th scope="col">{t.admin.col_post}</th><th scope="col">{t.admin.col_leader_rank}</th><th scope="col">{t.admin.col_status}</th><th scope="col">{t.admin.col_actions}</th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|p| {
                        let action = paths::PERSON_ACTIVE.at([&p.id]);
                        let rank_action = paths::PERSON_RANK.at([&p.id]);
                        view! {
                            <tr data-testid="person-row">
                                <td>{p.unit_name}</td><th scope="row">{p.name}</th><td>{p.post}</td>
                                <td>
                                    <form method="post" action=rank_action class="inline">
                                        <input type="hidden" name="csrf" value=row_csrf.clone()/>
                                        <select name="leader_rank" aria-label=t.admin.col_leader_rank>{rank_options(lang, p.leader_rank)}</select>
                                        " "
                                        <button type="submit" class="link">{t.admin.rank_save}</button>
                                    </form>
                                </td>
                                <td>{if p.active { t.admin.status_active } else { t.admin.status_inactive }}</td>
                                <td>
                                    <form method="post" action=action class="inline">
                                        <input type="hidden" name="csrf" value=row_csrf.clone()/>
                                        <input type="hidden" name="active" value=if p.active { "0" } else { "1" }/>
                                        <button type="submit" class="link">{if p.active { t.admin.person_withdraw } else { t.admin.person_restore }}</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{t.admin.person_add_heading}</h2>
            <form method="post" action=paths::ADMIN_PEOPLE.href() class="narrow" data-testid="person-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label for="person-unit" class="field-label">{t.common.col_unit}</label>
                <select id="person-unit" name="unit_id" required=true>{unit_options(&units)}</select>
                <label for="person-name" class="field-label">{t.admin.col_name}</label>
                <input id="person-name" name="name" type="text" maxlength="20" required=true/>
                <label for="person-post" class="field-label">{t.admin.col_post}</label>
                <input id="person-post" name="post" type="text" maxlength="40"/>
                <label for="person-rank" class="field-label">{t.admin.col_leader_rank}</label>
                <select id="person-rank" name="leader_rank">{rank_options(lang, None)}</select>
                <button type="submit" class="button">{t.admin.person_add_submit}</button>
            </form>
        </Shell>
    }
}

/// A password drawn for an account, shown once.
#[derive(Clone, Debug)]
pub struct ShownPassword {
    /// Whose.
    pub username: String,
    /// The password.
    pub password: String,
}

/// The accounts of the area, each with its own form, and a form to create one.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn AdminAccountsPage(
    who: String,
    csrf: String,
    accounts: Vec<AccountView>,
    units: Vec<UnitView>,
    people: Vec<PersonView>,
    shown: Option<ShownPassword>,
    notice: AdminNotice,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let groups = groups_of(&units);
    let row_csrf = csrf.clone();
    let row_people = people.clone();
    view! {
        <Shell title=t.admin.accounts_heading.to_string() path=paths::ADMIN_ACCOUNTS.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone() admin=true/>
            <h1>{t.admin.accounts_heading}</h1>
            <p class="hint">{t.admin.accounts_intro}</p>
            <Notice notice=notice/>
            {shown.map(|s| view! {
                <p class="notice" role="status" data-testid="new-password">
                    {t.admin.account_password_once} " " <strong>{s.username}</strong> " " <code>{s.password}</code>
                </p>
            })}
            <ul class="queue">
                {accounts.into_iter().map(|a| {
                    let action = paths::ADMIN_ACCOUNT.at([&a.id]);
                    let current = a.role.clone();
                    view! {
                        <li class="row" data-testid="account-row">
                            <p><strong>{a.username.clone()}</strong> " · " {a.display_name.clone()} " · "
                                {role_label(t, &a.role)} " · " {a.group_name.clone().unwrap_or_default()}
                                {a.person_name.clone().map(|p| view! { " · " {t.common.col_person} ": " {p} })}
                                {(!a.active).then(|| view! { " · " <span class="badge">{t.admin.status_inactive}</span> })}
                            </p>
                            <form method="post" action=action class="filters">
                                <input type="hidden" name="csrf" value=row_csrf.clone()/>
                                <label>{t.admin.col_role} " "
                                    <select name="role">
                                        {ROLES.into_iter().map(|r| view! { <option value=r selected=current == r>{role_label(t, r)}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label>{t.common.col_person} " "
                                    <select name="person_id">
                                        <option value="">{t.admin.person_none}</option>
                                        {person_options(&row_people, a.person_id.as_deref())}
                                    </select>
                                </label>
                                <button type="submit" name="do" value="save" class="button secondary">{t.admin.account_save}</button>
                                <button type="submit" name="do" value="reset" class="button secondary">{t.admin.account_reset}</button>
                                {if a.active {
                                    view! { <button type="submit" name="do" value="disable" class="button secondary">{t.admin.account_disable}</button> }.into_any()
                                } else {
                                    view! { <button type="submit" name="do" value="enable" class="button secondary">{t.admin.account_enable}</button> }.into_any()
                                }}
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h2>{t.admin.account_add_heading}</h2>
            <form method="post" action=paths::ADMIN_ACCOUNTS.href() class="narrow" data-testid="account-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label for="username" class="field-label">{t.admin.col_username}</label>
                <input id="username" name="username" type="text" maxlength="32" pattern="[A-Za-z0-9._\\-]{3,32}" required=true autocomplete="off"/>
                <label for="display_name" class="field-label">{t.admin.col_display_name}</label>
                <input id="display_name" name="display_name" type="text" maxlength="40" required=true/>
                <label for="role" class="field-label">{t.admin.col_role}</label>
                <select id="role" name="role">
                    {ROLES.into_iter().map(|r| view! { <option value=r>{role_label(t, r)}</option> }).collect_view()}
                </select>
                <label for="group_id" class="field-label">{t.admin.col_group}</label>
                <select id="group_id" name="group_id" required=true>
                    {groups.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
                <label for="person_id" class="field-label">{t.common.col_person}</label>
                <select id="person_id" name="person_id">
                    <option value="">{t.admin.person_none}</option>
                    {person_options(&people, None)}
                </select>
                <button type="submit" class="button">{t.admin.account_add_submit}</button>
            </form>
        </Shell>
    }
}

/// Two upload forms (units, people) and, after an upload, the report.
#[component]
pub fn AdminImportPage(
    who: String,
    csrf: String,
    report: Option<ImportReport>,
    notice: AdminNotice,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let form = move |kind: &'static str,
                     heading: &'static str,
                     columns: &'static str,
                     csrf: String| {
        view! {
            <h2>{heading}</h2>
            <p class="hint">{columns}</p>
            <form method="post" action=paths::ADMIN_IMPORT_KIND.at([&kind]) enctype="multipart/form-data" class="narrow" data-testid=format!("import-{kind}")>
                <input type="hidden" name="csrf" value=csrf/>
                <label for=format!("file-{kind}") class="field-label">{t.admin.import_file}</label>
                <input id=format!("file-{kind}") name="file" type="file" accept=".csv,text/csv" required=true/>
                <button type="submit" class="button">{t.admin.import_submit}</button>
            </form>
        }
    };
    view! {
        <Shell title=t.admin.import_heading.to_string() path=paths::ADMIN_IMPORT.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone() admin=true/>
            <h1>{t.admin.import_heading}</h1>
            <p class="hint">{t.admin.import_intro}</p>
            <Notice notice=notice/>
            {report.map(|r| view! {
                <div data-testid="import-report">
                    {(r.errors.is_empty()).then(|| view! { <p class="ok" role="status">{t.admin.import_done.replace("{n}", &r.imported.to_string())}</p> })}
                    <ul class="errors">
                        {r.errors.into_iter().map(|e| view! {
                            <li data-testid="import-error">{t.admin.import_line.replace("{n}", &e.line.to_string())} ": " {e.message}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {form("units", t.admin.import_units_heading, t.admin.import_units_columns, csrf.clone())}
            {form("people", t.admin.import_people_heading, t.admin.import_people_columns, csrf)}
        </Shell>
    }
}
