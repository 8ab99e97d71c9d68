//! Mass appraisal (群众评议) for leading groups: questionnaires copied from the official forms,
//! rounds, one-time slips, closing and the results.

use std::collections::HashMap;
use vocabulary::paths;

use vocabulary::appraisal::{
    AppraisalOverview, Choice, HeldDecision, Questionnaire, QuestionnaireView, RoundMode,
    RoundNote, RoundSubject, RoundView, SlipBatch, Subject,
};
use vocabulary::model::{GroupId, RoundId};

use super::staff::Reviewer;
use super::{audit, db_problem};
use crate::db::appraisal::{QuestionnaireRow, Round, RoundSubjectRow};
use crate::db::people::Person;
use crate::db::units::{LeadingGroup, UnitTree};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::appraisal_form::{
    MAX_SLIPS, MAX_SUBJECTS, fresh_item_key, validate_questionnaire, validate_round,
};
use crate::domain::audit::AuditAction;
use crate::domain::codes::{new_box_code, new_slip_code};
use crate::domain::day::today;
use crate::domain::issue::validate_evidence;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

/// A questionnaire id that names a built-in template instead of a stored copy.
const TEMPLATE_PREFIX: &str = "template:";

/// The leading groups whose questionnaires `group_id` may use: its own and those above it.
fn usable_groups(conn: &mut DbConnection, group_id: &GroupId) -> Result<Vec<GroupId>, DbError> {
    let unit = LeadingGroup::find(conn, group_id)?.unit_id;
    let tree = UnitTree::load_lineage(conn, &unit)?;
    Ok(tree
        .groups_upward(&unit)
        .into_iter()
        .map(|g| g.id.clone())
        .collect())
}

/// The township (or other unit) and group a round's residents read, e.g. 青山镇创先争优活动领导小组.
pub fn group_title(conn: &mut DbConnection, group_id: &GroupId) -> Result<String, DbError> {
    let group = LeadingGroup::find(conn, group_id)?;
    let unit = crate::db::units::Unit::find(conn, &group.unit_id)?;
    Ok(titled(&unit.name, &group.name))
}

/// A group's name with its unit's in front, unless the name already starts with it
/// (青山镇创先争优活动领导小组 stays as it is; 领导小组 becomes 青山镇领导小组).
fn titled(unit: &str, group: &str) -> String {
    if group.starts_with(unit) {
        group.to_string()
    } else {
        format!("{unit}{group}")
    }
}

fn questionnaire_view(row: QuestionnaireRow, group_id: &str) -> Result<QuestionnaireView, DbError> {
    let subject = row.subject;
    let items = serde_json::from_str(&row.items)
        .map_err(|e| DbError::Corrupt(format!("questionnaire {}: {e}", row.id)))?;
    Ok(QuestionnaireView {
        own: row.leading_group_id == group_id,
        questionnaire: Questionnaire {
            title: row.title,
            subject,
            items,
        },
        id: row.id,
        updated_on: row.updated_on,
    })
}

/// Whether a round takes answers on `day`.
pub fn accepting(round: &Round, day: &str) -> bool {
    round.closed_on.is_none() && round.opens_on.as_str() <= day && day <= round.closes_on.as_str()
}

/// Whether a round is over, so that its results may be computed.
pub fn finished(round: &Round, day: &str) -> bool {
    round.closed_on.is_some() || round.closes_on.as_str() < day
}

/// A round's public form address.
pub fn round_url(public_url: &str, code: &str) -> String {
    paths::OPEN_ROUND.on_site(public_url, [&code])
}

/// A slip's address, the content of its QR code.
pub fn slip_url(public_url: &str, code: &str) -> String {
    paths::SLIP.on_site(public_url, [&code])
}

/// A round as the group sees it.
fn round_view(
    round: Round,
    subjects: Vec<RoundSubjectRow>,
    responses: i64,
    public_url: &str,
    day: &str,
) -> Result<RoundView, DbError> {
    let mode = round.mode;
    Ok(RoundView {
        questionnaire: round.parsed_questionnaire()?,
        mode,
        accepting: accepting(&round, day),
        finished: finished(&round, day),
        public_url: round_url(public_url, &round.public_code),
        slips_issued: u32::try_from(round.slips_issued).unwrap_or_default(),
        responses: u32::try_from(responses).unwrap_or_default(),
        held: 0,
        subjects: subjects
            .into_iter()
            .map(|s| RoundSubject {
                id: s.subject_id,
                label: s.label,
                note: s.note,
            })
            .collect(),
        id: round.id,
        name: round.name,
        opens_on: round.opens_on,
        closes_on: round.closes_on,
        closed_on: round.closed_on,
    })
}

/// One round of the group with its subjects and response count.
pub(super) fn load_round(
    conn: &mut DbConnection,
    id: &RoundId,
    group_id: &GroupId,
    public_url: &str,
    day: &str,
) -> Result<(Round, RoundView), DbError> {
    let round = Round::find(conn, id, group_id)?;
    let subjects = Round::subjects(conn, id)?;
    let responses = Round::response_counts(conn, std::slice::from_ref(&round.id), false)?
        .remove(&round.id)
        .unwrap_or(0);
    let held = Round::response_counts(conn, std::slice::from_ref(&round.id), true)?
        .remove(&round.id)
        .unwrap_or(0);
    let mut view = round_view(round.clone(), subjects, responses, public_url, day)?;
    view.held = u32::try_from(held).unwrap_or_default();
    Ok((round, view))
}

/// The units and people of an area, and the unit of each (a unit's own id for a unit).
struct AreaChoices {
    units: Vec<Choice>,
    members: Vec<Choice>,
    unit_of: HashMap<String, String>,
}

/// The units and people of the group's area, as choices for a new round.
fn area_choices(conn: &mut DbConnection, group_unit: &str) -> Result<AreaChoices, DbError> {
    let tree = UnitTree::load(conn)?;
    let units: Vec<Choice> = tree
        .subtree(group_unit)
        .into_iter()
        .map(|(u, _)| Choice {
            id: u.id.to_string(),
            label: u.name.clone(),
        })
        .collect();
    let unit_ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
    let mut unit_of = HashMap::new();
    let members = Person::in_units(conn, &unit_ids, false)?
        .into_iter()
        .map(|(p, unit_name)| {
            unit_of.insert(p.id.to_string(), p.unit_id.to_string());
            let label = if p.post.is_empty() {
                format!("{}（{unit_name}）", p.name)
            } else {
                format!("{}（{}，{unit_name}）", p.name, p.post)
            };
            Choice {
                id: p.id.to_string(),
                label,
            }
        })
        .collect();
    for u in &units {
        unit_of.insert(u.id.to_string(), u.id.to_string());
    }
    Ok(AreaChoices {
        units,
        members,
        unit_of,
    })
}

/// The group's rounds, usable questionnaires and whom it may appraise.
pub async fn overview(state: &AppState, reviewer: &Reviewer) -> Result<AppraisalOverview, Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let public_url = state.config.public_url.clone();
    let day = today();
    state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &group_id)?;
            let rounds = Round::of_group(conn, &group_id)?;
            let ids: Vec<RoundId> = rounds.iter().map(|r| r.id.clone()).collect();
            let counts = Round::response_counts(conn, &ids, false)?;
            let held = Round::response_counts(conn, &ids, true)?;
            let mut subjects = Round::subjects_of(conn, &ids)?;
            let rounds = rounds
                .into_iter()
                .map(|r| {
                    let n = counts.get(&r.id).copied().unwrap_or(0);
                    let h = held.get(&r.id).copied().unwrap_or(0);
                    let own = subjects.remove(&r.id).unwrap_or_default();
                    round_view(r, own, n, &public_url, &day).map(|mut v| {
                        v.held = u32::try_from(h).unwrap_or_default();
                        v
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let groups = usable_groups(conn, &group_id)?;
            let questionnaires = QuestionnaireRow::of_groups(conn, &groups)?
                .into_iter()
                .map(|q| questionnaire_view(q, &group_id))
                .collect::<Result<Vec<_>, _>>()?;
            let area = area_choices(conn, &group.unit_id)?;
            Ok(AppraisalOverview {
                group: group.name,
                rounds,
                questionnaires,
                units: area.units,
                members: area.members,
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// The questionnaires the reviewer's group may use.
pub async fn questionnaires(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<Vec<QuestionnaireView>, Problem> {
    let group_id = reviewer.group_for(Permission::EditQuestionnaires)?;
    state
        .db(move |conn| {
            let groups = usable_groups(conn, &group_id)?;
            QuestionnaireRow::of_groups(conn, &groups)?
                .into_iter()
                .map(|q| questionnaire_view(q, &group_id))
                .collect()
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// Copies a built-in template into the group's questionnaires; returns the new id.
pub async fn copy_template(
    state: &AppState,
    reviewer: &Reviewer,
    template: Subject,
) -> Result<String, Problem> {
    let group_id = reviewer.group_for(Permission::EditQuestionnaires)?;
    let q = template.template();
    let row = QuestionnaireRow {
        id: new_id(),
        leading_group_id: group_id,
        title: q.title,
        subject: template,
        items: serde_json::to_string(&q.items).map_err(|_| problem::INTERNAL)?,
        updated_on: today(),
    };
    let id = row.id.clone();
    state
        .db(move |conn| QuestionnaireRow::insert(conn, &row))
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::CreateQuestionnaire,
        Some(&id),
    )
    .await?;
    Ok(id)
}

/// Replaces a questionnaire's title and items; its subject stays. Items without a key get one.
pub async fn edit_questionnaire(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    mut edited: Questionnaire,
) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::EditQuestionnaires)?;
    let mut taken: Vec<String> = edited.items.iter().map(|i| i.key.clone()).collect();
    for item in edited.items.iter_mut().filter(|i| i.key.is_empty()) {
        item.key = fresh_item_key(&taken);
        taken.push(item.key.clone());
    }
    let checked = validate_questionnaire(edited)?;
    let row = QuestionnaireRow {
        id: id.to_string(),
        leading_group_id: group_id,
        title: checked.title,
        // Whom a questionnaire appraises never changes: `update` leaves the stored subject.
        subject: checked.subject,
        items: serde_json::to_string(&checked.items).map_err(|_| problem::INTERNAL)?,
        updated_on: today(),
    };
    state
        .db(move |conn| QuestionnaireRow::update(conn, &row))
        .await
        .map_err(|e| db_problem(e, problem::QUESTIONNAIRE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::EditQuestionnaire,
        Some(id),
    )
    .await
}

/// Opens a round; returns its id.
pub async fn open_round(
    state: &AppState,
    reviewer: &Reviewer,
    new: &vocabulary::appraisal::NewRound,
) -> Result<String, Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let day = today();
    let (name, opens_on, closes_on) =
        validate_round(&new.name, &new.opens_on, &new.closes_on, &day)?;
    let mode = RoundMode::parse(&new.mode).ok_or(problem::ROUND_MODE_INVALID)?;
    let mut wanted = new.subjects.clone();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() || wanted.len() > MAX_SUBJECTS {
        return Err(problem::ROUND_SUBJECTS_INVALID);
    }
    let chosen = new.questionnaire.clone();
    let subject_order = new.subjects.clone();
    let id = new_id();
    let round_id = id.clone();
    state
        .db(move |conn| {
            let refused = |p: Problem| DbError::Refused(p);
            let questionnaire = match chosen.strip_prefix(TEMPLATE_PREFIX) {
                Some(name) => Subject::parse(name)
                    .ok_or(refused(problem::QUESTIONNAIRE_NOT_FOUND))?
                    .template(),
                None => {
                    let groups = usable_groups(conn, &group_id)?;
                    let row =
                        QuestionnaireRow::find(conn, &chosen, &groups).map_err(|e| match e {
                            DbError::NotFound => refused(problem::QUESTIONNAIRE_NOT_FOUND),
                            other => other,
                        })?;
                    questionnaire_view(row, &group_id)?.questionnaire
                }
            };
            let group = LeadingGroup::find(conn, &group_id)?;
            let AreaChoices {
                units,
                members,
                unit_of,
            } = area_choices(conn, &group.unit_id)?;
            let choices = match questionnaire.subject {
                Subject::Organisation => units,
                Subject::Member => members,
            };
            let label: HashMap<&str, &str> = choices
                .iter()
                .map(|c| (c.id.as_str(), c.label.as_str()))
                .collect();
            let mut seen = std::collections::HashSet::new();
            let mut subjects = Vec::new();
            for subject_id in subject_order.iter().filter(|s| seen.insert(s.as_str())) {
                let (Some(label), Some(unit_id)) =
                    (label.get(subject_id.as_str()), unit_of.get(subject_id))
                else {
                    return Err(refused(problem::ROUND_SUBJECTS_INVALID));
                };
                subjects.push(RoundSubjectRow {
                    round_id: round_id.clone().into(),
                    subject_id: subject_id.clone(),
                    label: label.to_string(),
                    unit_id: unit_id.clone().into(),
                    position: i32::try_from(subjects.len()).unwrap_or(i32::MAX),
                    note: None,
                });
            }
            let round = Round {
                id: round_id.clone().into(),
                leading_group_id: group_id,
                name,
                questionnaire: serde_json::to_string(&questionnaire)
                    .map_err(|e| DbError::Corrupt(e.to_string()))?,
                mode,
                public_code: new_box_code(),
                opens_on,
                closes_on,
                closed_on: None,
                slips_issued: 0,
                created_on: day,
            };
            conn.write_transaction(|conn| Round::insert(conn, &round, &subjects))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::OpenRound, Some(&id)).await?;
    Ok(id)
}

/// One round of the group, for the members running it.
pub async fn round(state: &AppState, reviewer: &Reviewer, id: &str) -> Result<RoundView, Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let public_url = state.config.public_url.clone();
    let id = RoundId::from(id);
    state
        .db(move |conn| Ok(load_round(conn, &id, &group_id, &public_url, &today())?.1))
        .await
        .map_err(|e| db_problem(e, problem::ROUND_NOT_FOUND))
}

/// Makes `count` one-time slips for a slip round that is not over. Only their hashes are kept:
/// the returned addresses are the one chance to print them.
pub async fn make_slips(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    count: u32,
) -> Result<SlipBatch, Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    if count == 0 || count > MAX_SLIPS {
        return Err(problem::SLIP_COUNT_INVALID);
    }
    let codes: Vec<String> = (0..count).map(|_| new_slip_code()).collect();
    let keys = state.hasher.keys().clone();
    let hashes: Vec<String> = codes.iter().map(|c| keys.slip_hash(c)).collect();
    let public_url = state.config.public_url.clone();
    let round_id = RoundId::from(id);
    let (round, group) = state
        .db(move |conn| {
            let round = Round::find(conn, &round_id, &group_id)?;
            if round.mode != RoundMode::Slips {
                return Err(DbError::Refused(problem::SLIP_COUNT_INVALID));
            }
            if finished(&round, &today()) {
                return Err(DbError::Refused(problem::ROUND_FINISHED));
            }
            let group = group_title(conn, &group_id)?;
            conn.write_transaction(|conn| Round::add_slips(conn, &round.id, &hashes))?;
            Ok((round, group))
        })
        .await
        .map_err(|e| db_problem(e, problem::ROUND_NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::MakeSlips, Some(id)).await?;
    Ok(SlipBatch {
        round: round.name,
        group,
        closes_on: round.closes_on,
        urls: codes.iter().map(|c| slip_url(&public_url, c)).collect(),
    })
}

/// Closes a running round today; its results can then be computed.
pub async fn close_round(state: &AppState, reviewer: &Reviewer, id: &str) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let round_id = RoundId::from(id);
    state
        .db(move |conn| {
            let round = Round::find(conn, &round_id, &group_id)?;
            let day = today();
            if finished(&round, &day) {
                return Err(DbError::Refused(problem::ROUND_FINISHED));
            }
            Round::close(conn, &round.id, &day)
        })
        .await
        .map_err(|e| db_problem(e, problem::ROUND_NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::CloseRound, Some(id)).await
}

/// Accepts (counts in) or discards a round's held answers (待核) as one batch; returns how many.
pub async fn settle_held(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    decision: HeldDecision,
) -> Result<u32, Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let round_id = RoundId::from(id);
    let settled = state
        .db(move |conn| {
            let round = Round::find(conn, &round_id, &group_id)?;
            conn.write_transaction(|conn| match decision {
                HeldDecision::Accept => Round::accept_held(conn, &round.id),
                HeldDecision::Discard => Round::discard_held(conn, &round.id),
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::ROUND_NOT_FOUND))?;
    let action = match decision {
        HeldDecision::Accept => AuditAction::AcceptHeldAnswers,
        HeldDecision::Discard => AuditAction::DiscardHeldAnswers,
    };
    audit::record(state, &reviewer.staff.id, action, Some(id)).await?;
    Ok(u32::try_from(settled).unwrap_or(u32::MAX))
}

/// Writes the group's 整改落实情况 for one subject of a finished round.
pub async fn set_note(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    note: &RoundNote,
) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let text = validate_evidence(Some(&note.note))?.flatten();
    let (round_id, subject) = (RoundId::from(id), note.subject.clone());
    state
        .db(move |conn| {
            let round = Round::find(conn, &round_id, &group_id)?;
            Round::set_note(conn, &round.id, &subject, text.as_deref()).map_err(|e| match e {
                DbError::NotFound => DbError::Refused(problem::ROUND_SUBJECTS_INVALID),
                other => other,
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::ROUND_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::SetRoundNote,
        Some(id),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::titled;

    #[test]
    fn a_group_name_gets_its_unit_once() {
        assert_eq!(
            titled("青山镇", "青山镇创先争优活动领导小组"),
            "青山镇创先争优活动领导小组"
        );
        assert_eq!(
            titled("青山镇", "创先争优活动领导小组"),
            "青山镇创先争优活动领导小组"
        );
    }
}
