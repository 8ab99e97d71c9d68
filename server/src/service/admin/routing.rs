//! Where opinions go: an admin's routing rules (unit and category to leading group) and new
//! boxes.

use vocabulary::model::{Category, StaffBox};
use vocabulary::org::{NewBox, RoutingRuleUpdate, RoutingRuleView};

use crate::db::boxes::OpinionBox;
use crate::db::routing::RoutingRule;
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::codes::new_box_code;
use crate::domain::org;
use crate::domain::problem::{self, Problem};
use crate::service::boxes::staff_box;
use crate::service::staff::Reviewer;
use crate::state::AppState;

use super::{AdminArea, in_area, log};

/// The routing rules of the area's units.
pub async fn routing(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<Vec<RoutingRuleView>, Problem> {
    in_area(state, reviewer, list_routing).await
}

pub(super) fn list_routing(
    conn: &mut DbConnection,
    area: &AdminArea,
) -> Result<Vec<RoutingRuleView>, DbError> {
    Ok(RoutingRule::in_units(conn, &area.unit_refs())?
        .into_iter()
        .map(|(rule, unit_name, group_name)| RoutingRuleView {
            category: rule.category,
            unit_id: rule.unit_id,
            unit_name,
            group_id: rule.leading_group_id,
            group_name,
        })
        .collect())
}

/// Sends a category from a unit of the area to a group of the area (or removes the rule when
/// `group_id` is empty).
pub async fn set_routing(
    state: &AppState,
    reviewer: &Reviewer,
    update: RoutingRuleUpdate,
) -> Result<(), Problem> {
    let category = Category::parse(update.category.trim()).ok_or(problem::CATEGORY_INVALID)?;
    let unit_id = update.unit_id.clone();
    in_area(state, reviewer, move |conn, area| {
        if !area.contains(&update.unit_id) {
            return Err(DbError::Refused(problem::UNIT_NOT_FOUND));
        }
        let group_id = update.group_id.trim();
        if group_id.is_empty() {
            return RoutingRule::delete(conn, &update.unit_id, category);
        }
        if !area.has_group(group_id) {
            return Err(DbError::Refused(problem::GROUP_REQUIRED));
        }
        RoutingRule::save(
            conn,
            &RoutingRule {
                unit_id: update.unit_id.into(),
                category,
                leading_group_id: group_id.to_string().into(),
            },
        )
    })
    .await?;
    log(state, reviewer, AuditAction::SetRouting, &unit_id).await
}

/// Hangs a new box in a unit of the area.
pub async fn add_box(
    state: &AppState,
    reviewer: &Reviewer,
    new: NewBox,
) -> Result<StaffBox, Problem> {
    let name = org::box_name(&new.name)?;
    let public_url = state.config.public_url.clone();
    let added = in_area(state, reviewer, move |conn, area| {
        if !area.contains(&new.unit_id) {
            return Err(DbError::Refused(problem::UNIT_NOT_FOUND));
        }
        let created = OpinionBox {
            id: new_id().into(),
            code: new_box_code(),
            unit_id: new.unit_id.into(),
            name,
        };
        OpinionBox::insert(conn, &created)?;
        Ok(staff_box(&area.tree, &created, &public_url))
    })
    .await?;
    log(state, reviewer, AuditAction::CreateBox, &added.id).await?;
    Ok(added)
}
