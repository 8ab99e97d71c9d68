//! Units of the hierarchy (county → township → village) and their leading groups.

use std::collections::HashMap;

use diesel::prelude::*;
use vocabulary::model::{GroupId, PersonId, UnitId};
use vocabulary::org::{UnitCategory, UnitKind};

use super::schema::{leading_groups, units};
use super::{DbConnection, DbError};

/// A unit of the hierarchy.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = units)]
pub struct Unit {
    /// Random id.
    pub id: UnitId,
    /// The unit above it; `None` at the top.
    pub parent_id: Option<UnitId>,
    /// Its name, e.g. `张家村`.
    pub name: String,
    /// `county`, `township`, `village` or `branch`.
    pub kind: UnitKind,
    /// Category from the statistics tables (`rural`, `community`…), when set.
    pub category: Option<UnitCategory>,
}

/// A leading group (领导小组) attached to a unit.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = leading_groups)]
pub struct LeadingGroup {
    /// Random id.
    pub id: GroupId,
    /// The unit it leads.
    pub unit_id: UnitId,
    /// Its name, e.g. `创先争优活动领导小组`.
    pub name: String,
    /// The person heading it (组长): opinions about them go one level up.
    pub head_person_id: Option<PersonId>,
}

impl Unit {
    /// Stores a new unit.
    pub fn insert(conn: &mut DbConnection, unit: &Unit) -> Result<(), DbError> {
        diesel::insert_into(units::table)
            .values(unit)
            .execute(conn)?;
        Ok(())
    }

    /// Counts all units (an empty database has none).
    pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
        Ok(units::table.count().get_result(conn)?)
    }

    /// The unit with this id.
    pub fn find(conn: &mut DbConnection, id: &UnitId) -> Result<Unit, DbError> {
        Ok(units::table
            .find(id)
            .select(Unit::as_select())
            .first(conn)?)
    }

    /// Renames a unit and hangs it under `parent_id`.
    pub fn relocate(
        conn: &mut DbConnection,
        id: &str,
        name: &str,
        parent_id: Option<&str>,
    ) -> Result<(), DbError> {
        diesel::update(units::table.find(id))
            .set((units::name.eq(name), units::parent_id.eq(parent_id)))
            .execute(conn)?;
        Ok(())
    }

    /// The child of `parent_id` called `name`, if any.
    pub fn child_named(
        conn: &mut DbConnection,
        parent_id: &str,
        name: &str,
    ) -> Result<Option<Unit>, DbError> {
        Ok(units::table
            .filter(units::parent_id.eq(parent_id).and(units::name.eq(name)))
            .select(Unit::as_select())
            .first(conn)
            .optional()?)
    }

    /// The units directly below `id`, by name.
    pub fn children(conn: &mut DbConnection, id: &str) -> Result<Vec<Unit>, DbError> {
        Ok(units::table
            .filter(units::parent_id.eq(id))
            .order(units::name.asc())
            .select(Unit::as_select())
            .load(conn)?)
    }

    /// The names of these units, by id.
    pub fn names(
        conn: &mut DbConnection,
        ids: &[&str],
    ) -> Result<HashMap<String, String>, DbError> {
        let rows: Vec<(String, String)> = units::table
            .filter(units::id.eq_any(ids))
            .select((units::id, units::name))
            .load(conn)?;
        Ok(rows.into_iter().collect())
    }

    /// Sets a unit's category.
    pub fn set_category(
        conn: &mut DbConnection,
        id: &str,
        category: Option<UnitCategory>,
    ) -> Result<(), DbError> {
        diesel::update(units::table.find(id))
            .set(units::category.eq(category))
            .execute(conn)?;
        Ok(())
    }

    /// The top-level units (a county, or a township deployed alone), by name.
    pub fn roots(conn: &mut DbConnection) -> Result<Vec<Unit>, DbError> {
        Ok(units::table
            .filter(units::parent_id.is_null())
            .order(units::name.asc())
            .select(Unit::as_select())
            .load(conn)?)
    }

    /// Finds a top-level unit by name.
    pub fn root_named(conn: &mut DbConnection, name: &str) -> Result<Option<Unit>, DbError> {
        Ok(units::table
            .filter(units::parent_id.is_null().and(units::name.eq(name)))
            .select(Unit::as_select())
            .first(conn)
            .optional()?)
    }
}

impl LeadingGroup {
    /// Stores a new leading group.
    pub fn insert(conn: &mut DbConnection, group: &LeadingGroup) -> Result<(), DbError> {
        diesel::insert_into(leading_groups::table)
            .values(group)
            .execute(conn)?;
        Ok(())
    }

    /// The distinct retentions of closed opinions that groups have set, in days.
    pub fn retentions(conn: &mut DbConnection) -> Result<Vec<i32>, DbError> {
        Ok(leading_groups::table
            .select(leading_groups::retention_days)
            .distinct()
            .load(conn)?)
    }

    /// A group's retention of closed opinions, in days.
    pub fn retention_days(conn: &mut DbConnection, id: &str) -> Result<i32, DbError> {
        Ok(leading_groups::table
            .find(id)
            .select(leading_groups::retention_days)
            .first(conn)?)
    }

    /// Sets a group's retention of closed opinions, in days.
    pub fn set_retention_days(conn: &mut DbConnection, id: &str, days: i32) -> Result<(), DbError> {
        let changed = diesel::update(leading_groups::table.find(id))
            .set(leading_groups::retention_days.eq(days))
            .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Creates the unit's leading group, or renames it and sets its head.
    pub fn save_for_unit(
        conn: &mut DbConnection,
        unit_id: &UnitId,
        name: &str,
        head_person_id: Option<&PersonId>,
        new_id: GroupId,
    ) -> Result<LeadingGroup, DbError> {
        conn.write_transaction(|conn| {
            let existing = leading_groups::table
                .filter(leading_groups::unit_id.eq(unit_id))
                .select(LeadingGroup::as_select())
                .first(conn)
                .optional()?;
            let group = LeadingGroup {
                id: existing.map(|g| g.id).unwrap_or(new_id),
                unit_id: unit_id.clone(),
                name: name.to_string(),
                head_person_id: head_person_id.cloned(),
            };
            let updated = diesel::update(leading_groups::table.find(&group.id))
                .set((
                    leading_groups::name.eq(&group.name),
                    leading_groups::head_person_id.eq(&group.head_person_id),
                ))
                .execute(conn)?;
            if updated == 0 {
                LeadingGroup::insert(conn, &group)?;
            }
            Ok(group)
        })
    }

    /// Finds a leading group by id.
    pub fn find(conn: &mut DbConnection, id: &GroupId) -> Result<LeadingGroup, DbError> {
        Ok(leading_groups::table
            .find(id)
            .select(LeadingGroup::as_select())
            .first(conn)?)
    }

    /// The group of a unit, if it has one.
    pub fn of_unit(
        conn: &mut DbConnection,
        unit_id: &UnitId,
    ) -> Result<Option<LeadingGroup>, DbError> {
        Ok(leading_groups::table
            .filter(leading_groups::unit_id.eq(unit_id))
            .select(LeadingGroup::as_select())
            .first(conn)
            .optional()?)
    }
}

/// The whole hierarchy in memory, for routing and area look-ups (a province has a few thousand units).
pub struct UnitTree {
    units: HashMap<UnitId, Unit>,
    group_of_unit: HashMap<UnitId, LeadingGroup>,
}

impl UnitTree {
    /// Loads every unit and leading group.
    pub fn load(conn: &mut DbConnection) -> Result<Self, DbError> {
        let all_units: Vec<Unit> = units::table.select(Unit::as_select()).load(conn)?;
        let groups: Vec<LeadingGroup> = leading_groups::table
            .select(LeadingGroup::as_select())
            .load(conn)?;
        Ok(UnitTree {
            units: all_units.into_iter().map(|u| (u.id.clone(), u)).collect(),
            group_of_unit: groups.into_iter().map(|g| (g.unit_id.clone(), g)).collect(),
        })
    }

    /// Loads only `unit_id`, its ancestors and their leading groups (one query per level).
    pub fn load_lineage(conn: &mut DbConnection, unit_id: &str) -> Result<Self, DbError> {
        let mut tree = UnitTree {
            units: HashMap::new(),
            group_of_unit: HashMap::new(),
        };
        tree.add_lineage(conn, unit_id)?;
        Ok(tree)
    }

    /// Adds `unit_id`, its ancestors and their leading groups to a partly loaded tree.
    pub fn add_lineage(&mut self, conn: &mut DbConnection, unit_id: &str) -> Result<(), DbError> {
        let mut added = Vec::new();
        let mut next = Some(UnitId::from(unit_id));
        while let Some(id) = next.take() {
            if self.units.contains_key(&id) {
                break;
            }
            let Some(unit) = units::table
                .find(&id)
                .select(Unit::as_select())
                .first(conn)
                .optional()?
            else {
                break;
            };
            next = unit.parent_id.clone();
            added.push(id.clone());
            self.units.insert(id, unit);
        }
        let groups: Vec<LeadingGroup> = leading_groups::table
            .filter(leading_groups::unit_id.eq_any(&added))
            .select(LeadingGroup::as_select())
            .load(conn)?;
        self.group_of_unit
            .extend(groups.into_iter().map(|g| (g.unit_id.clone(), g)));
        Ok(())
    }

    /// The leading group of this very unit, if it has one.
    pub fn group_of(&self, unit_id: &str) -> Option<&LeadingGroup> {
        self.group_of_unit.get(unit_id)
    }

    /// The leading groups of the unit and its ancestors, nearest first.
    pub fn groups_upward(&self, unit_id: &str) -> Vec<&LeadingGroup> {
        self.lineage(unit_id)
            .into_iter()
            .filter_map(|u| self.group_of_unit.get(&u.id))
            .collect()
    }

    /// Whether `id` is `root` or lies below it.
    pub fn is_within(&self, id: &str, root: &str) -> bool {
        self.lineage(id).iter().any(|u| u.id == root)
    }

    /// `root` and every unit below it with its depth, depth-first, siblings by name.
    pub fn subtree(&self, root: &str) -> Vec<(&Unit, u32)> {
        let mut children: HashMap<&str, Vec<&Unit>> = HashMap::new();
        for unit in self.units.values() {
            if let Some(parent) = unit.parent_id.as_deref() {
                children.entry(parent).or_default().push(unit);
            }
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| a.name.cmp(&b.name));
        }
        let mut out = Vec::new();
        let mut stack: Vec<(&Unit, u32)> =
            self.units.get(root).map(|u| (u, 0)).into_iter().collect();
        while let Some((unit, depth)) = stack.pop() {
            if out.len() > self.units.len() {
                break;
            }
            out.push((unit, depth));
            if let Some(list) = children.get(unit.id.as_str()) {
                stack.extend(list.iter().rev().map(|c| (*c, depth + 1)));
            }
        }
        out
    }

    /// A unit by id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.get(id)
    }

    /// The unit itself and its ancestors, nearest first (cycles are cut off).
    pub fn lineage(&self, id: &str) -> Vec<&Unit> {
        let mut chain = Vec::new();
        let mut next = self.units.get(id);
        while let Some(unit) = next {
            if chain.len() > self.units.len() {
                break;
            }
            chain.push(unit);
            next = unit.parent_id.as_deref().and_then(|p| self.units.get(p));
        }
        chain
    }

    /// The leading group of the nearest unit, from `id` upwards, that has one.
    pub fn responsible_group(&self, id: &str) -> Option<&LeadingGroup> {
        self.lineage(id)
            .into_iter()
            .find_map(|u| self.group_of_unit.get(&u.id))
    }

    /// The nearest ancestor (or the unit itself) of the given kind.
    pub fn nearest_of_kind(&self, id: &str, kind: UnitKind) -> Option<&Unit> {
        self.lineage(id).into_iter().find(|u| u.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;

    use super::*;

    #[test]
    fn a_stored_kind_reads_as_its_enum_and_one_not_in_the_set_is_an_error_never_a_guess() {
        let mut conn = DbConnection::establish(":memory:").expect("in-memory SQLite");
        crate::db::migrate_connection(&mut conn).expect("migrated");
        conn.batch_execute(
            "INSERT INTO units (id, parent_id, name, kind) VALUES
                 ('u1', NULL, '安城县', 'county'),
                 ('u2', 'u1', '张家村', 'Village ');",
        )
        .expect("inserted");
        let county = Unit::find(&mut conn, &"u1".into()).expect("a stored name reads");
        assert_eq!(county.kind, UnitKind::County);
        let error = Unit::find(&mut conn, &"u2".into()).expect_err("not a stored name");
        let message = error.to_string();
        assert!(
            message.contains("unknown unit kind") && message.contains("Village "),
            "{message}"
        );
    }
}
