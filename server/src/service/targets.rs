//! Whom an opinion can be about, and which leading group therefore handles it.

use std::collections::HashMap;
use vocabulary::model::{Category, Escalation, OpinionId, PersonId, UnitId};

use vocabulary::org::TargetChoice;

use super::staff::Reviewer;
use super::{audit, db_problem};
use crate::db::issues::Issue;
use crate::db::opinions::{Opinion, Target, TargetPair};
use crate::db::people::Person;
use crate::db::routing::RoutingRule;
use crate::db::units::{LeadingGroup, Unit, UnitTree};
use crate::db::visibility::QueuedOpinion;
use crate::db::{DbConnection, DbError};
use crate::domain::audit::AuditAction;
use crate::domain::org::{About, about};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::domain::routing::{GroupStep, Routed, route};
use crate::state::AppState;

/// Whom an opinion is about, resolved to ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The person, if one was chosen.
    pub person_id: Option<PersonId>,
    /// The unit, if one was chosen.
    pub unit_id: Option<String>,
}

/// The people and units an opinion from a box in `box_unit` can be about: the box's unit and
/// the units above it up to the one whose leading group handles it, the units directly below
/// the box's unit, and the active people of all of them.
pub fn choices(
    conn: &mut DbConnection,
    tree: &UnitTree,
    box_unit: &str,
) -> Result<Vec<TargetChoice>, DbError> {
    let mut units: Vec<Unit> = Vec::new();
    for unit in tree.lineage(box_unit) {
        units.push(unit.clone());
        if tree.group_of(&unit.id).is_some() {
            break;
        }
    }
    units.extend(Unit::children(conn, box_unit)?);
    let ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
    let people = Person::in_units(conn, &ids, false)?;
    let mut out: Vec<TargetChoice> = people
        .into_iter()
        .map(|(p, unit_name)| TargetChoice {
            value: format!("person:{}", p.id),
            label: person_label(&p.name, &unit_name, &p.post),
        })
        .collect();
    out.extend(units.iter().map(|u| TargetChoice {
        value: format!("unit:{}", u.id),
        label: u.name.clone(),
    }));
    Ok(out)
}

/// `王建国(张家村 村党支部书记)`.
pub fn person_label(name: &str, unit: &str, post: &str) -> String {
    if post.is_empty() {
        format!("{name}({unit})")
    } else {
        format!("{name}({unit} {post})")
    }
}

/// The ids behind a choice, if it is one of `offered`; `None` when it is not.
pub fn resolve(value: &str, offered: &[TargetChoice]) -> Option<Resolved> {
    if !offered.iter().any(|c| c.value == value.trim()) {
        return None;
    }
    Some(match about(value)? {
        About::Person(id) => Resolved {
            person_id: Some(PersonId::new(id)),
            unit_id: None,
        },
        About::Unit(id) => Resolved {
            person_id: None,
            unit_id: Some(id.to_string()),
        },
    })
}

/// The groups from the unit `start` upward, nearest first, as routing needs them.
fn chain_from(tree: &UnitTree, start: &str) -> Vec<GroupStep> {
    tree.groups_upward(start).into_iter().map(step_of).collect()
}

fn step_of(group: &LeadingGroup) -> GroupStep {
    GroupStep {
        group_id: group.id.to_string(),
        head_person_id: group.head_person_id.clone().map(String::from),
    }
}

/// Routes a new opinion from a box in `box_unit` (whose lineage `tree` holds): a category rule
/// nearest the box, else the nearest leading group; then 越级反映 and the head check.
pub fn route_new(
    conn: &mut DbConnection,
    tree: &mut UnitTree,
    box_unit: &str,
    category: Category,
    escalate: bool,
    person: Option<&str>,
) -> Result<Option<Routed>, DbError> {
    let lineage: Vec<UnitId> = tree
        .lineage(box_unit)
        .iter()
        .map(|u| u.id.clone())
        .collect();
    let ids: Vec<&str> = lineage.iter().map(|id| id.as_str()).collect();
    let start = match RoutingRule::nearest(conn, &ids, category)? {
        Some(rule) => {
            let group = LeadingGroup::find(conn, &rule.leading_group_id)?;
            tree.add_lineage(conn, &group.unit_id)?;
            group.unit_id
        }
        None => box_unit.to_string().into(),
    };
    Ok(route(&chain_from(tree, &start), escalate, person))
}

/// Where an opinion handled by `group` goes once tagged as about `person`: up while the person
/// heads the group it reaches; `escalation` is what it had before.
pub fn route_tagged(
    conn: &mut DbConnection,
    group: &LeadingGroup,
    person: Option<&str>,
    escalation: Option<Escalation>,
) -> Result<Routed, DbError> {
    let tree = UnitTree::load_lineage(conn, &group.unit_id)?;
    let chain = chain_from(&tree, &group.unit_id);
    Ok(match route(&chain, false, person) {
        Some(routed) if routed.group_id != group.id => routed,
        _ => Routed {
            group_id: group.id.to_string(),
            escalation,
        },
    })
}

/// The labels of the targets of these opinions, keyed `person:ID` / `unit:ID`.
pub fn labels(
    conn: &mut DbConnection,
    rows: &[QueuedOpinion],
) -> Result<HashMap<String, String>, DbError> {
    let pairs: Vec<TargetPair> = rows
        .iter()
        .map(|r| {
            (
                r.opinion.target_person_id.clone(),
                r.opinion.target_unit_id.clone(),
            )
        })
        .collect();
    labels_of(conn, &pairs)
}

/// The labels of these (person, unit) targets, keyed `person:ID` / `unit:ID`.
pub fn labels_of(
    conn: &mut DbConnection,
    pairs: &[TargetPair],
) -> Result<HashMap<String, String>, DbError> {
    let persons: Vec<&str> = pairs.iter().filter_map(|p| p.0.as_deref()).collect();
    let units: Vec<&str> = pairs.iter().filter_map(|p| p.1.as_deref()).collect();
    let mut out = HashMap::new();
    if !persons.is_empty() {
        for (p, unit) in Person::with_units(conn, &persons)? {
            out.insert(
                format!("person:{}", p.id),
                person_label(&p.name, &unit, &p.post),
            );
        }
    }
    if !units.is_empty() {
        for (id, name) in Unit::names(conn, &units)? {
            out.insert(format!("unit:{id}"), name);
        }
    }
    Ok(out)
}

/// The targets of a reviewer's opinions (from [`Opinion::scope_summary`]), to filter the queue
/// by, sorted by label.
pub fn filter_choices(
    conn: &mut DbConnection,
    pairs: &[TargetPair],
) -> Result<Vec<TargetChoice>, DbError> {
    let labels = labels_of(conn, pairs)?;
    let mut out: Vec<TargetChoice> = labels
        .into_iter()
        .map(|(value, label)| TargetChoice { value, label })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}

/// The `person:ID` / `unit:ID` value of an opinion's target, if it has one.
pub fn value_of(opinion: &Opinion) -> Option<String> {
    match (&opinion.target_person_id, &opinion.target_unit_id) {
        (Some(p), _) => Some(format!("person:{p}")),
        (None, Some(u)) => Some(format!("unit:{u}")),
        (None, None) => None,
    }
}

/// Tags whom an opinion is about. A tag only adds a subject: the people its text names, the
/// villager's choice and earlier tags stay, so tagging it as about someone else never brings it
/// back to anyone it is hidden from. When it is about the head of the handling group, it moves
/// up to the next level's group; when it is about a member, it leaves their view. Either way
/// the reviewer may lose sight of it, which is the point. Returns whether the reviewer still
/// sees it.
pub async fn set_target(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    value: &str,
) -> Result<bool, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let (id, value) = (OpinionId::from(id), value.to_string());
    let log_id = id.clone();
    let still_visible = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let row = Opinion::find_for_group(conn, &id, &scope)?;
                let tree = UnitTree::load_lineage(conn, &row.unit_id)?;
                let offered = choices(conn, &tree, &row.unit_id)?;
                let resolved =
                    resolve(&value, &offered).ok_or(DbError::Refused(problem::TARGET_INVALID))?;
                let group = LeadingGroup::find(conn, &scope.group_id)?;
                let before = row.opinion.escalation;
                let routed = route_tagged(conn, &group, resolved.person_id.as_deref(), before)?;
                let moves = routed.group_id != scope.group_id;
                if let (true, Some(issue)) = (moves, &row.opinion.issue_id) {
                    // Another group handles it now: it leaves this group's issue.
                    Issue::detach(conn, issue, &id)?;
                }
                let still_visible = !moves
                    && (resolved.person_id.is_none() || resolved.person_id != scope.person_id);
                let target = Target {
                    person_id: resolved.person_id,
                    unit_id: resolved.unit_id.map(Into::into),
                    group_id: routed.group_id.into(),
                    escalation: routed.escalation,
                };
                Opinion::set_target(conn, &row.opinion.id, &scope.group_id, &target)?;
                Ok(still_visible)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::SetTarget,
        Some(&log_id),
    )
    .await?;
    Ok(still_visible)
}
