//! QQ numbers and WeChat ids, masked only when introduced by a cue word (`QQ：12345678`,
//! `微信号是 wang_xm88`). A bare five-to-ten-digit number is never masked.

use super::chars::{
    any_digit_value, char_at, char_before, han_digit_value, is_digit, is_letter,
    starts_with_ignore_case,
};
use super::checks::is_mobile;
use vocabulary::screening::IdentifierKind;

use super::Finding;

/// Which ids a cue introduces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// QQ: numbers only.
    Qq,
    /// WeChat: a letter-led id, or a number (WeChat accepts QQ numbers and mobiles).
    WeChat,
}

/// Cue words, longer before shorter where one starts the other. ASCII matches ignore case.
const CUES: [(&str, Cue); 21] = [
    ("QQ号码", Cue::Qq),
    ("QQ号", Cue::Qq),
    ("QQ", Cue::Qq),
    ("Q号", Cue::Qq),
    ("扣扣号码", Cue::Qq),
    ("扣扣号", Cue::Qq),
    ("扣扣", Cue::Qq),
    ("企鹅号码", Cue::Qq),
    ("企鹅号", Cue::Qq),
    ("企鹅", Cue::Qq),
    ("微信号码", Cue::WeChat),
    ("微信号", Cue::WeChat),
    ("微信", Cue::WeChat),
    ("威信", Cue::WeChat),
    ("薇信", Cue::WeChat),
    ("V信", Cue::WeChat),
    ("VX", Cue::WeChat),
    ("WX", Cue::WeChat),
    ("WeChat", Cue::WeChat),
    ("weixin", Cue::WeChat),
    ("微 信", Cue::WeChat),
];

/// What may sit between a cue and the id (`QQ号是：`, `微信 (`), at most [`MAX_FILLER`] chars.
const FILLER: [char; 17] = [
    ' ', '\u{3000}', '\t', ':', '：', '是', '为', '為', '号', '號', '码', '碼', '=', '-', '(',
    '（', '“',
];

/// The longest WeChat id, in ASCII chars.
const MAX_WECHAT_ID: usize = 20;

/// The most filler chars skipped after a cue.
const MAX_FILLER: usize = 6;

/// Chars after a number that make it an amount or a count, not an id (`QQ 10000元`).
const UNITS: [char; 24] = [
    '元', '块', '角', '万', '千', '百', '亿', '个', '份', '人', '户', '次', '年', '月', '日', '天',
    '岁', '斤', '亩', '米', '吨', '条', '%', '％',
];

/// Finds cued QQ/WeChat ids that do not overlap `existing` (sorted, non-overlapping).
/// A cued number that is a mobile is reported as [`IdentifierKind::Mobile`].
pub(crate) fn find(text: &str, existing: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut resume = 0;
    for (pos, c) in text.char_indices() {
        if pos < resume
            || !matches!(
                c,
                'Q' | 'q' | 'V' | 'v' | 'W' | 'w' | '扣' | '微' | '威' | '薇' | '企'
            )
        {
            continue;
        }
        let Some((cue_len, cue)) = cue_at(text, pos) else {
            continue;
        };
        let id_start = skip_filler(text, pos + cue_len);
        // The next identifier already found is masked on its own: the id is read up to it, as
        // a second pass over the masked text reads it (so `微信号c0086-13812345678` and
        // `QQ１２３４５６７８a@b.cn` leave no id behind, glued to a mobile or an address).
        let taken = existing.partition_point(|f| f.end <= id_start);
        let limit = match existing.get(taken) {
            Some(f) if f.start <= id_start => continue,
            Some(f) => f.start,
            None => text.len(),
        };
        let Some((kind, end)) = id_at(&text[..limit], id_start, cue) else {
            continue;
        };
        out.push(Finding {
            kind,
            start: id_start,
            end,
        });
        resume = end;
    }
    out
}

/// The cue word starting at `pos`, with its byte length.
fn cue_at(text: &str, pos: usize) -> Option<(usize, Cue)> {
    let (word, cue) = CUES
        .iter()
        .find(|(word, _)| starts_with_ignore_case(text, pos, word))?;
    let starts_latin = word.as_bytes()[0].is_ascii_alphabetic();
    let ends_latin = word.as_bytes()[word.len() - 1].is_ascii_alphabetic();
    if starts_latin && char_before(text, pos).is_some_and(|(_, c)| is_letter(c)) {
        return None;
    }
    if ends_latin && char_at(text, pos + word.len()).is_some_and(is_letter) {
        return None;
    }
    Some((word.len(), *cue))
}

/// Skips the filler after a cue, and an `ID`/`id` word; returns where the id should start.
fn skip_filler(text: &str, mut pos: usize) -> usize {
    for _ in 0..MAX_FILLER {
        if starts_with_ignore_case(text, pos, "id")
            && !char_at(text, pos + 2).is_some_and(|c| is_letter(c) || is_digit(c))
        {
            pos += 2;
            continue;
        }
        match char_at(text, pos) {
            Some(c) if FILLER.contains(&c) => pos += c.len_utf8(),
            _ => break,
        }
    }
    pos
}

/// The id starting at `start` for this cue: its kind and end.
fn id_at(text: &str, start: usize, cue: Cue) -> Option<(IdentifierKind, usize)> {
    let first = char_at(text, start)?;
    if any_digit_value(first).is_some() {
        return number_id(text, start);
    }
    if cue == Cue::Qq || !first.is_ascii_alphabetic() {
        return None;
    }
    let bytes = text.as_bytes();
    let mut end = start;
    // Reading stops one past the longest id, so a long word costs no more than a short one.
    while end < bytes.len()
        && end - start <= MAX_WECHAT_ID
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b'-'))
    {
        end += 1;
    }
    let glued = char_at(text, end).is_some_and(|c| is_letter(c) || is_digit(c) || c == '@');
    ((6..=MAX_WECHAT_ID).contains(&(end - start)) && !glued)
        .then_some((IdentifierKind::SocialId, end))
}

/// A QQ-style number at `start`: 5–11 digits, no leading zero, not an amount or a decimal.
/// Arabic and Chinese digits are not mixed (`QQ12345678一个` ends before `一`).
fn number_id(text: &str, start: usize) -> Option<(IdentifierKind, usize)> {
    let mut digits = [0u8; 11];
    let mut len = 0;
    let mut end = start;
    let han = char_at(text, start).is_some_and(|c| han_digit_value(c).is_some());
    let same_script = |c: char| any_digit_value(c).filter(|_| han_digit_value(c).is_some() == han);
    while let Some(v) = char_at(text, end).and_then(same_script) {
        if len == digits.len() {
            return None;
        }
        digits[len] = b'0' + v;
        len += 1;
        end += char_at(text, end).map_or(1, char::len_utf8);
    }
    let amount = match char_at(text, end) {
        Some('.') => char_at(text, end + 1).is_some_and(is_digit),
        Some(c) => UNITS.contains(&c) || is_letter(c) || c == '_',
        None => false,
    };
    if amount || len < 5 || digits[0] == b'0' {
        return None;
    }
    let kind = if is_mobile(&digits[..len]) {
        IdentifierKind::Mobile
    } else {
        IdentifierKind::SocialId
    };
    Some((kind, end))
}
