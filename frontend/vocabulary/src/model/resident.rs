//! What a villager sends and gets back: a new opinion, the receipt and its release, the status
//! and thread behind a receipt, a box's public facts, and the API's error body.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

use super::{Category, Day, OpinionState};

/// A new opinion sent to a box (`POST /api/v1/boxes/{code}/opinions`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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

/// Contact details a villager chose to leave (实名), seen only by the handling reviewers.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Contact {
    /// The name to ask for.
    pub name: String,
    /// A phone number to call back.
    pub phone: String,
}

/// The answer to an accepted opinion: the only way back to it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// 16 digits, no separators.
    pub receipt: String,
    /// When the leading group will see the opinion.
    pub release: ReleaseInfo,
}

/// When a waiting opinion reaches the leading group, as the villager is told.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReleaseInfo {
    /// The latest local day it is released, `YYYY-MM-DD`.
    pub by_day: Day,
    /// The deployment's batching rule.
    pub rule: ReleaseRule,
}

/// How opinions are batched before the leading group sees them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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
                .labels
                .release_by_count
                .replace("{batch_size}", &batch_size.to_string())
                .replace("{max_wait_hours}", &max_wait_hours.to_string())
                .replace("{day}", &day),
            ReleaseRule::Times { times } => t
                .labels
                .release_by_times
                .replace("{times}", &times.join(t.common.list_separator))
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
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReceiptQuery {
    /// The 16-digit code; spaces and dashes are ignored.
    pub receipt: String,
}

/// What a villager sees of their opinion.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OpinionStatus {
    /// The opinion's category.
    pub category: Category,
    /// Its state in the leading group's handling.
    pub state: OpinionState,
    /// Day it was received, `YYYY-MM-DD`.
    pub received_on: Day,
    /// While it waits to be released to the leading group: until when, and why.
    pub waiting: Option<ReleaseInfo>,
    /// The leading group's reply, if any.
    pub reply: Option<String>,
    /// Day of the reply, `YYYY-MM-DD`.
    pub replied_on: Option<Day>,
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
    pub issue_replied_on: Option<Day>,
}

/// One message of an opinion's follow-up thread.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ThreadMessage {
    /// True for the leading group's questions, false for the villager's answers.
    pub from_staff: bool,
    /// The text.
    pub text: String,
    /// Day sent, `YYYY-MM-DD`.
    pub sent_on: Day,
}

/// A message to add to a thread through the receipt code (`POST /api/v1/receipts/messages`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReceiptMessage {
    /// The 16-digit receipt code.
    pub receipt: String,
    /// The villager's answer, 1–2,000 characters.
    pub text: String,
}

/// An error body of the JSON API.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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
