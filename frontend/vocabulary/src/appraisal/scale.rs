//! The official four-level scale (满意, 比较满意, 基本满意, 不满意), ordered best first.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// One level of the official four-level scale, ordered best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 比较满意
    FairlySatisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Dissatisfied,
}

impl Rating {
    /// Every level, best first, as the paper form orders its columns.
    pub const ALL: [Rating; 4] = [
        Rating::Satisfied,
        Rating::FairlySatisfied,
        Rating::BasicallySatisfied,
        Rating::Dissatisfied,
    ];

    /// Its place in [`Rating::ALL`], best first.
    pub fn index(self) -> usize {
        match self {
            Rating::Satisfied => 0,
            Rating::FairlySatisfied => 1,
            Rating::BasicallySatisfied => 2,
            Rating::Dissatisfied => 3,
        }
    }

    /// The stable name used in forms, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::FairlySatisfied => "fairly_satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    /// Parses the stable name or the Chinese label; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == name || r.label(Lang::Zh) == name)
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().appraisal.ratings[self as usize]
    }

    /// The face shown next to the label, for readers who go by the picture.
    pub fn icon(self) -> &'static str {
        match self {
            Rating::Satisfied => "😄",
            Rating::FairlySatisfied => "🙂",
            Rating::BasicallySatisfied => "😐",
            Rating::Dissatisfied => "🙁",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_reads_both_ways() {
        for (i, r) in Rating::ALL.into_iter().enumerate() {
            assert_eq!(r.index(), i);
            assert_eq!(Rating::parse(r.as_str()), Some(r));
            assert_eq!(Rating::parse(r.label(Lang::Zh)), Some(r));
        }
        assert_eq!(Rating::parse("很满意"), None);
    }
}
