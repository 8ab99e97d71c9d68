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
}

impl AuditAction {
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

/// An entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntry {
    /// Position in the chain.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Staff account id.
    pub actor: String,
    /// Action name.
    pub action: String,
    /// Id of what it was done to.
    pub target: Option<String>,
    /// The previous entry's hash, as stored.
    pub prev_hash: String,
    /// This entry's hash, as stored.
    pub hash: String,
}

impl StoredEntry {
    /// The hash its fields should have.
    pub fn expected_hash(&self) -> String {
        EntryFields {
            seq: self.seq,
            at: self.at,
            actor: &self.actor,
            action: &self.action,
            target: self.target.as_deref(),
            prev_hash: &self.prev_hash,
        }
        .hash()
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
    /// Checks the next entry; after the first break the rest is not judged.
    pub fn push(&mut self, entry: &StoredEntry) {
        if self.broken.is_some() {
            return;
        }
        let reason = if entry.seq != self.expected_seq {
            Some("an entry is missing or out of order here")
        } else if entry.prev_hash != self.prev_hash {
            Some("does not follow the entry before it")
        } else if entry.hash != entry.expected_hash() {
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
                self.prev_hash = entry.hash.clone();
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

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let actor = format!("staff-{seq}");
                let hash = EntryFields {
                    seq,
                    at: 1_800_000_000 + seq,
                    actor: &actor,
                    action: "view_opinion",
                    target: Some("op"),
                    prev_hash: &prev,
                }
                .hash();
                let entry = StoredEntry {
                    seq,
                    at: 1_800_000_000 + seq,
                    actor,
                    action: "view_opinion".into(),
                    target: Some("op".into()),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                entry
            })
            .collect()
    }

    fn check(entries: &[StoredEntry], head: (i64, &str)) -> Option<BrokenLink> {
        let mut c = ChainCheck::default();
        entries.iter().for_each(|e| c.push(e));
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
