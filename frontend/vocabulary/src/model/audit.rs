//! The audit trail as the auditor reads it: its actions and their labels, a page of entries,
//! and the chain's check.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The audit trail's check: whether the hash chain holds, and where it first breaks.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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
        .map_or(action, |i| lang.t().labels.audit_actions[i])
}

/// One audit entry as an auditor reads it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The whole chain's check.
    pub check: AuditCheck,
    /// The entries.
    pub entries: Vec<AuditEntryView>,
    /// Pass as `before` for the next (older) page, when there is one.
    pub next_before: Option<i64>,
}
