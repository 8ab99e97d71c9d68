//! Bulk imports of units and people from CSV or XLSX: planned in `domain::import`, stored
//! here in one transaction.

use std::collections::HashSet;
use vocabulary::model::PersonId;

use vocabulary::i18n::Lang;
use vocabulary::org::ImportReport;

use crate::db::people::Person;
use crate::db::subjects;
use crate::db::units::{LeadingGroup, Unit};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::import::{self, Area, KnownUnit};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::service::staff::Reviewer;
use crate::state::AppState;

use super::{in_area, log};

/// Which kind of rows an import file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// Units (上级, 名称, 层级, 类别, 领导小组).
    Units,
    /// People (单位, 姓名, 职务).
    People,
}

impl ImportKind {
    /// `units` or `people`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Units => "units",
            ImportKind::People => "people",
        }
    }

    /// Parses `units` or `people`.
    pub fn parse(name: &str) -> Option<ImportKind> {
        match name {
            "units" => Some(ImportKind::Units),
            "people" => Some(ImportKind::People),
            _ => None,
        }
    }
}

/// Imports units or people from a CSV file: all rows or none.
pub async fn import(
    state: &AppState,
    reviewer: &Reviewer,
    kind: ImportKind,
    bytes: &[u8],
    lang: Lang,
) -> Result<ImportReport, Problem> {
    reviewer.group_for(Permission::ManageOrganisation)?;
    let text = match import::decode(bytes) {
        Ok(text) => text,
        // Told like a missing column: the report lists what is wrong with the file.
        Err(p) if p == problem::IMPORT_NOT_CSV => {
            return Ok(ImportReport {
                imported: 0,
                errors: vec![import::file_error(&p, lang)],
            });
        }
        Err(p) => return Err(p),
    };
    let report = in_area(state, reviewer, move |conn, area| {
        let known: Vec<KnownUnit> = area
            .tree
            .subtree(&area.root)
            .into_iter()
            .map(|(u, _)| {
                Ok(KnownUnit {
                    id: u.id.to_string(),
                    parent_id: u.parent_id.clone().map(String::from),
                    name: u.name.clone(),
                    kind: u.kind,
                })
            })
            .collect::<Result<_, DbError>>()?;
        let Some(mut index) = Area::new(known) else {
            return Err(DbError::Refused(problem::NOT_FOUND));
        };
        let stored = match kind {
            ImportKind::Units => import::plan_units(&text, &mut index, new_id, lang)
                .map(|plan| store_units(conn, &plan)),
            ImportKind::People => {
                let existing: HashSet<(String, String, String)> =
                    Person::in_units(conn, &area.unit_refs(), true)?
                        .into_iter()
                        .map(|(p, _)| (p.unit_id.into(), p.name, p.post))
                        .collect();
                import::plan_people(&text, &index, &existing, lang)
                    .map(|plan| store_people(conn, &plan))
            }
        };
        match stored {
            Ok(count) => Ok(ImportReport {
                imported: count?,
                errors: Vec::new(),
            }),
            Err(errors) => Ok(ImportReport {
                imported: 0,
                errors,
            }),
        }
    })
    .await?;
    // The trail names what kind of rows were imported; the rows are in the tables.
    if report.errors.is_empty() {
        log(state, reviewer, AuditAction::Import, kind.as_str()).await?;
    }
    Ok(report)
}

fn store_units(conn: &mut DbConnection, plan: &[import::PlannedUnit]) -> Result<u32, DbError> {
    for unit in plan {
        Unit::insert(
            conn,
            &Unit {
                id: unit.id.clone().into(),
                parent_id: Some(unit.parent_id.clone().into()),
                name: unit.name.clone(),
                kind: unit.kind,
                category: unit.category,
            },
        )?;
        if let Some(group) = &unit.group {
            LeadingGroup::save_for_unit(
                conn,
                &unit.id.as_str().into(),
                group,
                None,
                new_id().into(),
            )?;
        }
    }
    Ok(u32::try_from(plan.len()).unwrap_or(u32::MAX))
}

fn store_people(conn: &mut DbConnection, plan: &[import::PlannedPerson]) -> Result<u32, DbError> {
    let mut added = Vec::with_capacity(plan.len());
    for person in plan {
        let id = PersonId::from(new_id());
        added.push(id.clone());
        Person::insert(
            conn,
            &Person {
                id,
                unit_id: person.unit_id.clone().into(),
                name: person.name.clone(),
                post: person.post.clone(),
                active: true,
                leader_rank: person.leader_rank,
            },
        )?;
    }
    subjects::derive_for_people(conn, &added)?;
    Ok(u32::try_from(plan.len()).unwrap_or(u32::MAX))
}
