//! Merging (归纳整理) and rectification (整改): reviewers merge similar opinions into issues,
//! answer every linked villager at once, set measures and keep the ledger.

use frontend::issues::{
    IssueOpinions, IssueUpdate, IssueView, Ledger, LedgerFigures, LedgerQuery, MeasureUpdate,
    MeasureView, NewIssue, NewMeasure, OpinionSuggestions, SimilarGroup, SimilarIssue,
    SimilarOpinion,
};
use frontend::model::{Category, OpinionState, StaffOpinion};

use super::reviewing::to_staff_opinion;
use super::staff::Reviewer;
use super::{Download, audit, db_problem, off_thread, targets};
use crate::db::issues::{Issue, IssueHandling, Measure, Progress};
use crate::db::opinions::{Opinion, QueuedOpinion, Scope};
use crate::db::people::Person;
use crate::db::units::{LeadingGroup, UnitTree};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::day::{kept_day, reply_day, today};
use crate::domain::issue::{
    MeasureProgress, ledger_figures, ledger_period, main_category, validate_evidence,
    validate_issue_update, validate_measure, validate_opinion_ids, validate_title,
};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::similar::{self, Profile, SUGGEST_AT};
use crate::state::AppState;

/// Most issues listed on one page.
const LIST_LIMIT: i64 = 200;
/// How many of the newest unmerged opinions suggestions compare (pairwise, so bounded).
const COMPARED: i64 = 300;
/// Most open issues an opinion is compared with.
const OPEN_ISSUES_COMPARED: i64 = 100;
/// Most similar opinions and issues offered on an opinion's page.
const NEAREST: usize = 5;
/// Most suggested groups on the suggestions page.
const MOST_GROUPS: usize = 30;

/// An issue as reviewers see it, with its measures; `opinions` is filled by the caller.
fn issue_view(issue: Issue, measures: &[Measure], today: &str) -> Result<IssueView, DbError> {
    let corrupt = || {
        DbError::Corrupt(format!(
            "issue {} has an unknown category or state",
            issue.id
        ))
    };
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
        category: Category::parse(&issue.category).ok_or_else(corrupt)?,
        state: OpinionState::parse(&issue.state).ok_or_else(corrupt)?,
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
fn with_measures(
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
fn staff_opinions(
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
    let id = id.to_string();
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
fn area_people(conn: &mut DbConnection, group_id: &str) -> Result<Vec<String>, DbError> {
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
    Ok(found
        .iter()
        .filter_map(|(_, c)| Category::parse(c))
        .collect())
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
) -> Result<String, Problem> {
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
                    id: new_id(),
                    leading_group_id: scope.group_id.clone(),
                    title,
                    category: category.as_str().to_string(),
                    state: OpinionState::Accepted.as_str().to_string(),
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
    let issue_id = issue_id.to_string();
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
    issue_id: &str,
    opinion_id: &str,
) -> Result<(), Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let (issue_id, opinion) = (issue_id.to_string(), opinion_id.to_string());
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
    let id = id.to_string();
    let log_id = id.clone();
    state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let current = Issue::find_to_handle(conn, &id, &scope)?;
                let title = change.title.unwrap_or(current.title);
                let new_state = change
                    .state
                    .map_or(current.state, |s| s.as_str().to_string());
                let reply = change.reply.unwrap_or(current.reply.clone());
                let replied_on = reply_day(
                    current.reply.as_deref(),
                    current.replied_on,
                    reply.as_deref(),
                );
                let closed = new_state == OpinionState::Closed.as_str();
                let closed_on = kept_day(closed, current.closed_on);
                let handling = IssueHandling {
                    title: &title,
                    state: &new_state,
                    reply: reply.as_deref(),
                    replied_on: replied_on.as_deref(),
                    closed_on: closed_on.as_deref(),
                };
                Issue::update_handling(conn, &current.id, &handling)
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::ISSUE_NOT_FOUND))?;
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
) -> Result<String, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let day = today();
    let valid = validate_measure(new, &day)?;
    let issue_id = issue_id.to_string();
    let log_id = issue_id.clone();
    let id = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let issue = Issue::find_to_handle(conn, &issue_id, &scope)?;
                let measure = Measure {
                    id: new_id(),
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
) -> Result<String, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let evidence = validate_evidence(update.evidence.as_deref())?;
    let done = update.done;
    let id = measure_id.to_string();
    let log_id = id.clone();
    let issue_id = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                let current = Measure::find(conn, &id, &scope)?;
                let evidence = evidence.unwrap_or(current.evidence);
                let done_on = match done {
                    Some(done) => kept_day(done, current.done_on),
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

/// Groups of similar unmerged opinions the workspace suggests merging, with their scores.
pub async fn suggestions(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<Vec<SimilarGroup>, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let day = today();
    let opinions = state
        .db(move |conn| {
            let rows = Opinion::unmerged(conn, &scope, COMPARED)?;
            staff_opinions(conn, rows, &day)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(state, &reviewer.staff.id, AuditAction::ViewQueue, None).await?;
    off_thread(move || {
        let profiles: Vec<Profile> = opinions.iter().map(|o| Profile::of(&o.text)).collect();
        similar::groups(&profiles, SUGGEST_AT)
            .into_iter()
            .take(MOST_GROUPS)
            .map(|group| {
                let members: Vec<&Profile> = group.iter().map(|(i, _)| &profiles[*i]).collect();
                SimilarGroup {
                    keywords: similar::shared_words(&members, 4),
                    opinions: group
                        .iter()
                        .map(|(i, score)| SimilarOpinion {
                            opinion: opinions[*i].clone(),
                            score: similar::percent(*score),
                        })
                        .collect(),
                }
            })
            .collect()
    })
    .await
}

/// What an opinion's page compares, read in one round trip.
enum Around {
    /// It is merged already: the issue, or `None` when the issue holds an opinion hidden from
    /// the reviewer (and so is hidden as a whole).
    Merged(Option<SimilarIssue>),
    /// It is not: the other unmerged opinions, the open issues and those issues' texts.
    Open(Vec<StaffOpinion>, Vec<Issue>, Vec<(String, String)>),
}

/// What the workspace suggests for one of the reviewer's opinions: the issue it is in, or the
/// similar unmerged opinions and open issues it could join.
pub async fn for_opinion(
    state: &AppState,
    reviewer: &Reviewer,
    opinion: &StaffOpinion,
) -> Result<OpinionSuggestions, Problem> {
    let scope = reviewer.scope(Permission::HandleOpinions)?;
    let day = today();
    let (id, text, issue_id) = (
        opinion.id.clone(),
        opinion.text.clone(),
        opinion.issue_id.clone(),
    );
    let around = state
        .db(move |conn| {
            if let Some(issue_id) = issue_id {
                let issue = match Issue::find(conn, &issue_id, &scope) {
                    Ok(issue) => Some(similar_issue(&issue, 100)),
                    Err(DbError::NotFound) => None,
                    Err(e) => return Err(e),
                };
                return Ok(Around::Merged(issue));
            }
            let rows = Opinion::unmerged(conn, &scope, COMPARED)?
                .into_iter()
                .filter(|r| r.opinion.id != id)
                .collect();
            let others = staff_opinions(conn, rows, &day)?;
            let open = Issue::list(conn, &scope, true, OPEN_ISSUES_COMPARED)?;
            let ids: Vec<&str> = open.iter().map(|i| i.id.as_str()).collect();
            let texts = Issue::texts(conn, &ids, &scope)?;
            Ok(Around::Open(others, open, texts))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    let (others, open, texts) = match around {
        Around::Merged(issue) => {
            return Ok(OpinionSuggestions {
                hidden_issue: issue.is_none(),
                issue,
                ..OpinionSuggestions::default()
            });
        }
        Around::Open(others, open, texts) => (others, open, texts),
    };
    off_thread(move || {
        let profile = Profile::of(&text);
        let profiles: Vec<Profile> = others.iter().map(|o| Profile::of(&o.text)).collect();
        let opinions = similar::nearest(&profile, &profiles, SUGGEST_AT, NEAREST)
            .into_iter()
            .map(|(i, score)| SimilarOpinion {
                opinion: others[i].clone(),
                score: similar::percent(score),
            })
            .collect();
        let issue_profiles: Vec<Profile> = open
            .iter()
            .map(|issue| {
                let mut all = issue.title.clone();
                for (_, body) in texts.iter().filter(|(i, _)| *i == issue.id) {
                    all.push('\n');
                    all.push_str(body);
                }
                Profile::of(&all)
            })
            .collect();
        let issues = similar::nearest(&profile, &issue_profiles, SUGGEST_AT, NEAREST)
            .into_iter()
            .map(|(i, score)| similar_issue(&open[i], similar::percent(score)))
            .collect();
        OpinionSuggestions {
            issue: None,
            hidden_issue: false,
            opinions,
            issues,
        }
    })
    .await
}

/// An issue offered to join, with its score.
fn similar_issue(issue: &Issue, score: u8) -> SimilarIssue {
    SimilarIssue {
        id: issue.id.clone(),
        title: issue.title.clone(),
        opinion_count: u32::try_from(issue.opinion_count).unwrap_or_default(),
        score,
    }
}

/// The group's rectification ledger for a period, and whether the reviewer may read its issues
/// (members) or only its figures (viewers).
pub async fn ledger(
    state: &AppState,
    reviewer: &Reviewer,
    query: &LedgerQuery,
) -> Result<(Ledger, bool), Problem> {
    let scope = reviewer.scope(Permission::ViewStatistics)?;
    let full = reviewer.require(Permission::HandleOpinions).is_ok();
    let day = today();
    let (from, to) = ledger_period(query.from.as_deref(), query.to.as_deref(), &day)?;
    let (period_from, period_to, on) = (from.clone(), to.clone(), day.clone());
    let (group, issues) = state
        .db(move |conn| {
            let group = LeadingGroup::find(conn, &scope.group_id)?.name;
            let issues = Issue::found_between(conn, &scope, &period_from, &period_to)?;
            Ok((group, with_measures(conn, issues, &on)?))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    let figures = figures_of(&issues, &day);
    audit::record(state, &reviewer.staff.id, AuditAction::ViewLedger, None).await?;
    let ledger = Ledger {
        group,
        from,
        to,
        figures,
        issues: if full { issues } else { Vec::new() },
    };
    Ok((ledger, full))
}

/// The ledger figures of the issues a group found from `from` to `to`, all of them counted.
pub(crate) fn group_figures(
    conn: &mut DbConnection,
    group_id: &str,
    from: &str,
    to: &str,
    today: &str,
) -> Result<LedgerFigures, DbError> {
    let issues = Issue::found_between(conn, &Scope::whole_group(group_id), from, to)?;
    Ok(figures_of(&with_measures(conn, issues, today)?, today))
}

/// The ledger figures of issues with their measures.
fn figures_of(issues: &[IssueView], today: &str) -> LedgerFigures {
    let progress: Vec<(u32, Vec<MeasureProgress<'_>>)> = issues
        .iter()
        .map(|i| {
            let measures = i
                .measures
                .iter()
                .map(|m| MeasureProgress {
                    due_on: &m.due_on,
                    done: m.done_on.is_some(),
                })
                .collect();
            (i.opinion_count, measures)
        })
        .collect();
    ledger_figures(progress.iter().map(|(n, m)| (*n, m.as_slice())), today)
}

/// The ledger of a period as an Excel workbook: what the reviewer may read of it, no more.
pub async fn ledger_workbook(
    state: &AppState,
    reviewer: &Reviewer,
    query: &LedgerQuery,
    lang: frontend::i18n::Lang,
) -> Result<Download, Problem> {
    let (ledger, _) = ledger(state, reviewer, query).await?;
    let name = format!("ledger-{}-{}.xlsx", ledger.from, ledger.to);
    let bytes = off_thread(move || crate::sheets::ledger_workbook(&ledger, lang))
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "cannot write the ledger workbook");
            problem::INTERNAL
        })?;
    audit::record(state, &reviewer.staff.id, AuditAction::ExportLedger, None).await?;
    Ok(Download::xlsx(name, bytes))
}
