//! A leading group's overview: retention setting and opinion counts with small cells hidden.

use std::collections::{BTreeMap, HashMap};

use vocabulary::model::{Category, CountRow, CountTable, GroupOverview};

use super::staff::Reviewer;
use super::{audit, db_problem};
use crate::db::boxes::OpinionBox;
use crate::db::opinions::Opinion;
use crate::db::tallies::Tally;
use crate::db::units::{LeadingGroup, UnitTree};
use crate::domain::audit::AuditAction;
use crate::domain::disclosure::suppress;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

/// Shortest and longest retention a group may set, in days.
pub const RETENTION_DAYS: std::ops::RangeInclusive<u32> = 30..=3650;

/// The group's name, retention and counts per village and category (kept and deleted).
pub async fn overview(state: &AppState, reviewer: &Reviewer) -> Result<GroupOverview, Problem> {
    let scope = reviewer.scope(Permission::ViewStatistics)?;
    let group = scope.group_id.clone();
    let k = state.config.min_group_size;
    let (name, days, villages, counts) = state
        .db(move |conn| {
            let found = LeadingGroup::find(conn, &group)?;
            let days = LeadingGroup::retention_days(conn, &group)?;
            let tree = UnitTree::load(conn)?;
            // Every village with a box of this group, even with no opinions yet.
            let mut villages: BTreeMap<String, String> = OpinionBox::all(conn)?
                .into_iter()
                .filter(|b| {
                    tree.responsible_group(&b.unit_id)
                        .is_some_and(|g| g.id == group)
                })
                .filter_map(|b| {
                    tree.unit(&b.unit_id)
                        .map(|u| (u.id.to_string(), u.name.clone()))
                })
                .collect();
            let mut counts: HashMap<(String, Category), u32> = HashMap::new();
            for (unit, category, n) in Opinion::released_counts(conn, &scope)? {
                *counts.entry((unit, category)).or_default() += u32::try_from(n).unwrap_or(0);
            }
            for t in Tally::for_group(conn, &group)? {
                let n = u32::try_from(t.closed).unwrap_or(0);
                *counts
                    .entry((t.unit_id.to_string(), t.category))
                    .or_default() += n;
                if let Some(u) = tree.unit(&t.unit_id) {
                    villages
                        .entry(u.id.to_string())
                        .or_insert_with(|| u.name.clone());
                }
            }
            Ok((found.name, days, villages, counts))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::ViewStatistics, None).await?;

    let mut rows: Vec<(String, String)> = villages.into_iter().collect();
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let table: Vec<Vec<u32>> = rows
        .iter()
        .map(|(unit, _)| {
            Category::ALL
                .iter()
                .map(|c| counts.get(&(unit.clone(), *c)).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    let shown = suppress(&table, k);
    Ok(GroupOverview {
        name,
        retention_days: u32::try_from(days).unwrap_or_default(),
        min_group_size: k,
        stats: CountTable {
            columns: Category::ALL.to_vec(),
            rows: rows
                .into_iter()
                .zip(shown.cells)
                .zip(shown.row_totals)
                .map(|(((_, village), cells), total)| CountRow {
                    village,
                    cells,
                    total,
                })
                .collect(),
            column_totals: shown.column_totals,
            total: shown.total,
        },
    })
}

/// Sets how long the group keeps closed opinions.
pub async fn set_retention(
    state: &AppState,
    reviewer: &Reviewer,
    days: u32,
) -> Result<(), Problem> {
    if !RETENTION_DAYS.contains(&days) {
        return Err(problem::RETENTION_INVALID);
    }
    let group = reviewer.group_for(Permission::ChangeSettings)?;
    let log_group = group.clone();
    state
        .db(move |conn| LeadingGroup::set_retention_days(conn, &group, days as i32))
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::SetRetention,
        Some(&log_group),
    )
    .await?;
    tracing::info!(group = %log_group, staff = %reviewer.staff.id, days, "retention changed");
    Ok(())
}
