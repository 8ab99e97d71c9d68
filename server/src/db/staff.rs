//! Staff accounts and their revocable sessions.

use diesel::prelude::*;
use vocabulary::model::{AccountId, Day, GroupId, PersonId};

use super::schema::{leading_groups, people, staff, staff_sessions};
use super::{DbConnection, DbError};
use crate::domain::roles::Role;

/// A staff account (a leading-group reviewer).
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff)]
pub struct Staff {
    /// Random id.
    pub id: AccountId,
    /// Sign-in name.
    pub username: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// The leading group whose queue this account handles.
    pub leading_group_id: Option<GroupId>,
    /// Disabled accounts cannot sign in and lose their sessions.
    pub active: bool,
    /// What the account may do.
    pub role: Role,
    /// The person the account belongs to: opinions about them are never shown to it.
    pub person_id: Option<PersonId>,
}

/// An account with its person's name, who linked it (an account id) and on which day, and who
/// confirmed it (an account id) and on which day.
type LinkRow = (
    Staff,
    Option<String>,
    Option<String>,
    Option<Day>,
    Option<String>,
    Option<Day>,
);

/// One account of a group as the group sees it: whose it is and who linked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupLink {
    /// The account's id.
    pub id: AccountId,
    /// The person it is linked to, if any.
    pub person_id: Option<PersonId>,
    /// Whether it may sign in.
    pub active: bool,
    /// Sign-in name.
    pub username: String,
    /// Name shown on pages.
    pub display_name: String,
    /// What the account may do.
    pub role: Role,
    /// The name of the person the account is linked to, if any.
    pub person_name: Option<String>,
    /// The user name of whoever linked it last, if anyone did through the system.
    pub linked_by: Option<String>,
    /// The day they did.
    pub linked_on: Option<Day>,
    /// The user name of the member who confirmed the link, if one did; `None` with a day for
    /// a group's first member or an account confirmed before the check existed.
    pub confirmed_by: Option<String>,
    /// The day the link was confirmed; `None` while it waits for a second member.
    pub confirmed_on: Option<Day>,
}

/// An account with the names of its group and person, for the admin pages.
pub type ListedStaff = (Staff, Option<String>, Option<String>);

/// A signed-in session; deleting the row revokes the JWT that names it.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff_sessions)]
pub struct StaffSession {
    /// Random id, carried in the JWT as `sid`.
    pub id: String,
    /// The account.
    pub staff_id: AccountId,
    /// Unix seconds after which the session is void.
    pub expires_at: i64,
}

impl Staff {
    /// Stores a new account.
    pub fn insert(conn: &mut DbConnection, account: &Staff) -> Result<(), DbError> {
        diesel::insert_into(staff::table)
            .values(account)
            .execute(conn)?;
        Ok(())
    }

    /// The account with this id.
    pub fn find(conn: &mut DbConnection, id: &AccountId) -> Result<Staff, DbError> {
        Ok(staff::table
            .find(id)
            .select(Staff::as_select())
            .first(conn)?)
    }

    /// The accounts of these groups, with group and person names, by sign-in name.
    pub fn in_groups(
        conn: &mut DbConnection,
        group_ids: &[&str],
    ) -> Result<Vec<ListedStaff>, DbError> {
        Ok(staff::table
            .left_join(leading_groups::table)
            .left_join(people::table)
            .filter(staff::leading_group_id.eq_any(group_ids))
            .select((
                Staff::as_select(),
                leading_groups::name.nullable(),
                people::name.nullable(),
            ))
            .order(staff::username.asc())
            .load(conn)?)
    }

    /// One account with its group and person names.
    pub fn listed(conn: &mut DbConnection, id: &str) -> Result<ListedStaff, DbError> {
        Ok(staff::table
            .left_join(leading_groups::table)
            .left_join(people::table)
            .filter(staff::id.eq(id))
            .select((
                Staff::as_select(),
                leading_groups::name.nullable(),
                people::name.nullable(),
            ))
            .first(conn)?)
    }

    /// Changes an account's role and ends its sessions, so the new role applies at once; an
    /// account that becomes a member waits for a second member's confirmation.
    pub fn set_role(conn: &mut DbConnection, id: &str, role: Role) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            diesel::update(staff::table.find(id))
                .set((
                    staff::role.eq(role),
                    staff::confirmed_by.eq(None::<String>),
                    staff::confirmed_on.eq(None::<String>),
                ))
                .execute(conn)?;
            diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(id)))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Links an account to a person (or unlinks it), recording who did it on which day; the
    /// conflicts the account declared while linked elsewhere or unlinked pass to the person,
    /// so linking never brings an opinion back into anyone's view. The link then waits for
    /// a second member's confirmation before the account reads opinions again.
    pub fn link(
        conn: &mut DbConnection,
        id: &AccountId,
        person_id: Option<&PersonId>,
        by: &AccountId,
        day: &str,
    ) -> Result<(), DbError> {
        diesel::update(staff::table.find(id))
            .set((
                staff::person_id.eq(person_id),
                staff::linked_by.eq(by),
                staff::linked_on.eq(day),
                staff::confirmed_by.eq(None::<String>),
                staff::confirmed_on.eq(None::<String>),
            ))
            .execute(conn)?;
        if let Some(person) = person_id {
            for opinion in super::opinions::Opinion::recused_by(conn, id)? {
                super::subjects::add(
                    conn,
                    &opinion,
                    person,
                    crate::domain::subjects::SubjectSource::Declared,
                )?;
            }
        }
        Ok(())
    }

    /// The accounts of a group with their person's name and who linked them when: what the
    /// group sees of who is who.
    pub fn links_of_group(
        conn: &mut DbConnection,
        group_id: &str,
    ) -> Result<Vec<GroupLink>, DbError> {
        let rows: Vec<LinkRow> = staff::table
            .left_join(people::table)
            .filter(staff::leading_group_id.eq(group_id))
            .select((
                Staff::as_select(),
                people::name.nullable(),
                staff::linked_by,
                staff::linked_on,
                staff::confirmed_by,
                staff::confirmed_on,
            ))
            .order(staff::username.asc())
            .load(conn)?;
        let mut out = Vec::with_capacity(rows.len());
        for (account, person_name, linked_by, linked_on, confirmed_by, confirmed_on) in rows {
            out.push(GroupLink {
                id: account.id,
                person_id: account.person_id,
                active: account.active,
                linked_by: username_of(conn, linked_by)?,
                linked_on,
                confirmed_by: username_of(conn, confirmed_by)?,
                confirmed_on,
                username: account.username,
                display_name: account.display_name,
                role: account.role,
                person_name,
            });
        }
        Ok(out)
    }

    /// Whether the account's link to its person has been confirmed (by a second member, as
    /// its group's first member, or before the check existed).
    pub fn is_confirmed(conn: &mut DbConnection, id: &str) -> Result<bool, DbError> {
        let day: Option<String> = staff::table
            .find(id)
            .select(staff::confirmed_on)
            .first(conn)?;
        Ok(day.is_some())
    }

    /// Records that `by` (or nobody, for a group's first member) confirmed the account's link
    /// on `day`, and that its group has had a confirmed member since then.
    pub fn confirm(
        conn: &mut DbConnection,
        id: &str,
        by: Option<&str>,
        day: &str,
    ) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            let group: Option<String> = staff::table
                .find(id)
                .select(staff::leading_group_id)
                .first(conn)?;
            diesel::update(staff::table.find(id))
                .set((staff::confirmed_by.eq(by), staff::confirmed_on.eq(day)))
                .execute(conn)?;
            if let Some(group) = group {
                diesel::update(
                    leading_groups::table
                        .find(group)
                        .filter(leading_groups::confirmed_since.is_null()),
                )
                .set(leading_groups::confirmed_since.eq(day))
                .execute(conn)?;
            }
            Ok(())
        })
    }

    /// Whether the group has ever had a confirmed member: once it has, every new member needs
    /// a second member's confirmation.
    pub fn group_ever_confirmed(conn: &mut DbConnection, group_id: &str) -> Result<bool, DbError> {
        let since: Option<String> = leading_groups::table
            .find(group_id)
            .select(leading_groups::confirmed_since)
            .first(conn)?;
        Ok(since.is_some())
    }

    /// The account with this sign-in name.
    pub fn by_username(conn: &mut DbConnection, username: &str) -> Result<Option<Staff>, DbError> {
        Ok(staff::table
            .filter(staff::username.eq(username))
            .select(Staff::as_select())
            .first(conn)
            .optional()?)
    }

    /// Replaces the password hash with one an admin drew, ends every session, and makes the
    /// account wait for a second member's confirmation: whoever reset it knows the password.
    pub fn reset_password(
        conn: &mut DbConnection,
        id: &str,
        password_hash: &str,
    ) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            Staff::set_password(conn, id, password_hash)?;
            diesel::update(staff::table.find(id))
                .set((
                    staff::confirmed_by.eq(None::<String>),
                    staff::confirmed_on.eq(None::<String>),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Replaces the password hash and ends every session of the account.
    pub fn set_password(
        conn: &mut DbConnection,
        id: &str,
        password_hash: &str,
    ) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            diesel::update(staff::table.find(id))
                .set(staff::password_hash.eq(password_hash))
                .execute(conn)?;
            diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(id)))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Enables or disables the account; disabling ends every session.
    pub fn set_active(conn: &mut DbConnection, id: &str, active: bool) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            diesel::update(staff::table.find(id))
                .set(staff::active.eq(active))
                .execute(conn)?;
            if !active {
                diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(id)))
                    .execute(conn)?;
            }
            Ok(())
        })
    }
}

impl StaffSession {
    /// Stores a new session and drops the account's expired ones.
    pub fn insert(
        conn: &mut DbConnection,
        session: &StaffSession,
        now: i64,
    ) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            diesel::delete(
                staff_sessions::table.filter(
                    staff_sessions::staff_id
                        .eq(&session.staff_id)
                        .and(staff_sessions::expires_at.le(now)),
                ),
            )
            .execute(conn)?;
            diesel::insert_into(staff_sessions::table)
                .values(session)
                .execute(conn)?;
            Ok(())
        })
    }

    /// The active account behind a live session and whether its link to its person is
    /// confirmed, or `None` when revoked, expired or disabled.
    pub fn active_staff(
        conn: &mut DbConnection,
        session_id: &str,
        staff_id: &AccountId,
        now: i64,
    ) -> Result<Option<(Staff, bool)>, DbError> {
        Ok(staff_sessions::table
            .inner_join(staff::table)
            .filter(
                staff_sessions::id
                    .eq(session_id)
                    .and(staff_sessions::staff_id.eq(staff_id))
                    .and(staff_sessions::expires_at.gt(now))
                    .and(staff::active.eq(true)),
            )
            .select((Staff::as_select(), staff::confirmed_on.is_not_null()))
            .first(conn)
            .optional()?)
    }

    /// Ends one session (sign-out).
    pub fn delete(conn: &mut DbConnection, session_id: &str) -> Result<(), DbError> {
        diesel::delete(staff_sessions::table.find(session_id)).execute(conn)?;
        Ok(())
    }
}

/// The user name of the account `id`, or the id itself when the account is gone.
fn username_of(conn: &mut DbConnection, id: Option<String>) -> Result<Option<String>, DbError> {
    match id {
        Some(id) => match Staff::find(conn, &AccountId::from(id.as_str())) {
            Ok(s) => Ok(Some(s.username)),
            Err(DbError::NotFound) => Ok(Some(id)),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}
