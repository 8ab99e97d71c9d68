//! An admin's units: the tree of their area, adding and changing units, and each unit's
//! leading group with its head.

use std::collections::HashMap;

use vocabulary::model::{PersonId, UnitId};
use vocabulary::org::{GroupUpdate, GroupView, NewUnit, UnitUpdate, UnitView};

use crate::db::people::Person;
use crate::db::subjects;
use crate::db::units::{LeadingGroup, Unit};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::org;
use crate::domain::problem::{self, Problem};
use crate::service::staff::Reviewer;
use crate::state::AppState;

use super::people::person_in_area;
use super::{AdminArea, in_area, log};

/// The area's units, depth-first, each with its leading group.
pub async fn units(state: &AppState, reviewer: &Reviewer) -> Result<Vec<UnitView>, Problem> {
    in_area(state, reviewer, list_units).await
}

pub(super) fn list_units(
    conn: &mut DbConnection,
    area: &AdminArea,
) -> Result<Vec<UnitView>, DbError> {
    let head_ids: Vec<&str> = area
        .unit_ids
        .iter()
        .filter_map(|id| area.tree.group_of(id))
        .filter_map(|g| g.head_person_id.as_deref())
        .collect();
    let names: HashMap<PersonId, String> = Person::with_units(conn, &head_ids)?
        .into_iter()
        .map(|(p, _)| (p.id, p.name))
        .collect();
    area.tree
        .subtree(&area.root)
        .into_iter()
        .map(|(unit, depth)| unit_view(unit, depth, area, &names))
        .collect()
}

fn unit_view(
    unit: &Unit,
    depth: u32,
    area: &AdminArea,
    head_names: &HashMap<PersonId, String>,
) -> Result<UnitView, DbError> {
    Ok(UnitView {
        id: unit.id.clone(),
        parent_id: unit.parent_id.clone().filter(|_| depth > 0),
        name: unit.name.clone(),
        kind: unit.kind,
        category: unit.category,
        depth,
        group: area.tree.group_of(&unit.id).map(|g| GroupView {
            id: g.id.clone(),
            name: g.name.clone(),
            head_person_id: g.head_person_id.clone(),
            head_name: g
                .head_person_id
                .as_ref()
                .and_then(|h| head_names.get(h).cloned()),
        }),
    })
}

/// Adds a unit one level below a unit of the area.
pub async fn add_unit(
    state: &AppState,
    reviewer: &Reviewer,
    new: NewUnit,
) -> Result<UnitView, Problem> {
    let name = org::unit_name(&new.name)?;
    let category = org::category(new.category.as_deref())?;
    let added = in_area(state, reviewer, move |conn, area| {
        let Some(parent) = area
            .tree
            .unit(&new.parent_id)
            .filter(|_| area.contains(&new.parent_id))
        else {
            return Err(DbError::Refused(problem::PARENT_NOT_FOUND));
        };
        let parent_kind = parent.kind;
        let kind = org::child_kind(parent_kind, &new.kind).map_err(DbError::Refused)?;
        if Unit::child_named(conn, &parent.id, &name)?.is_some() {
            return Err(DbError::Refused(problem::UNIT_EXISTS));
        }
        let unit = Unit {
            id: new_id().into(),
            parent_id: Some(parent.id.clone()),
            name,
            kind,
            category,
        };
        Unit::insert(conn, &unit)?;
        Ok(UnitView {
            id: unit.id,
            parent_id: unit.parent_id,
            name: unit.name,
            kind,
            category,
            depth: 0,
            group: None,
        })
    })
    .await?;
    log(state, reviewer, AuditAction::CreateUnit, &added.id).await?;
    Ok(added)
}

/// Renames a unit of the area or moves it under another unit of the level above. Opinions
/// already routed stay with their group; new ones follow the new place. The area's own unit
/// can be renamed but not moved out.
pub async fn change_unit(
    state: &AppState,
    reviewer: &Reviewer,
    unit_id: &str,
    update: UnitUpdate,
) -> Result<UnitView, Problem> {
    let name = update
        .name
        .filter(|s| !s.trim().is_empty())
        .map(|n| org::unit_name(&n))
        .transpose()?;
    let parent = update.parent_id.filter(|p| !p.trim().is_empty());
    let unit_id = unit_id.to_string();
    let changed = in_area(state, reviewer, move |conn, area| {
        let Some(unit) = area.tree.unit(&unit_id).filter(|_| area.contains(&unit_id)) else {
            return Err(DbError::Refused(problem::UNIT_NOT_FOUND));
        };
        let kind = unit.kind;
        let parent_id = match parent {
            Some(p) if Some(&p) != unit.parent_id.as_ref() => {
                let Some(new_parent) = area.tree.unit(&p).filter(|_| area.contains(&p)) else {
                    return Err(DbError::Refused(problem::PARENT_NOT_FOUND));
                };
                if unit.id == area.root || area.tree.is_within(&new_parent.id, &unit.id) {
                    return Err(DbError::Refused(problem::UNIT_MOVE_INVALID));
                }
                let parent_kind = new_parent.kind;
                org::child_kind(parent_kind, kind.as_str()).map_err(DbError::Refused)?;
                Some(new_parent.id.clone())
            }
            _ => unit.parent_id.clone(),
        };
        let name = name.unwrap_or_else(|| unit.name.clone());
        if let Some(parent) = &parent_id
            && Unit::child_named(conn, parent, &name)?.is_some_and(|u| u.id != unit.id)
        {
            return Err(DbError::Refused(problem::UNIT_EXISTS));
        }
        Unit::relocate(conn, &unit.id, &name, parent_id.as_deref())?;
        if name != unit.name {
            // Opinions naming a post with the unit's new name are about its holder too.
            let people = subjects::people_of_units(conn, &[unit.id.as_str()])?;
            let ids = people;
            subjects::derive_for_people(conn, &ids)?;
        }
        Ok(UnitView {
            id: unit.id.clone(),
            parent_id,
            name,
            kind,
            category: unit.category,
            depth: 0,
            group: None,
        })
    })
    .await?;
    log(state, reviewer, AuditAction::ChangeUnit, &changed.id).await?;
    Ok(changed)
}

/// Creates or renames a unit's leading group and sets its head (a person of the unit or above,
/// within the area).
pub async fn save_group(
    state: &AppState,
    reviewer: &Reviewer,
    unit_id: &str,
    update: GroupUpdate,
) -> Result<GroupView, Problem> {
    let name = org::group_name(&update.name)?;
    let unit_id = UnitId::from(unit_id);
    let head = update.head_person_id.filter(|h| !h.trim().is_empty());
    let saved = in_area(state, reviewer, move |conn, area| {
        if !area.contains(&unit_id) {
            return Err(DbError::Refused(problem::UNIT_NOT_FOUND));
        }
        let mut head_name = None;
        if let Some(head) = &head {
            // The head is someone of this unit or above it, inside the area.
            let person = match person_in_area(conn, area, head) {
                Ok(p) if area.tree.is_within(&unit_id, &p.unit_id) => p,
                Ok(_) | Err(DbError::Refused(_)) => {
                    return Err(DbError::Refused(problem::HEAD_INVALID));
                }
                Err(e) => return Err(e),
            };
            head_name = Some(person.name);
        }
        let group =
            LeadingGroup::save_for_unit(conn, &unit_id, &name, head.as_ref(), new_id().into())?;
        Ok(GroupView {
            id: group.id,
            name: group.name,
            head_person_id: group.head_person_id,
            head_name,
        })
    })
    .await?;
    log(state, reviewer, AuditAction::SaveGroup, &saved.id).await?;
    Ok(saved)
}
