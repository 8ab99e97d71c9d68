//! The text catalogue: every string a person reads, and the language a page is shown in.
//! [`Texts`] (in `texts.rs`) names the strings page by page; each language fills it in its own
//! file (`zh.rs`, `en.rs`), one section per page, so a translator works in one file.

use serde::{Deserialize, Serialize};

mod en;
mod texts;
mod zh;

pub use texts::*;

use en::EN;
use zh::ZH;

/// The language a page is shown in. Chinese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文 (zh-CN).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Reads `?lang=` values; anything but `en` gives Chinese.
    pub fn from_param(value: Option<&str>) -> Self {
        match value {
            Some(v) if v.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// A day (`YYYY-MM-DD`) as people write it: 2026年11月22日, or 22 Nov 2026. Anything else is
    /// shown as it is.
    pub fn day(self, iso: &str) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
        match (parts.as_slice(), iso.len()) {
            ([y, m @ 1..=12, d @ 1..=31], 10) => match self {
                Lang::Zh => format!("{y}年{m}月{d}日"),
                Lang::En => format!("{d} {} {y}", MONTHS[(*m - 1) as usize]),
            },
            _ => iso.to_string(),
        }
    }

    /// From one day to another: 2026年11月1日至2026年11月30日, or 1 Nov 2026 – 30 Nov 2026.
    pub fn span(self, from: &str, to: &str) -> String {
        match self {
            Lang::Zh => format!("{}至{}", self.day(from), self.day(to)),
            Lang::En => format!("{} – {}", self.day(from), self.day(to)),
        }
    }

    /// A local minute (`YYYY-MM-DD HH:MM`) with its day written out: 2026年11月22日 09:05.
    pub fn minute(self, at: &str) -> String {
        match at.split_once(' ') {
            Some((day, time)) if time.len() == 5 => format!("{} {time}", self.day(day)),
            _ => at.to_string(),
        }
    }

    /// The catalogue for this language.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each label list is read by the enum's position: the lists must follow the `ALL` order.
    #[test]
    fn every_label_list_follows_its_enum() {
        fn check<T: Copy>(all: &[T], index: fn(T) -> usize, label: fn(T, Lang) -> &'static str) {
            for lang in [Lang::Zh, Lang::En] {
                let mut seen = std::collections::HashSet::new();
                for (i, &k) in all.iter().enumerate() {
                    assert_eq!(index(k), i, "declared in the ALL order");
                    let text = label(k, lang);
                    assert!(
                        !text.is_empty() && seen.insert(text),
                        "{text:?} is empty or repeated"
                    );
                }
            }
        }
        use crate::appraisal::Rating;
        use crate::model::{Category, Escalation, OpinionState};
        use crate::org::{LeaderRank, UnitCategory, UnitKind};
        use crate::screening::{IdentifierKind, WarningKind};
        check(&Category::ALL, |k| k as usize, Category::label);
        check(&OpinionState::ALL, |k| k as usize, OpinionState::label);
        let escalations = [Escalation::Requested, Escalation::HeadNamed];
        check(&escalations, |k| k as usize, Escalation::label);
        check(&UnitKind::ALL, |k| k as usize, UnitKind::label);
        check(&UnitCategory::ALL, |k| k as usize, UnitCategory::label);
        check(&LeaderRank::ALL, |k| k as usize, LeaderRank::label);
        check(&Rating::ALL, |k| k as usize, Rating::label);
        check(&IdentifierKind::ALL, |k| k as usize, IdentifierKind::label);
        check(&WarningKind::ALL, |k| k as usize, WarningKind::label);
    }

    #[test]
    fn spans_and_minutes_use_the_day_format() {
        assert_eq!(
            Lang::Zh.span("2026-11-01", "2026-11-30"),
            "2026年11月1日至2026年11月30日"
        );
        assert_eq!(
            Lang::En.span("2026-11-01", "2026-11-30"),
            "1 Nov 2026 – 30 Nov 2026"
        );
        assert_eq!(Lang::Zh.minute("2026-11-22 09:05"), "2026年11月22日 09:05");
        assert_eq!(Lang::En.minute("2026-11-22 09:05"), "22 Nov 2026 09:05");
        assert_eq!(Lang::En.minute("garbled"), "garbled");
    }

    #[test]
    fn days_read_as_people_write_them() {
        assert_eq!(Lang::Zh.day("2026-11-02"), "2026年11月2日");
        assert_eq!(Lang::En.day("2026-11-02"), "2 Nov 2026");
        assert_eq!(Lang::En.day("2026-01-31"), "31 Jan 2026");
        for odd in ["", "2026-13-01", "2026-11", "not a day", "2026-1-1"] {
            assert_eq!(Lang::Zh.day(odd), odd);
        }
    }
}
