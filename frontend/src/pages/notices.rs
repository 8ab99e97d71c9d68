//! Public notices (通报): the group's list and editor under `/staff/notices`, and the township's
//! public board at `/t/{unit}`, printable as an A4 poster with a QR code back to it.

use leptos::prelude::*;

use super::admin::{AdminNotice, Notice};
use super::appraisal_results::ResultTable;
use super::staff::StaffNav;
use crate::components::{Shell, TextArea};
use crate::lang::use_lang;
use vocabulary::appraisal::{Choice, percent_text};
use vocabulary::i18n::Lang;
use vocabulary::notices::{NoticeBoard, NoticeContent, NoticeDraft, NoticeView};
use vocabulary::paths;

/// A notice as printed and read: heading, day, the group's text, the results and the ledger.
#[component]
pub fn NoticeArticle(notice: NoticeView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let day = notice
        .published_on
        .as_ref()
        .map(|d| t.notices.nt_published_on.replace("{day}", &lang.day(d)));
    let NoticeContent { round, ledger } = notice.content;
    let round = round.map(|r| {
        let counted = match r.response_rate {
            Some(rate) => format!(
                "{} · {}",
                t.appraisal
                    .ap_responses_n
                    .replace("{n}", &r.responses.to_string()),
                percent_text(rate)
            ),
            None => t
                .appraisal
                .ap_responses_n
                .replace("{n}", &r.responses.to_string()),
        };
        let members_only = r.lines.is_empty();
        let hidden = t
            .appraisal
            .ap_hidden_note
            .replace("{k}", &r.min_group.to_string());
        view! {
            <section data-testid="notice-round">
                <h3>{t.notices.nt_round_heading.replace("{name}", &r.name)}</h3>
                <p>{counted}</p>
                {members_only.then(|| view! { <p class="hint">{t.notices.nt_members_total}</p> })}
                <ResultTable lines=r.lines overall=r.overall testid="notice-results".to_string()/>
                <p class="hint">{hidden}</p>
            </section>
        }
    });
    let ledger = ledger.map(|l| {
        view! {
            <section data-testid="notice-ledger">
                <h3>{t.notices.nt_ledger_heading.replace("{from}", &lang.day(&l.from)).replace("{to}", &lang.day(&l.to))}</h3>
                <p>{l.figures.sentence(lang)} {t.notices.full_stop}</p>
            </section>
        }
    });
    view! {
        <article class="notice-article" data-testid="notice">
            <h2>{notice.title}</h2>
            {day.map(|d| view! { <p class="hint">{d}</p> })}
            {notice.body.split('\n').filter(|p| !p.trim().is_empty()).map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
            {round}
            {ledger}
        </article>
    }
}

/// The draft fields, filled in from `draft`.
fn draft_fields(lang: Lang, draft: NoticeDraft, rounds: Vec<Choice>) -> impl IntoView {
    let t = lang.t();
    let chosen = draft.round.clone();
    view! {
        <label class="field">{t.notices.nt_title} <input type="text" name="title" value=draft.title required maxlength="100"/></label>
        <label class="field">{t.notices.nt_body} <TextArea value={draft.body} {..} name="body" rows="6" maxlength="5000"/></label>
        <label class="field">{t.notices.nt_round}
            <select name="round">
                <option value="">{t.notices.nt_round_none}</option>
                {rounds.into_iter().map(|r| { let selected = r.id == chosen; view! { <option value=r.id selected=selected>{r.label}</option> } }).collect_view()}
            </select>
        </label>
        <label class="check"><input type="checkbox" name="ledger" value="true" checked=draft.ledger/> " " {t.notices.nt_ledger}</label>
        <label class="field">{t.notices.nt_ledger_from} <input type="date" name="ledger_from" value=draft.ledger_from/></label>
        <label class="field">{t.notices.nt_ledger_to} <input type="date" name="ledger_to" value=draft.ledger_to/></label>
    }
}

/// The group's notices and the form for a new one.
#[component]
pub fn NoticesPage(
    who: String,
    csrf: String,
    notices: Vec<NoticeView>,
    rounds: Vec<Choice>,
    /// The township's public notice page.
    board_url: String,
    notice: AdminNotice,
    /// What was typed, when the form comes back refused.
    draft: NoticeDraft,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let none = notices.is_empty();
    view! {
        <Shell title=t.notices.nt_heading.to_string() path=paths::NOTICES.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{t.notices.nt_heading}</h1>
            <Notice notice=notice/>
            <p class="hint">{t.notices.nt_intro}</p>
            <p><a href=board_url.clone() data-testid="board-link">{t.notices.nt_board_link}</a> " " <span class="hint">{board_url.clone()}</span></p>
            {none.then(|| view! { <p class="hint">{t.notices.nt_none}</p> })}
            <ul class="plain" data-testid="notice-list">
                {notices.into_iter().map(|n| {
                    let state = n.published_on.as_ref().map_or_else(|| t.notices.nt_draft.to_string(), |d| t.notices.nt_published_on.replace("{day}", &lang.day(d)));
                    view! { <li><a href=paths::NOTICE.at([&n.id])>{n.title}</a> " · " <span class="hint">{state}</span></li> }
                }).collect_view()}
            </ul>
            <h2>{t.notices.nt_new}</h2>
            <form method="post" action=paths::NOTICES.href() class="stack" data-testid="new-notice">
                <input type="hidden" name="csrf" value=csrf/>
                {draft_fields(lang, draft, rounds)}
                <button type="submit" class="button">{t.notices.nt_save}</button>
            </form>
        </Shell>
    }
}

/// One notice: its preview, and the draft's editor or the published notice's withdrawal.
#[component]
pub fn NoticeEditPage(
    who: String,
    csrf: String,
    view: NoticeView,
    rounds: Vec<Choice>,
    notice: AdminNotice,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let id = view.id.clone();
    let base = paths::NOTICE.at([&id]);
    let published = view.published_on.is_some();
    let draft = NoticeDraft {
        title: view.title.clone(),
        body: view.body.clone(),
        round: view.round_id.clone().map(String::from).unwrap_or_default(),
        ledger: view.ledger_from.is_some(),
        ledger_from: view
            .ledger_from
            .clone()
            .map(String::from)
            .unwrap_or_default(),
        ledger_to: view.ledger_to.clone().map(String::from).unwrap_or_default(),
    };
    let actions = if published {
        view! {
            <p class="hint">{t.notices.nt_fixed}</p>
            <form method="post" action=paths::NOTICE_ACTION.at([&id, &"withdraw"]) class="inline">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <button type="submit" class="button" data-testid="withdraw">{t.notices.nt_withdraw}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action=paths::NOTICE_ACTION.at([&id, &"publish"]) class="inline">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <button type="submit" class="button" data-testid="publish">{t.notices.nt_publish}</button>
            </form>
            <h2>{t.notices.nt_edit}</h2>
            <form method="post" action=base.clone() class="stack" data-testid="edit-notice">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                {draft_fields(lang, draft, rounds)}
                <button type="submit" class="button">{t.notices.nt_save}</button>
            </form>
            <form method="post" action=paths::NOTICE_ACTION.at([&id, &"delete"]) class="inline">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <button type="submit" class="button secondary">{t.notices.nt_delete}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <Shell title=view.title.clone() path=base.clone() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <p><a href=paths::NOTICES.href()>{t.notices.nt_heading}</a></p>
            <Notice notice=notice/>
            <h1>{t.notices.nt_preview}</h1>
            <div class="preview"><NoticeArticle notice=view/></div>
            {actions}
        </Shell>
    }
}

/// A township's public notices, newest first; printed, the page becomes an A4 poster ending in
/// a QR code back to it.
#[component]
pub fn NoticeBoardPage(board: NoticeBoard, qr_svg: String) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let heading = t.notices.nt_board_heading.replace("{place}", &board.place);
    let path = board
        .url
        .split_once("/t/")
        .map_or_else(String::new, |(_, id)| paths::BOARD.at([&id]));
    let empty = board.notices.is_empty();
    view! {
        <Shell title=heading.clone() path=path assets=None>
            <h1>{heading}</h1>
            {empty.then(|| view! { <p class="hint" data-testid="board-empty">{t.notices.nt_board_empty}</p> })}
            {board.notices.into_iter().map(|n| view! { <NoticeArticle notice=n/> }).collect_view()}
            <section class="board-qr">
                <p>{t.notices.nt_scan}</p>
                <div class="qr" inner_html=qr_svg data-testid="board-qr"></div>
                <p class="hint">{board.url}</p>
            </section>
            <button type="button" class="button no-print" data-print="1">{t.common.print}</button>
        </Shell>
    }
}
