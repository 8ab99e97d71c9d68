//! Held opinions (待核): opinions beyond their box's hourly budget, released with their batch
//! but kept apart from the queue until a reviewer accepts them. Nothing is deleted.

use vocabulary::model::{Category, StaffOpinion};

use super::{audit, db_problem, targets};
use crate::db::held;
use crate::domain::audit::AuditAction;
use crate::domain::day::{day_of_unix, today, unix_now};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::service::staff::Reviewer;
use crate::state::AppState;

const DAY: i64 = 24 * 3600;

/// The held opinions the reviewer may see (opening the list is audited like the queue).
pub async fn list(state: &AppState, reviewer: &Reviewer) -> Result<Vec<StaffOpinion>, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let (rows, labels) = state
        .db(move |conn| {
            let rows = held::list(conn, &scope)?;
            let labels = targets::labels(conn, &rows)?;
            Ok((rows, labels))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::ViewQueue, None).await?;
    let day = today();
    rows.into_iter()
        .map(|row| super::reviewing::to_staff_opinion(row, &day, &labels))
        .collect::<Result<_, _>>()
        .map_err(|e| db_problem(e, problem::INTERNAL))
}

/// Accepts the held opinion `only`, or every held opinion the reviewer may see, into the queue
/// as released today; each acceptance is in the audit trail. Returns how many.
pub async fn accept(
    state: &AppState,
    reviewer: &Reviewer,
    only: Option<String>,
) -> Result<usize, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let due = state.config.due.clone();
    let now = unix_now();
    let accepted = state
        .db(move |conn| {
            let due_for =
                |category: Category| day_of_unix(now + i64::from(due.days_for(category)) * DAY);
            held::accept(conn, &scope, only.as_deref(), &day_of_unix(now), due_for)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    for id in &accepted {
        audit::record(
            state,
            &reviewer.staff.id,
            AuditAction::AcceptHeldOpinion,
            Some(id),
        )
        .await?;
    }
    Ok(accepted.len())
}
