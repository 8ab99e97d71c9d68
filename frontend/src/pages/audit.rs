//! The auditor's page: whether the hash chain holds, its head to print, and the entries.

use leptos::prelude::*;

use super::staff::StaffNav;
use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::model::AuditPage;
use vocabulary::model::audit_action_label;
use vocabulary::paths;

/// The audit trail, newest first.
#[component]
pub fn AuditTrailPage(who: String, csrf: String, page: AuditPage) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let check = page.check;
    view! {
        <Shell title=t.common.audit_heading.to_string() path=paths::AUDIT.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf auditor=true/>
            <h1>{t.common.audit_heading}</h1>
            {if check.intact {
                view! { <p class="ok" role="status" data-testid="chain-intact">{t.group.audit_intact} " (" {check.entries} ")"</p> }.into_any()
            } else {
                view! {
                    <p class="error" role="alert" data-testid="chain-broken">
                        {t.group.audit_broken} " #" {check.broken_at.unwrap_or_default()} ": " {check.reason.unwrap_or_default()}
                    </p>
                }.into_any()
            }}
            <p>{t.group.audit_head} " #" {check.head_seq}</p>
            <p class="code-block" data-testid="head-hash">{check.head_hash}</p>
            <p class="hint">{t.group.audit_head_hint}</p>
            <div class="table-scroll" tabindex="0">
                <table class="counts">
                    <thead><tr>
                        <th scope="col">"#"</th><th scope="col">{t.group.audit_time}</th><th scope="col">{t.group.audit_actor}</th>
                        <th scope="col">{t.group.audit_action}</th><th scope="col">{t.group.audit_target}</th>
                    </tr></thead>
                    <tbody>
                        {page.entries.into_iter().map(|e| view! {
                            <tr data-testid="audit-entry">
                                <td>{e.seq}</td><td>{lang.minute(&e.at)}</td>
                                <td title=e.actor.clone()>{e.actor_name.clone().unwrap_or_else(|| e.actor.clone())}</td>
                                <td title=e.action.clone()>{audit_action_label(&e.action, lang).to_string()}</td>
                                <td>{e.target.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {page.next_before.map(|b| view! { <p><a href=paths::AUDIT.at_query([], &[("before", &b.to_string())])>{t.group.audit_older}</a></p> })}
        </Shell>
    }
}
