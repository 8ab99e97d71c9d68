//! What a leading-group reviewer can do: sign in and out, read the queue, handle opinions, print QR codes.

use std::collections::HashMap;

use frontend::model::{
    Category, Contact, Escalation, OpinionState, PhotoInfo, QueueQuery, StaffBox, StaffOpinion,
    StateCount,
};
use frontend::org::TargetChoice;

use super::resident::{new_message, thread_view};
use super::{audit, db_problem, hash_problem, targets};
use crate::auth;
use crate::db::boxes::OpinionBox;
use crate::db::messages::Message;
use crate::db::opinions::{Handling, Opinion, QueuedOpinion, Scope};
use crate::db::photos::Photo;
use crate::db::staff::{Staff, StaffSession};
use crate::db::units::{LeadingGroup, UnitTree};
use crate::db::{DbError, new_id, throttle};
use crate::domain::audit::AuditAction;
use crate::domain::day::{kept_day, reply_day, today, unix_now};
use crate::domain::opinion::{validate_handling, validate_message};
use crate::domain::problem::{self, Problem};
use crate::domain::queue::{PAGE_SIZE, cursor, validate_queue_query};
use crate::domain::roles::{Permission, Role};
use crate::state::AppState;

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
        match Role::parse(&self.staff.role) {
            Some(role) if role.may(what) => {
                if role.acts_only_when_confirmed(what) && !self.acts_as_member() {
                    Err(problem::ACCOUNT_UNCONFIRMED)
                } else {
                    Ok(())
                }
            }
            _ => Err(problem::FORBIDDEN),
        }
    }

    /// Whether the account is linked to a person and the link confirmed by a second member:
    /// only then does it read and handle opinions, so recusal always knows whom it serves.
    pub fn acts_as_member(&self) -> bool {
        self.staff.person_id.is_some() && self.confirmed
    }

    /// The reviewer's group, once the role is checked to allow `what`.
    pub fn group_for(&self, what: Permission) -> Result<String, Problem> {
        self.require(what)?;
        self.group_id().map(str::to_string)
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
    pub fn group_id(&self) -> Result<&str, Problem> {
        self.staff
            .leading_group_id
            .as_deref()
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
    pub home: &'static str,
}

/// The first page for a role: auditors read the trail, viewers the statistics, and a member
/// whose link waits for confirmation the group's page, where the group sees and confirms it.
fn home_of(role: &str, confirmed: bool) -> &'static str {
    match Role::parse(role) {
        Some(Role::Auditor) => "/staff/audit",
        Some(Role::Viewer) => "/staff/group",
        Some(Role::Admin) => "/staff/admin",
        Some(Role::Member) if !confirmed => "/staff/group",
        _ => "/staff",
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
        home: home_of(&account.role, confirmed && account.person_id.is_some()),
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
        .db(move |conn| StaffSession::active_staff(conn, &claims.sid, &claims.sub, now))
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

/// One page of the reviewer's queue.
pub struct QueuePage {
    /// The opinions, newest release first.
    pub opinions: Vec<StaffOpinion>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// Everything the inbox page shows, read in one database round trip.
pub struct Inbox {
    /// The filtered page.
    pub page: QueuePage,
    /// How many opinions are in each state.
    pub counts: Vec<StateCount>,
    /// The group's name.
    pub group: String,
    /// Villages the group's opinions came from, to filter by.
    pub villages: Vec<String>,
    /// People and units the group's opinions are about, to filter by.
    pub targets: Vec<TargetChoice>,
}

/// The reviewer's queue, filtered, one page at a time.
pub async fn queue(
    state: &AppState,
    reviewer: &Reviewer,
    query: &QueueQuery,
) -> Result<QueuePage, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let filter = validate_queue_query(query)?;
    let day = today();
    let on = day.clone();
    let (rows, labels) = state
        .db(move |conn| {
            let rows = Opinion::queue(conn, &scope, &filter, &on, PAGE_SIZE + 1)?;
            let labels = targets::labels(conn, &rows)?;
            Ok((rows, labels))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::ViewQueue, None).await?;
    page_of(rows, &day, &labels)
}

/// The inbox page: the queue page plus counts per state, the group's name and its villages.
pub async fn inbox(
    state: &AppState,
    reviewer: &Reviewer,
    query: &QueueQuery,
) -> Result<Inbox, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let filter = validate_queue_query(query)?;
    let day = today();
    let on = day.clone();
    let (rows, labels, counted, group, villages, about) = state
        .db(move |conn| {
            let rows = Opinion::queue(conn, &scope, &filter, &on, PAGE_SIZE + 1)?;
            let labels = targets::labels(conn, &rows)?;
            let summary = Opinion::scope_summary(conn, &scope)?;
            let group = LeadingGroup::find(conn, &scope.group_id)?.name;
            let about = targets::filter_choices(conn, &summary.targets)?;
            Ok((
                rows,
                labels,
                summary.state_counts,
                group,
                summary.villages,
                about,
            ))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::ViewQueue, None).await?;
    Ok(Inbox {
        page: page_of(rows, &day, &labels)?,
        counts: counts_of(&counted),
        group,
        villages,
        targets: about,
    })
}

/// How many of the reviewer's opinions are in each state (every state, zeros included).
pub async fn state_counts(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<Vec<StateCount>, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let counted = state
        .db(move |conn| Opinion::state_counts(conn, &scope))
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    Ok(counts_of(&counted))
}

/// A page of queue rows, fetched one beyond the page size to know whether more follow.
fn page_of(
    mut rows: Vec<QueuedOpinion>,
    today: &str,
    labels: &HashMap<String, String>,
) -> Result<QueuePage, Problem> {
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next = more.then(|| rows.last()).flatten().map(|r| {
        cursor(
            r.opinion.released_on.as_deref().unwrap_or_default(),
            &r.opinion.id,
        )
    });
    let opinions = rows
        .into_iter()
        .map(|row| to_staff_opinion(row, today, labels))
        .collect::<Result<_, _>>()
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    Ok(QueuePage { opinions, next })
}

/// Every state with its count from the database (zero when absent).
fn counts_of(counted: &[(String, i64)]) -> Vec<StateCount> {
    OpinionState::ALL
        .into_iter()
        .map(|s| StateCount {
            state: s,
            count: counted
                .iter()
                .find(|(name, _)| name == s.as_str())
                .map_or(0, |(_, n)| u32::try_from(*n).unwrap_or(u32::MAX)),
        })
        .collect()
}

/// One opinion of the reviewer's group; another group's opinion is simply not found.
pub async fn opinion(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
) -> Result<StaffOpinion, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = id.to_string();
    let (row, thread, photos, labels, choices) = state
        .db(move |conn| {
            let row = Opinion::find_for_group(conn, &id, &scope)?;
            let thread = Message::thread(conn, &row.opinion.id)?;
            let photos = Photo::sizes(conn, &row.opinion.id)?;
            let labels = targets::labels(conn, std::slice::from_ref(&row))?;
            // A tag only adds whom it is about, so it may be tagged again.
            let tree = UnitTree::load_lineage(conn, &row.unit_id)?;
            let choices = targets::choices(conn, &tree, &row.unit_id)?;
            Ok((row, thread, photos, labels, choices))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ViewOpinion,
        Some(&row.opinion.id),
    )
    .await?;
    let mut found =
        to_staff_opinion(row, &today(), &labels).map_err(|e| db_problem(e, problem::INTERNAL))?;
    found.thread = thread_view(thread);
    found.target_choices = choices;
    found.photos = photos
        .into_iter()
        .map(|p| PhotoInfo {
            number: u32::try_from(p.seq).unwrap_or_default(),
            width: u32::try_from(p.width).unwrap_or_default(),
            height: u32::try_from(p.height).unwrap_or_default(),
        })
        .collect();
    Ok(found)
}

/// The JPEG of photo `number` of one of the group's released opinions.
pub async fn photo(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    number: u32,
) -> Result<Vec<u8>, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = id.to_string();
    let seq = i32::try_from(number).map_err(|_| problem::NOT_FOUND)?;
    let target = id.clone();
    let jpeg = state
        .db(move |conn| {
            let row = Opinion::find_for_group(conn, &id, &scope)?;
            Photo::jpeg(conn, &row.opinion.id, seq)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ViewPhoto,
        Some(&target),
    )
    .await?;
    Ok(jpeg)
}

/// Adds a reviewer's question to the thread of one of the group's opinions.
pub async fn ask(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    text: &str,
) -> Result<(), Problem> {
    let text = validate_message(text)?;
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = id.to_string();
    let log_id = id.clone();
    state
        .db(move |conn| {
            let row = Opinion::find_for_group(conn, &id, &scope)?;
            Message::append(conn, new_message(&row.opinion.id, true, text))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::AskQuestion,
        Some(&log_id),
    )
    .await?;
    tracing::info!(opinion = %log_id, staff = %reviewer.staff.id, "question asked");
    Ok(())
}

/// Declares the reviewer's conflict of interest on an opinion: from now on it is gone from all
/// their views, as if it did not exist; the rest of the group still handles it.
pub async fn recuse(state: &AppState, reviewer: &Reviewer, id: &str) -> Result<(), Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = id.to_string();
    let target = id.clone();
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let row = Opinion::find_for_group(conn, &id, &scope)?;
                Opinion::recuse(
                    conn,
                    &row.opinion.id,
                    &scope.staff_id,
                    scope.person_id.as_deref(),
                )
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::Recuse,
        Some(&target),
    )
    .await
}

/// Changes the state and reply of one of the group's opinions; `None` keeps the current value
/// and an empty reply removes it. Read and write happen in one transaction.
pub async fn handle(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    new_state: Option<&str>,
    reply: Option<&str>,
) -> Result<(), Problem> {
    let change = validate_handling(new_state, reply)?;
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = id.to_string();
    let log_id = id.clone();
    let outcome = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let current = Opinion::find_for_group(conn, &id, &scope)?.opinion;
                if current.issue_id.is_some() {
                    return Ok(Err(problem::MERGED_ELSEWHERE));
                }
                let new_state = change
                    .state
                    .map_or(current.state.clone(), |s| s.as_str().to_string());
                let reply = change.reply.unwrap_or_else(|| current.reply.clone());
                let replied_on = reply_day(
                    current.reply.as_deref(),
                    current.replied_on,
                    reply.as_deref(),
                );
                let is_final = OpinionState::parse(&new_state).is_some_and(OpinionState::is_final);
                if new_state == OpinionState::Rejected.as_str() && reply.is_none() {
                    // The villager must read why it was not taken up.
                    return Ok(Err(problem::REASON_REQUIRED));
                }
                let closed_on = kept_day(is_final, current.closed_on);
                let handling = Handling {
                    state: &new_state,
                    reply: reply.as_deref(),
                    replied_on: replied_on.as_deref(),
                    closed_on: closed_on.as_deref(),
                };
                Opinion::update_handling(conn, &id, &scope.group_id, &handling).map(Ok)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    outcome?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::HandleOpinion,
        Some(&log_id),
    )
    .await?;
    tracing::info!(opinion = %log_id, staff = %reviewer.staff.id, "opinion handled");
    Ok(())
}

/// Which boxes a reviewer manages: those whose opinions reach their group, or for an admin
/// (`whole_area`) every box of the area below their group's unit.
fn manages_box(whole_area: bool, tree: &UnitTree, group: &LeadingGroup, unit_id: &str) -> bool {
    if whole_area {
        tree.is_within(unit_id, &group.unit_id)
    } else {
        tree.responsible_group(unit_id)
            .is_some_and(|g| g.id == group.id)
    }
}

/// The boxes the reviewer manages.
pub async fn boxes(state: &AppState, reviewer: &Reviewer) -> Result<Vec<StaffBox>, Problem> {
    let group = reviewer.group_for(Permission::ManageBoxes)?;
    let public_url = state.config.public_url.clone();
    let whole_area = reviewer.require(Permission::ManageOrganisation).is_ok();
    state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &group)?;
            let tree = UnitTree::load(conn)?;
            let all = OpinionBox::all(conn)?;
            Ok(all
                .into_iter()
                .filter(|b| manages_box(whole_area, &tree, &group, &b.unit_id))
                .map(|b| staff_box(&tree, &b, &public_url))
                .collect())
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// One box the reviewer manages, with its code (for QR images).
pub async fn find_box(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
) -> Result<(StaffBox, String), Problem> {
    let group = reviewer.group_for(Permission::ManageBoxes)?;
    let public_url = state.config.public_url.clone();
    let id = id.to_string();
    let whole_area = reviewer.require(Permission::ManageOrganisation).is_ok();
    state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &group)?;
            let found = OpinionBox::find(conn, &id)?;
            let tree = UnitTree::load_lineage(conn, &found.unit_id)?;
            if !manages_box(whole_area, &tree, &group, &found.unit_id) {
                return Err(DbError::NotFound);
            }
            Ok((staff_box(&tree, &found, &public_url), found.code))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// The public URL a box's QR code encodes.
pub fn box_url(public_url: &str, code: &str) -> String {
    format!("{public_url}/b/{code}")
}

/// A box as staff pages show it.
pub fn staff_box(tree: &UnitTree, found: &OpinionBox, public_url: &str) -> StaffBox {
    let info = super::resident::describe_box(tree, found);
    StaffBox {
        id: found.id.clone(),
        name: info.name,
        village: info.village,
        township: info.township,
        url: box_url(public_url, &found.code),
    }
}

/// An opinion as reviewers see it; `today` decides whether it is overdue.
pub(super) fn to_staff_opinion(
    row: QueuedOpinion,
    today: &str,
    labels: &HashMap<String, String>,
) -> Result<StaffOpinion, DbError> {
    let about = targets::value_of(&row.opinion).and_then(|v| labels.get(&v).cloned());
    let o = row.opinion;
    let corrupt =
        |id: &str| DbError::Corrupt(format!("opinion {id} has an unknown category or state"));
    let state = OpinionState::parse(&o.state).ok_or_else(|| corrupt(&o.id))?;
    let overdue = !state.is_final() && o.due_on.as_deref().is_some_and(|due| due < today);
    Ok(StaffOpinion {
        category: Category::parse(&o.category).ok_or_else(|| corrupt(&o.id))?,
        state,
        id: o.id,
        box_name: row.box_name,
        village: row.unit_name,
        released_on: o.released_on.unwrap_or_default(),
        due_on: o.due_on,
        overdue,
        text: o.body,
        reply: o.reply,
        masks: super::resident::decode_mask_counts(&o.mask_counts),
        thread: Vec::new(),
        photos: Vec::new(),
        contact: match (o.contact_name, o.contact_phone) {
            (Some(name), Some(phone)) => Some(Contact { name, phone }),
            _ => None,
        },
        about,
        escalation: o.escalation.as_deref().and_then(Escalation::parse),
        target_choices: Vec::new(),
        issue_id: o.issue_id,
    })
}
