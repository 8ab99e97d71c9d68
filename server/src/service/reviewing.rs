//! What a reviewer does with the group's opinions: the queue and the inbox with its counts, one
//! opinion and its photos, asking the villager, stepping aside, handling.

use std::collections::HashMap;

use vocabulary::model::{
    Contact, OpinionId, OpinionState, PhotoInfo, QueueQuery, StaffOpinion, StateCount,
};
use vocabulary::org::TargetChoice;

use super::resident::{new_message, thread_view};
use super::{audit, db_problem, targets};
use crate::db::DbError;
use crate::db::messages::Message;
use crate::db::opinions::{Handling, Opinion};
use crate::db::photos::Photo;
use crate::db::units::{LeadingGroup, UnitTree};
use crate::db::visibility::QueuedOpinion;
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::opinion::{Standing, validate_handling, validate_message};
use crate::domain::problem::{self, Problem};
use crate::domain::queue::{PAGE_SIZE, cursor, validate_queue_query};
use crate::domain::roles::Permission;
use crate::state::AppState;

use super::staff::Reviewer;

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
    let id = OpinionId::from(id);
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
    let id = OpinionId::from(id);
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
    let id = OpinionId::from(id);
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
    let id = OpinionId::from(id);
    let target = id.clone();
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let row = Opinion::find_for_group(conn, &id, &scope)?;
                Opinion::recuse(
                    conn,
                    &row.opinion.id,
                    &scope.staff_id,
                    scope.person_id.as_ref(),
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
    let id = OpinionId::from(id);
    let log_id = id.clone();
    let outcome = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let current = Opinion::find_for_group(conn, &id, &scope)?.opinion;
                if current.issue_id.is_some() {
                    return Ok(Err(problem::MERGED_ELSEWHERE));
                }
                let standing = Standing {
                    state: current.state,
                    reply: current.reply,
                    replied_on: current.replied_on,
                    closed_on: current.closed_on,
                };
                let next = match change.apply(standing, &today()) {
                    Ok(next) => next,
                    Err(refused) => return Ok(Err(refused)),
                };
                let handling = Handling {
                    state: next.state,
                    reply: next.reply.as_deref(),
                    replied_on: next.replied_on.as_deref(),
                    closed_on: next.closed_on.as_deref(),
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

/// An opinion as reviewers see it; `today` decides whether it is overdue.
pub(super) fn to_staff_opinion(
    row: QueuedOpinion,
    today: &str,
    labels: &HashMap<String, String>,
) -> Result<StaffOpinion, DbError> {
    let about = targets::value_of(&row.opinion).and_then(|v| labels.get(&v).cloned());
    let o = row.opinion;
    let state = o.state;
    let overdue = !state.is_final() && o.due_on.as_deref().is_some_and(|due| due < today);
    Ok(StaffOpinion {
        category: o.category,
        state,
        id: o.id,
        box_name: row.box_name,
        village: row.unit_name,
        released_on: o.released_on.unwrap_or(o.received_on),
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
        escalation: o.escalation,
        target_choices: Vec::new(),
        issue_id: o.issue_id,
    })
}
