//! `mashangshuo create-admin USERNAME`: the first admin account of a deployment that runs
//! without demo data, with the top unit and its leading group when the database has none.

use serde::Serialize;
use vocabulary::i18n::Lang;
use vocabulary::org::UnitKind;

use super::OpsError;
use crate::db::audit::AuditRow;
use crate::db::staff::Staff;
use crate::db::units::{LeadingGroup, Unit};
use crate::db::{DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::codes::new_password;
use crate::domain::day::unix_now;
use crate::domain::org;
use crate::domain::problem::Problem;
use crate::domain::roles::Role;
use crate::state::AppState;

/// The actor the audit trail names for what the command line did (no account did it).
pub const COMMAND_LINE_ACTOR: &str = "command-line";

/// A staff password's length in characters, as the password page requires.
const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 10..=128;

/// What `create-admin` was asked for.
#[derive(Debug)]
pub struct NewAdmin {
    /// Sign-in name.
    pub username: String,
    /// The top-level unit the admin manages; created when absent. `None`: the only one.
    pub unit: Option<String>,
    /// The level of a top unit created here.
    pub kind: UnitKind,
    /// The name of the leading group created for that unit (default `{unit}领导小组`).
    pub group: Option<String>,
    /// The name shown on pages (default `{unit}系统管理员`).
    pub display_name: Option<String>,
    /// A password read from stdin; `None` draws one.
    pub password: Option<String>,
}

/// What `create-admin` prints.
#[derive(Debug, Serialize)]
pub struct CreatedAdmin {
    /// Sign-in name.
    pub username: String,
    /// The drawn password, shown this once (absent when it came from stdin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The name shown on pages.
    pub display_name: String,
    /// The unit the admin manages, with everything below it.
    pub unit: String,
    /// The leading group the account belongs to.
    pub leading_group: String,
    /// Whether the unit and its group were created now.
    pub created_unit: bool,
}

fn refused(problem: Problem) -> OpsError {
    OpsError::Refused(problem.message(Lang::En).to_string())
}

/// Creates an admin account in the top unit's leading group, and the unit and group when
/// absent, audited in the same transaction; refuses a user name that exists.
pub async fn create_admin(state: &AppState, new: NewAdmin) -> Result<CreatedAdmin, OpsError> {
    let username = org::username(&new.username).map_err(refused)?;
    let unit_name = new
        .unit
        .as_deref()
        .map(org::unit_name)
        .transpose()
        .map_err(refused)?;
    let group_name = new
        .group
        .as_deref()
        .map(org::group_name)
        .transpose()
        .map_err(refused)?;
    let display_name = new
        .display_name
        .as_deref()
        .map(org::display_name)
        .transpose()
        .map_err(refused)?;
    let (password, shown_password) = match new.password {
        Some(given) => {
            if !PASSWORD_CHARS.contains(&given.chars().count()) {
                return Err(OpsError::Refused(format!(
                    "the password must have {} to {} characters",
                    PASSWORD_CHARS.start(),
                    PASSWORD_CHARS.end()
                )));
            }
            (given, None)
        }
        None => {
            let drawn = new_password();
            (drawn.clone(), Some(drawn))
        }
    };
    let hash = state.hasher.hash_password(&password).await?;
    let kind = new.kind;
    let created = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                if Staff::by_username(conn, &username)?.is_some() {
                    return Ok(Err(OpsError::Refused(format!(
                        "an account named {username} exists already: sign in with it (an admin \
                         resets passwords on the accounts page), or choose another name"
                    ))));
                }
                let (unit, new_unit_id) = match unit_name {
                    Some(name) => match Unit::root_named(conn, &name)? {
                        Some(unit) => (unit, None),
                        None => {
                            let unit = Unit {
                                id: new_id().into(),
                                parent_id: None,
                                name,
                                kind,
                                category: None,
                            };
                            Unit::insert(conn, &unit)?;
                            let id = unit.id.clone();
                            (unit, Some(id))
                        }
                    },
                    None => {
                        let mut roots = Unit::roots(conn)?;
                        match roots.len() {
                            1 => (roots.remove(0), None),
                            0 => {
                                return Ok(Err(OpsError::Refused(
                                    "the database has no units yet: name the top unit (the \
                                     county, or the township deployed alone) with --unit, e.g. \
                                     --unit 安城县"
                                        .into(),
                                )));
                            }
                            _ => {
                                let names: Vec<String> =
                                    roots.into_iter().map(|u| u.name).collect();
                                return Ok(Err(OpsError::Refused(format!(
                                    "the database has several top-level units ({}): name one \
                                     with --unit",
                                    names.join(", ")
                                ))));
                            }
                        }
                    }
                };
                let (group, new_group_id) = match LeadingGroup::of_unit(conn, &unit.id)? {
                    Some(group) => (group, None),
                    None => {
                        let group = LeadingGroup {
                            id: new_id().into(),
                            unit_id: unit.id.clone(),
                            name: group_name.unwrap_or_else(|| format!("{}领导小组", unit.name)),
                            head_person_id: None,
                        };
                        LeadingGroup::insert(conn, &group)?;
                        let id = group.id.clone();
                        (group, Some(id))
                    }
                };
                let account = Staff {
                    id: new_id().into(),
                    username,
                    display_name: display_name
                        .unwrap_or_else(|| format!("{}系统管理员", unit.name)),
                    password_hash: hash,
                    leading_group_id: Some(group.id.clone()),
                    active: true,
                    role: Role::Admin,
                    person_id: None,
                };
                Staff::insert(conn, &account)?;
                let now = unix_now();
                let mut record = |action: AuditAction, target: &str| {
                    AuditRow::append(conn, now, COMMAND_LINE_ACTOR, action.as_str(), Some(target))
                        .map(|_| ())
                };
                if let Some(unit) = &new_unit_id {
                    record(AuditAction::CreateUnit, unit)?;
                }
                if let Some(group) = &new_group_id {
                    record(AuditAction::SaveGroup, group)?;
                }
                record(AuditAction::CreateAccount, &account.id)?;
                Ok::<_, DbError>(Ok(CreatedAdmin {
                    username: account.username,
                    password: shown_password,
                    display_name: account.display_name,
                    unit: unit.name,
                    leading_group: group.name,
                    created_unit: new_unit_id.is_some(),
                }))
            })
        })
        .await??;
    Ok(created)
}
