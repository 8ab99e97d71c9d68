//! A staff account's session: signing in (with the per-account delay), the account behind a
//! token, signing out and changing one's own password. What a reviewer does with opinions is in
//! `reviewing.rs`, the group's boxes in `boxes.rs`.

use super::{audit, db_problem, hash_problem};
use crate::auth;
use crate::db::staff::{Staff, StaffSession};
use crate::db::visibility::Scope;
use crate::db::{new_id, throttle};
use crate::domain::audit::AuditAction;
use crate::domain::day::unix_now;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::{Permission, Role};
use crate::state::AppState;
use vocabulary::model::{AccountId, GroupId};
use vocabulary::paths;

/// A signed-in reviewer.
#[derive(Clone, Debug)]
pub struct Reviewer {
    /// The account.
    pub staff: Staff,
    /// The session the request came with.
    pub session_id: String,
    /// Whether a second member confirmed that the account belongs to its person.
    pub confirmed: bool,
}

impl Reviewer {
    /// `FORBIDDEN` unless the account's role allows `what` (unknown roles allow nothing);
    /// `ACCOUNT_UNCONFIRMED` for a member account that may not act as a member yet.
    pub fn require(&self, what: Permission) -> Result<(), Problem> {
        let role = self.staff.role;
        if !role.may(what) {
            Err(problem::FORBIDDEN)
        } else if role.acts_only_when_confirmed(what) && !self.acts_as_member() {
            Err(problem::ACCOUNT_UNCONFIRMED)
        } else {
            Ok(())
        }
    }

    /// Whether the account is linked to a person and the link confirmed by a second member:
    /// only then does it read and handle opinions, so recusal always knows whom it serves.
    pub fn acts_as_member(&self) -> bool {
        self.staff.person_id.is_some() && self.confirmed
    }

    /// The reviewer's group, once the role is checked to allow `what`.
    pub fn group_for(&self, what: Permission) -> Result<GroupId, Problem> {
        self.require(what)?;
        self.group_id().cloned()
    }

    /// What the reviewer may see, once the role is checked to allow `what`.
    pub fn scope(&self, what: Permission) -> Result<Scope, Problem> {
        Ok(Scope {
            group_id: self.group_for(what)?,
            staff_id: self.staff.id.clone(),
            person_id: self.staff.person_id.clone(),
        })
    }

    /// The leading group the reviewer works for; accounts without one see nothing.
    pub fn group_id(&self) -> Result<&GroupId, Problem> {
        self.staff
            .leading_group_id
            .as_ref()
            .ok_or(problem::NOT_FOUND)
    }
}

/// A fresh session: the signed token, when it expires, and the page to start on.
pub struct SignedIn {
    /// The JWT.
    pub token: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// The first page for the account's role.
    pub home: paths::Route<0>,
}

/// The first page for a role: auditors read the trail, viewers the statistics, and a member
/// whose link waits for confirmation the group's page, where the group sees and confirms it.
fn home_of(role: Role, confirmed: bool) -> paths::Route<0> {
    match role {
        Role::Auditor => paths::AUDIT,
        Role::Viewer => paths::GROUP,
        Role::Admin => paths::ADMIN,
        Role::Member if !confirmed => paths::GROUP,
        Role::Member => paths::QUEUE,
    }
}

/// Why a sign-in was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefused {
    /// Wrong name or password, or a fault.
    Problem(Problem),
    /// Too many recent failures for this sign-in name: try again after this many seconds.
    Delayed {
        /// Seconds to wait.
        retry_after: i64,
    },
}

impl From<Problem> for LoginRefused {
    fn from(p: Problem) -> Self {
        LoginRefused::Problem(p)
    }
}

impl LoginRefused {
    /// The problem to show.
    pub fn problem(&self) -> Problem {
        match self {
            LoginRefused::Problem(p) => *p,
            LoginRefused::Delayed { .. } => problem::SIGN_IN_DELAYED,
        }
    }

    /// The `Retry-After` seconds, when the refusal is a delay.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            LoginRefused::Problem(_) => None,
            LoginRefused::Delayed { retry_after } => Some(*retry_after),
        }
    }
}

/// Failures of one sign-in name allowed before each further attempt must wait.
const FREE_FAILURES: i32 = 5;

/// The longest wait, in seconds: a stranger can slow an account down, never lock it out.
const MAX_SIGN_IN_DELAY: i64 = 300;

/// The wait after `failures` failed sign-ins: none for the first few, then 1 s doubling up to
/// [`MAX_SIGN_IN_DELAY`].
pub fn sign_in_delay(failures: i32) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(20) as u32;
    (1i64 << doublings).min(MAX_SIGN_IN_DELAY)
}

/// Checks the password and opens a session. Failures are counted per sign-in name (a keyed
/// hash of it, whether or not the account exists, so known and unknown names are answered
/// alike) in the database, shared by every server process.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<SignedIn, LoginRefused> {
    let name = username.trim().to_string();
    let account_hash = hex::encode(
        &crate::crypto::mac(
            state.config.secret.expose(),
            format!("mashangshuo sign-in {name}").as_bytes(),
        )[..32],
    );
    let now = unix_now();
    let hash = account_hash.clone();
    let blocked = state
        .db(move |conn| throttle::sign_in_blocked_until(conn, &hash, now))
        .await
        .map_err(|e| db_problem(e, problem::LOGIN_FAILED))?;
    if let Some(until) = blocked {
        return Err(LoginRefused::Delayed {
            retry_after: (until - now).max(1),
        });
    }
    let account = state
        .db(move |conn| Staff::by_username(conn, &name))
        .await
        .map_err(|e| db_problem(e, problem::LOGIN_FAILED))?;
    // Hash even for unknown names so timing does not reveal which accounts exist.
    let stored = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let matches = state
        .hasher
        .verify_password(password, &stored)
        .await
        .map_err(hash_problem)?;
    let account = match account {
        Some(a) if matches && a.active => a,
        _ => {
            let hash = account_hash.clone();
            state
                .db(move |conn| {
                    throttle::record_sign_in_failure(conn, &hash, unix_now(), sign_in_delay)
                })
                .await
                .map_err(|e| db_problem(e, problem::LOGIN_FAILED))?;
            return Err(problem::LOGIN_FAILED.into());
        }
    };
    state
        .db(move |conn| throttle::clear_sign_in(conn, &account_hash))
        .await
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    let session = StaffSession {
        id: new_id(),
        staff_id: account.id.clone(),
        expires_at: now + state.config.session_ttl_secs,
    };
    let token = auth::issue(
        state.hasher.keys(),
        &account.id,
        &session.id,
        now,
        state.config.session_ttl_secs,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "cannot sign a session token");
        problem::INTERNAL
    })?;
    let expires_at = session.expires_at;
    let staff_id = account.id.clone();
    let confirmed = state
        .db(move |conn| {
            StaffSession::insert(conn, &session, now)?;
            Staff::is_confirmed(conn, &staff_id)
        })
        .await
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    audit::record(state, &account.id, AuditAction::Login, None).await?;
    tracing::info!(staff = %account.id, "staff signed in");
    Ok(SignedIn {
        token,
        expires_at,
        home: home_of(account.role, confirmed && account.person_id.is_some()),
    })
}

/// An Argon2id hash of a random password nobody knows, verified against for unknown usernames.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$y0GmVcMEyl7Ix3bDKDbRxZ8gAOQ7AiOXb8oDVjwcmfU";

/// The reviewer behind a token, if the token is valid and its session still live.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Option<Reviewer>, Problem> {
    let now = unix_now();
    let Some(claims) = auth::verify(state.hasher.keys(), token, now) else {
        return Ok(None);
    };
    let session_id = claims.sid.clone();
    let staff = state
        .db(move |conn| {
            StaffSession::active_staff(
                conn,
                &claims.sid,
                &AccountId::from(claims.sub.as_str()),
                now,
            )
        })
        .await
        .map_err(|e| db_problem(e, problem::UNAUTHORIZED))?;
    Ok(staff.map(|(staff, confirmed)| Reviewer {
        staff,
        session_id,
        confirmed,
    }))
}

/// Ends the reviewer's session: the token stops working everywhere at once.
pub async fn logout(state: &AppState, reviewer: &Reviewer) -> Result<(), Problem> {
    let id = reviewer.session_id.clone();
    state
        .db(move |conn| StaffSession::delete(conn, &id))
        .await
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    audit::record(state, &reviewer.staff.id, AuditAction::Logout, None).await
}

/// Shortest and longest staff password accepted, in characters.
const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 10..=128;

/// Changes the account's own password after checking the current one; every session of the
/// account ends, so a stolen token stops working.
pub async fn change_password(
    state: &AppState,
    reviewer: &Reviewer,
    current: &str,
    new: &str,
) -> Result<(), Problem> {
    if !PASSWORD_CHARS.contains(&new.chars().count()) {
        return Err(problem::PASSWORD_WEAK);
    }
    let matches = state
        .hasher
        .verify_password(current, &reviewer.staff.password_hash)
        .await
        .map_err(hash_problem)?;
    if !matches {
        return Err(problem::PASSWORD_WRONG);
    }
    let hash = state
        .hasher
        .hash_password(new)
        .await
        .map_err(hash_problem)?;
    let id = reviewer.staff.id.clone();
    state
        .db(move |conn| Staff::set_password(conn, &id, &hash))
        .await
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    audit::record(state, &reviewer.staff.id, AuditAction::ChangePassword, None).await
}
