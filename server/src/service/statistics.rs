//! The statistics tables 附件1–3 of a group's area and year, the roll-up of a county's
//! townships, their downloads, and the leader-review register they count.

use std::collections::{HashMap, HashSet};

use vocabulary::appraisal::Choice;
use vocabulary::i18n::Lang;
use vocabulary::model::GroupId;
use vocabulary::org::{UnitCategory, UnitKind};
use vocabulary::statistics::{NewReviews, ReviewBatch, ReviewRegister, StatisticsReport};

use super::staff::Reviewer;
use super::{Download, audit, db_problem, off_thread};
use crate::db::people::Person;
use crate::db::reviews::{LeaderReview, appraised_between};
use crate::db::units::{LeadingGroup, Unit, UnitTree};
use crate::db::{DbConnection, DbError};
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::domain::statistics::{Facts, Reviewed, rollup_line, tables, tally};
use crate::sheets::{self, SheetFormat};
use crate::state::AppState;

/// The year asked for, this year when none; 2000 to next year.
pub fn checked_year(year: Option<i32>, today: &str) -> Result<i32, Problem> {
    let this_year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
    let year = year.unwrap_or(this_year);
    if (2000..=this_year + 1).contains(&year) {
        Ok(year)
    } else {
        Err(problem::STAT_YEAR_INVALID)
    }
}

/// An area as the tables see it: its units and its active people.
struct Area {
    /// The group's unit.
    root: Unit,
    /// Every unit of the area, the root first, with its depth below it.
    units: Vec<(Unit, u32)>,
    /// The active people of the area, with their unit's id.
    people: Vec<Person>,
}

impl Area {
    fn load(conn: &mut DbConnection, group_id: &GroupId) -> Result<Area, DbError> {
        let unit_id = LeadingGroup::find(conn, group_id)?.unit_id;
        let tree = UnitTree::load(conn)?;
        let units: Vec<(Unit, u32)> = tree
            .subtree(&unit_id)
            .into_iter()
            .map(|(u, d)| (u.clone(), d))
            .collect();
        let root = units
            .first()
            .map(|(u, _)| u.clone())
            .ok_or(DbError::NotFound)?;
        let ids: Vec<&str> = units.iter().map(|(u, _)| u.id.as_str()).collect();
        let people = Person::in_units(conn, &ids, false)?
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        Ok(Area {
            root,
            units,
            people,
        })
    }

    /// The ids of every unit and person of the area.
    fn ids(&self) -> HashSet<&str> {
        self.units
            .iter()
            .map(|(u, _)| u.id.as_str())
            .chain(self.people.iter().map(|p| p.id.as_str()))
            .collect()
    }

    fn category(unit: &Unit) -> Option<UnitCategory> {
        unit.category
    }

    /// The people the tables count as members: those of units with a category.
    fn members(&self) -> impl Iterator<Item = &Person> {
        let counted: HashSet<&str> = self
            .units
            .iter()
            .filter(|(u, _)| Area::category(u).is_some())
            .map(|(u, _)| u.id.as_str())
            .collect();
        self.people
            .iter()
            .filter(move |p| counted.contains(p.unit_id.as_str()))
    }

    /// The facts of the units in `within` (every unit when `None`).
    fn facts(
        &self,
        within: Option<&HashSet<&str>>,
        reviews: &[LeaderReview],
        appraised: &HashSet<String>,
    ) -> Facts {
        let inside = |unit_id: &str| within.is_none_or(|w| w.contains(unit_id));
        let categories: HashMap<&str, Option<UnitCategory>> = self
            .units
            .iter()
            .map(|(u, _)| (u.id.as_str(), Area::category(u)))
            .collect();
        Facts {
            organisations: self
                .units
                .iter()
                .filter(|(u, _)| inside(&u.id))
                .filter_map(|(u, _)| Area::category(u).map(|c| (u.id.to_string(), c)))
                .collect(),
            people: self
                .people
                .iter()
                .filter(|p| inside(&p.unit_id))
                .map(|p| {
                    (
                        p.id.to_string(),
                        categories.get(p.unit_id.as_str()).copied().flatten(),
                        p.leader_rank,
                    )
                })
                .collect(),
            reviews: reviews
                .iter()
                .filter_map(|r| {
                    let pass = u8::try_from(r.pass).ok()?;
                    Some((pass, r.reviewer_id.to_string(), r.subject_id.clone()))
                })
                .collect(),
            appraised: appraised.clone(),
        }
    }

    /// The units below the root (depth 1) with the ids of their whole subtrees.
    fn branches(&self) -> Vec<(&Unit, HashSet<&str>)> {
        let mut out: Vec<(&Unit, HashSet<&str>)> = Vec::new();
        for (unit, depth) in &self.units {
            match depth {
                0 => {}
                1 => out.push((unit, HashSet::from([unit.id.as_str()]))),
                _ => {
                    if let Some((_, ids)) = out.last_mut() {
                        ids.insert(unit.id.as_str());
                    }
                }
            }
        }
        out
    }
}

/// The tables of the reviewer's area for `year`; a county also gets a line per township.
pub async fn report(
    state: &AppState,
    reviewer: &Reviewer,
    year: Option<i32>,
    lang: Lang,
) -> Result<StatisticsReport, Problem> {
    let group_id = reviewer.group_for(Permission::ViewStatistics)?;
    let day = today();
    let year = checked_year(year, &day)?;
    let report = state
        .db(move |conn| {
            let area = Area::load(conn, &group_id)?;
            let last = format!("{year}-12-31").min(day.to_string());
            // Only what concerns the area: each township's tally below walks these again.
            let ids = area.ids();
            let reviews: Vec<LeaderReview> = LeaderReview::of_year(conn, year)?
                .into_iter()
                .filter(|r| {
                    ids.contains(r.subject_id.as_str()) || ids.contains(r.reviewer_id.as_str())
                })
                .collect();
            let appraised: HashSet<String> =
                appraised_between(conn, &format!("{year}-01-01"), &last)?
                    .into_iter()
                    .filter(|subject| ids.contains(subject.as_str()))
                    .collect();
            let whole = tally(&area.facts(None, &reviews, &appraised));
            let rollup = if area.root.kind == UnitKind::County {
                area.branches()
                    .into_iter()
                    .filter(|(unit, _)| unit.kind == UnitKind::Township)
                    .map(|(unit, ids)| {
                        let part = tally(&area.facts(Some(&ids), &reviews, &appraised));
                        rollup_line(&unit.name, &part)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Ok(StatisticsReport {
                place: area.root.name.clone(),
                year,
                made_on: day,
                tables: tables(&whole, lang),
                rollup,
                total: rollup_line(lang.t().statistics.st_total, &whole),
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::ViewStatistics, None).await?;
    Ok(report)
}

/// Which file of the tables: the workbook of all, or one table as CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TablesFile {
    /// 附件1–3 (and the roll-up) as one workbook.
    Workbook,
    /// One table (`leaders`, `organisations`, `members` or `townships`) as CSV.
    Csv(&'static str),
}

impl TablesFile {
    /// From `tables.xlsx` or `{key}.csv`.
    pub fn parse(name: &str) -> Option<TablesFile> {
        let (stem, ext) = name.rsplit_once('.')?;
        match SheetFormat::from_extension(ext)? {
            SheetFormat::Xlsx => (stem == "tables").then_some(TablesFile::Workbook),
            SheetFormat::Csv => ["leaders", "organisations", "members", "townships"]
                .into_iter()
                .find(|k| *k == stem)
                .map(TablesFile::Csv),
        }
    }
}

/// The tables as a download.
pub async fn tables_download(
    state: &AppState,
    reviewer: &Reviewer,
    year: Option<i32>,
    file: TablesFile,
    lang: Lang,
) -> Result<Download, Problem> {
    let report = report(state, reviewer, year, lang).await?;
    let made = off_thread(move || match file {
        TablesFile::Workbook => sheets::tables_workbook(&report, lang)
            .map(|b| Download::xlsx(format!("tables-{}.xlsx", report.year), b))
            .map_err(|e| e.to_string()),
        TablesFile::Csv(key) => sheets::tables_csv(&report, key, lang)
            .map(|b| Download::csv(format!("{key}-{}.csv", report.year), b))
            .map_err(|e| e.to_string()),
    })
    .await?
    .map_err(|e| {
        tracing::error!(error = %e, "cannot write the statistics tables");
        problem::INTERNAL
    })?;
    audit::record(state, &reviewer.staff.id, AuditAction::ExportTables, None).await?;
    Ok(made)
}

/// A person as the register lists them: name and post.
fn person_label(p: &Person) -> String {
    if p.post.is_empty() {
        p.name.clone()
    } else {
        format!("{}（{}）", p.name, p.post)
    }
}

/// The group's leader-review register for `year`, and whom it may choose.
pub async fn register(
    state: &AppState,
    reviewer: &Reviewer,
    year: Option<i32>,
) -> Result<ReviewRegister, Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let year = checked_year(year, &today())?;
    state
        .db(move |conn| {
            let area = Area::load(conn, &group_id)?;
            let units: Vec<Choice> = area
                .units
                .iter()
                .filter(|(u, _)| Area::category(u).is_some())
                .map(|(u, _)| Choice {
                    id: u.id.to_string(),
                    label: u.name.clone(),
                })
                .collect();
            let members: Vec<Choice> = area
                .members()
                .map(|p| Choice {
                    id: p.id.to_string(),
                    label: person_label(p),
                })
                .collect();
            let leaders: Vec<Choice> = area
                .people
                .iter()
                .filter(|p| p.leader_rank.is_some())
                .map(|p| Choice {
                    id: p.id.to_string(),
                    label: person_label(p),
                })
                .collect();
            let names: HashMap<&str, &str> = units
                .iter()
                .chain(&members)
                .chain(&leaders)
                .map(|c| (c.id.as_str(), c.label.as_str()))
                .collect();
            let mut batches: Vec<ReviewBatch> = Vec::new();
            let own = LeaderReview::of_year(conn, year)?
                .into_iter()
                .filter(|r| r.leading_group_id == group_id);
            for review in own {
                let pass = u8::try_from(review.pass).unwrap_or(1);
                let same = |b: &ReviewBatch| b.pass == pass && b.reviewer_id == review.reviewer_id;
                if !batches.iter().any(same) {
                    let reviewer = names
                        .get(review.reviewer_id.as_str())
                        .map_or_else(|| review.reviewer_id.to_string(), |n| n.to_string());
                    batches.push(ReviewBatch {
                        pass,
                        reviewer_id: review.reviewer_id.clone(),
                        reviewer,
                        units: Vec::new(),
                        people: Vec::new(),
                    });
                }
                let Some(batch) = batches.iter_mut().find(|b| same(b)) else {
                    continue;
                };
                let name = names
                    .get(review.subject_id.as_str())
                    .map_or_else(|| review.subject_id.clone(), |n| n.to_string());
                if review.subject_kind == Reviewed::Unit {
                    batch.units.push(name);
                } else {
                    batch.people.push(name);
                }
            }
            for batch in &mut batches {
                batch.units.sort();
                batch.people.sort();
            }
            Ok(ReviewRegister {
                year,
                batches,
                leaders,
                units,
                members,
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// Records that a leader of the area reviewed organisations and members of the area in a pass;
/// returns how many reviews were new.
pub async fn record(
    state: &AppState,
    reviewer: &Reviewer,
    new: &NewReviews,
) -> Result<u32, Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let year = checked_year(Some(new.year), &today())?;
    if !(1..=2).contains(&new.pass) {
        return Err(problem::REVIEW_PASS_INVALID);
    }
    if new.units.is_empty() && new.people.is_empty() {
        return Err(problem::REVIEW_SUBJECTS_INVALID);
    }
    let new = new.clone();
    let leader = new.reviewer.clone();
    let added = state
        .db(move |conn| {
            let area = Area::load(conn, &group_id)?;
            let is_leader = area
                .people
                .iter()
                .any(|p| p.id == new.reviewer && p.leader_rank.is_some());
            if !is_leader {
                return Err(DbError::Refused(problem::REVIEW_REVIEWER_INVALID));
            }
            let organisations: HashSet<&str> = area
                .units
                .iter()
                .filter(|(u, _)| Area::category(u).is_some())
                .map(|(u, _)| u.id.as_str())
                .collect();
            let people: HashSet<&str> = area.members().map(|p| p.id.as_str()).collect();
            let known = new.units.iter().all(|u| organisations.contains(u.as_str()))
                && new.people.iter().all(|p| people.contains(p.as_str()));
            if !known {
                return Err(DbError::Refused(problem::REVIEW_SUBJECTS_INVALID));
            }
            let subjects: Vec<(Reviewed, String)> = new
                .units
                .iter()
                .map(|u| (Reviewed::Unit, u.clone()))
                .chain(new.people.iter().map(|p| (Reviewed::Person, p.clone())))
                .collect();
            let pass = i32::from(new.pass);
            LeaderReview::record(conn, &group_id, (year, pass), &new.reviewer, &subjects)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::RecordReviews,
        Some(&leader),
    )
    .await?;
    Ok(added)
}

/// Deletes what the group recorded for one reviewer in one pass of a year.
pub async fn remove(
    state: &AppState,
    reviewer: &Reviewer,
    (year, pass): (i32, u8),
    reviewer_id: &str,
) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::RunAppraisal)?;
    let year = checked_year(Some(year), &today())?;
    let leader = reviewer_id.to_string();
    state
        .db(move |conn| {
            LeaderReview::delete_batch(conn, &group_id, (year, i32::from(pass)), &leader)
        })
        .await
        .map_err(|e| db_problem(e, problem::REVIEWS_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::DeleteReviews,
        Some(reviewer_id),
    )
    .await
}
