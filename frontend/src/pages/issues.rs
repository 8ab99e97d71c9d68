//! Merging and rectification: the issues list, one issue with its opinions and measures, the
//! suggested groups of similar opinions, and the rectification ledger (整改台账).
//! Plain forms that work without JavaScript; every form carries the session's CSRF token.

use leptos::prelude::*;

use super::staff::{StaffNav, excerpt};
use crate::components::{Shell, TextArea};
use crate::lang::use_lang;
use vocabulary::i18n::{Lang, Texts};
use vocabulary::issues::{
    ISSUE_STATES, IssueView, Ledger, LedgerQuery, MeasureView, SimilarGroup, SimilarIssue,
};
use vocabulary::model::OpinionState;
use vocabulary::paths;

/// "3 条意见" / "3 opinions".
pub(super) fn opinion_count(t: &Texts, n: u32) -> String {
    t.issues.opinion_count_n.replace("{n}", &n.to_string())
}

/// "相似度 87%" / "similarity 87%".
pub(super) fn similarity(t: &Texts, score: u8) -> String {
    t.issues.similarity_n.replace("{n}", &score.to_string())
}

/// "措施 2/3" / "Measures 2/3".
fn measures_progress(t: &Texts, done: u32, set: u32) -> String {
    t.issues
        .measures_progress
        .replace("{done}", &done.to_string())
        .replace("{set}", &set.to_string())
}

/// The label of an open issue in the "join" select: "title（3 条，相似度 80%）".
pub(super) fn join_choice(t: &Texts, issue: &SimilarIssue) -> String {
    t.issues
        .join_choice
        .replace("{n}", &issue.opinion_count.to_string())
        .replace("{score}", &issue.score.to_string())
        .replace("{title}", &issue.title)
}

/// A state badge coloured by the state.
fn state_badge(lang: Lang, state: OpinionState) -> impl IntoView + use<> {
    view! { <span class=format!("badge state-{}", state.as_str())>{state.label(lang)}</span> }
}

/// A measure's progress: "已落实 2025-03-01" or "正在落实", with the overdue badge.
fn measure_status(lang: Lang, m: &MeasureView) -> impl IntoView + use<> {
    let t = lang.t();
    let status = match &m.done_on {
        Some(day) => {
            view! { <span class="badge done">{t.issues.measure_done_on.replace("{date}", &lang.day(day))}</span> }
                .into_any()
        }
        None => view! { <span class="badge">{t.issues.measure_in_progress}</span> }.into_any(),
    };
    view! {
        {status}
        {m.overdue.then(|| view! { " " <span class="badge overdue" data-testid="overdue">{t.common.overdue_badge}</span> })}
    }
}

/// The issues of the leading group, newest first, with links to merge more.
#[component]
pub fn IssuesPage(
    who: String,
    csrf: String,
    group: String,
    issues: Vec<IssueView>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let empty = issues.is_empty();
    view! {
        <Shell title=t.common.issues_heading.to_string() path=paths::ISSUES.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf/>
            <h1>{t.common.issues_heading} " · " {group}</h1>
            <p class="links">
                <a href=paths::SIMILAR.href()>{t.issues.similar_heading}</a>
                <a href=paths::LEDGER.href()>{t.common.ledger_heading}</a>
            </p>
            {empty.then(|| view! { <p class="hint" data-testid="issues-empty">{t.issues.issues_empty}</p> })}
            <ul class="queue">
                {issues.into_iter().map(|i| view! {
                    <li class="row" data-testid="issue-row">
                        <p class="meta">
                            {state_badge(lang, i.state)} " "
                            <span>{i.category.icon()} " " {i.category.label(lang)}</span> " · "
                            {t.issues.col_found_on} " " <time datetime=i.found_on.to_string()>{lang.day(&i.found_on)}</time> " · "
                            <span>{opinion_count(t, i.opinion_count)}</span> " · "
                            <span>{measures_progress(t, i.measures_done, i.measures_set)}</span>
                        </p>
                        <p class="issue-title"><a href=paths::ISSUE.at([&i.id])>{i.title.clone()}</a></p>
                    </li>
                }).collect_view()}
            </ul>
        </Shell>
    }
}

/// One issue: its facts, the handling form, the merged opinions and the measures.
#[component]
pub fn IssuePage(
    who: String,
    csrf: String,
    issue: IssueView,
    saved: bool,
    error: Option<String>,
    /// Names (and posts) to suggest for the responsible person.
    people: Vec<String>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let action = paths::ISSUE.at([&issue.id]);
    let detach_action = format!("{action}/detach");
    let measures_action = format!("{action}/measures");
    let issue_id = issue.id.clone();
    let current = issue.state;
    let deleted = (issue.opinions.len() as u64) < u64::from(issue.opinion_count);
    let no_measures = issue.measures.is_empty();
    let csrf_opinions = csrf.clone();
    let csrf_measures = csrf.clone();
    let csrf_add = csrf.clone();
    view! {
        <Shell title=issue.title.clone() path=action.clone() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{issue.title.clone()}</h1>
            {saved.then(|| view! { <p class="ok" role="status">{t.common.saved}</p> })}
            {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <dl class="facts">
                <dt>{t.common.col_state}</dt><dd data-testid="issue-state">{current.label(lang)}</dd>
                <dt>{t.common.col_category}</dt><dd>{issue.category.icon()} " " {issue.category.label(lang)}</dd>
                <dt>{t.issues.col_found_on}</dt><dd>{lang.day(&issue.found_on)}</dd>
                <dt>{t.issues.col_opinion_count}</dt><dd data-testid="issue-count">{issue.opinion_count}</dd>
                {issue.closed_on.clone().map(|d| view! { <dt>{t.issues.col_closed_on}</dt><dd>{lang.day(&d)}</dd> })}
                <dt>{t.issues.measures_heading}</dt><dd>{issue.measures_done} "/" {issue.measures_set}</dd>
            </dl>
            <form method="post" action=action.clone() data-testid="issue-form">
                <input type="hidden" name="csrf" value=csrf/>
                <label for="issue-title" class="field-label">{t.common.issue_title_label}</label>
                <input id="issue-title" name="title" type="text" required=true maxlength="100" value=issue.title.clone()/>
                <label for="issue-state" class="field-label">{t.common.col_state}</label>
                <select id="issue-state" name="state">
                    {ISSUE_STATES.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=s == current>{s.label(lang)}</option>
                    }).collect_view()}
                </select>
                <label for="issue-reply" class="field-label">{t.common.reply_label}</label>
                <p class="hint" id="issue-reply-hint">{t.issues.issue_reply_hint}</p>
                <TextArea value={issue.reply.clone().unwrap_or_default()} {..} id="issue-reply" name="reply" rows="5" maxlength="2000" aria-describedby="issue-reply-hint"/>
                <button type="submit" class="button" data-testid="save-issue">{t.issues.issue_save}</button>
            </form>

            <h2>{t.issues.issue_opinions_heading}</h2>
            <ul class="queue">
                {issue.opinions.into_iter().map(|o| view! {
                    <li class="row" data-testid="issue-opinion">
                        <p class="meta">
                            {state_badge(lang, o.state)} " "
                            <span>{o.category.icon()} " " {o.category.label(lang)}</span> " · "
                            <span>{o.village.clone()}</span> " · "
                            <time datetime=o.released_on.to_string()>{lang.day(&o.released_on)}</time>
                        </p>
                        <p class="excerpt">{excerpt(&o.text)}</p>
                        <div class="links">
                            <a href=paths::OPINION.at([&o.id])>{t.common.open}</a>
                            <form method="post" action=detach_action.clone() class="inline">
                                <input type="hidden" name="csrf" value=csrf_opinions.clone()/>
                                <input type="hidden" name="opinion" value=o.id.to_string()/>
                                <button type="submit" class="link" data-testid="detach">{t.issues.detach_submit}</button>
                            </form>
                        </div>
                    </li>
                }).collect_view()}
            </ul>
            {deleted.then(|| view! { <p class="hint" data-testid="opinions-deleted">{t.issues.issue_opinions_deleted}</p> })}

            <h2>{t.issues.measures_heading}</h2>
            {no_measures.then(|| view! { <p class="hint">{t.issues.measures_empty}</p> })}
            <ul class="queue">
                {issue.measures.into_iter().map(|m| {
                    let evidence_id = format!("evidence-{}", m.id);
                    let evidence_for = evidence_id.clone();
                    view! {
                        <li class="row" data-testid="measure">
                            <p class="excerpt">{m.text.clone()}</p>
                            <p class="meta">
                                {t.issues.responsible_label} ": " <span>{m.responsible.clone()}</span> " · "
                                {t.issues.due_on_label} " " <time datetime=m.due_on.to_string()>{lang.day(&m.due_on)}</time> " "
                                {measure_status(lang, &m)}
                            </p>
                            {m.evidence.clone().map(|e| view! {
                                <p class="hint evidence">{t.issues.evidence_label} ": " {e}</p>
                            })}
                            <form method="post" action=paths::MEASURE.at([&m.id]) data-testid="measure-update">
                                <input type="hidden" name="csrf" value=csrf_measures.clone()/>
                                <input type="hidden" name="issue" value=issue_id.to_string()/>
                                <label for=evidence_for class="field-label">{t.issues.evidence_label}</label>
                                <TextArea value={m.evidence.clone().unwrap_or_default()} {..} id=evidence_id name="evidence" rows="3" maxlength="2000"/>
                                <label class="pick">
                                    <input type="checkbox" name="done" value="1" checked=m.done_on.is_some()/>
                                    <span>{t.issues.measure_done}</span>
                                </label>
                                <button type="submit" class="button secondary" data-testid="save-measure">{t.issues.measure_save}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form method="post" action=measures_action data-testid="measure-form">
                <input type="hidden" name="csrf" value=csrf_add/>
                <label for="measure-text" class="field-label">{t.issues.measure_text_label}</label>
                <TextArea {..} id="measure-text" name="text" rows="3" required=true maxlength="1000"/>
                <label for="measure-responsible" class="field-label">{t.issues.responsible_label}</label>
                <input id="measure-responsible" name="responsible" type="text" required=true maxlength="100" list="people" autocomplete="off"/>
                <datalist id="people">
                    {people.into_iter().map(|p| view! { <option value=p></option> }).collect_view()}
                </datalist>
                <label for="measure-due" class="field-label">{t.issues.due_on_label}</label>
                <input id="measure-due" name="due_on" type="date" required=true/>
                <button type="submit" class="button" data-testid="add-measure">{t.issues.measure_add}</button>
            </form>
            <p><a href=paths::ISSUES.href()>{t.issues.back_to_issues}</a></p>
        </Shell>
    }
}

/// Groups of similar unmerged opinions, each a form to merge the ticked ones into one issue.
#[component]
pub fn SimilarPage(who: String, csrf: String, groups: Vec<SimilarGroup>) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let empty = groups.is_empty();
    let csrf_groups = csrf.clone();
    view! {
        <Shell title=t.issues.similar_heading.to_string() path=paths::SIMILAR.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf/>
            <h1>{t.issues.similar_heading}</h1>
            <p class="hint">{t.issues.similar_hint}</p>
            {empty.then(|| view! { <p class="hint" data-testid="similar-empty">{t.issues.similar_empty}</p> })}
            {groups.into_iter().enumerate().map(|(g, group)| {
                let title_id = format!("title-{g}");
                let title_for = title_id.clone();
                let title = group.keywords.join("、");
                view! {
                    <form method="post" action=paths::ISSUES.href() class="similar-group" data-testid="similar-group">
                        <input type="hidden" name="csrf" value=csrf_groups.clone()/>
                        <ul class="queue">
                            {group.opinions.into_iter().enumerate().map(|(i, s)| {
                                let o = s.opinion;
                                let score = if i == 0 { t.issues.similar_reference.to_string() } else { similarity(t, s.score) };
                                view! {
                                    <li class="row">
                                        <label class="pick">
                                            <input type="checkbox" name="opinion" value=o.id.to_string() checked=true/>
                                            <span class="excerpt">{excerpt(&o.text)}</span>
                                        </label>
                                        <p class="meta">
                                            <span class="badge" data-testid="similarity">{score}</span> " "
                                            <span>{o.category.icon()} " " {o.category.label(lang)}</span> " · "
                                            <span>{o.village.clone()}</span> " · "
                                            <time datetime=o.released_on.to_string()>{lang.day(&o.released_on)}</time> " · "
                                            <a href=paths::OPINION.at([&o.id])>{t.common.open}</a>
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <label for=title_for class="field-label">{t.common.issue_title_label}</label>
                        <input id=title_id name="title" type="text" required=true maxlength="100" value=title/>
                        <button type="submit" class="button" data-testid="merge-group">{t.common.merge_submit}</button>
                    </form>
                }
            }).collect_view()}
            <p><a href=paths::ISSUES.href()>{t.issues.back_to_issues}</a></p>
        </Shell>
    }
}

/// The issue cells of a ledger row: on the first row of each issue only.
#[derive(Clone, Debug, PartialEq)]
struct LedgerIssueCells {
    /// 序号, from 1.
    number: usize,
    /// How many rows the cells span: the issue's measures, at least 1.
    rowspan: usize,
    title: String,
    opinion_count: u32,
    state: OpinionState,
}

/// One row of the ledger table: one measure, or an issue without measures.
#[derive(Clone, Debug, PartialEq)]
struct LedgerRow {
    /// Present on an issue's first row.
    issue: Option<LedgerIssueCells>,
    /// `None` for an issue without measures.
    measure: Option<MeasureView>,
}

/// The ledger table's rows: one per measure, the issue's cells spanning its measures.
fn ledger_rows(issues: &[IssueView]) -> Vec<LedgerRow> {
    let mut rows = Vec::new();
    for (n, issue) in issues.iter().enumerate() {
        let cells = LedgerIssueCells {
            number: n + 1,
            rowspan: issue.measures.len().max(1),
            title: issue.title.clone(),
            opinion_count: issue.opinion_count,
            state: issue.state,
        };
        if issue.measures.is_empty() {
            rows.push(LedgerRow {
                issue: Some(cells),
                measure: None,
            });
        } else {
            for (i, m) in issue.measures.iter().enumerate() {
                rows.push(LedgerRow {
                    issue: (i == 0).then(|| cells.clone()),
                    measure: Some(m.clone()),
                });
            }
        }
    }
    rows
}

/// The rectification ledger of a period: the figures, and for members the full table.
#[component]
pub fn LedgerPage(
    who: String,
    csrf: String,
    ledger: Ledger,
    /// The period asked for; both absent means the default (this year).
    query: LedgerQuery,
    /// Members see the issues and the export; read-only viewers only the figures.
    full: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let f = ledger.figures;
    let default_period = query.from.is_none() && query.to.is_none();
    let export_href = paths::LEDGER_XLSX.at_query(
        [],
        &LedgerQuery {
            from: Some(ledger.from.to_string()),
            to: Some(ledger.to.to_string()),
        },
    );
    let no_issues = ledger.issues.is_empty();
    let rows = ledger_rows(&ledger.issues);
    let figures = [
        (t.issues.fig_problems, f.problems_found),
        (t.issues.fig_opinions, f.opinions_merged),
        (t.issues.fig_measures_set, f.measures_set),
        (t.issues.fig_measures_done, f.measures_done),
        (t.issues.measure_in_progress, f.measures_in_progress),
        (t.issues.fig_overdue, f.measures_overdue),
    ];
    view! {
        <Shell title=t.common.ledger_heading.to_string() path=paths::LEDGER.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf/>
            <h1>{t.common.ledger_heading} " · " {ledger.group.clone()}</h1>
            <form method="get" action=paths::LEDGER.href() class="filters" data-testid="ledger-period">
                <label>{t.common.filter_from} " " <input type="date" name="from" value=ledger.from.to_string()/></label>
                <label>{t.common.filter_to} " " <input type="date" name="to" value=ledger.to.to_string()/></label>
                <button type="submit" class="button secondary">{t.issues.ledger_show}</button>
            </form>
            {default_period.then(|| view! { <p class="hint">{t.issues.ledger_default_period}</p> })}
            <p class="ledger-sentence" data-testid="ledger-sentence">{f.sentence(lang)}</p>
            <div class="table-scroll" tabindex="0">
                <table class="counts" data-testid="ledger-figures">
                    <tbody>
                        {figures.into_iter().map(|(label, n)| view! {
                            <tr><th scope="row">{label}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {if full {
                view! {
                    <p><a href=export_href class="button secondary" data-testid="ledger-export">{t.issues.ledger_export}</a></p>
                    {no_issues.then(|| view! { <p class="hint">{t.issues.ledger_empty}</p> })}
                    <div class="table-scroll" tabindex="0">
                        <table class="ledger" data-testid="ledger-table">
                            <thead><tr>
                                <th scope="col">{t.issues.col_number}</th>
                                <th scope="col">{t.issues.col_issue}</th>
                                <th scope="col">{t.issues.col_opinion_count}</th>
                                <th scope="col">{t.common.col_state}</th>
                                <th scope="col">{t.issues.measures_heading}</th>
                                <th scope="col">{t.issues.responsible_label}</th>
                                <th scope="col">{t.issues.due_on_label}</th>
                                <th scope="col">{t.issues.col_done}</th>
                                <th scope="col">{t.issues.evidence_label}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let issue = r.issue.map(|c| {
                                        let span = c.rowspan.to_string();
                                        view! {
                                            <td rowspan=span.clone()>{c.number}</td>
                                            <th scope="row" rowspan=span.clone()>{c.title}</th>
                                            <td rowspan=span.clone()>{c.opinion_count}</td>
                                            <td rowspan=span>{c.state.label(lang)}</td>
                                        }
                                    });
                                    let measure = match r.measure {
                                        Some(m) => view! {
                                            <td>{m.text.clone()}</td>
                                            <td>{m.responsible.clone()}</td>
                                            <td>{lang.day(&m.due_on)}</td>
                                            <td>{measure_status(lang, &m)}</td>
                                            <td>{m.evidence.clone().unwrap_or_default()}</td>
                                        }.into_any(),
                                        None => view! { <td></td><td></td><td></td><td></td><td></td> }.into_any(),
                                    };
                                    view! { <tr data-testid="ledger-row">{issue}{measure}</tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            } else {
                view! { <p class="hint" data-testid="ledger-figures-only">{t.issues.ledger_figures_only}</p> }.into_any()
            }}
        </Shell>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocabulary::model::{Category, Day};

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    fn measure(id: &str) -> MeasureView {
        MeasureView {
            id: id.into(),
            text: format!("措施{id}"),
            responsible: "张三".into(),
            due_on: day("2025-06-30"),
            evidence: None,
            done_on: None,
            set_on: day("2025-03-01"),
            overdue: false,
        }
    }

    fn issue(id: &str, measures: Vec<MeasureView>) -> IssueView {
        IssueView {
            id: id.into(),
            title: format!("问题{id}"),
            category: Category::ALL[0],
            state: OpinionState::Rectifying,
            found_on: day("2025-03-01"),
            closed_on: None,
            opinion_count: 3,
            reply: None,
            replied_on: None,
            measures_set: measures.len() as u32,
            measures_done: 0,
            opinions: Vec::new(),
            measures,
        }
    }

    #[test]
    fn ledger_rows_span_each_issue_over_its_measures() {
        let issues = [
            issue("a", vec![measure("1"), measure("2"), measure("3")]),
            issue("b", Vec::new()),
            issue("c", vec![measure("4")]),
        ];
        let rows = ledger_rows(&issues);
        assert_eq!(rows.len(), 5);
        let heads: Vec<_> = rows
            .iter()
            .map(|r| r.issue.as_ref().map(|c| (c.number, c.rowspan)))
            .collect();
        assert_eq!(
            heads,
            [Some((1, 3)), None, None, Some((2, 1)), Some((3, 1))]
        );
        let measures: Vec<_> = rows
            .iter()
            .map(|r| r.measure.as_ref().map(|m| m.id.as_str()))
            .collect();
        assert_eq!(measures, [Some("1"), Some("2"), Some("3"), None, Some("4")]);
        assert!(ledger_rows(&[]).is_empty());
    }

    #[test]
    fn texts_fill_their_placeholders() {
        for lang in [Lang::Zh, Lang::En] {
            let t = lang.t();
            let choice = join_choice(
                t,
                &SimilarIssue {
                    id: "x".into(),
                    title: "路灯{n}不亮".into(),
                    opinion_count: 4,
                    score: 87,
                },
            );
            assert!(choice.starts_with("路灯{n}不亮"), "{choice}");
            assert!(choice.contains('4') && choice.contains("87%"), "{choice}");
            assert!(similarity(t, 42).contains("42%"));
            assert!(opinion_count(t, 7).contains('7'));
            assert!(!measures_progress(t, 2, 3).contains('{'));
        }
    }
}
