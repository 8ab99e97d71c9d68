//! Likely house addresses: chains of numbered units in their usual order, such as `3组15号`,
//! `3栋2单元501室` or `5号楼`, extended back over a village or street name (`张家村`, `人民路`).
//!
//! A chain needs two units of increasing rank (组 → 栋/号楼 → 单元 → 楼/层 → 号/室), or a single
//! `X号楼`/`X号院`, or `X号` right after a place word (`李家村12号`). So `第3组`, `5月12号`,
//! `三室两厅` and `盖了三层两栋` are not addresses.

use super::chars::{char_at, char_before, digit_value, is_han};
use vocabulary::screening::WarningKind;

use super::warning::Warning;

/// Address units, longer before shorter where one starts the other, with their rank.
const UNITS: [(&str, u8); 11] = [
    ("号楼", 2),
    ("号院", 5),
    ("号", 5),
    ("组", 1),
    ("栋", 2),
    ("幢", 2),
    ("座", 2),
    ("单元", 3),
    ("楼", 4),
    ("层", 4),
    ("室", 5),
];

/// Chinese numerals that may number a unit.
const NUMERALS: &str = "零〇一二三四五六七八九十百两";

/// Place words an address may follow; the place's name is taken with them.
const PLACES: [&str; 11] = [
    "村", "路", "街", "巷", "弄", "屯", "庄", "社区", "小区", "胡同", "大道",
];

/// Chars that are not part of a place name (`住在张家村` names `张家村`).
const NOT_PLACE: &str = "的了和与跟是在给住我你他她们这那从到往去来于就也都还又很有没不";

/// The most chars of a place name taken before its place word.
const MAX_PLACE_NAME: usize = 3;

/// Finds likely addresses, sorted and non-overlapping.
pub(crate) fn find(text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut resume = 0;
    for (pos, c) in text.char_indices() {
        if pos < resume
            || !is_numeral(c)
            || char_before(text, pos).is_some_and(|(_, p)| is_numeral(p))
        {
            continue;
        }
        let Some((end, pairs, single_unit)) = chain_at(text, pos) else {
            continue;
        };
        let place = place_before(text, pos);
        let accepted = pairs >= 2
            || matches!(single_unit, "号楼" | "号院")
            || (single_unit == "号" && place.is_some());
        if accepted {
            out.push(Warning {
                kind: WarningKind::Address,
                start: place.unwrap_or(pos),
                end,
            });
            resume = end;
        }
    }
    out
}

/// Whether `c` is a digit (either width) or a Chinese numeral.
fn is_numeral(c: char) -> bool {
    digit_value(c).is_some() || NUMERALS.contains(c)
}

/// The chain of number+unit pairs at `pos`: its end, its length and its first unit.
fn chain_at(text: &str, pos: usize) -> Option<(usize, usize, &'static str)> {
    let mut end = pos;
    let mut pairs = 0;
    let mut rank = 0;
    let mut first = "";
    while let Some(after_number) = number_at(text, end) {
        let Some(&(unit, r)) = UNITS
            .iter()
            .find(|(u, _)| text[after_number..].starts_with(u))
        else {
            break;
        };
        if r <= rank {
            break;
        }
        if pairs == 0 {
            first = unit;
        }
        pairs += 1;
        rank = r;
        end = after_number + unit.len();
    }
    (pairs > 0).then_some((end, pairs, first))
}

/// The end of a unit number at `pos`: one to five digits or one to four Chinese numerals.
fn number_at(text: &str, pos: usize) -> Option<usize> {
    let digits = char_at(text, pos).and_then(digit_value).is_some();
    let max = if digits { 5 } else { 4 };
    let mut end = pos;
    let mut count = 0;
    while let Some(c) = char_at(text, end) {
        let same = if digits {
            digit_value(c).is_some()
        } else {
            NUMERALS.contains(c)
        };
        if !same {
            break;
        }
        count += 1;
        end += c.len_utf8();
    }
    (1..=max).contains(&count).then_some(end)
}

/// The start of `place word` (with up to three name chars before it) ending at `pos`.
fn place_before(text: &str, pos: usize) -> Option<usize> {
    let head = &text[..pos];
    let word = PLACES.iter().find(|w| head.ends_with(*w))?;
    let mut start = pos - word.len();
    for _ in 0..MAX_PLACE_NAME {
        match char_before(text, start) {
            Some((s, c)) if is_han(c) && !NOT_PLACE.contains(c) && !is_numeral(c) => start = s,
            _ => break,
        }
    }
    Some(start)
}
