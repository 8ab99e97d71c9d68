//! Types shared by the server and the browser: categories, states and the JSON API's bodies.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Longest opinion text accepted, in characters after trimming.
pub const MAX_OPINION_CHARS: usize = 2000;
/// The most photos an opinion may carry.
pub const MAX_PHOTOS: usize = 3;

/// What an opinion is about, as chosen by the villager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 建议
    Suggestion,
    /// 作风问题
    Conduct,
    /// 办事不公
    Unfairness,
    /// 违反组织原则
    Discipline,
    /// 涉及隐私
    Privacy,
    /// 其他
    Other,
}

impl Category {
    /// Every category, in the order the form shows them.
    pub const ALL: [Category; 6] = [
        Category::Suggestion,
        Category::Conduct,
        Category::Unfairness,
        Category::Discipline,
        Category::Privacy,
        Category::Other,
    ];

    /// The stable name used in forms, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Suggestion => "suggestion",
            Category::Conduct => "conduct",
            Category::Unfairness => "unfairness",
            Category::Discipline => "discipline",
            Category::Privacy => "privacy",
            Category::Other => "other",
        }
    }

    /// Parses the stable name; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().categories[self as usize]
    }

    /// A picture for readers who read little.
    pub fn icon(self) -> &'static str {
        match self {
            Category::Suggestion => "💡",
            Category::Conduct => "🧭",
            Category::Unfairness => "⚖️",
            Category::Discipline => "🚩",
            Category::Privacy => "🔒",
            Category::Other => "💬",
        }
    }
}

/// Where an opinion stands in the leading group's handling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpinionState {
    /// 新收: released to the group, not yet looked at.
    New,
    /// 已受理: taken up by the group.
    Accepted,
    /// 已交办: handed to someone to resolve.
    Assigned,
    /// 整改中: being put right.
    Rectifying,
    /// 已办结: resolved and closed.
    Closed,
    /// 不予受理: not taken up; the reply gives the reason the villager reads.
    Rejected,
}

impl OpinionState {
    /// Every state, in workflow order.
    pub const ALL: [OpinionState; 6] = [
        OpinionState::New,
        OpinionState::Accepted,
        OpinionState::Assigned,
        OpinionState::Rectifying,
        OpinionState::Closed,
        OpinionState::Rejected,
    ];

    /// The stable name used in forms, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OpinionState::New => "new",
            OpinionState::Accepted => "accepted",
            OpinionState::Assigned => "assigned",
            OpinionState::Rectifying => "rectifying",
            OpinionState::Closed => "closed",
            OpinionState::Rejected => "rejected",
        }
    }

    /// Parses the stable name; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether handling has ended (closed or not accepted): no longer due, and retention runs.
    pub fn is_final(self) -> bool {
        matches!(self, OpinionState::Closed | OpinionState::Rejected)
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().opinion_states[self as usize]
    }
}

/// A new opinion sent to a box (`POST /api/v1/boxes/{code}/opinions`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewOpinion {
    /// One of the category names, e.g. `conduct`.
    pub category: String,
    /// The opinion itself, 1–2,000 characters.
    pub text: String,
    /// Name and phone for a call back (实名); absent for an anonymous opinion (the default).
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Whom it is about, when the villager chose: `person:ID` or `unit:ID` from the box's list.
    #[serde(default)]
    pub about: Option<String>,
    /// 越级反映: send it to the leading group one level above the usual one.
    #[serde(default)]
    pub escalate: bool,
    /// A random key the phone made for this opinion (32 hex digits): sent again after a lost
    /// connection, it returns the same receipt and the opinion is stored once.
    #[serde(default)]
    pub submission_key: Option<String>,
    /// The token the box page handed out (its hidden `box_token` field): required, good for
    /// 48 hours, spent by this submission (sending the same one again with the same
    /// `submission_key` is still accepted).
    #[serde(default)]
    pub box_token: Option<String>,
}

/// Why an opinion went above the nearest leading group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// The villager asked for it (越级反映).
    Requested,
    /// It is about the head of the group that would have handled it.
    HeadNamed,
}

impl Escalation {
    /// The stable name stored with the opinion.
    pub fn as_str(self) -> &'static str {
        match self {
            Escalation::Requested => "requested",
            Escalation::HeadNamed => "head_named",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        [Escalation::Requested, Escalation::HeadNamed]
            .into_iter()
            .find(|e| e.as_str() == name)
    }

    /// The label a reviewer reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().escalations[self as usize]
    }
}

/// Contact details a villager chose to leave (实名), seen only by the handling reviewers.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contact {
    /// The name to ask for.
    pub name: String,
    /// A phone number to call back.
    pub phone: String,
}

/// The answer to an accepted opinion: the only way back to it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// 16 digits, no separators.
    pub receipt: String,
    /// When the leading group will see the opinion.
    pub release: ReleaseInfo,
}

/// When a waiting opinion reaches the leading group, as the villager is told.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReleaseInfo {
    /// The latest local day it is released, `YYYY-MM-DD`.
    pub by_day: String,
    /// The deployment's batching rule.
    pub rule: ReleaseRule,
}

/// How opinions are batched before the leading group sees them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ReleaseRule {
    /// Released once `batch_size` wait, or after at most `max_wait_hours`.
    Count {
        /// Opinions per batch.
        batch_size: u32,
        /// The longest wait.
        max_wait_hours: u32,
    },
    /// Released at fixed local times of day (`HH:MM`).
    Times {
        /// The times.
        times: Vec<String>,
    },
}

impl ReleaseInfo {
    /// The sentence that tells the villager why and until when the opinion waits.
    pub fn explain(&self, lang: Lang) -> String {
        let t = lang.t();
        let day = lang.day(&self.by_day);
        match &self.rule {
            ReleaseRule::Count {
                batch_size,
                max_wait_hours,
            } => t
                .release_by_count
                .replace("{batch_size}", &batch_size.to_string())
                .replace("{max_wait_hours}", &max_wait_hours.to_string())
                .replace("{day}", &day),
            ReleaseRule::Times { times } => t
                .release_by_times
                .replace("{times}", &times.join(t.list_separator))
                .replace("{day}", &day),
        }
    }
}

impl Receipt {
    /// The code in four groups of four digits, for reading aloud and copying by hand.
    pub fn grouped(&self) -> String {
        group_receipt(&self.receipt)
    }
}

/// Formats a receipt code as `1234 5678 9012 3456`.
pub fn group_receipt(code: &str) -> String {
    let digits: Vec<char> = code.chars().collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A receipt look-up (`POST /api/v1/receipts/status`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceiptQuery {
    /// The 16-digit code; spaces and dashes are ignored.
    pub receipt: String,
}

/// What a villager sees of their opinion.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpinionStatus {
    /// The opinion's category.
    pub category: Category,
    /// Its state in the leading group's handling.
    pub state: OpinionState,
    /// Day it was received, `YYYY-MM-DD`.
    pub received_on: String,
    /// While it waits to be released to the leading group: until when, and why.
    pub waiting: Option<ReleaseInfo>,
    /// The leading group's reply, if any.
    pub reply: Option<String>,
    /// Day of the reply, `YYYY-MM-DD`.
    pub replied_on: Option<String>,
    /// Questions from the leading group and the villager's answers, in order.
    pub thread: Vec<ThreadMessage>,
    /// Whether it was merged with similar opinions and is handled as one issue.
    #[serde(default)]
    pub merged: bool,
    /// The leading group's reply to that issue, which every merged opinion's sender reads.
    #[serde(default)]
    pub issue_reply: Option<String>,
    /// Day of that reply, `YYYY-MM-DD`.
    #[serde(default)]
    pub issue_replied_on: Option<String>,
}

/// One message of an opinion's follow-up thread.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ThreadMessage {
    /// True for the leading group's questions, false for the villager's answers.
    pub from_staff: bool,
    /// The text.
    pub text: String,
    /// Day sent, `YYYY-MM-DD`.
    pub sent_on: String,
}

/// A message to add to a thread through the receipt code (`POST /api/v1/receipts/messages`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceiptMessage {
    /// The 16-digit receipt code.
    pub receipt: String,
    /// The villager's answer, 1–2,000 characters.
    pub text: String,
}

/// A reviewer's question (`POST /api/v1/staff/opinions/{id}/messages`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffMessage {
    /// The question, 1–2,000 characters.
    pub text: String,
}

/// An error body of the JSON API.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// A stable machine-readable code, e.g. `text_too_long`.
    pub code: String,
    /// A message a person understands (Chinese on resident endpoints).
    pub message: String,
    /// With `confirm_names`: the possible personal names found, to show before sending again
    /// with `confirmed=1`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// What a box page shows about the box it belongs to.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoxInfo {
    /// The random public code in the box's URL.
    pub code: String,
    /// The box's name, e.g. `张家村意见箱`.
    pub name: String,
    /// The village (or unit) where the box hangs.
    pub village: String,
    /// The township above it.
    pub township: String,
    /// The leading group that receives its opinions.
    pub leading_group: String,
    /// The path of that group's public notice page (通报), e.g. `/t/{unit}`.
    #[serde(default)]
    pub notice_board: String,
    /// Whom an opinion sent here can be about (optional for the villager).
    #[serde(default)]
    pub targets: Vec<crate::org::TargetChoice>,
}

/// An opinion as a leading-group reviewer sees it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffOpinion {
    /// Random id.
    pub id: String,
    /// Name of the box it came through.
    pub box_name: String,
    /// Village of that box.
    pub village: String,
    /// The category the villager chose.
    pub category: Category,
    /// Day it was released to the group, `YYYY-MM-DD`: the only time reviewers see.
    pub released_on: String,
    /// Day it should be resolved by.
    pub due_on: Option<String>,
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
    pub issue_id: Option<String>,
}

/// A photo attached to an opinion, fetched from `…/opinions/{id}/photos/{number}`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaskCount {
    /// The kind of identifier.
    pub kind: crate::redact::IdentifierKind,
    /// How many were masked.
    pub count: u32,
}

/// A change a reviewer makes to an opinion (`PATCH /api/v1/staff/opinions/{id}`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpinionUpdate {
    /// New state name, e.g. `accepted`.
    pub state: Option<String>,
    /// New reply text; an empty string removes the reply.
    pub reply: Option<String>,
}

/// A box as staff see it, with its printable QR links.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffBox {
    /// Random id.
    pub id: String,
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
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpinionSubject {
    /// The person's id.
    pub person_id: String,
    /// `王建国(张家村 村党支部书记)`.
    pub label: String,
    /// Why: `named` (the text names them), `chosen` (the villager), `tagged` (a reviewer) or
    /// `declared` (they stepped aside).
    pub sources: Vec<String>,
    /// Whether a removal may be proposed (only a match or a tag can be wrong).
    pub removable: bool,
}

/// A proposed removal of a subject, waiting for a second member to confirm it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SubjectProposal {
    /// The proposal's id, to confirm it by.
    pub id: String,
    /// The person proposed to be removed.
    pub person_id: String,
    /// Their label.
    pub label: String,
    /// The sign-in name of whoever proposed it.
    pub proposed_by: String,
    /// The day it was proposed.
    pub proposed_on: String,
}

/// Whom an opinion is about, and the removals waiting (`GET /api/v1/staff/subjects/{id}`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpinionSubjects {
    /// Its subjects, by person.
    pub subjects: Vec<OpinionSubject>,
    /// Removals proposed and not yet confirmed.
    pub proposals: Vec<SubjectProposal>,
}

/// One account of a leading group as the group sees it: whose it is and who linked it
/// (`GET /api/v1/staff/subjects/accounts`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupAccount {
    /// The account's id, for confirming it.
    pub id: String,
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
    pub linked_on: Option<String>,
    /// The sign-in name of the member who confirmed the link, if one did (none, with a day,
    /// for the group's first member or a link made before confirmation existed).
    pub confirmed_by: Option<String>,
    /// The day the link was confirmed; `None` while the account waits (and reads no opinion).
    pub confirmed_on: Option<String>,
    /// Whether the signed-in reviewer may confirm it now.
    pub confirmable: bool,
}

/// A leading group's settings and statistics (`GET /api/v1/staff/group`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RetentionUpdate {
    /// Days to keep closed opinions, 30 to 3650.
    pub retention_days: u32,
}

/// The audit trail's check: whether the hash chain holds, and where it first breaks.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditCheck {
    /// True when every entry follows from the one before and the head matches.
    pub intact: bool,
    /// Entries read.
    pub entries: u64,
    /// The recorded head: the last entry's number…
    pub head_seq: i64,
    /// …and its hash (print it, or send it upward, to detect later rewriting).
    pub head_hash: String,
    /// The first broken entry.
    pub broken_at: Option<i64>,
    /// What is wrong there.
    pub reason: Option<String>,
}

/// The audit trail's action names, in the order of the catalogue's `audit_actions` labels.
pub const AUDIT_ACTIONS: [&str; 56] = [
    "login",
    "logout",
    "view_queue",
    "view_opinion",
    "view_photo",
    "handle_opinion",
    "ask_question",
    "view_statistics",
    "set_retention",
    "view_audit",
    "recuse",
    "set_target",
    "create_unit",
    "save_group",
    "create_person",
    "change_person",
    "create_account",
    "change_role",
    "change_account",
    "change_password",
    "set_routing",
    "create_box",
    "import",
    "change_unit",
    "create_issue",
    "merge_opinion",
    "detach_opinion",
    "view_issue",
    "handle_issue",
    "add_measure",
    "update_measure",
    "view_ledger",
    "export_ledger",
    "create_questionnaire",
    "edit_questionnaire",
    "open_round",
    "make_slips",
    "close_round",
    "view_results",
    "set_round_note",
    "export_results",
    "export_tables",
    "record_reviews",
    "delete_reviews",
    "write_notice",
    "publish_notice",
    "withdraw_notice",
    "delete_notice",
    "accept_held_answers",
    "discard_held_answers",
    "link_account",
    "unlink_account",
    "propose_subject_removal",
    "confirm_subject_removal",
    "accept_held_opinion",
    "confirm_account",
];

/// The label of an audit action name; an unknown name is shown as it is.
pub fn audit_action_label(action: &str, lang: Lang) -> &str {
    AUDIT_ACTIONS
        .iter()
        .position(|a| *a == action)
        .map_or(action, |i| lang.t().audit_actions[i])
}

/// One audit entry as an auditor reads it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntryView {
    /// Position in the chain.
    pub seq: i64,
    /// Local minute, `YYYY-MM-DD HH:MM`.
    pub at: String,
    /// Staff account id.
    pub actor: String,
    /// The account's user name, when the account still exists.
    #[serde(default)]
    pub actor_name: Option<String>,
    /// Action name, e.g. `view_opinion`.
    pub action: String,
    /// Id of what it was done to.
    pub target: Option<String>,
    /// The entry's hash.
    pub hash: String,
}

/// A page of the audit trail, newest first (`GET /api/v1/staff/audit`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The whole chain's check.
    pub check: AuditCheck,
    /// The entries.
    pub entries: Vec<AuditEntryView>,
    /// Pass as `before` for the next (older) page, when there is one.
    pub next_before: Option<i64>,
}

/// Filters and position in the reviewer's queue, as query parameters. Empty values are ignored.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StateCount {
    /// The state.
    pub state: OpinionState,
    /// How many.
    pub count: u32,
}

/// A signed-in account changes its own password (`PUT /api/v1/staff/password`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The current password.
    pub current: String,
    /// The new one: at least 10 characters.
    pub new: String,
}
