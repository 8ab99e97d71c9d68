//! Whom an opinion is about, as reviewers see and correct it: the list of its subjects, and the
//! removal of a wrong match, which one member proposes and another member of the group whom
//! the opinion is not about confirms (four eyes).

use vocabulary::model::{ChangeId, OpinionId, PersonId};
use vocabulary::model::{
    OpinionSubject as SubjectView, OpinionSubjects as Subjects, SubjectProposal as ProposalView,
};

use super::staff::Reviewer;
use super::{audit, db_problem, targets};
use crate::db::opinions::Opinion;
use crate::db::people::Person;
use crate::db::staff::Staff;
use crate::db::subjects::{self, SubjectChange};
use crate::db::units::{LeadingGroup, UnitTree};
use crate::db::visibility::Scope;
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::domain::subjects::SubjectSource;
use crate::state::AppState;

/// The id of an opinion the reviewer may correct the subjects of: one of their group's that
/// is not hidden from them, or, for a member of a group of a level above the handling group's,
/// one not hidden from them there. `NotFound` otherwise.
fn reachable(conn: &mut DbConnection, id: &OpinionId, scope: &Scope) -> Result<OpinionId, DbError> {
    match Opinion::find_for_group(conn, id, scope) {
        Ok(row) => return Ok(row.opinion.id),
        Err(DbError::NotFound) => {}
        Err(e) => return Err(e),
    }
    let group = Opinion::group_if_visible(conn, id, scope)?;
    let handling = LeadingGroup::find(conn, &group)?;
    let mine = LeadingGroup::find(conn, &scope.group_id)?;
    let tree = UnitTree::load_lineage(conn, &handling.unit_id)?;
    let above = handling.unit_id != mine.unit_id
        && tree
            .lineage(&handling.unit_id)
            .iter()
            .any(|u| u.id == mine.unit_id);
    if above {
        Ok(id.clone())
    } else {
        Err(DbError::NotFound)
    }
}

/// Whom one of the reviewer's opinions (or, for the level above, of the groups below) is about
/// (it is not about them, or they would not see it), with the removals waiting.
pub async fn of_opinion(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
) -> Result<Subjects, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let id = OpinionId::from(id);
    state
        .db(move |conn| {
            let opinion = reachable(conn, &id, &scope)?;
            let all = subjects::of_opinion(conn, &opinion)?;
            let changes = SubjectChange::of_opinion(conn, &opinion)?;
            let mut people: Vec<&PersonId> = all.iter().map(|s| &s.person_id).collect();
            people.extend(changes.iter().map(|c| &c.person_id));
            let pairs: Vec<_> = people.iter().map(|&p| (Some(p.clone()), None)).collect();
            let labels = targets::labels_of(conn, &pairs)?;
            let label = |p: &str| {
                labels
                    .get(&format!("person:{p}"))
                    .cloned()
                    .unwrap_or_default()
            };
            let mut views: Vec<SubjectView> = Vec::new();
            for s in &all {
                match views.iter_mut().find(|v| v.person_id == s.person_id) {
                    Some(v) => {
                        v.sources.push(s.source.as_str().to_string());
                        v.removable = v.removable && s.source.removable();
                    }
                    None => views.push(SubjectView {
                        person_id: s.person_id.clone(),
                        label: label(&s.person_id),
                        sources: vec![s.source.as_str().to_string()],
                        removable: s.source.removable(),
                    }),
                }
            }
            let mut proposals = Vec::new();
            for c in changes {
                let by = match Staff::find(conn, &c.proposed_by) {
                    Ok(s) => s.username,
                    Err(DbError::NotFound) => c.proposed_by.to_string(),
                    Err(e) => return Err(e),
                };
                proposals.push(ProposalView {
                    label: label(&c.person_id),
                    id: c.id,
                    person_id: c.person_id,
                    proposed_by: by,
                    proposed_on: c.proposed_on,
                });
            }
            Ok(Subjects {
                subjects: views,
                proposals,
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// Proposes removing a wrongly matched or tagged subject of one of the reviewer's opinions;
/// nothing changes until another member confirms. Returns the proposal's id.
pub async fn propose_removal(
    state: &AppState,
    reviewer: &Reviewer,
    id: &OpinionId,
    person_id: &PersonId,
) -> Result<ChangeId, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let (id, person) = (id.clone(), person_id.clone());
    let log_id = id.clone();
    let change_id = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let row = Opinion::find_for_group(conn, &id, &scope)?;
                let all = subjects::of_opinion(conn, &row.opinion.id)?;
                let theirs: Vec<SubjectSource> = all
                    .iter()
                    .filter(|s| s.person_id == person)
                    .map(|s| s.source)
                    .collect();
                if theirs.is_empty() {
                    return Err(DbError::NotFound);
                }
                if !theirs.iter().all(|s| s.removable()) {
                    return Err(DbError::Refused(problem::SUBJECT_NOT_REMOVABLE));
                }
                if let Some(waiting) = SubjectChange::of_opinion(conn, &row.opinion.id)?
                    .into_iter()
                    .find(|c| c.person_id == person)
                {
                    return Ok(waiting.id);
                }
                let change = SubjectChange {
                    id: new_id().into(),
                    opinion_id: row.opinion.id,
                    person_id: person,
                    proposed_by: scope.staff_id.clone(),
                    proposed_on: today(),
                };
                SubjectChange::insert(conn, &change)?;
                Ok(change.id)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ProposeSubjectRemoval,
        Some(&log_id),
    )
    .await?;
    Ok(change_id)
}

/// Confirms a proposed removal: only a second account of the group, or of a group of a level
/// above, of another person than the proposer's, that sees the opinion (so is not about them)
/// may; the subject's matches and
/// tags go, and the villager's choice or a declared conflict would stay.
pub async fn confirm_removal(
    state: &AppState,
    reviewer: &Reviewer,
    id: &OpinionId,
    change_id: &ChangeId,
) -> Result<(), Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let (id, change_id) = (id.clone(), change_id.clone());
    let log_id = id.clone();
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let opinion = reachable(conn, &id, &scope)?;
                let change = SubjectChange::find(conn, &opinion, &change_id)?;
                let proposer = Staff::find(conn, &change.proposed_by)?;
                let same_person =
                    proposer.person_id.is_some() && proposer.person_id == scope.person_id;
                if change.proposed_by == scope.staff_id || same_person {
                    return Err(DbError::Refused(problem::SECOND_MEMBER_REQUIRED));
                }
                // Whoever confirms must not be the person removed (they could not see it
                // anyway) nor unlinked, so that "a second person" means one.
                if scope.person_id.is_none()
                    || scope.person_id.as_deref() == Some(&change.person_id)
                {
                    return Err(DbError::Refused(problem::SECOND_MEMBER_REQUIRED));
                }
                Person::find(conn, &change.person_id)?;
                subjects::remove(conn, &opinion, &change.person_id)?;
                SubjectChange::delete(conn, &change.id)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::ConfirmSubjectRemoval,
        Some(&log_id),
    )
    .await
}
