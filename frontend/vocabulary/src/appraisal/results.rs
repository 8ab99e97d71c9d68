//! A round's results as published: counts and rates per level, hidden below the minimum group
//! size, and how figures, rates and trends are written.

use serde::{Deserialize, Serialize};

use super::round::RoundView;

/// A per-mille rate as people read it: `98%`, `97.5%`.
pub fn percent_text(per_mille: u32) -> String {
    if per_mille.is_multiple_of(10) {
        format!("{}%", per_mille / 10)
    } else {
        format!("{}.{}%", per_mille / 10, per_mille % 10)
    }
}

/// A count as shown: the number, or "—" when hidden.
pub fn figure_text(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}

/// A per-mille rate as shown: `98%`, or "—" when hidden.
pub fn rate_text(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_string(), percent_text)
}

/// A change in per-mille points as percentage points: "+3.0", "−1.5", "±0.0"; empty for none.
pub fn trend_text(n: Option<i32>) -> String {
    match n {
        None => String::new(),
        Some(d) => {
            let sign = match d.signum() {
                1 => "+",
                -1 => "−",
                _ => "±",
            };
            let d = d.unsigned_abs();
            format!("{sign}{}.{}", d / 10, d % 10)
        }
    }
}

/// One line of results: counts per level (best first), their total and the rates, each `None`
/// when hidden because too few people are behind it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResultLine {
    /// The unit, member or "all" this line is about.
    pub label: String,
    /// Counts of 满意, 比较满意, 基本满意, 不满意.
    pub counts: Vec<Option<u32>>,
    /// All answers on the line.
    pub total: Option<u32>,
    /// 满意率 in per mille (formula configurable).
    pub satisfaction: Option<u32>,
    /// 基本满意率 in per mille.
    pub basic: Option<u32>,
    /// 不满意率 in per mille.
    pub dissatisfied: Option<u32>,
    /// Change of 满意率 against the previous round, in per mille points.
    pub trend: Option<i32>,
}

/// The results of one rated item: a line per subject and the line of all subjects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ItemResults {
    /// The item's key.
    pub key: String,
    /// Its wording.
    pub text: String,
    /// One line per subject, in the round's order.
    pub lines: Vec<ResultLine>,
    /// All subjects together.
    pub all: ResultLine,
}

/// A finished round's results, suppressed below the minimum group size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoundResults {
    /// The round.
    pub round: RoundView,
    /// The smallest number of people a shown figure may stand for.
    pub min_group: u32,
    /// Responses counted.
    pub responses: u32,
    /// Responses over slips issued, per mille (slip rounds only).
    pub response_rate: Option<u32>,
    /// All rated items together: a line per subject.
    pub summary: Vec<ResultLine>,
    /// All rated items and subjects together.
    pub overall: ResultLine,
    /// Item by item.
    pub items: Vec<ItemResults>,
    /// The residents' written suggestions (意见和建议), sorted, shown only from `min_group` responses.
    pub suggestions: Vec<String>,
    /// The round the trend compares with.
    pub previous: Option<String>,
}
