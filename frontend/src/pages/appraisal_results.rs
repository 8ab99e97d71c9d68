//! A finished round's results: by subject with a bar chart drawn as inline SVG, then item by
//! item, the trend against the previous round and the written suggestions. A hidden figure
//! shows as "—".

use leptos::prelude::*;

use super::staff::StaffNav;
use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::appraisal::{
    Rating, ResultLine, RoundResults, figure_text as figure, percent_text, rate_text as rate,
    trend_text as trend,
};
use vocabulary::i18n::{Lang, Texts};
use vocabulary::paths;

/// The colours of the four levels, best first.
const LEVEL_COLOURS: [&str; 4] = ["#1b7f3b", "#7cb342", "#f2b705", "#c62828"];

/// The header row of a results table.
fn header(lang: Lang) -> impl IntoView + use<> {
    let t = lang.t();
    view! {
        <thead><tr>
            <th scope="col">{t.appraisal.ap_col_subject}</th>
            {Rating::ALL.into_iter().map(|r| view! { <th scope="col">{r.icon()} " " {r.label(lang)}</th> }).collect_view()}
            <th scope="col">{t.appraisal.ap_col_total}</th>
            <th scope="col">{t.appraisal.ap_col_satisfaction}</th>
            <th scope="col">{t.appraisal.ap_col_basic}</th>
            <th scope="col">{t.appraisal.ap_col_dissatisfied}</th>
            <th scope="col">{t.appraisal.ap_col_trend}</th>
        </tr></thead>
    }
}

/// One row of a results table.
fn row(line: ResultLine, label: String) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{label}</th>
            {line.counts.iter().map(|c| view! { <td>{figure(*c)}</td> }).collect_view()}
            <td>{figure(line.total)}</td>
            <td class="rate">{rate(line.satisfaction)}</td>
            <td>{rate(line.basic)}</td>
            <td>{rate(line.dissatisfied)}</td>
            <td>{trend(line.trend)}</td>
        </tr>
    }
}

/// The lines of a results table and the line of everything together, labelled "总体".
#[component]
pub fn ResultTable(lines: Vec<ResultLine>, overall: ResultLine, testid: String) -> impl IntoView {
    let lang = use_lang();
    let overall_label = lang.t().appraisal.ap_overall.to_string();
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="counts" data-testid=testid>
                {header(lang)}
                <tbody>
                    {lines.into_iter().map(|l| { let label = l.label.clone(); row(l, label) }).collect_view()}
                    {row(overall, overall_label)}
                </tbody>
            </table>
        </div>
    }
}

/// A horizontal bar per line, split by level; a line with a hidden figure draws no bar.
pub(super) fn chart(t: &'static Texts, lines: &[ResultLine]) -> impl IntoView + use<> {
    const WIDTH: u32 = 600;
    const LABEL: u32 = 180;
    const BAR: u32 = 22;
    let height = (lines.len() as u32) * (BAR + 8) + 8;
    let bars = lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let y = 8 + (n as u32) * (BAR + 8);
            let counts: Option<Vec<u32>> = line.counts.iter().copied().collect();
            let total: u32 = counts.iter().flatten().sum();
            let segments = match counts.filter(|_| total > 0) {
                Some(counts) => {
                    let mut x = LABEL;
                    counts
                        .into_iter()
                        .zip(LEVEL_COLOURS)
                        .map(|(c, colour)| {
                            let w = c * (WIDTH - LABEL) / total;
                            let rect = view! { <rect x=x.to_string() y=y.to_string() width=w.to_string() height=BAR.to_string() fill=colour/> };
                            x += w;
                            rect
                        })
                        .collect_view()
                        .into_any()
                }
                None => view! { <text x=(LABEL + 4).to_string() y=(y + 16).to_string() font-size="13">"—"</text> }.into_any(),
            };
            view! {
                <text x="0" y=(y + 16).to_string() font-size="13">{line.label.clone()}</text>
                {segments}
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img" aria-label=t.appraisal.ap_chart_label data-testid="results-chart">
            {bars}
        </svg>
    }
}

/// The results page.
#[component]
pub fn ResultsPage(who: String, csrf: String, results: RoundResults) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let round = results.round.clone();
    let path = paths::ROUND_RESULTS.at([&round.id]);
    let (xlsx, csv) = (
        paths::ROUND_RESULTS_FILE.at([&round.id, &"xlsx"]),
        paths::ROUND_RESULTS_FILE.at([&round.id, &"csv"]),
    );
    let counted = match results.response_rate {
        Some(r) => t
            .appraisal
            .ap_response_rate
            .replace("{n}", &results.responses.to_string())
            .replace("{slips}", &round.slips_issued.to_string())
            .replace("{rate}", &percent_text(r)),
        None => t
            .appraisal
            .ap_responses_n
            .replace("{n}", &results.responses.to_string()),
    };
    let hidden_note = t
        .appraisal
        .ap_hidden_note
        .replace("{k}", &results.min_group.to_string());
    let no_suggestions = results.suggestions.is_empty();
    view! {
        <Shell title=format!("{} · {}", t.appraisal.ap_results_heading, round.name) path=path assets=None staff=true>
            <StaffNav who=who csrf=csrf/>
            <h1>{t.appraisal.ap_results_heading} " · " {round.name.clone()}</h1>
            <p data-testid="response-rate">{counted}</p>
            <p>
                <a class="button secondary" href=xlsx data-testid="results-xlsx">{t.appraisal.ap_download_xlsx}</a>
                " "
                <a class="button secondary" href=csv data-testid="results-csv">{t.appraisal.ap_download_csv}</a>
            </p>
            <p class="hint">{hidden_note}</p>
            {results.previous.clone().map(|p| view! { <p class="hint">{t.appraisal.ap_trend_against.replace("{name}", &p)}</p> })}
            <h2>{t.appraisal.ap_by_subject}</h2>
            {chart(t, &results.summary)}
            <ResultTable lines=results.summary.clone() overall=results.overall.clone() testid="results-summary".to_string()/>
            <h2>{t.appraisal.ap_by_item}</h2>
            {results.items.iter().cloned().map(|item| view! {
                <h3>{item.text.clone()}</h3>
                <ResultTable lines=item.lines overall=item.all testid=format!("results-item-{}", item.key)/>
            }).collect_view()}
            <h2>{t.appraisal.ap_suggestions}</h2>
            {no_suggestions.then(|| view! { <p class="hint">{t.appraisal.ap_no_suggestions}</p> })}
            <ul class="plain" data-testid="suggestions">
                {results.suggestions.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
            </ul>
        </Shell>
    }
}
