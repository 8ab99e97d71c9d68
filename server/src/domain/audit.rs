//! The audit trail's hash chain: each entry's hash covers its fields and the previous entry's
//! hash, so editing, deleting or reordering any entry breaks every link after it. Entries hold
//! ids and action names only, never opinion text.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use serde::Serialize;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a staff member did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// Signed in.
    Login,
    /// Signed out.
    Logout,
    /// Opened the queue (the list shows opinion texts).
    ViewQueue,
    /// Opened one opinion.
    ViewOpinion,
    /// Opened a photo of an opinion.
    ViewPhoto,
    /// Changed an opinion's state or reply.
    HandleOpinion,
    /// Asked the villager a question.
    AskQuestion,
    /// Opened the group's statistics.
    ViewStatistics,
    /// Changed the group's retention.
    SetRetention,
    /// Opened the audit trail.
    ViewAudit,
    /// Declared a conflict of interest on an opinion.
    Recuse,
    /// Tagged whom an opinion is about.
    SetTarget,
    /// Created a unit.
    CreateUnit,
    /// Created or changed a unit's leading group.
    SaveGroup,
    /// Added a person.
    CreatePerson,
    /// Withdrew or restored a person.
    ChangePerson,
    /// Created a staff account.
    CreateAccount,
    /// Changed an account's role.
    ChangeRole,
    /// Enabled, disabled, re-linked or reset the password of an account.
    ChangeAccount,
    /// Changed one's own password.
    ChangePassword,
    /// Set or removed a routing rule.
    SetRouting,
    /// Created a box.
    CreateBox,
    /// Imported units or people from a file.
    Import,
    /// Renamed or moved a unit.
    ChangeUnit,
    /// Created an issue by merging opinions (target: the issue).
    CreateIssue,
    /// Merged an opinion into an issue (target: the opinion).
    MergeOpinion,
    /// Took an opinion out of its issue (target: the opinion).
    DetachOpinion,
    /// Opened an issue.
    ViewIssue,
    /// Changed an issue's title, state or reply.
    HandleIssue,
    /// Set a rectification measure (target: the issue).
    AddMeasure,
    /// Recorded progress on a measure (target: the measure).
    UpdateMeasure,
    /// Read the rectification ledger.
    ViewLedger,
    /// Exported the rectification ledger.
    ExportLedger,
    /// Copied an appraisal template (target: the questionnaire).
    CreateQuestionnaire,
    /// Edited a questionnaire.
    EditQuestionnaire,
    /// Opened an appraisal round.
    OpenRound,
    /// Made one-time slips for a round (target: the round).
    MakeSlips,
    /// Closed a round early.
    CloseRound,
    /// Read a round's results.
    ViewResults,
    /// Wrote the 整改落实情况 of a round's subject (target: the round).
    SetRoundNote,
    /// Downloaded a round's results (target: the round).
    ExportResults,
    /// Downloaded the statistics tables 附件1–3.
    ExportTables,
    /// Recorded leader reviews (target: the reviewer).
    RecordReviews,
    /// Deleted recorded leader reviews (target: the reviewer).
    DeleteReviews,
    /// Wrote a public notice (target: the notice).
    WriteNotice,
    /// Published a notice.
    PublishNotice,
    /// Withdrew a published notice.
    WithdrawNotice,
    /// Deleted a draft notice.
    DeleteNotice,
    /// Counted in a round's held answers (待核) after a 刷票 alert (target: the round).
    AcceptHeldAnswers,
    /// Discarded a round's held answers (待核) after a 刷票 alert (target: the round).
    DiscardHeldAnswers,
    /// Linked an account to a person of the directory (target: the account).
    LinkAccount,
    /// Unlinked an account from its person (target: the account).
    UnlinkAccount,
    /// Proposed removing a wrongly matched subject of an opinion (target: the opinion).
    ProposeSubjectRemoval,
    /// Confirmed a proposed removal of a subject (target: the opinion).
    ConfirmSubjectRemoval,
    /// Accepted a held (待核) opinion into the queue (target: the opinion).
    AcceptHeldOpinion,
    /// Confirmed that a member account belongs to its person, or made a group's first member
    /// (target: the account).
    ConfirmAccount,
}

impl AuditAction {
    /// Every action, in the order of `vocabulary::model::AUDIT_ACTIONS` (their names).
    pub const ALL: [AuditAction; 56] = [
        AuditAction::Login,
        AuditAction::Logout,
        AuditAction::ViewQueue,
        AuditAction::ViewOpinion,
        AuditAction::ViewPhoto,
        AuditAction::HandleOpinion,
        AuditAction::AskQuestion,
        AuditAction::ViewStatistics,
        AuditAction::SetRetention,
        AuditAction::ViewAudit,
        AuditAction::Recuse,
        AuditAction::SetTarget,
        AuditAction::CreateUnit,
        AuditAction::SaveGroup,
        AuditAction::CreatePerson,
        AuditAction::ChangePerson,
        AuditAction::CreateAccount,
        AuditAction::ChangeRole,
        AuditAction::ChangeAccount,
        AuditAction::ChangePassword,
        AuditAction::SetRouting,
        AuditAction::CreateBox,
        AuditAction::Import,
        AuditAction::ChangeUnit,
        AuditAction::CreateIssue,
        AuditAction::MergeOpinion,
        AuditAction::DetachOpinion,
        AuditAction::ViewIssue,
        AuditAction::HandleIssue,
        AuditAction::AddMeasure,
        AuditAction::UpdateMeasure,
        AuditAction::ViewLedger,
        AuditAction::ExportLedger,
        AuditAction::CreateQuestionnaire,
        AuditAction::EditQuestionnaire,
        AuditAction::OpenRound,
        AuditAction::MakeSlips,
        AuditAction::CloseRound,
        AuditAction::ViewResults,
        AuditAction::SetRoundNote,
        AuditAction::ExportResults,
        AuditAction::ExportTables,
        AuditAction::RecordReviews,
        AuditAction::DeleteReviews,
        AuditAction::WriteNotice,
        AuditAction::PublishNotice,
        AuditAction::WithdrawNotice,
        AuditAction::DeleteNotice,
        AuditAction::AcceptHeldAnswers,
        AuditAction::DiscardHeldAnswers,
        AuditAction::LinkAccount,
        AuditAction::UnlinkAccount,
        AuditAction::ProposeSubjectRemoval,
        AuditAction::ConfirmSubjectRemoval,
        AuditAction::AcceptHeldOpinion,
        AuditAction::ConfirmAccount,
    ];

    /// The stable name stored in the trail.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::Logout => "logout",
            AuditAction::ViewQueue => "view_queue",
            AuditAction::ViewOpinion => "view_opinion",
            AuditAction::ViewPhoto => "view_photo",
            AuditAction::HandleOpinion => "handle_opinion",
            AuditAction::AskQuestion => "ask_question",
            AuditAction::ViewStatistics => "view_statistics",
            AuditAction::SetRetention => "set_retention",
            AuditAction::ViewAudit => "view_audit",
            AuditAction::Recuse => "recuse",
            AuditAction::SetTarget => "set_target",
            AuditAction::CreateUnit => "create_unit",
            AuditAction::SaveGroup => "save_group",
            AuditAction::CreatePerson => "create_person",
            AuditAction::ChangePerson => "change_person",
            AuditAction::CreateAccount => "create_account",
            AuditAction::ChangeRole => "change_role",
            AuditAction::ChangeAccount => "change_account",
            AuditAction::ChangePassword => "change_password",
            AuditAction::SetRouting => "set_routing",
            AuditAction::CreateBox => "create_box",
            AuditAction::Import => "import",
            AuditAction::ChangeUnit => "change_unit",
            AuditAction::CreateIssue => "create_issue",
            AuditAction::MergeOpinion => "merge_opinion",
            AuditAction::DetachOpinion => "detach_opinion",
            AuditAction::ViewIssue => "view_issue",
            AuditAction::HandleIssue => "handle_issue",
            AuditAction::AddMeasure => "add_measure",
            AuditAction::UpdateMeasure => "update_measure",
            AuditAction::ViewLedger => "view_ledger",
            AuditAction::ExportLedger => "export_ledger",
            AuditAction::CreateQuestionnaire => "create_questionnaire",
            AuditAction::EditQuestionnaire => "edit_questionnaire",
            AuditAction::OpenRound => "open_round",
            AuditAction::MakeSlips => "make_slips",
            AuditAction::CloseRound => "close_round",
            AuditAction::ViewResults => "view_results",
            AuditAction::SetRoundNote => "set_round_note",
            AuditAction::ExportResults => "export_results",
            AuditAction::ExportTables => "export_tables",
            AuditAction::RecordReviews => "record_reviews",
            AuditAction::DeleteReviews => "delete_reviews",
            AuditAction::WriteNotice => "write_notice",
            AuditAction::PublishNotice => "publish_notice",
            AuditAction::WithdrawNotice => "withdraw_notice",
            AuditAction::DeleteNotice => "delete_notice",
            AuditAction::AcceptHeldAnswers => "accept_held_answers",
            AuditAction::DiscardHeldAnswers => "discard_held_answers",
            AuditAction::LinkAccount => "link_account",
            AuditAction::UnlinkAccount => "unlink_account",
            AuditAction::ProposeSubjectRemoval => "propose_subject_removal",
            AuditAction::ConfirmSubjectRemoval => "confirm_subject_removal",
            AuditAction::AcceptHeldOpinion => "accept_held_opinion",
            AuditAction::ConfirmAccount => "confirm_account",
        }
    }
}

/// The fields an entry's hash covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryFields<'a> {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Staff account id.
    pub actor: &'a str,
    /// Action name.
    pub action: &'a str,
    /// Id of what it was done to, if anything.
    pub target: Option<&'a str>,
    /// The previous entry's hash.
    pub prev_hash: &'a str,
}

impl EntryFields<'_> {
    /// BLAKE2b-256 of the fields' JSON encoding, in hex.
    pub fn hash(&self) -> String {
        let encoded = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Blake2b::<U32>::digest(&encoded))
    }
}

/// The first place the chain does not hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// The entry where it breaks.
    pub seq: i64,
    /// What is wrong there.
    pub reason: &'static str,
}

/// Walks the chain in order; feed it every entry by ascending `seq`, then call [`finish`].
///
/// [`finish`]: ChainCheck::finish
#[derive(Clone, Debug)]
pub struct ChainCheck {
    expected_seq: i64,
    prev_hash: String,
    broken: Option<BrokenLink>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        ChainCheck {
            expected_seq: 1,
            prev_hash: GENESIS.to_string(),
            broken: None,
        }
    }
}

impl ChainCheck {
    /// Checks the next entry, given its fields and its stored hash; after the first break the
    /// rest is not judged.
    pub fn push(&mut self, entry: &EntryFields<'_>, stored_hash: &str) {
        if self.broken.is_some() {
            return;
        }
        let reason = if entry.seq != self.expected_seq {
            Some("an entry is missing or out of order here")
        } else if entry.prev_hash != self.prev_hash {
            Some("does not follow the entry before it")
        } else if stored_hash != entry.hash() {
            Some("altered after it was written")
        } else {
            None
        };
        match reason {
            Some(reason) => {
                self.broken = Some(BrokenLink {
                    seq: self.expected_seq.min(entry.seq),
                    reason,
                })
            }
            None => {
                self.expected_seq += 1;
                self.prev_hash = stored_hash.to_string();
            }
        }
    }

    /// The first broken link, also checking the chain ends where the recorded head says.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Option<BrokenLink> {
        if self.broken.is_some() {
            return self.broken;
        }
        let last = self.expected_seq - 1;
        if head_seq != last || head_hash != self.prev_hash {
            return Some(BrokenLink {
                seq: last + 1,
                reason: "entries at the end are missing or the head was changed",
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_label_in_each_language() {
        let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names, vocabulary::model::AUDIT_ACTIONS);
        for lang in [vocabulary::i18n::Lang::Zh, vocabulary::i18n::Lang::En] {
            for name in names.iter().copied() {
                assert_ne!(vocabulary::model::audit_action_label(name, lang), name);
            }
        }
    }

    /// An entry as stored: owned fields and the hash written with them.
    #[derive(Clone)]
    struct Entry {
        seq: i64,
        action: String,
        prev_hash: String,
        hash: String,
    }

    impl Entry {
        fn fields(&self) -> EntryFields<'_> {
            EntryFields {
                seq: self.seq,
                at: 1_800_000_000 + self.seq,
                actor: "staff",
                action: &self.action,
                target: Some("op"),
                prev_hash: &self.prev_hash,
            }
        }
    }

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut entry = Entry {
                    seq,
                    action: "view_opinion".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                entry.hash = entry.fields().hash();
                prev = entry.hash.clone();
                entry
            })
            .collect()
    }

    fn check(entries: &[Entry], head: (i64, &str)) -> Option<BrokenLink> {
        let mut c = ChainCheck::default();
        entries.iter().for_each(|e| c.push(&e.fields(), &e.hash));
        c.finish(head.0, head.1)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let entries = chain(5);
        let head = entries[4].hash.clone();
        assert_eq!(check(&entries, (5, &head)), None);
        assert_eq!(check(&[], (0, GENESIS)), None);
    }

    #[test]
    fn edits_deletions_reorderings_and_truncation_are_found_where_they_are() {
        let entries = chain(5);
        let head = entries[4].hash.clone();

        let mut edited = entries.clone();
        edited[2].action = "login".into();
        assert_eq!(check(&edited, (5, &head)).map(|b| b.seq), Some(3));

        let mut deleted = entries.clone();
        deleted.remove(1);
        assert_eq!(check(&deleted, (5, &head)).map(|b| b.seq), Some(2));

        let mut reordered = entries.clone();
        reordered.swap(1, 3);
        assert_eq!(check(&reordered, (5, &head)).map(|b| b.seq), Some(2));

        let truncated = &entries[..4];
        assert_eq!(check(truncated, (5, &head)).map(|b| b.seq), Some(5));
    }
}
