//! Merging (归纳整理) and rectification (整改): reviewers merge similar opinions into issues,
//! answer every linked villager at once, set measures and keep the ledger.

use vocabulary::issues::{
    IssueOpinions, IssueUpdate, IssueView, MeasureUpdate, MeasureView, NewIssue, NewMeasure,
};
use vocabulary::model::{
    Category, GroupId, IssueId, MeasureId, OpinionId, OpinionState, StaffOpinion,
};

use super::reviewing::to_staff_opinion;
use super::staff::Reviewer;
use super::{audit, db_problem, targets};
use crate::db::issues::{Issue, IssueHandling, Measure, Progress};
use crate::db::opinions::Opinion;
use crate::db::people::Person;
use crate::db::units::{LeadingGroup, UnitTree};
use crate::db::visibility::{QueuedOpinion, Scope};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::day::{kept_day, today};
use crate::domain::issue::{
    main_category, validate_evidence, validate_issue_update, validate_measure,
    validate_opinion_ids, validate_title,
};
use crate::domain::opinion::{Handling, Standing};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

/// Most issues listed on one page.
const LIST_LIMIT: i64 = 200;

/// An issue as reviewers see it, with its measures; `opinions` is filled by the caller.
fn issue_view(issue: Issue, measures: &[Measure], today: &str) -> Result<IssueView, DbError> {
    let measures: Vec<MeasureView> = measures
        .iter()
        .filter(|m| m.issue_id == issue.id)
        .map(|m| MeasureView {
            id: m.id.clone(),
            text: m.text.clone(),
            responsible: m.responsible.clone(),
            due_on: m.due_on.clone(),
            evidence: m.evidence.clone(),
            done_on: m.done_on.clone(),
            set_on: m.set_on.clone(),
            overdue: m.done_on.is_none() && m.due_on.as_str() < today,
        })
        .collect();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(IssueView {
        category: issue.category,
        state: issue.state,
        measures_set: count(measures.len()),
        measures_done: count(measures.iter().filter(|m| m.done_on.is_some()).count()),
        id: issue.id,
        title: issue.title,
        found_on: issue.found_on,
        closed_on: issue.closed_on,
        opinion_count: u32::try_from(issue.opinion_count).unwrap_or_default(),
        reply: issue.reply,
        replied_on: issue.replied_on,
        opinions: Vec::new(),
        measures,
    })
}

/// Issues with their measures, read in one more query.
pub(super) fn with_measures(
    conn: &mut DbConnection,
    issues: Vec<Issue>,
    today: &str,
) -> Result<Vec<IssueView>, DbError> {
    let ids: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
    let measures = Measure::of_issues(conn, &ids)?;
    issues
        .into_iter()
        .map(|i| issue_view(i, &measures, today))
        .collect()
}

/// Queue rows as reviewers see them.
pub(super) fn staff_opinions(
    conn: &mut DbConnection,
    rows: Vec<QueuedOpinion>,
    today: &str,
) -> Result<Vec<StaffOpinion>, DbError> {
    let labels = targets::labels(conn, &rows)?;
    rows.into_iter()
        .map(|r| to_staff_opinion(r, today, &labels))
        .collect()
}

/// The reviewer's issues (newest first) and their group's name.
pub async fn list(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<(String, Vec<IssueView>), Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let day = today();
    state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &scope.group_id)?.name;
            let issues = Issue::list(conn, &scope, false, LIST_LIMIT)?;
            Ok((group, with_measures(conn, issues, &day)?))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// One issue with its opinions and measures, and the names of the people of the group's area
/// (to pick whoever is responsible for a measure).
pub async fn find(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
) -> Result<(IssueView, Vec<String>), Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = IssueId::from(id);
    let day = today();
    let (view, people) = state
        .db(move |conn| {
            let issue = Issue::find(conn, &id, &scope)?;
            let rows = Issue::opinions(conn, &issue.id, &scope)?;
            let mut view = with_measures(conn, vec![issue], &day)?
                .pop()
                .ok_or(DbError::NotFound)?;
            view.opinions = staff_opinions(conn, rows, &day)?;
            Ok((view, area_people(conn, &scope.group_id)?))
        })
        .await
        .map_err(|e| db_problem(e, problem::ISSUE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ViewIssue,
        Some(&view.id),
    )
    .await?;
    Ok((view, people))
}

/// "Name(post)" of the active people of the group's unit and the units below it.
fn area_people(conn: &mut DbConnection, group_id: &GroupId) -> Result<Vec<String>, DbError> {
    let group = LeadingGroup::find(conn, group_id)?;
    let tree = UnitTree::load(conn)?;
    let units: Vec<&str> = tree
        .subtree(&group.unit_id)
        .into_iter()
        .map(|(u, _)| u.id.as_str())
        .collect();
    Ok(Person::in_units(conn, &units, false)?
        .into_iter()
        .map(|(p, _)| {
            if p.post.is_empty() {
                p.name
            } else {
                format!("{}({})", p.name, p.post)
            }
        })
        .collect())
}

/// Checks that every opinion may be merged by the reviewer, and returns their categories.
fn check_mergeable(
    conn: &mut DbConnection,
    scope: &Scope,
    ids: &[String],
) -> Result<Vec<Category>, DbError> {
    let found = Opinion::mergeable(conn, scope, ids)?;
    if found.len() != ids.len() {
        return Err(DbError::Refused(problem::OPINION_NOT_MERGEABLE));
    }
    Ok(found.into_iter().map(|(_, c)| c).collect())
}

/// Records one entry per merged opinion.
async fn record_merges(
    state: &AppState,
    reviewer: &Reviewer,
    ids: &[String],
) -> Result<(), Problem> {
    for id in ids {
        audit::record(
            state,
            &reviewer.staff.id,
            AuditAction::MergeOpinion,
            Some(id),
        )
        .await?;
    }
    Ok(())
}

/// Merges opinions into a new issue (taken up, 已受理) and returns its id.
pub async fn create(
    state: &AppState,
    reviewer: &Reviewer,
    new: &NewIssue,
) -> Result<IssueId, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let title = validate_title(&new.title)?;
    let ids = validate_opinion_ids(&new.opinions)?;
    let merged = ids.clone();
    let issue_id = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let categories = check_mergeable(conn, &scope, &ids)?;
                let category = main_category(&categories).unwrap_or(Category::Other);
                let issue = Issue {
                    id: new_id().into(),
                    leading_group_id: scope.group_id.clone(),
                    title,
                    category,
                    state: OpinionState::Accepted,
                    reply: None,
                    replied_on: None,
                    found_on: today(),
                    closed_on: None,
                    opinion_count: 0,
                };
                Issue::insert(conn, &issue)?;
                Issue::link(conn, &issue, &ids)?;
                Ok(issue.id)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::OPINION_NOT_MERGEABLE))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::CreateIssue,
        Some(&issue_id),
    )
    .await?;
    record_merges(state, reviewer, &merged).await?;
    tracing::info!(issue = %issue_id, staff = %reviewer.staff.id, merged = merged.len(), "issue created");
    Ok(issue_id)
}

/// Adds opinions to an existing issue; they take its state.
pub async fn join(
    state: &AppState,
    reviewer: &Reviewer,
    issue_id: &str,
    added: &IssueOpinions,
) -> Result<(), Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let ids = validate_opinion_ids(&added.opinions)?;
    let merged = ids.clone();
    let issue_id = IssueId::from(issue_id);
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let issue = Issue::find_to_handle(conn, &issue_id, &scope)
                    .map_err(|e| refuse_missing(e, problem::ISSUE_NOT_FOUND))?;
                check_mergeable(conn, &scope, &ids)?;
                Issue::link(conn, &issue, &ids)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::ISSUE_NOT_FOUND))?;
    record_merges(state, reviewer, &merged).await
}

/// A missing row inside a transaction as the refusal a person reads.
fn refuse_missing(error: DbError, refusal: Problem) -> DbError {
    match error {
        DbError::NotFound => DbError::Refused(refusal),
        other => other,
    }
}

/// Takes an opinion out of an issue: it keeps its state and is handled on its own again.
pub async fn detach(
    state: &AppState,
    reviewer: &Reviewer,
    issue_id: &IssueId,
    opinion_id: &OpinionId,
) -> Result<(), Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let (issue_id, opinion) = (issue_id.clone(), opinion_id.clone());
    let target = opinion.clone();
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let issue = Issue::find_to_handle(conn, &issue_id, &scope)?;
                // Only an opinion the reviewer sees can be taken out.
                Opinion::find_for_group(conn, &opinion, &scope)?;
                Issue::detach(conn, &issue.id, &opinion)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::DetachOpinion,
        Some(&target),
    )
    .await
}

/// Changes an issue's title, state or reply; its opinions follow the state, and the reply reaches
/// every linked villager's receipt page.
pub async fn handle(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    update: &IssueUpdate,
) -> Result<(), Problem> {
    let change = validate_issue_update(update)?;
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = IssueId::from(id);
    let log_id = id.clone();
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let current = Issue::find_to_handle(conn, &id, &scope)?;
                let title = change.title.unwrap_or(current.title);
                let standing = Standing {
                    state: current.state,
                    reply: current.reply,
                    replied_on: current.replied_on,
                    closed_on: current.closed_on,
                };
                let handled = Handling {
                    state: change.state,
                    reply: change.reply,
                };
                let next = match handled.apply(standing, &today()) {
                    Ok(next) => next,
                    Err(refused) => return Ok(Err(refused)),
                };
                let handling = IssueHandling {
                    title: &title,
                    state: next.state,
                    reply: next.reply.as_deref(),
                    replied_on: next.replied_on.as_deref(),
                    closed_on: next.closed_on.as_deref(),
                };
                Issue::update_handling(conn, &current.id, &handling).map(Ok)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::ISSUE_NOT_FOUND))??;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::HandleIssue,
        Some(&log_id),
    )
    .await
}

/// Sets a rectification measure for an issue.
pub async fn add_measure(
    state: &AppState,
    reviewer: &Reviewer,
    issue_id: &str,
    new: &NewMeasure,
) -> Result<MeasureId, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let day = today();
    let valid = validate_measure(new, &day)?;
    let issue_id = IssueId::from(issue_id);
    let log_id = issue_id.clone();
    let id = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let issue = Issue::find_to_handle(conn, &issue_id, &scope)?;
                let measure = Measure {
                    id: new_id().into(),
                    issue_id: issue.id,
                    text: valid.text,
                    responsible: valid.responsible,
                    due_on: valid.due_on,
                    evidence: None,
                    done_on: None,
                    set_on: day,
                };
                Measure::insert(conn, &measure)?;
                Ok(measure.id)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::ISSUE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::AddMeasure,
        Some(&log_id),
    )
    .await?;
    Ok(id)
}

/// Records evidence and progress on a measure; returns the id of its issue.
pub async fn record_progress(
    state: &AppState,
    reviewer: &Reviewer,
    measure_id: &str,
    update: &MeasureUpdate,
) -> Result<IssueId, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let evidence = validate_evidence(update.evidence.as_deref())?;
    let done = update.done;
    let id = MeasureId::from(measure_id);
    let log_id = id.clone();
    let issue_id = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let current = Measure::find(conn, &id, &scope)?;
                let evidence = evidence.unwrap_or(current.evidence);
                let done_on = match done {
                    Some(done) => kept_day(done, current.done_on, &today()),
                    None => current.done_on,
                };
                let progress = Progress {
                    evidence: evidence.as_deref(),
                    done_on: done_on.as_deref(),
                };
                Measure::record(conn, &current.id, &progress)?;
                Ok(current.issue_id)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::MEASURE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::UpdateMeasure,
        Some(&log_id),
    )
    .await?;
    Ok(issue_id)
}
