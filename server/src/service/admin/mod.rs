//! What an admin can do within their area (the unit of their leading group and everything
//! below it): units and their categories, leading groups and heads, people, accounts, routing
//! rules, boxes, and bulk imports.

mod accounts;
mod imports;
mod people;
mod routing;
mod units;

pub use accounts::{accounts, add_account, update_account};
pub use imports::{ImportKind, import};
pub use people::{add_person, people, set_person_active, set_person_rank};
pub use routing::{add_box, routing, set_routing};
pub use units::{add_unit, change_unit, save_group, units};

use accounts::list_accounts;
use people::list_people;
use routing::list_routing;
use units::list_units;

use vocabulary::model::{GroupId, UnitId};
use vocabulary::org::{AccountView, PersonView, RoutingRuleView, UnitView};

use super::staff::Reviewer;
use super::{audit, db_problem};
use crate::db::units::{LeadingGroup, UnitTree};
use crate::db::{DbConnection, DbError};
use crate::domain::audit::AuditAction;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

/// The admin's area: the whole tree, the unit at its top, and the ids of its units (depth-first)
/// and of their leading groups, worked out once per request.
struct AdminArea {
    tree: UnitTree,
    root: UnitId,
    unit_ids: Vec<UnitId>,
    group_ids: Vec<GroupId>,
}

impl AdminArea {
    fn load(conn: &mut DbConnection, group_id: &GroupId) -> Result<AdminArea, DbError> {
        let root = LeadingGroup::find(conn, group_id)?.unit_id;
        let tree = UnitTree::load(conn)?;
        let unit_ids: Vec<UnitId> = tree
            .subtree(&root)
            .into_iter()
            .map(|(u, _)| u.id.clone())
            .collect();
        let group_ids = unit_ids
            .iter()
            .filter_map(|id| tree.group_of(id).map(|g| g.id.clone()))
            .collect();
        Ok(AdminArea {
            tree,
            root,
            unit_ids,
            group_ids,
        })
    }

    fn contains(&self, unit_id: &str) -> bool {
        self.tree.is_within(unit_id, &self.root)
    }

    fn unit_refs(&self) -> Vec<&str> {
        self.unit_ids.iter().map(|id| id.as_str()).collect()
    }

    fn group_refs(&self) -> Vec<&str> {
        self.group_ids.iter().map(|id| id.as_str()).collect()
    }

    /// Whether `group_id` is the group of a unit in the area.
    fn has_group(&self, group_id: &str) -> bool {
        self.group_ids.iter().any(|g| g == group_id)
    }
}

/// Runs `work` on the admin's area in one transaction; a `DbError::Refused` from `work` rolls
/// back whatever it wrote and becomes that problem.
async fn in_area<T: Send + 'static>(
    state: &AppState,
    reviewer: &Reviewer,
    work: impl FnOnce(&mut DbConnection, &AdminArea) -> Result<T, DbError> + Send + 'static,
) -> Result<T, Problem> {
    let group = reviewer.group_for(Permission::ManageOrganisation)?;
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let area = AdminArea::load(conn, &group)?;
                work(conn, &area)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// Records an admin action in the trail.
async fn log(
    state: &AppState,
    reviewer: &Reviewer,
    action: AuditAction,
    target: &str,
) -> Result<(), Problem> {
    audit::record(state, &reviewer.staff.id, action, Some(target)).await
}

/// Everything the admin pages show, read in one transaction.
pub struct AdminOverview {
    /// The area's units, depth-first.
    pub units: Vec<UnitView>,
    /// Everyone in the area.
    pub people: Vec<PersonView>,
    /// The accounts of the area's groups.
    pub accounts: Vec<AccountView>,
    /// The area's routing rules.
    pub rules: Vec<RoutingRuleView>,
}

/// The area's units, people, accounts and routing rules.
pub async fn overview(state: &AppState, reviewer: &Reviewer) -> Result<AdminOverview, Problem> {
    in_area(state, reviewer, |conn, area| {
        Ok(AdminOverview {
            units: list_units(conn, area)?,
            people: list_people(conn, area)?,
            accounts: list_accounts(conn, area)?,
            rules: list_routing(conn, area)?,
        })
    })
    .await
}
