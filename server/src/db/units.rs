//! Units of the hierarchy (county → township → village) and their leading groups.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::{leading_groups, units};
use super::{DbConnection, DbError};

/// A unit of the hierarchy.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = units)]
pub struct Unit {
    /// Random id.
    pub id: String,
    /// The unit above it; `None` at the top.
    pub parent_id: Option<String>,
    /// Its name, e.g. `张家村`.
    pub name: String,
    /// `county`, `township` or `village`.
    pub kind: String,
}

/// A leading group (领导小组) attached to a unit.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = leading_groups)]
pub struct LeadingGroup {
    /// Random id.
    pub id: String,
    /// The unit it leads.
    pub unit_id: String,
    /// Its name, e.g. `创先争优活动领导小组`.
    pub name: String,
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

    /// Finds a leading group by id.
    pub fn find(conn: &mut DbConnection, id: &str) -> Result<LeadingGroup, DbError> {
        Ok(leading_groups::table
            .find(id)
            .select(LeadingGroup::as_select())
            .first(conn)?)
    }
}

/// The whole hierarchy in memory, for routing and area look-ups (a province has a few thousand units).
pub struct UnitTree {
    units: HashMap<String, Unit>,
    group_of_unit: HashMap<String, LeadingGroup>,
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
        let mut units_found = HashMap::new();
        let mut next = Some(unit_id.to_string());
        while let Some(id) = next.take() {
            if units_found.contains_key(&id) {
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
            units_found.insert(id, unit);
        }
        let ids: Vec<&String> = units_found.keys().collect();
        let groups: Vec<LeadingGroup> = leading_groups::table
            .filter(leading_groups::unit_id.eq_any(ids))
            .select(LeadingGroup::as_select())
            .load(conn)?;
        Ok(UnitTree {
            units: units_found,
            group_of_unit: groups.into_iter().map(|g| (g.unit_id.clone(), g)).collect(),
        })
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
    pub fn nearest_of_kind(&self, id: &str, kind: &str) -> Option<&Unit> {
        self.lineage(id).into_iter().find(|u| u.kind == kind)
    }
}
