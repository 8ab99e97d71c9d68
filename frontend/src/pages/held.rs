//! Held opinions (待核): beyond their box's hourly budget, kept apart from the queue with a
//! banner saying why, until a reviewer accepts them.

use leptos::prelude::*;

use super::staff::StaffNav;
use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::model::StaffOpinion;
use vocabulary::paths;

/// The held opinions of the reviewer's group, each with a form accepting it into the queue,
/// and one accepting them all.
#[component]
pub fn HeldPage(who: String, csrf: String, opinions: Vec<StaffOpinion>) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let all_csrf = csrf.clone();
    let nav_csrf = csrf.clone();
    let any = !opinions.is_empty();
    view! {
        <Shell title=t.staff.held_title.to_string() path=paths::HELD.href() assets=None staff=true>
            <StaffNav who=who csrf=nav_csrf/>
            <h1>{t.staff.held_title}</h1>
            <p class="notice" role="status" data-testid="held-banner">{t.common.held_banner}</p>
            <ul class="queue">
                {opinions.into_iter().map(|o| {
                    let csrf = csrf.clone();
                    view! {
                        <li class="row" data-testid="held-row">
                            <p class="meta">{o.village.clone()} " · " {o.box_name.clone()} " · " {o.category.label(lang)}</p>
                            <p class="text">{o.text.clone()}</p>
                            <form method="post" action=paths::HELD_ACCEPT.href()>
                                <input type="hidden" name="csrf" value=csrf/>
                                <input type="hidden" name="id" value=o.id.to_string()/>
                                <button type="submit" class="button">{t.staff.held_accept}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {any.then(|| view! {
                <form method="post" action=paths::HELD_ACCEPT.href() data-testid="held-accept-all">
                    <input type="hidden" name="csrf" value=all_csrf/>
                    <button type="submit" class="button">{t.staff.held_accept_all}</button>
                </form>
            })}
        </Shell>
    }
}
