//! The accounts of a leading group as the group sees them, and the second member's
//! confirmation that a member account belongs to its person (four eyes): an admin who creates,
//! re-links or resets an account cannot read opinions through it until the group vouches for it.

use vocabulary::model::{AccountId, GroupAccount, GroupId};

use super::staff::Reviewer;
use super::{audit, db_problem};
use crate::db::staff::{GroupLink, Staff};
use crate::db::{DbConnection, DbError};
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::{Permission, Role};
use crate::state::AppState;

/// The group's accounts, whose each is, who linked it and who confirmed it: every member can
/// check that nobody reads the group's opinions under someone else's name.
pub async fn group_accounts(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<Vec<GroupAccount>, Problem> {
    let group = reviewer.group_for(Permission::ViewStatistics)?;
    let links = state
        .db(move |conn| Staff::links_of_group(conn, &group))
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    Ok(links
        .into_iter()
        .map(|l: GroupLink| GroupAccount {
            confirmable: may_confirm(reviewer, &l).is_ok(),
            id: l.id,
            username: l.username,
            display_name: l.display_name,
            role: l.role.as_str().to_string(),
            person: l.person_name,
            linked_by: l.linked_by,
            linked_on: l.linked_on,
            confirmed_by: l.confirmed_by,
            confirmed_on: l.confirmed_on,
        })
        .collect())
}

/// Whether `reviewer` may confirm the account `link` of their own group: a confirmed member
/// of another person than the account's may confirm an enabled member account that is linked
/// and waiting.
fn may_confirm(reviewer: &Reviewer, link: &GroupLink) -> Result<(), Problem> {
    reviewer.require(Permission::HandleOpinions)?;
    let waiting = link.role == Role::Member
        && link.active
        && link.person_id.is_some()
        && link.confirmed_on.is_none();
    let another = link.id != reviewer.staff.id && link.person_id != reviewer.staff.person_id;
    if waiting && another {
        Ok(())
    } else {
        Err(problem::CONFIRMER_INELIGIBLE)
    }
}

/// Confirms that the account `id` of the reviewer's group belongs to its person, so it reads
/// the group's opinions (less those about its person) from now on; audited and shown to the
/// group with the confirmer's name.
pub async fn confirm(state: &AppState, reviewer: &Reviewer, id: &str) -> Result<(), Problem> {
    let group = reviewer.group_for(Permission::HandleOpinions)?;
    let (id, checker) = (id.to_string(), reviewer.clone());
    let log_id = id.clone();
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let link = link_in_group(conn, &group, &id)?;
                may_confirm(&checker, &link).map_err(DbError::Refused)?;
                Staff::confirm(conn, &link.id, Some(&checker.staff.id), &today())
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ConfirmAccount,
        Some(&log_id),
    )
    .await
}

/// The account `id` as its group sees it, or `NotFound` when it is not of `group`.
fn link_in_group(conn: &mut DbConnection, group: &str, id: &str) -> Result<GroupLink, DbError> {
    Staff::links_of_group(conn, group)?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or(DbError::NotFound)
}

/// Confirms a member account at once when its group has never had a confirmed member (the
/// group's first member, made by an admin); otherwise it waits for a second member. Returns
/// whether it did.
pub fn confirm_if_first(
    conn: &mut DbConnection,
    account_id: &AccountId,
    group_id: &GroupId,
) -> Result<bool, DbError> {
    if Staff::group_ever_confirmed(conn, group_id)? {
        return Ok(false);
    }
    Staff::confirm(conn, account_id, None, &today())?;
    Ok(true)
}
