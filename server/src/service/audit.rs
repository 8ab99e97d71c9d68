//! Recording staff actions in the audit trail, and checking the trail.

use std::collections::HashMap;

use vocabulary::model::{AccountId, AuditCheck, AuditEntryView, AuditPage};

use super::db_problem;
use super::staff::Reviewer;
use crate::db::audit::AuditRow;
use crate::db::opinions::Opinion;
use crate::db::staff::Staff;
use crate::db::{DbConnection, DbError};
use crate::domain::audit::{AuditAction, ChainCheck};
use crate::domain::day::unix_now;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

/// Entries per page of the trail, and per read while checking it.
const PAGE: i64 = 100;
const CHECK_BATCH: i64 = 1000;

/// Appends an entry for `actor`; an action that cannot be recorded does not happen.
pub async fn record(
    state: &AppState,
    actor: &str,
    action: AuditAction,
    target: Option<&str>,
) -> Result<(), Problem> {
    let actor = actor.to_string();
    let target = target.map(str::to_string);
    state
        .db(move |conn| {
            AuditRow::append(conn, unix_now(), &actor, action.as_str(), target.as_deref())
        })
        .await
        .map(|_| ())
        .map_err(|e| db_problem(e, problem::INTERNAL))
}

/// Walks the whole chain from the first entry and reports the first broken link.
pub fn check(conn: &mut DbConnection) -> Result<AuditCheck, DbError> {
    let (head_seq, head_hash) = AuditRow::head(conn)?;
    let mut chain = ChainCheck::default();
    let mut last = 0;
    let mut entries = 0;
    loop {
        let batch = AuditRow::after(conn, last, CHECK_BATCH)?;
        let Some(end) = batch.last().map(|r| r.seq) else {
            break;
        };
        entries += batch.len() as u64;
        for row in batch {
            chain.push(&row.fields(), &row.hash);
        }
        last = end;
    }
    let broken = chain.finish(head_seq, &head_hash);
    Ok(AuditCheck {
        intact: broken.is_none(),
        entries,
        head_seq,
        head_hash,
        broken_at: broken.as_ref().map(|b| b.seq),
        reason: broken.map(|b| b.reason.to_string()),
    })
}

/// A page of the trail for an auditor, newest first, with the chain checked.
pub async fn trail(
    state: &AppState,
    reviewer: &Reviewer,
    before: Option<i64>,
) -> Result<AuditPage, Problem> {
    reviewer.require(Permission::ViewAudit)?;
    record(state, &reviewer.staff.id, AuditAction::ViewAudit, None).await?;
    let person = reviewer.staff.person_id.clone();
    let staff_id = reviewer.staff.id.clone();
    let (rows, hidden, names, check) = state
        .db(move |conn| {
            let rows = AuditRow::newest(conn, before, PAGE)?;
            // The user names of the accounts on this page, for a reader who knows people by them.
            let mut names: HashMap<String, String> = HashMap::new();
            for row in &rows {
                if names.contains_key(&row.actor) {
                    continue;
                }
                match Staff::find(conn, &AccountId::from(row.actor.as_str())) {
                    Ok(staff) => {
                        names.insert(row.actor.clone(), staff.username);
                    }
                    Err(DbError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
            // An auditor never learns that opinions about them exist, not even from the trail.
            let targets: Vec<&str> = rows.iter().filter_map(|r| r.target.as_deref()).collect();
            let hidden = Opinion::hidden_among(conn, &staff_id, person.as_ref(), &targets)?;
            Ok((rows, hidden, names, check(conn)?))
        })
        .await
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    let next_before = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|r| r.seq))
        .flatten();
    Ok(AuditPage {
        check,
        entries: rows
            .into_iter()
            .filter(|r| {
                r.target
                    .as_ref()
                    .is_none_or(|t| !hidden.iter().any(|h| h == t))
            })
            .map(|r| AuditEntryView {
                seq: r.seq,
                at: crate::domain::day::minute_of_unix(r.at),
                actor_name: names.get(&r.actor).cloned(),
                actor: r.actor,
                action: r.action,
                target: r.target,
                hash: r.hash,
            })
            .collect(),
        next_before,
    })
}
