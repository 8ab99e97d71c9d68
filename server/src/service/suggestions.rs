//! Merging suggestions (归纳整理): groups of similar opinions in the group's queue, and for one
//! opinion the nearest opinions and open issues, by jieba TF-IDF similarity.

use vocabulary::issues::{OpinionSuggestions, SimilarGroup, SimilarIssue, SimilarOpinion};
use vocabulary::model::StaffOpinion;

use super::issues::staff_opinions;
use super::staff::Reviewer;
use super::{audit, db_problem, off_thread};
use crate::db::DbError;
use crate::db::issues::Issue;
use crate::db::opinions::Opinion;
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::similar::{self, Profile, SUGGEST_AT};
use crate::state::AppState;

/// How many of the newest unmerged opinions suggestions compare (pairwise, so bounded).
const COMPARED: i64 = 300;

/// Most open issues an opinion is compared with.
const OPEN_ISSUES_COMPARED: i64 = 100;

/// Most similar opinions and issues offered on an opinion's page.
const NEAREST: usize = 5;

/// Most suggested groups on the suggestions page.
const MOST_GROUPS: usize = 30;

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
