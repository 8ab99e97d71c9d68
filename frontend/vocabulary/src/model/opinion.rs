//! The closed sets an opinion is described with: its category, its state in the workflow, and
//! the limits of what a villager may send.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Longest opinion text accepted, in characters after trimming.
pub const MAX_OPINION_CHARS: usize = 2000;

/// The most photos an opinion may carry.
pub const MAX_PHOTOS: usize = 3;

/// What an opinion is about, as chosen by the villager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
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
        lang.t().labels.categories[self as usize]
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
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
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
        lang.t().labels.opinion_states[self as usize]
    }
}

/// Why an opinion went above the nearest leading group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum Escalation {
    /// The villager asked for it (越级反映).
    Requested,
    /// It is about the head of the group that would have handled it.
    HeadNamed,
}

impl Escalation {
    /// Both reasons.
    pub const ALL: [Escalation; 2] = [Escalation::Requested, Escalation::HeadNamed];

    /// The stable name stored with the opinion.
    pub fn as_str(self) -> &'static str {
        match self {
            Escalation::Requested => "requested",
            Escalation::HeadNamed => "head_named",
        }
    }

    /// The label a reviewer reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().labels.escalations[self as usize]
    }
}
