//! What an admin can do within their area (the unit of their leading group and everything
//! below it): units and their categories, leading groups and heads, people, accounts, routing
//! rules, boxes, and bulk imports.

use std::collections::{HashMap, HashSet};

use frontend::i18n::Lang;
use frontend::model::{Category, StaffBox};
use frontend::org::{
    AccountUpdate, AccountView, AccountWithPassword, GroupUpdate, GroupView, ImportReport,
    LeaderRank, NewAccount, NewBox, NewPerson, NewUnit, PersonView, RoutingRuleUpdate,
    RoutingRuleView, UnitCategory, UnitKind, UnitUpdate, UnitView,
};

use super::group_accounts::confirm_if_first;
use super::staff::{Reviewer, staff_box};
use super::{audit, db_problem, hash_problem};
use crate::db::boxes::OpinionBox;
use crate::db::people::Person;
use crate::db::routing::RoutingRule;
use crate::db::staff::{ListedStaff, Staff};
use crate::db::subjects;
use crate::db::units::{LeadingGroup, Unit, UnitTree};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::codes::{new_box_code, new_password};
use crate::domain::day::today;
use crate::domain::import::{self, Area, KnownUnit};
use crate::domain::org;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::{Permission, Role};
use crate::state::AppState;

/// Which kind of rows an import file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// Units (上级, 名称, 层级, 类别, 领导小组).
    Units,
    /// People (单位, 姓名, 职务).
    People,
}

impl ImportKind {
    /// `units` or `people`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Units => "units",
            ImportKind::People => "people",
        }
    }

    /// Parses `units` or `people`.
    pub fn parse(name: &str) -> Option<ImportKind> {
        match name {
            "units" => Some(ImportKind::Units),
            "people" => Some(ImportKind::People),
            _ => None,
        }
    }
}

/// The admin's area: the whole tree, the unit at its top, and the ids of its units (depth-first)
/// and of their leading groups, worked out once per request.
struct AdminArea {
    tree: UnitTree,
    root: String,
    unit_ids: Vec<String>,
    group_ids: Vec<String>,
}

impl AdminArea {
    fn load(conn: &mut DbConnection, group_id: &str) -> Result<AdminArea, DbError> {
        let root = LeadingGroup::find(conn, group_id)?.unit_id;
        let tree = UnitTree::load(conn)?;
        let unit_ids: Vec<String> = tree
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
        self.unit_ids.iter().map(String::as_str).collect()
    }

    fn group_refs(&self) -> Vec<&str> {
        self.group_ids.iter().map(String::as_str).collect()
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

/// The area's units, depth-first, each with its leading group.
pub async fn units(state: &AppState, reviewer: &Reviewer) -> Result<Vec<UnitView>, Problem> {
    in_area(state, reviewer, list_units).await
}

fn list_units(conn: &mut DbConnection, area: &AdminArea) -> Result<Vec<UnitView>, DbError> {
    let head_ids: Vec<&str> = area
        .unit_ids
        .iter()
        .filter_map(|id| area.tree.group_of(id))
        .filter_map(|g| g.head_person_id.as_deref())
        .collect();
    let names: HashMap<String, String> = Person::with_units(conn, &head_ids)?
        .into_iter()
        .map(|(p, _)| (p.id, p.name))
        .collect();
    Ok(area
        .tree
        .subtree(&area.root)
        .into_iter()
        .map(|(unit, depth)| unit_view(unit, depth, area, &names))
        .collect())
}

fn unit_view(
    unit: &Unit,
    depth: u32,
    area: &AdminArea,
    head_names: &HashMap<String, String>,
) -> UnitView {
    UnitView {
        id: unit.id.clone(),
        parent_id: unit.parent_id.clone().filter(|_| depth > 0),
        name: unit.name.clone(),
        kind: UnitKind::parse(&unit.kind).unwrap_or(UnitKind::Village),
        category: unit.category.as_deref().and_then(UnitCategory::parse),
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
    }
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
        let parent_kind = UnitKind::parse(&parent.kind).unwrap_or(UnitKind::Branch);
        let kind = org::child_kind(parent_kind, &new.kind).map_err(DbError::Refused)?;
        if Unit::child_named(conn, &parent.id, &name)?.is_some() {
            return Err(DbError::Refused(problem::UNIT_EXISTS));
        }
        let unit = Unit {
            id: new_id(),
            parent_id: Some(parent.id.clone()),
            name,
            kind: kind.as_str().to_string(),
            category: category.map(|c| c.as_str().to_string()),
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
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let name = given(update.name).map(|n| org::unit_name(&n)).transpose()?;
    let parent = given(update.parent_id);
    let unit_id = unit_id.to_string();
    let changed = in_area(state, reviewer, move |conn, area| {
        let Some(unit) = area.tree.unit(&unit_id).filter(|_| area.contains(&unit_id)) else {
            return Err(DbError::Refused(problem::UNIT_NOT_FOUND));
        };
        let kind = UnitKind::parse(&unit.kind).unwrap_or(UnitKind::Branch);
        let parent_id = match parent {
            Some(p) if Some(&p) != unit.parent_id.as_ref() => {
                let Some(new_parent) = area.tree.unit(&p).filter(|_| area.contains(&p)) else {
                    return Err(DbError::Refused(problem::PARENT_NOT_FOUND));
                };
                if unit.id == area.root || area.tree.is_within(&new_parent.id, &unit.id) {
                    return Err(DbError::Refused(problem::UNIT_MOVE_INVALID));
                }
                let parent_kind = UnitKind::parse(&new_parent.kind).unwrap_or(UnitKind::Branch);
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
            let ids: Vec<&str> = people.iter().map(String::as_str).collect();
            subjects::derive_for_people(conn, &ids)?;
        }
        Ok(UnitView {
            id: unit.id.clone(),
            parent_id,
            name,
            kind,
            category: unit.category.as_deref().and_then(UnitCategory::parse),
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
    let unit_id = unit_id.to_string();
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
        let group = LeadingGroup::save_for_unit(conn, &unit_id, &name, head.as_deref(), new_id())?;
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

/// Everyone in the area, active or not, by unit then name.
pub async fn people(state: &AppState, reviewer: &Reviewer) -> Result<Vec<PersonView>, Problem> {
    in_area(state, reviewer, list_people).await
}

fn list_people(conn: &mut DbConnection, area: &AdminArea) -> Result<Vec<PersonView>, DbError> {
    Ok(Person::in_units(conn, &area.unit_refs(), true)?
        .into_iter()
        .map(|(p, unit_name)| person_view(p, unit_name))
        .collect())
}

fn person_view(p: Person, unit_name: String) -> PersonView {
    PersonView {
        id: p.id,
        unit_id: p.unit_id,
        unit_name,
        name: p.name,
        post: p.post,
        active: p.active,
        leader_rank: p.leader_rank.as_deref().and_then(LeaderRank::parse),
    }
}

/// Adds a person to a unit of the area.
pub async fn add_person(
    state: &AppState,
    reviewer: &Reviewer,
    new: NewPerson,
) -> Result<PersonView, Problem> {
    let name = org::person_name(&new.name)?;
    let post = org::post(&new.post)?;
    let rank = new.leader_rank;
    let added = in_area(state, reviewer, move |conn, area| {
        let Some(unit) = area
            .tree
            .unit(&new.unit_id)
            .filter(|_| area.contains(&new.unit_id))
        else {
            return Err(DbError::Refused(problem::UNIT_NOT_FOUND));
        };
        if Person::exists(conn, &unit.id, &name, &post)? {
            return Err(DbError::Refused(problem::PERSON_EXISTS));
        }
        let person = Person {
            id: new_id(),
            unit_id: unit.id.clone(),
            name,
            post,
            active: true,
            leader_rank: rank.map(|r| r.as_str().to_string()),
        };
        Person::insert(conn, &person)?;
        // Opinions already naming them are now about them too.
        subjects::derive_for_people(conn, &[person.id.as_str()])?;
        Ok(person_view(person, unit.name.clone()))
    })
    .await?;
    log(state, reviewer, AuditAction::CreatePerson, &added.id).await?;
    Ok(added)
}

/// Withdraws a person from villagers' lists, or offers them again.
pub async fn set_person_active(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    active: bool,
) -> Result<(), Problem> {
    let person_id = id.to_string();
    let log_id = person_id.clone();
    in_area(state, reviewer, move |conn, area| {
        let person = Person::find(conn, &person_id)?;
        if !area.contains(&person.unit_id) {
            return Err(DbError::Refused(problem::NOT_FOUND));
        }
        Person::set_active(conn, &person_id, active)
    })
    .await?;
    log(state, reviewer, AuditAction::ChangePerson, &log_id).await
}

/// Sets or clears a person's leader rank for 附件1.
pub async fn set_person_rank(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    rank: Option<LeaderRank>,
) -> Result<(), Problem> {
    let person_id = id.to_string();
    let log_id = person_id.clone();
    in_area(state, reviewer, move |conn, area| {
        let person = Person::find(conn, &person_id)?;
        if !area.contains(&person.unit_id) {
            return Err(DbError::Refused(problem::NOT_FOUND));
        }
        Person::set_rank(conn, &person_id, rank.map(LeaderRank::as_str))
    })
    .await?;
    log(state, reviewer, AuditAction::ChangePerson, &log_id).await
}

/// The accounts of the area's leading groups.
pub async fn accounts(state: &AppState, reviewer: &Reviewer) -> Result<Vec<AccountView>, Problem> {
    in_area(state, reviewer, list_accounts).await
}

fn list_accounts(conn: &mut DbConnection, area: &AdminArea) -> Result<Vec<AccountView>, DbError> {
    Ok(Staff::in_groups(conn, &area.group_refs())?
        .into_iter()
        .map(account_view)
        .collect())
}

fn account_view((s, group_name, person_name): ListedStaff) -> AccountView {
    AccountView {
        id: s.id,
        username: s.username,
        display_name: s.display_name,
        role: s.role,
        group_id: s.leading_group_id,
        group_name,
        person_id: s.person_id,
        person_name,
        active: s.active,
    }
}

/// A person of the area, or `PERSON_NOT_FOUND`.
fn person_in_area(conn: &mut DbConnection, area: &AdminArea, id: &str) -> Result<Person, DbError> {
    match Person::find(conn, id) {
        Ok(p) if area.contains(&p.unit_id) => Ok(p),
        Ok(_) | Err(DbError::NotFound) => Err(DbError::Refused(problem::PERSON_NOT_FOUND)),
        Err(e) => Err(e),
    }
}

/// One account of the area as listed; `NotFound` for accounts of other areas.
fn listed(conn: &mut DbConnection, area: &AdminArea, id: &str) -> Result<AccountView, DbError> {
    let account = account_view(Staff::listed(conn, id)?);
    if account
        .group_id
        .as_deref()
        .is_some_and(|g| area.has_group(g))
    {
        Ok(account)
    } else {
        Err(DbError::NotFound)
    }
}

/// Creates an account for a group of the area, with a drawn password shown once.
pub async fn add_account(
    state: &AppState,
    reviewer: &Reviewer,
    new: NewAccount,
) -> Result<AccountWithPassword, Problem> {
    let username = org::username(&new.username)?;
    let display_name = org::display_name(&new.display_name)?;
    let role = org::role(&new.role)?;
    reviewer.require(Permission::ManageOrganisation)?;
    let linked = new
        .person_id
        .as_deref()
        .is_some_and(|p| !p.trim().is_empty());
    if role == Role::Member && !linked {
        // Whoever reads opinions must be someone of the directory, so recusal can find them.
        return Err(problem::PERSON_REQUIRED);
    }
    let password = new_password();
    let hash = state
        .hasher
        .hash_password(&password)
        .await
        .map_err(hash_problem)?;
    let linker = reviewer.staff.id.clone();
    let (account, first) = in_area(state, reviewer, move |conn, area| {
        let Some(group_id) = new.group_id.filter(|g| area.has_group(g)) else {
            return Err(DbError::Refused(problem::GROUP_REQUIRED));
        };
        let person_id = match new
            .person_id
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(id) => Some(person_in_area(conn, area, id)?.id),
            None => None,
        };
        if Staff::by_username(conn, &username)?.is_some() {
            return Err(DbError::Refused(problem::USERNAME_TAKEN));
        }
        let staff = Staff {
            id: new_id(),
            username,
            display_name,
            password_hash: hash,
            leading_group_id: Some(group_id.clone()),
            active: true,
            role: role.as_str().to_string(),
            person_id,
        };
        Staff::insert(conn, &staff)?;
        if let Some(person) = &staff.person_id {
            Staff::link(conn, &staff.id, Some(person), &linker, &today())?;
        }
        let first = role == Role::Member && confirm_if_first(conn, &staff.id, &group_id)?;
        Ok((listed(conn, area, &staff.id)?, first))
    })
    .await?;
    log(state, reviewer, AuditAction::CreateAccount, &account.id).await?;
    if account.person_id.is_some() {
        log(state, reviewer, AuditAction::LinkAccount, &account.id).await?;
    }
    if first {
        log(state, reviewer, AuditAction::ConfirmAccount, &account.id).await?;
    }
    Ok(AccountWithPassword {
        account,
        password: Some(password),
    })
}

/// Changes an account of the area: role, enabled, person, password. An admin cannot change
/// their own role or disable themselves, so an area never loses its last admin by accident.
pub async fn update_account(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    update: AccountUpdate,
) -> Result<AccountWithPassword, Problem> {
    let role = update.role.as_deref().map(org::role).transpose()?;
    let myself = id == reviewer.staff.id;
    if myself && (role.is_some_and(|r| r != Role::Admin) || update.active == Some(false)) {
        return Err(problem::SELF_CHANGE);
    }
    if myself && update.person_id.is_some() {
        reviewer.require(Permission::ManageOrganisation)?;
        // Nobody chooses whom they are: that would choose what they may read.
        return Err(problem::PERSON_REQUIRED);
    }
    let fresh = if update.reset_password {
        let password = new_password();
        let hash = state
            .hasher
            .hash_password(&password)
            .await
            .map_err(hash_problem)?;
        Some((password, hash))
    } else {
        None
    };
    let hash = fresh.as_ref().map(|(_, h)| h.clone());
    let account_id = id.to_string();
    let person = update.person_id.clone();
    let active = update.active;
    let linker = reviewer.staff.id.clone();
    let (account, role_changed, relinked, first) = in_area(state, reviewer, move |conn, area| {
        let current = listed(conn, area, &account_id)?;
        let role_changed = role.is_some_and(|r| r.as_str() != current.role);
        let person = person.as_deref().map(str::trim);
        let linked_after = match person {
            Some("") => false,
            Some(_) => true,
            None => current.person_id.is_some(),
        };
        let role_after = role.map_or(current.role.clone(), |r| r.as_str().to_string());
        if role_after == Role::Member.as_str() && !linked_after {
            return Err(DbError::Refused(problem::PERSON_REQUIRED));
        }
        if let Some(role) = role.filter(|_| role_changed) {
            Staff::set_role(conn, &account_id, role.as_str())?;
        }
        if let Some(active) = active {
            Staff::set_active(conn, &account_id, active)?;
        }
        let relinked = match person {
            Some("") if current.person_id.is_some() => {
                Staff::link(conn, &account_id, None, &linker, &today())?;
                Some(AuditAction::UnlinkAccount)
            }
            Some(id) if !id.is_empty() => {
                let p = person_in_area(conn, area, id)?;
                if current.person_id.as_deref() == Some(p.id.as_str()) {
                    None
                } else {
                    Staff::link(conn, &account_id, Some(&p.id), &linker, &today())?;
                    Some(AuditAction::LinkAccount)
                }
            }
            _ => None,
        };
        if let Some(hash) = &hash {
            Staff::reset_password(conn, &account_id, hash)?;
        }
        let account = listed(conn, area, &account_id)?;
        // A group that never had a confirmed member has nobody to vouch: its first is made so.
        let first = role_after == Role::Member.as_str()
            && linked_after
            && !Staff::is_confirmed(conn, &account_id)?
            && match &account.group_id {
                Some(group) => confirm_if_first(conn, &account_id, group)?,
                None => false,
            };
        Ok((account, role_changed, relinked, first))
    })
    .await?;
    if role_changed {
        log(state, reviewer, AuditAction::ChangeRole, &account.id).await?;
    }
    if let Some(action) = relinked {
        log(state, reviewer, action, &account.id).await?;
    }
    if active.is_some() || update.person_id.is_some() || fresh.is_some() {
        log(state, reviewer, AuditAction::ChangeAccount, &account.id).await?;
    }
    if first {
        log(state, reviewer, AuditAction::ConfirmAccount, &account.id).await?;
    }
    Ok(AccountWithPassword {
        account,
        password: fresh.map(|(p, _)| p),
    })
}

/// The routing rules of the area's units.
pub async fn routing(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<Vec<RoutingRuleView>, Problem> {
    in_area(state, reviewer, list_routing).await
}

fn list_routing(
    conn: &mut DbConnection,
    area: &AdminArea,
) -> Result<Vec<RoutingRuleView>, DbError> {
    Ok(RoutingRule::in_units(conn, &area.unit_refs())?
        .into_iter()
        .filter_map(|(rule, unit_name, group_name)| {
            Some(RoutingRuleView {
                category: Category::parse(&rule.category)?,
                unit_id: rule.unit_id,
                unit_name,
                group_id: rule.leading_group_id,
                group_name,
            })
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
            return RoutingRule::delete(conn, &update.unit_id, category.as_str());
        }
        if !area.has_group(group_id) {
            return Err(DbError::Refused(problem::GROUP_REQUIRED));
        }
        RoutingRule::save(
            conn,
            &RoutingRule {
                unit_id: update.unit_id,
                category: category.as_str().to_string(),
                leading_group_id: group_id.to_string(),
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
            id: new_id(),
            code: new_box_code(),
            unit_id: new.unit_id,
            name,
        };
        OpinionBox::insert(conn, &created)?;
        Ok(staff_box(&area.tree, &created, &public_url))
    })
    .await?;
    log(state, reviewer, AuditAction::CreateBox, &added.id).await?;
    Ok(added)
}

/// Imports units or people from a CSV file: all rows or none.
pub async fn import(
    state: &AppState,
    reviewer: &Reviewer,
    kind: ImportKind,
    bytes: &[u8],
    lang: Lang,
) -> Result<ImportReport, Problem> {
    reviewer.group_for(Permission::ManageOrganisation)?;
    let text = match import::decode(bytes) {
        Ok(text) => text,
        // Told like a missing column: the report lists what is wrong with the file.
        Err(p) if p == problem::IMPORT_NOT_CSV => {
            return Ok(ImportReport {
                imported: 0,
                errors: vec![import::file_error(&p, lang)],
            });
        }
        Err(p) => return Err(p),
    };
    let report = in_area(state, reviewer, move |conn, area| {
        let known: Vec<KnownUnit> = area
            .tree
            .subtree(&area.root)
            .into_iter()
            .map(|(u, _)| KnownUnit {
                id: u.id.clone(),
                parent_id: u.parent_id.clone(),
                name: u.name.clone(),
                kind: UnitKind::parse(&u.kind).unwrap_or(UnitKind::Branch),
            })
            .collect();
        let Some(mut index) = Area::new(known) else {
            return Err(DbError::Refused(problem::NOT_FOUND));
        };
        let stored = match kind {
            ImportKind::Units => import::plan_units(&text, &mut index, new_id, lang)
                .map(|plan| store_units(conn, &plan)),
            ImportKind::People => {
                let existing: HashSet<(String, String, String)> =
                    Person::in_units(conn, &area.unit_refs(), true)?
                        .into_iter()
                        .map(|(p, _)| (p.unit_id, p.name, p.post))
                        .collect();
                import::plan_people(&text, &index, &existing, lang)
                    .map(|plan| store_people(conn, &plan))
            }
        };
        match stored {
            Ok(count) => Ok(ImportReport {
                imported: count?,
                errors: Vec::new(),
            }),
            Err(errors) => Ok(ImportReport {
                imported: 0,
                errors,
            }),
        }
    })
    .await?;
    // The trail names what kind of rows were imported; the rows are in the tables.
    if report.errors.is_empty() {
        log(state, reviewer, AuditAction::Import, kind.as_str()).await?;
    }
    Ok(report)
}

fn store_units(conn: &mut DbConnection, plan: &[import::PlannedUnit]) -> Result<u32, DbError> {
    for unit in plan {
        Unit::insert(
            conn,
            &Unit {
                id: unit.id.clone(),
                parent_id: Some(unit.parent_id.clone()),
                name: unit.name.clone(),
                kind: unit.kind.as_str().to_string(),
                category: unit.category.map(|c| c.as_str().to_string()),
            },
        )?;
        if let Some(group) = &unit.group {
            LeadingGroup::save_for_unit(conn, &unit.id, group, None, new_id())?;
        }
    }
    Ok(u32::try_from(plan.len()).unwrap_or(u32::MAX))
}

fn store_people(conn: &mut DbConnection, plan: &[import::PlannedPerson]) -> Result<u32, DbError> {
    let mut added = Vec::with_capacity(plan.len());
    for person in plan {
        let id = new_id();
        added.push(id.clone());
        Person::insert(
            conn,
            &Person {
                id,
                unit_id: person.unit_id.clone(),
                name: person.name.clone(),
                post: person.post.clone(),
                active: true,
                leader_rank: person.leader_rank.map(|r| r.as_str().to_string()),
            },
        )?;
    }
    let ids: Vec<&str> = added.iter().map(String::as_str).collect();
    subjects::derive_for_people(conn, &ids)?;
    Ok(u32::try_from(plan.len()).unwrap_or(u32::MAX))
}
