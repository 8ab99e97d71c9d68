//! The rectification ledger (整改台账): the group's issues with their measures over a period,
//! its figures (also the 通报's), and the ledger as a workbook.

use vocabulary::issues::{IssueView, Ledger, LedgerFigures, LedgerQuery};
use vocabulary::model::GroupId;

use super::issues::with_measures;
use super::staff::Reviewer;
use super::{Download, audit, db_problem, off_thread};
use crate::db::issues::Issue;
use crate::db::units::LeadingGroup;
use crate::db::visibility::Scope;
use crate::db::{DbConnection, DbError};
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::issue::{MeasureProgress, ledger_figures, ledger_period};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

/// The group's rectification ledger for a period, and whether the reviewer may read its issues
/// (members) or only its figures (viewers).
pub async fn ledger(
    state: &AppState,
    reviewer: &Reviewer,
    query: &LedgerQuery,
) -> Result<(Ledger, bool), Problem> {
    let scope = reviewer.scope(Permission::ViewStatistics)?;
    let full = reviewer.require(Permission::HandleOpinions).is_ok();
    let day = today();
    let (from, to) = ledger_period(query.from.as_deref(), query.to.as_deref(), &day)?;
    let (period_from, period_to, on) = (from.clone(), to.clone(), day.clone());
    let (group, issues) = state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &scope.group_id)?.name;
            let issues = Issue::found_between(conn, &scope, &period_from, &period_to)?;
            Ok((group, with_measures(conn, issues, &on)?))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    let figures = figures_of(&issues, &day);
    audit::record(state, &reviewer.staff.id, AuditAction::ViewLedger, None).await?;
    let ledger = Ledger {
        group,
        from,
        to,
        figures,
        issues: if full { issues } else { Vec::new() },
    };
    Ok((ledger, full))
}

/// The ledger figures of the issues a group found from `from` to `to`, all of them counted.
pub(crate) fn group_figures(
    conn: &mut DbConnection,
    group_id: &GroupId,
    from: &str,
    to: &str,
    today: &str,
) -> Result<LedgerFigures, DbError> {
    let issues = Issue::found_between(conn, &Scope::whole_group(group_id), from, to)?;
    Ok(figures_of(&with_measures(conn, issues, today)?, today))
}

/// The ledger figures of issues with their measures.
fn figures_of(issues: &[IssueView], today: &str) -> LedgerFigures {
    let progress: Vec<(u32, Vec<MeasureProgress<'_>>)> = issues
        .iter()
        .map(|i| {
            let measures = i
                .measures
                .iter()
                .map(|m| MeasureProgress {
                    due_on: &m.due_on,
                    done: m.done_on.is_some(),
                })
                .collect();
            (i.opinion_count, measures)
        })
        .collect();
    ledger_figures(progress.iter().map(|(n, m)| (*n, m.as_slice())), today)
}

/// The ledger of a period as an Excel workbook: what the reviewer may read of it, no more.
pub async fn ledger_workbook(
    state: &AppState,
    reviewer: &Reviewer,
    query: &LedgerQuery,
    lang: vocabulary::i18n::Lang,
) -> Result<Download, Problem> {
    let (ledger, _) = ledger(state, reviewer, query).await?;
    let name = format!("ledger-{}-{}.xlsx", ledger.from, ledger.to);
    let bytes = off_thread(move || crate::sheets::ledger_workbook(&ledger, lang))
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "cannot write the ledger workbook");
            problem::INTERNAL
        })?;
    audit::record(state, &reviewer.staff.id, AuditAction::ExportLedger, None).await?;
    Ok(Download::xlsx(name, bytes))
}
