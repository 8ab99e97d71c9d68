//! The statistics tables 附件1–3 (`/staff/tables`) with their downloads and the county's
//! roll-up, and the leader-review register they count (`/staff/reviews`).

use leptos::prelude::*;

use super::admin::{AdminNotice, Notice};
use super::staff::StaffNav;
use crate::components::Shell;
use crate::lang::use_lang;
use vocabulary::appraisal::Choice;
use vocabulary::i18n::Lang;
use vocabulary::paths;
use vocabulary::statistics::{ReviewRegister, RollupLine, StatTable, StatisticsReport};

/// The year picker that reloads the page.
fn year_form(lang: Lang, action: paths::Route<0>, year: i32) -> impl IntoView + use<> {
    let t = lang.t();
    view! {
        <form method="get" action=action.href() class="inline" data-testid="year-form">
            <label>{t.statistics.st_year} " " <input type="number" name="year" value=year.to_string() min="2000" class="narrow"/></label>
            {(lang == Lang::En).then(|| view! { <input type="hidden" name="lang" value="en"/> })}
            " "
            <button type="submit" class="button secondary">{t.statistics.st_show}</button>
        </form>
    }
}

/// One form as an HTML table: 类别 across; a label spanning its 第一次 / 第二次 rows.
fn table_view(lang: Lang, table: StatTable, year: i32) -> impl IntoView {
    let t = lang.t();
    let csv = paths::TABLE_FILE.at_query(
        [&format_args!("{}.csv", table.key)],
        &[("year", &year.to_string())],
    );
    view! {
        <section data-testid=format!("table-{}", table.key)>
            <h2>{table.number.clone()} " " {table.title.clone()}</h2>
            <p><a href=csv>{t.statistics.st_download_csv}</a></p>
            {table.blocks.into_iter().map(|block| {
                let rows = block.rows;
                let spans: Vec<usize> = rows.iter().enumerate().map(|(n, r)| {
                    let starts = r.sub.is_some() && (n == 0 || rows[n - 1].label != r.label);
                    if starts { rows[n..].iter().take_while(|x| x.label == r.label && x.sub.is_some()).count() } else { 0 }
                }).collect();
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="counts">
                            <thead><tr>
                                <th scope="col" colspan="2">{t.statistics.st_category}</th>
                                {block.categories.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {rows.iter().zip(spans).map(|(r, span)| {
                                    let label = match (&r.sub, span) {
                                        (None, _) => view! { <th scope="row" colspan="2">{r.label.clone()}</th> }.into_any(),
                                        (Some(sub), 0) => view! { <th scope="row">{sub.clone()}</th> }.into_any(),
                                        (Some(sub), n) => view! { <th scope="rowgroup" rowspan=n.to_string()>{r.label.clone()}</th><th scope="row">{sub.clone()}</th> }.into_any(),
                                    };
                                    view! {
                                        <tr>{label}{r.values.iter().map(|v| view! { <td>{v.to_string()}</td> }).collect_view()}</tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            }).collect_view()}
            {(!table.notes.is_empty()).then(|| view! {
                <p class="hint">{t.statistics.st_notes} " " {table.notes.join(" ")}</p>
            })}
        </section>
    }
}

fn rollup_row(line: RollupLine) -> impl IntoView {
    let pair = |p: [u32; 2]| format!("{} / {}", p[0], p[1]);
    view! {
        <tr>
            <th scope="row">{line.name}</th>
            <td>{line.leaders}</td><td>{pair(line.leaders_reviewing)}</td>
            <td>{line.organisations}</td><td>{pair(line.organisations_reviewed)}</td><td>{line.organisations_appraised}</td>
            <td>{line.members}</td><td>{pair(line.members_reviewed)}</td><td>{line.members_appraised}</td>
        </tr>
    }
}

/// The three forms of the area and year, downloads, and the roll-up for a county.
#[component]
pub fn TablesPage(who: String, csrf: String, report: StatisticsReport) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let year = report.year;
    let xlsx = paths::TABLES_XLSX.at_query([], &[("year", &year.to_string())]);
    let has_rollup = !report.rollup.is_empty();
    let rollup = report.rollup.clone();
    let total = report.total.clone();
    view! {
        <Shell title=t.statistics.st_heading.to_string() path=paths::TABLES.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf/>
            <h1>{t.statistics.st_heading} " · " {report.place.clone()} " · " {year}</h1>
            <p class="hint">{t.statistics.st_intro}</p>
            {year_form(lang, paths::TABLES, year)}
            <p><a class="button" href=xlsx data-testid="tables-xlsx">{t.statistics.st_download_xlsx}</a></p>
            <p class="hint">{t.statistics.st_place.replace("{place}", &report.place)} " " {t.statistics.st_made_on.replace("{day}", &lang.day(&report.made_on))}</p>
            {has_rollup.then(|| view! {
                <section data-testid="rollup">
                    <h2>{t.statistics.st_rollup}</h2>
                    <p><a href=paths::TABLE_FILE.at_query([&"townships.csv"], &[("year", &year.to_string())])>{t.statistics.st_download_csv}</a></p>
                    <div class="table-scroll" tabindex="0">
                        <table class="counts">
                            <thead><tr>
                                <th scope="col">{t.statistics.st_col_place}</th>
                                <th scope="col">{t.statistics.st_col_leaders}</th><th scope="col">{t.statistics.st_col_reviewing}</th>
                                <th scope="col">{t.statistics.st_organisations}</th><th scope="col">{t.statistics.st_col_reviewed}</th><th scope="col">{t.statistics.st_col_appraised}</th>
                                <th scope="col">{t.statistics.st_members}</th><th scope="col">{t.statistics.st_col_reviewed}</th><th scope="col">{t.statistics.st_col_appraised}</th>
                            </tr></thead>
                            <tbody>
                                {rollup.into_iter().map(rollup_row).collect_view()}
                                {rollup_row(total)}
                            </tbody>
                        </table>
                    </div>
                </section>
            })}
            {report.tables.into_iter().map(|table| table_view(lang, table, year)).collect_view()}
        </Shell>
    }
}

/// Checkboxes for a list of choices, in a scrolling box.
fn choices(name: &'static str, testid: &'static str, list: Vec<Choice>) -> impl IntoView {
    view! {
        <div class="choices" data-testid=testid>
            {list.into_iter().map(|c| view! {
                <label class="check"><input type="checkbox" name=name value=c.id/> " " {c.label}</label>
            }).collect_view()}
        </div>
    }
}

/// The leader-review register of a year: what the group recorded and the form to record more.
#[component]
pub fn ReviewsPage(
    who: String,
    csrf: String,
    register: ReviewRegister,
    notice: AdminNotice,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let year = register.year;
    let none = register.batches.is_empty();
    let no_leaders = register.leaders.is_empty();
    let pass_label = move |p: u8| {
        if p == 1 {
            t.statistics.st_first
        } else {
            t.statistics.st_second
        }
    };
    let row_csrf = csrf.clone();
    view! {
        <Shell title=t.statistics.rv_heading.to_string() path=paths::REVIEWS.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf.clone()/>
            <h1>{t.statistics.rv_heading} " · " {year}</h1>
            <Notice notice=notice/>
            <p class="hint">{t.statistics.rv_intro}</p>
            {year_form(lang, paths::REVIEWS, year)}
            {none.then(|| view! { <p class="hint">{t.statistics.rv_none}</p> })}
            <ul class="plain" data-testid="review-batches">
                {register.batches.into_iter().map(|b| {
                    let subjects = b.units.iter().chain(&b.people).cloned().collect::<Vec<_>>().join(t.common.list_separator);
                    view! {
                        <li>
                            <strong>{pass_label(b.pass)}</strong> " · " {b.reviewer.clone()} {t.statistics.list_colon} {subjects}
                            <form method="post" action=paths::REVIEWS_DELETE.href() class="inline">
                                <input type="hidden" name="csrf" value=row_csrf.clone()/>
                                <input type="hidden" name="year" value=year.to_string()/>
                                <input type="hidden" name="pass" value=b.pass.to_string()/>
                                <input type="hidden" name="reviewer" value=b.reviewer_id.to_string()/>
                                " "
                                <button type="submit" class="link">{t.statistics.rv_delete}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {no_leaders.then(|| view! { <p class="hint" data-testid="no-leaders">{t.statistics.rv_no_leaders}</p> })}
            <form method="post" action=paths::REVIEWS.href() class="stack" data-testid="review-form">
                <input type="hidden" name="csrf" value=csrf/>
                <input type="hidden" name="year" value=year.to_string()/>
                <fieldset>
                    <legend>{t.statistics.rv_pass}</legend>
                    <label class="check"><input type="radio" name="pass" value="1" checked/> " " {t.statistics.st_first}</label>
                    <label class="check"><input type="radio" name="pass" value="2"/> " " {t.statistics.st_second}</label>
                </fieldset>
                <label class="field">{t.statistics.rv_reviewer}
                    <select name="reviewer" required>
                        {register.leaders.into_iter().map(|c| view! { <option value=c.id>{c.label}</option> }).collect_view()}
                    </select>
                </label>
                <fieldset><legend>{t.statistics.rv_units}</legend>{choices("unit", "review-units", register.units)}</fieldset>
                <fieldset><legend>{t.statistics.rv_people}</legend>{choices("person", "review-people", register.members)}</fieldset>
                <button type="submit" class="button">{t.statistics.rv_save}</button>
            </form>
        </Shell>
    }
}
