//! The people of an admin's area (the directory recusal matches names against): adding them,
//! marking them gone, and their leader rank.

use vocabulary::model::PersonId;
use vocabulary::org::{LeaderRank, NewPerson, PersonView};

use crate::db::people::Person;
use crate::db::subjects;
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::org;
use crate::domain::problem::{self, Problem};
use crate::service::staff::Reviewer;
use crate::state::AppState;

use super::{AdminArea, in_area, log};

/// Everyone in the area, active or not, by unit then name.
pub async fn people(state: &AppState, reviewer: &Reviewer) -> Result<Vec<PersonView>, Problem> {
    in_area(state, reviewer, list_people).await
}

pub(super) fn list_people(
    conn: &mut DbConnection,
    area: &AdminArea,
) -> Result<Vec<PersonView>, DbError> {
    Ok(Person::in_units(conn, &area.unit_refs(), true)?
        .into_iter()
        .map(|(p, unit_name)| person_view(p, unit_name))
        .collect())
}

fn person_view(p: Person, unit_name: String) -> PersonView {
    PersonView {
        id: p.id,
        unit_id: p.unit_id,
        unit_name,
        name: p.name,
        post: p.post,
        active: p.active,
        leader_rank: p.leader_rank,
    }
}

/// Adds a person to a unit of the area.
pub async fn add_person(
    state: &AppState,
    reviewer: &Reviewer,
    new: NewPerson,
) -> Result<PersonView, Problem> {
    let name = org::person_name(&new.name)?;
    let post = org::post(&new.post)?;
    let rank = new.leader_rank;
    let added = in_area(state, reviewer, move |conn, area| {
        let Some(unit) = area
            .tree
            .unit(&new.unit_id)
            .filter(|_| area.contains(&new.unit_id))
        else {
            return Err(DbError::Refused(problem::UNIT_NOT_FOUND));
        };
        if Person::exists(conn, &unit.id, &name, &post)? {
            return Err(DbError::Refused(problem::PERSON_EXISTS));
        }
        let person = Person {
            id: new_id().into(),
            unit_id: unit.id.clone(),
            name,
            post,
            active: true,
            leader_rank: rank,
        };
        Person::insert(conn, &person)?;
        // Opinions already naming them are now about them too.
        subjects::derive_for_people(conn, &[PersonId::new(person.id.as_str())])?;
        Ok(person_view(person, unit.name.clone()))
    })
    .await?;
    log(state, reviewer, AuditAction::CreatePerson, &added.id).await?;
    Ok(added)
}

/// Withdraws a person from villagers' lists, or offers them again.
pub async fn set_person_active(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    active: bool,
) -> Result<(), Problem> {
    let person_id = PersonId::from(id);
    let log_id = person_id.clone();
    in_area(state, reviewer, move |conn, area| {
        let person = Person::find(conn, &person_id)?;
        if !area.contains(&person.unit_id) {
            return Err(DbError::Refused(problem::NOT_FOUND));
        }
        Person::set_active(conn, &person_id, active)
    })
    .await?;
    log(state, reviewer, AuditAction::ChangePerson, &log_id).await
}

/// Sets or clears a person's leader rank for 附件1.
pub async fn set_person_rank(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    rank: Option<LeaderRank>,
) -> Result<(), Problem> {
    let person_id = PersonId::from(id);
    let log_id = person_id.clone();
    in_area(state, reviewer, move |conn, area| {
        let person = Person::find(conn, &person_id)?;
        if !area.contains(&person.unit_id) {
            return Err(DbError::Refused(problem::NOT_FOUND));
        }
        Person::set_rank(conn, &person_id, rank.map(LeaderRank::as_str))
    })
    .await?;
    log(state, reviewer, AuditAction::ChangePerson, &log_id).await
}

/// A person of the area, or `PERSON_NOT_FOUND`.
pub(super) fn person_in_area(
    conn: &mut DbConnection,
    area: &AdminArea,
    id: &PersonId,
) -> Result<Person, DbError> {
    match Person::find(conn, id) {
        Ok(p) if area.contains(&p.unit_id) => Ok(p),
        Ok(_) | Err(DbError::NotFound) => Err(DbError::Refused(problem::PERSON_NOT_FOUND)),
        Err(e) => Err(e),
    }
}
