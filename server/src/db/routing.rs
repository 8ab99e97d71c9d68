//! Routing rules: a category from an area goes to a leading group other than the nearest one.

use diesel::prelude::*;
use vocabulary::model::{Category, GroupId, UnitId};

use super::schema::{leading_groups, routing_rules, units};
use super::{DbConnection, DbError};

/// One rule: opinions of `category` from boxes in `unit_id` or below go to `leading_group_id`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = routing_rules)]
pub struct RoutingRule {
    /// The area.
    pub unit_id: UnitId,
    /// The category's stable name.
    pub category: Category,
    /// The receiving group.
    pub leading_group_id: GroupId,
}

impl RoutingRule {
    /// Sets the rule of an area and category, replacing any earlier one.
    pub fn save(conn: &mut DbConnection, rule: &RoutingRule) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            RoutingRule::delete(conn, &rule.unit_id, rule.category)?;
            diesel::insert_into(routing_rules::table)
                .values(rule)
                .execute(conn)?;
            Ok(())
        })
    }

    /// Removes the rule of an area and category, if any.
    pub fn delete(
        conn: &mut DbConnection,
        unit_id: &str,
        category: Category,
    ) -> Result<(), DbError> {
        diesel::delete(routing_rules::table.find((unit_id, category))).execute(conn)?;
        Ok(())
    }

    /// The rule for `category` nearest the box: `lineage` lists the box's unit and its
    /// ancestors, nearest first.
    pub fn nearest(
        conn: &mut DbConnection,
        lineage: &[&str],
        category: Category,
    ) -> Result<Option<RoutingRule>, DbError> {
        let rules: Vec<RoutingRule> = routing_rules::table
            .filter(routing_rules::unit_id.eq_any(lineage))
            .filter(routing_rules::category.eq(category))
            .select(RoutingRule::as_select())
            .load(conn)?;
        Ok(lineage
            .iter()
            .find_map(|id| rules.iter().find(|r| r.unit_id == *id))
            .cloned())
    }

    /// The rules of these areas with the area's and the group's names.
    pub fn in_units(
        conn: &mut DbConnection,
        unit_ids: &[&str],
    ) -> Result<Vec<(RoutingRule, String, String)>, DbError> {
        Ok(routing_rules::table
            .inner_join(units::table.on(units::id.eq(routing_rules::unit_id)))
            .inner_join(leading_groups::table)
            .filter(routing_rules::unit_id.eq_any(unit_ids))
            .select((RoutingRule::as_select(), units::name, leading_groups::name))
            .order((units::name.asc(), routing_rules::category.asc()))
            .load(conn)?)
    }
}
