//! The staff accounts of an admin's area: creating them with a one-time password, changing
//! role, group, person and whether they are active.

use vocabulary::model::{AccountId, PersonId};
use vocabulary::org::{AccountUpdate, AccountView, AccountWithPassword, NewAccount};

use crate::db::staff::{ListedStaff, Staff};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::codes::new_password;
use crate::domain::day::today;
use crate::domain::org;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::{Permission, Role};
use crate::service::group_accounts::confirm_if_first;
use crate::service::hash_problem;
use crate::service::staff::Reviewer;
use crate::state::AppState;

use super::people::person_in_area;
use super::{AdminArea, in_area, log};

/// The accounts of the area's leading groups.
pub async fn accounts(state: &AppState, reviewer: &Reviewer) -> Result<Vec<AccountView>, Problem> {
    in_area(state, reviewer, list_accounts).await
}

pub(super) fn list_accounts(
    conn: &mut DbConnection,
    area: &AdminArea,
) -> Result<Vec<AccountView>, DbError> {
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
        role: s.role.as_str().to_string(),
        group_id: s.leading_group_id,
        group_name,
        person_id: s.person_id,
        person_name,
        active: s.active,
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
            Some(id) => Some(person_in_area(conn, area, &id.into())?.id),
            None => None,
        };
        if Staff::by_username(conn, &username)?.is_some() {
            return Err(DbError::Refused(problem::USERNAME_TAKEN));
        }
        let staff = Staff {
            id: new_id().into(),
            username,
            display_name,
            password_hash: hash,
            leading_group_id: Some(group_id.clone()),
            active: true,
            role,
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
    let account_id = AccountId::new(id);
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
            Staff::set_role(conn, &account_id, role)?;
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
                let p = person_in_area(conn, area, &id.into())?;
                if current.person_id.as_deref() == Some(p.id.as_str()) {
                    None
                } else {
                    Staff::link(
                        conn,
                        &account_id,
                        Some(&PersonId::new(p.id.as_str())),
                        &linker,
                        &today(),
                    )?;
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
