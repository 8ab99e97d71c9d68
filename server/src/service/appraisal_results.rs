//! A finished round's results: the satisfaction rates with the trend from the round before,
//! hidden below the minimum group size, as a page and as downloads.

use std::collections::HashMap;

use vocabulary::appraisal::{ItemKind, RoundMode, RoundResults, RoundView};
use vocabulary::model::{GroupId, RoundId};

use super::staff::Reviewer;
use super::{Download, audit, db_problem, off_thread};
use crate::db::appraisal::Round;
use crate::db::{DbConnection, DbError};
use crate::domain::appraisal::{LevelCounts, SatisfactionFormula, per_mille};
use crate::domain::appraisal_results::{Tallies, compute};
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::sheets::{self, SheetFormat};
use crate::state::AppState;

use super::appraisal::{finished, load_round};

/// A finished round's results with the trend against the group's previous round of the same
/// kind. Refused while the round runs: watching counts move would tell who answered what.
pub async fn results(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
) -> Result<RoundResults, Problem> {
    let group_id = reviewer.group_for(Permission::ViewStatistics)?;
    let settings = ResultSettings::of(state);
    let round_id = RoundId::from(id);
    let results = state
        .db(move |conn| compute_results(conn, &round_id, &group_id, &settings, &today()))
        .await
        .map_err(|e| db_problem(e, problem::ROUND_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ViewResults,
        Some(id),
    )
    .await?;
    Ok(results)
}

/// A finished round's results as a workbook or CSV file.
pub async fn results_download(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    format: SheetFormat,
    lang: vocabulary::i18n::Lang,
) -> Result<Download, Problem> {
    let found = results(state, reviewer, id).await?;
    let name = format!("appraisal-{}.{}", found.round.opens_on, format.extension());
    let file = off_thread(move || match format {
        SheetFormat::Xlsx => sheets::results_workbook(&found, lang)
            .map(|bytes| Download::xlsx(name, bytes))
            .map_err(|e| e.to_string()),
        SheetFormat::Csv => sheets::results_csv(&found, lang)
            .map(|bytes| Download::csv(name, bytes))
            .map_err(|e| e.to_string()),
    })
    .await?
    .map_err(|e| {
        tracing::error!(error = %e, "cannot write the results file");
        problem::INTERNAL
    })?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ExportResults,
        Some(id),
    )
    .await?;
    Ok(file)
}

/// What a round's results depend on besides the answers.
#[derive(Clone)]
pub(crate) struct ResultSettings {
    /// The public origin, for the round's addresses.
    pub public_url: String,
    /// The minimum group size.
    pub min_group: u32,
    /// How 满意率 is computed.
    pub formula: SatisfactionFormula,
}

impl ResultSettings {
    /// The deployment's settings.
    pub fn of(state: &AppState) -> ResultSettings {
        ResultSettings {
            public_url: state.config.public_url.clone(),
            min_group: state.config.min_group_size,
            formula: state.config.satisfaction.clone(),
        }
    }
}

/// A finished round's results with the trend; refused while the round runs.
pub(crate) fn compute_results(
    conn: &mut DbConnection,
    round_id: &RoundId,
    group_id: &GroupId,
    settings: &ResultSettings,
    day: &str,
) -> Result<RoundResults, DbError> {
    let (public_url, k, formula) = (
        settings.public_url.as_str(),
        settings.min_group,
        &settings.formula,
    );
    let (round, view) = load_round(conn, round_id, group_id, public_url, day)?;
    if !view.finished {
        return Err(DbError::Refused(problem::ROUND_NOT_FINISHED));
    }
    let (tallies, texts) = read_tallies(conn, &round.id)?;
    let (subjects, items) = (subject_pairs(&view), rated_items(&view));
    let previous = Round::previous(conn, &round)?.filter(|p| finished(p, day));
    let mut previous_rates = HashMap::new();
    if let Some(before) = &previous {
        let (before_tallies, _) = read_tallies(conn, &before.id)?;
        let (_, then) = load_round(conn, &before.id, &round.leading_group_id, public_url, day)?;
        let then_subjects = subject_pairs(&then);
        let computed = compute(
            &then_subjects,
            &rated_items(&then),
            &before_tallies,
            k,
            formula,
            &HashMap::new(),
        );
        let lines = then_subjects.iter().zip(&computed.summary);
        for ((id, _), line) in lines {
            if let Some(rate) = line.satisfaction {
                previous_rates.insert(id.clone(), rate);
            }
        }
        if let Some(rate) = computed.overall.satisfaction {
            previous_rates.insert(String::new(), rate);
        }
    }
    let computed = compute(&subjects, &items, &tallies, k, formula, &previous_rates);
    let responses = tallies.responses;
    Ok(RoundResults {
        min_group: k,
        responses,
        response_rate: (view.mode == RoundMode::Slips)
            .then(|| per_mille(responses, view.slips_issued))
            .flatten(),
        summary: computed.summary,
        overall: computed.overall,
        items: computed.items,
        suggestions: if responses >= k { texts } else { Vec::new() },
        previous: previous.map(|p| p.name),
        round: view,
    })
}

/// A round's subjects as (id, label).
fn subject_pairs(round: &RoundView) -> Vec<(String, String)> {
    round
        .subjects
        .iter()
        .map(|s| (s.id.clone(), s.label.clone()))
        .collect()
}

/// A round's rated items as (key, wording).
fn rated_items(round: &RoundView) -> Vec<(String, String)> {
    round
        .questionnaire
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Rating)
        .map(|i| (i.key.clone(), i.text.clone()))
        .collect()
}

/// The sums of a round as the results computation reads them, and its written answers.
fn read_tallies(conn: &mut DbConnection, id: &str) -> Result<(Tallies, Vec<String>), DbError> {
    let sums = Round::sums(conn, id)?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut t = Tallies {
        responses: count(sums.responses),
        ..Tallies::default()
    };
    for (subject, item, rating, n) in sums.cells {
        let cell: &mut LevelCounts = t.cells.entry((subject, item)).or_default();
        cell.0[rating.index()] += count(n);
    }
    for (subject, rating, n) in sums.subject_levels {
        t.subject_level_people.entry(subject).or_default()[rating.index()] = count(n);
    }
    for (subject, n) in sums.subjects {
        t.subject_people.insert(subject, count(n));
    }
    for (rating, n) in sums.levels {
        t.level_people[rating.index()] = count(n);
    }
    Ok((t, sums.texts))
}
