//! What the leading group reads and sends: an opinion in the queue with its photos, masks and
//! subjects, the queue's filters and counts, the group's boxes, accounts and retention, and a
//! password change.

use serde::{Deserialize, Serialize};

use super::{
    AccountId, BoxId, Category, ChangeId, Contact, Day, Escalation, IssueId, OpinionId,
    OpinionState, PersonId, ThreadMessage,
};

/// A reviewer's question (`POST /api/v1/staff/opinions/{id}/messages`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffMessage {
    /// The question, 1–2,000 characters.
    pub text: String,
}

/// An opinion as a leading-group reviewer sees it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffOpinion {
    /// Random id.
    pub id: OpinionId,
    /// Name of the box it came through.
    pub box_name: String,
    /// Village of that box.
    pub village: String,
    /// The category the villager chose.
    pub category: Category,
    /// Day it was released to the group, `YYYY-MM-DD`: the only time reviewers see. (A held
    /// opinion, 待核, not released yet, shows the day its batch was received instead.)
    pub released_on: Day,
    /// Day it should be resolved by.
    pub due_on: Option<Day>,
    /// Past its due day and not yet closed or declined.
    pub overdue: bool,
    /// The opinion.
    pub text: String,
    /// Handling state.
    pub state: OpinionState,
    /// The reply the villager sees, if any.
    pub reply: Option<String>,
    /// Identifiers masked in the text before it was stored.
    pub masks: Vec<MaskCount>,
    /// Contact details, when the villager chose 实名.
    pub contact: Option<Contact>,
    /// The follow-up thread (filled in single-opinion responses, empty in lists).
    pub thread: Vec<ThreadMessage>,
    /// Attached photos (filled in single-opinion responses, empty in lists).
    pub photos: Vec<PhotoInfo>,
    /// Whom it is about, when the villager or a reviewer said.
    pub about: Option<String>,
    /// Why it came above the nearest leading group, if it did.
    pub escalation: Option<Escalation>,
    /// While nobody said whom it is about: the people and units a reviewer can tag.
    pub target_choices: Vec<crate::org::TargetChoice>,
    /// The issue it was merged into, if it was: it is then handled there.
    #[serde(default)]
    pub issue_id: Option<IssueId>,
}

/// A photo attached to an opinion, fetched from `…/opinions/{id}/photos/{number}`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PhotoInfo {
    /// Its number within the opinion, from 1.
    pub number: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// How many identifiers of one kind were masked in an opinion.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MaskCount {
    /// The kind of identifier.
    pub kind: crate::screening::IdentifierKind,
    /// How many were masked.
    pub count: u32,
}

/// A change a reviewer makes to an opinion (`PATCH /api/v1/staff/opinions/{id}`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OpinionUpdate {
    /// New state name, e.g. `accepted`.
    pub state: Option<String>,
    /// New reply text; an empty string removes the reply.
    pub reply: Option<String>,
}

/// A box as staff see it, with its printable QR links.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffBox {
    /// Random id.
    pub id: BoxId,
    /// The box's name.
    pub name: String,
    /// Its village.
    pub village: String,
    /// Its township.
    pub township: String,
    /// The public URL its QR code encodes.
    pub url: String,
}

/// One person an opinion is about, as reviewers see it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OpinionSubject {
    /// The person's id.
    pub person_id: PersonId,
    /// `王建国(张家村 村党支部书记)`.
    pub label: String,
    /// Why: `named` (the text names them), `chosen` (the villager), `tagged` (a reviewer) or
    /// `declared` (they stepped aside).
    pub sources: Vec<String>,
    /// Whether a removal may be proposed (only a match or a tag can be wrong).
    pub removable: bool,
}

/// A proposed removal of a subject, waiting for a second member to confirm it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SubjectProposal {
    /// The proposal's id, to confirm it by.
    pub id: ChangeId,
    /// The person proposed to be removed.
    pub person_id: PersonId,
    /// Their label.
    pub label: String,
    /// The sign-in name of whoever proposed it.
    pub proposed_by: String,
    /// The day it was proposed.
    pub proposed_on: Day,
}

/// Whom an opinion is about, and the removals waiting (`GET /api/v1/staff/subjects/{id}`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OpinionSubjects {
    /// Its subjects, by person.
    pub subjects: Vec<OpinionSubject>,
    /// Removals proposed and not yet confirmed.
    pub proposals: Vec<SubjectProposal>,
}

/// One account of a leading group as the group sees it: whose it is and who linked it
/// (`GET /api/v1/staff/subjects/accounts`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupAccount {
    /// The account's id, for confirming it.
    pub id: AccountId,
    /// Sign-in name.
    pub username: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role name.
    pub role: String,
    /// The person of the directory the account is linked to, if any.
    pub person: Option<String>,
    /// The sign-in name of whoever linked it, if anyone did through the system.
    pub linked_by: Option<String>,
    /// The day they did.
    pub linked_on: Option<Day>,
    /// The sign-in name of the member who confirmed the link, if one did (none, with a day,
    /// for the group's first member or a link made before confirmation existed).
    pub confirmed_by: Option<String>,
    /// The day the link was confirmed; `None` while the account waits (and reads no opinion).
    pub confirmed_on: Option<Day>,
    /// Whether the signed-in reviewer may confirm it now.
    pub confirmable: bool,
}

/// A leading group's settings and statistics (`GET /api/v1/staff/group`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupOverview {
    /// The group's name.
    pub name: String,
    /// Days closed opinions are kept before they are deleted (counts remain).
    pub retention_days: u32,
    /// Counts below this are hidden.
    pub min_group_size: u32,
    /// Opinions per village and category, kept and deleted alike.
    pub stats: CountTable,
}

/// Counts per village (rows) and category (columns); `null` marks a hidden count.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CountTable {
    /// The categories, in column order.
    pub columns: Vec<Category>,
    /// One row per village.
    pub rows: Vec<CountRow>,
    /// Per category, all villages together.
    pub column_totals: Vec<Option<u32>>,
    /// Everything.
    pub total: Option<u32>,
}

/// One village's counts.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CountRow {
    /// The village.
    pub village: String,
    /// Per category, in column order.
    pub cells: Vec<Option<u32>>,
    /// All categories.
    pub total: Option<u32>,
}

/// A change to the group's retention (`PUT /api/v1/staff/group`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RetentionUpdate {
    /// Days to keep closed opinions, 30 to 3650.
    pub retention_days: u32,
}

/// Filters and position in the reviewer's queue, as query parameters. Empty values are ignored.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
pub struct QueueQuery {
    /// A state name, e.g. `accepted`.
    pub state: Option<String>,
    /// A category name, e.g. `conduct`.
    pub category: Option<String>,
    /// A village name.
    pub village: Option<String>,
    /// Whom the opinions are about: `person:ID` or `unit:ID`.
    pub about: Option<String>,
    /// `1` for overdue opinions only.
    pub overdue: Option<String>,
    /// Released on or after this day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Released on or before this day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Words the text contains.
    pub q: Option<String>,
    /// The cursor of the next page, as returned in `X-Next-Cursor`.
    pub after: Option<String>,
}

/// How many of the reviewer's opinions are in one state.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StateCount {
    /// The state.
    pub state: OpinionState,
    /// How many.
    pub count: u32,
}

/// A signed-in account changes its own password (`PUT /api/v1/staff/password`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The current password.
    pub current: String,
    /// The new one: at least 10 characters.
    pub new: String,
}
