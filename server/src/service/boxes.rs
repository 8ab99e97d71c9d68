//! The boxes whose opinions reach a reviewer's group, with their public URLs and QR codes.

use vocabulary::model::{BoxId, StaffBox};
use vocabulary::paths;

use super::db_problem;
use crate::db::DbError;
use crate::db::boxes::OpinionBox;
use crate::db::units::{LeadingGroup, UnitTree};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

use super::staff::Reviewer;

/// Which boxes a reviewer manages: those whose opinions reach their group, or for an admin
/// (`whole_area`) every box of the area below their group's unit.
fn manages_box(whole_area: bool, tree: &UnitTree, group: &LeadingGroup, unit_id: &str) -> bool {
    if whole_area {
        tree.is_within(unit_id, &group.unit_id)
    } else {
        tree.responsible_group(unit_id)
            .is_some_and(|g| g.id == group.id)
    }
}

/// The boxes the reviewer manages.
pub async fn boxes(state: &AppState, reviewer: &Reviewer) -> Result<Vec<StaffBox>, Problem> {
    let group = reviewer.group_for(Permission::ManageBoxes)?;
    let public_url = state.config.public_url.clone();
    let whole_area = reviewer.require(Permission::ManageOrganisation).is_ok();
    state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &group)?;
            let tree = UnitTree::load(conn)?;
            let all = OpinionBox::all(conn)?;
            Ok(all
                .into_iter()
                .filter(|b| manages_box(whole_area, &tree, &group, &b.unit_id))
                .map(|b| staff_box(&tree, &b, &public_url))
                .collect())
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// One box the reviewer manages, with its code (for QR images).
pub async fn find_box(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
) -> Result<(StaffBox, String), Problem> {
    let group = reviewer.group_for(Permission::ManageBoxes)?;
    let public_url = state.config.public_url.clone();
    let id = BoxId::from(id);
    let whole_area = reviewer.require(Permission::ManageOrganisation).is_ok();
    state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &group)?;
            let found = OpinionBox::find(conn, &id)?;
            let tree = UnitTree::load_lineage(conn, &found.unit_id)?;
            if !manages_box(whole_area, &tree, &group, &found.unit_id) {
                return Err(DbError::NotFound);
            }
            Ok((staff_box(&tree, &found, &public_url), found.code))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// The public URL a box's QR code encodes.
pub fn box_url(public_url: &str, code: &str) -> String {
    paths::BOX.on_site(public_url, [&code])
}

/// A box as staff pages show it.
pub fn staff_box(tree: &UnitTree, found: &OpinionBox, public_url: &str) -> StaffBox {
    let info = super::resident::describe_box(tree, found);
    StaffBox {
        id: found.id.clone(),
        name: info.name,
        village: info.village,
        township: info.township,
        url: box_url(public_url, &found.code),
    }
}
