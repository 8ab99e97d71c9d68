//! The leading group's own page: how long closed opinions are kept, and the opinion counts
//! with small numbers hidden.

use leptos::prelude::*;

use super::admin::{AdminNotice, Notice};
use super::staff::StaffNav;
use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::i18n::Lang;
use vocabulary::model::{AccountId, Day, GroupAccount, GroupOverview};
use vocabulary::paths;

/// Retention form and the counts per village and category; after a refused change, the
/// reason next to the form and the value as typed.
#[component]
pub fn GroupPage(
    who: String,
    csrf: String,
    overview: GroupOverview,
    notice: AdminNotice,
    typed: Option<String>,
    /// The group's accounts and whose each is.
    accounts: Vec<GroupAccount>,
    /// Whether the signed-in member's own account waits for a second member's confirmation.
    awaiting: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let k = overview.min_group_size;
    let cell = move |n: Option<u32>| match n {
        Some(n) => n.to_string(),
        None => format!("<{k}"),
    };
    let stats = overview.stats;
    view! {
        <Shell title=t.common.group_heading.to_string() path=paths::GROUP.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{t.common.group_heading}</h1>
            <p>{overview.name}</p>
            {awaiting.then(|| view! { <p class="notice" role="status" data-testid="unconfirmed-banner">{t.group.unconfirmed_banner}</p> })}
            <h2>{t.group.stats_heading}</h2>
            <p class="hint">{t.group.stats_hidden_note}</p>
            <div class="table-scroll" tabindex="0">
                <table class="counts" data-testid="counts">
                    <thead>
                        <tr>
                            <th scope="col">{t.common.col_village}</th>
                            {stats.columns.iter().map(|c| view! { <th scope="col">{c.label(lang)}</th> }).collect_view()}
                            <th scope="col">{t.group.total_label}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {stats.rows.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.village}</th>
                                {r.cells.into_iter().map(|n| view! { <td>{cell(n)}</td> }).collect_view()}
                                <td>{cell(r.total)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{t.group.total_label}</th>
                            {stats.column_totals.into_iter().map(|n| view! { <td>{cell(n)}</td> }).collect_view()}
                            <td data-testid="grand-total">{cell(stats.total)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            <h2>{t.group.group_accounts_heading}</h2>
            <p class="hint">{t.group.group_accounts_hint}</p>
            <div class="table-scroll" tabindex="0">
                <table data-testid="group-accounts">
                    <thead>
                        <tr>
                            <th scope="col">{t.group.col_account}</th>
                            <th scope="col">{t.common.col_person}</th>
                            <th scope="col">{t.group.col_linked_by}</th>
                            <th scope="col">{t.group.col_confirmed_by}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {accounts.into_iter().map(|a| view! {
                            <tr>
                                <th scope="row">{a.display_name} " (" {a.username} ")"</th>
                                <td>{a.person.unwrap_or_default()}</td>
                                <td>{a.linked_by.unwrap_or_default()} " " {a.linked_on.map(|d| lang.day(&d)).unwrap_or_default()}</td>
                                <td>{confirmation(lang, &csrf, a.id, a.confirmed_by, a.confirmed_on, a.confirmable)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2>{t.group.retention_heading}</h2>
            <Notice notice=notice/>
            <form method="post" action=paths::GROUP.href() class="narrow" data-testid="retention-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label for="retention" class="field-label">{t.group.retention_label}</label>
                <p class="hint" id="retention-hint">{t.group.retention_hint}</p>
                <input id="retention" name="retention_days" type="number" min="30" max="3650" required=true
                    inputmode="numeric" aria-describedby="retention-hint" value=typed.unwrap_or_else(|| overview.retention_days.to_string())/>
                <button type="submit" class="button">{t.common.save}</button>
            </form>
        </Shell>
    }
}

/// Who confirmed an account's link on which day, or that it waits, with the button for a
/// member who may confirm it.
fn confirmation(
    lang: Lang,
    csrf: &str,
    id: AccountId,
    by: Option<String>,
    on: Option<Day>,
    confirmable: bool,
) -> AnyView {
    let t = lang.t();
    match on {
        Some(day) => {
            let by = by.unwrap_or_else(|| t.group.first_member.to_string());
            view! { {by} " " {lang.day(&day)} }.into_any()
        }
        None => {
            let form = confirmable.then(|| {
                view! {
                    <form method="post" action=paths::GROUP_ACCOUNT_CONFIRM.at([&id]) class="inline" data-testid="confirm-account">
                        <input type="hidden" name="csrf" value=csrf.to_string()/>
                        <button type="submit" class="button secondary">{t.group.confirm_account}</button>
                    </form>
                }
            });
            view! { <span class="waiting">{t.group.awaiting_confirmation}</span> {form} }.into_any()
        }
    }
}
