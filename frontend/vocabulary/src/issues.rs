//! Merged issues (问题, 归纳整理), their rectification measures (整改措施) and the ledger
//! (整改台账), shared by the server and the pages.

use serde::{Deserialize, Serialize};

use crate::model::{Category, Day, IssueId, MeasureId, OpinionState, StaffOpinion};

/// The states an issue can be in: an issue is taken up from the start and cannot be declined.
pub const ISSUE_STATES: [OpinionState; 4] = [
    OpinionState::Accepted,
    OpinionState::Assigned,
    OpinionState::Rectifying,
    OpinionState::Closed,
];

/// One issue: several similar opinions merged and handled as one.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IssueView {
    /// Random id.
    pub id: IssueId,
    /// The reviewer's short summary of the problem.
    pub title: String,
    /// The category most of its opinions have.
    pub category: Category,
    /// Handling state; every linked opinion follows it.
    pub state: OpinionState,
    /// Day it was found (merged), `YYYY-MM-DD`.
    pub found_on: Day,
    /// Day it was closed, while it is.
    pub closed_on: Option<Day>,
    /// How many opinions were merged into it (kept after retention deletes them).
    pub opinion_count: u32,
    /// The reply every linked villager reads on their receipt page.
    pub reply: Option<String>,
    /// Day of that reply.
    pub replied_on: Option<Day>,
    /// Measures set for it.
    pub measures_set: u32,
    /// Of those, how many are done.
    pub measures_done: u32,
    /// The linked opinions still kept (filled on the issue's own page).
    pub opinions: Vec<StaffOpinion>,
    /// Its measures (filled on the issue's own page and in the ledger).
    pub measures: Vec<MeasureView>,
}

/// One rectification measure (整改措施) of an issue.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MeasureView {
    /// Random id.
    pub id: MeasureId,
    /// What will be done.
    pub text: String,
    /// Who answers for it (name and post).
    pub responsible: String,
    /// The day it must be done by, `YYYY-MM-DD`.
    pub due_on: Day,
    /// Evidence that it was done (what was checked, documents, photos kept offline).
    pub evidence: Option<String>,
    /// Day it was marked done; `None` while in progress.
    pub done_on: Option<Day>,
    /// Day it was set.
    pub set_on: Day,
    /// Past its deadline and not done.
    pub overdue: bool,
}

/// Merge opinions into a new issue (`POST /api/v1/staff/issues`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewIssue {
    /// A short summary of the problem, 1–100 characters.
    pub title: String,
    /// The ids of the opinions to merge (1–200, all of the reviewer's group, not yet merged).
    pub opinions: Vec<String>,
}

/// Add opinions to an existing issue (`POST /api/v1/staff/issues/{id}/opinions`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IssueOpinions {
    /// The ids of the opinions to add.
    pub opinions: Vec<String>,
}

/// A reviewer's change to an issue (`PATCH /api/v1/staff/issues/{id}`); absent fields stay.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IssueUpdate {
    /// New summary.
    pub title: Option<String>,
    /// New state name: `accepted`, `assigned`, `rectifying` or `closed`.
    pub state: Option<String>,
    /// New reply to every linked villager; an empty string removes it.
    pub reply: Option<String>,
}

/// A new measure for an issue (`POST /api/v1/staff/issues/{id}/measures`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewMeasure {
    /// What will be done, 1–1,000 characters.
    pub text: String,
    /// Who answers for it, 1–100 characters.
    pub responsible: String,
    /// Deadline, `YYYY-MM-DD`, not before today.
    pub due_on: String,
}

/// Progress on a measure (`PATCH /api/v1/staff/measures/{id}`); absent fields stay.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MeasureUpdate {
    /// Evidence notes, up to 2,000 characters; an empty string removes them.
    pub evidence: Option<String>,
    /// `true` marks it done today, `false` back in progress.
    pub done: Option<bool>,
}

/// An opinion in a suggestion, with how similar it is to the group's first one.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SimilarOpinion {
    /// The opinion.
    pub opinion: StaffOpinion,
    /// Similarity to the group's first opinion, 0–100 (the first has 100).
    pub score: u8,
}

/// A group of similar opinions the workspace suggests merging.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SimilarGroup {
    /// The words they share most, to suggest a title.
    pub keywords: Vec<String>,
    /// The opinions, most similar first after the first.
    pub opinions: Vec<SimilarOpinion>,
}

/// An open issue similar to an opinion, to add it to.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SimilarIssue {
    /// The issue's id.
    pub id: IssueId,
    /// Its title.
    pub title: String,
    /// How many opinions it has.
    pub opinion_count: u32,
    /// Similarity, 0–100.
    pub score: u8,
}

/// What the workspace suggests for one opinion: similar unmerged opinions and open issues.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OpinionSuggestions {
    /// The issue it is already merged into, if it is.
    pub issue: Option<SimilarIssue>,
    /// It is merged into an issue the reviewer cannot see (the issue holds an opinion they
    /// are recused from or that is about them); it is handled there by the others.
    #[serde(default)]
    pub hidden_issue: bool,
    /// Similar opinions not yet merged.
    pub opinions: Vec<SimilarOpinion>,
    /// Open issues it could join.
    pub issues: Vec<SimilarIssue>,
}

/// The period of a ledger, as query parameters; both default to this year.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
pub struct LedgerQuery {
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
}

/// The figures the seeds report: "梳理发现问题10个,制定整改措施12条,已落实整改9条,正在落实的3条".
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LedgerFigures {
    /// Issues found in the period (发现问题).
    pub problems_found: u32,
    /// Opinions merged into them.
    pub opinions_merged: u32,
    /// Measures set for those issues (制定整改措施).
    pub measures_set: u32,
    /// Of those, done (已落实).
    pub measures_done: u32,
    /// Of those, still in progress (正在落实).
    pub measures_in_progress: u32,
    /// Of those in progress, past their deadline.
    pub measures_overdue: u32,
}

/// A leading group's rectification ledger for a period.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Ledger {
    /// The group's name.
    pub group: String,
    /// First day of the period.
    pub from: Day,
    /// Last day of the period.
    pub to: Day,
    /// The figures.
    pub figures: LedgerFigures,
    /// The issues found in the period with their measures (empty for read-only viewers).
    pub issues: Vec<IssueView>,
}

impl LedgerFigures {
    /// The seeds' sentence, e.g. "梳理发现问题10个,制定整改措施12条,已落实整改9条,正在落实的3条".
    pub fn sentence(&self, lang: crate::i18n::Lang) -> String {
        lang.t()
            .issues
            .ledger_sentence
            .replace("{found}", &self.problems_found.to_string())
            .replace("{set}", &self.measures_set.to_string())
            .replace("{done}", &self.measures_done.to_string())
            .replace("{in_progress}", &self.measures_in_progress.to_string())
    }
}
