//! Mobiles, resident IDs and bank cards, found in runs of digits.
//!
//! A run is a maximal sequence of digit groups joined by single separators (`138 1234 5678`,
//! `6222-0212-3456-7890`). Identifiers are matched on whole groups only, so a long number is
//! never split to find one inside it; the only exception is the `86`/`0086` country prefix of
//! a mobile. A run glued to ASCII letters, `_` or a decimal point (`v13812345678`,
//! `3.14159265358`) cannot start or end an identifier on that side, except after a cue word
//! such as `tel` or `QQ`, or where the letters are an email address (masked too, so the number
//! must not stay behind: redacting twice masks nothing new). Each kind also wants a familiar
//! grouping (see the `*_grouping` helpers), which keeps unrelated neighbours such as
//! `2023-05-06 …` from being glued on.
//! An 18-digit number with an ID-like birth date but a wrong check digit is a mistyped ID,
//! not a card, and is left alone.

use super::chars::{
    char_at, char_before, digit_value, is_check_x, is_digit, is_letter, is_separator,
};
use super::checks::{
    has_id_birth_date, is_bank_card, is_mobile, is_resident_id15, is_resident_id18,
};
use super::{Finding, IdentifierKind};

/// The most digits any identifier spans (a 19-digit card).
const MAX_DIGITS: usize = 19;

/// Letter words that may sit right before a number without making it part of a code.
const LETTER_CUES: [&str; 10] = [
    "tel", "phone", "mobile", "mob", "cell", "qq", "wx", "vx", "wechat", "weixin",
];

/// One group of digits: its byte range in the text and its slice of the run's digit buffer.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    from: usize,
    len: usize,
}

/// The run being examined. Buffers are reused from run to run.
#[derive(Default)]
struct Run {
    groups: Vec<Group>,
    digits: Vec<u8>,
    /// Whether an identifier may start at the first group.
    open_start: bool,
    /// Whether an identifier may end at the last group.
    open_end: bool,
    /// Byte offset past an `X` check character right after the last group, if any.
    x_end: Option<usize>,
}

/// Finds mobiles, resident IDs and bank cards outside the sorted byte ranges `skip`.
pub(crate) fn find(text: &str, skip: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut run = Run::default();
    let mut skip = skip.iter().peekable();
    // Where the last skipped range (an address, soon a mask) ended: a run starting there is
    // not glued to it.
    let mut skipped_to = None;
    let mut pos = 0;
    while let Some(c) = char_at(text, pos) {
        let limit = match skip.peek() {
            Some(s) if s.end <= pos => {
                skip.next();
                continue;
            }
            Some(s) if s.start <= pos => {
                pos = s.end;
                skipped_to = Some(pos);
                continue;
            }
            Some(s) => s.start,
            None => text.len(),
        };
        if is_digit(c) {
            // An ID's `X` ends it even when digits follow at once (`…002X13812345678`).
            let after_id =
                out.last().is_some_and(|f: &Finding| f.end == pos) || skipped_to == Some(pos);
            pos = run.read(text, pos, limit);
            run.open_start |= after_id;
            run.matches(text, &mut out);
        } else {
            pos += c.len_utf8();
        }
    }
    out
}

impl Run {
    /// Reads the run starting at byte `start` and not reaching `limit`; returns where it ends.
    fn read(&mut self, text: &str, start: usize, limit: usize) -> usize {
        self.groups.clear();
        self.digits.clear();
        self.open_start = open_before(text, start);
        let mut pos = start;
        loop {
            let from = self.digits.len();
            let group_start = pos;
            while let Some(c) = char_at(text, pos).filter(|_| pos < limit) {
                let Some(v) = digit_value(c) else { break };
                self.digits.push(b'0' + v);
                pos += c.len_utf8();
            }
            self.groups.push(Group {
                start: group_start,
                end: pos,
                from,
                len: self.digits.len() - from,
            });
            match char_at(text, pos) {
                Some(s) if is_separator(s) => {
                    let next = pos + s.len_utf8();
                    if next < limit && char_at(text, next).is_some_and(is_digit) {
                        pos = next;
                        continue;
                    }
                }
                _ => {}
            }
            break;
        }
        self.x_end = None;
        // Stopped by a skipped range (an address, soon a mask): not glued to it.
        let at_skipped = pos == limit && pos < text.len();
        self.open_end = match char_at(text, pos) {
            _ if at_skipped => true,
            Some(x) if is_check_x(x) => {
                let after = pos + x.len_utf8();
                if !char_at(text, after).is_some_and(|c| is_letter(c) || c == '_') {
                    self.x_end = Some(after);
                }
                false
            }
            Some('.') => !char_at(text, pos + 1).is_some_and(is_digit),
            Some(c) => !glues(c),
            None => true,
        };
        pos
    }

    /// Pushes the identifiers of the run, longest first from each starting group.
    fn matches(&self, text: &str, out: &mut Vec<Finding>) {
        let n = self.groups.len();
        let mut i = usize::from(!self.open_start);
        while i < n {
            let mut best = None;
            let mut total = 0;
            for j in i..n {
                total += self.groups[j].len;
                if total > MAX_DIGITS {
                    break;
                }
                if let Some(found) = self.classify(text, i, j) {
                    best = Some((j, found));
                }
            }
            match best {
                Some((j, found)) => {
                    out.push(found);
                    i = j + 1;
                }
                None => i += 1,
            }
        }
    }

    /// The identifier made of groups `i..=j`, if they form one.
    fn classify(&self, text: &str, i: usize, j: usize) -> Option<Finding> {
        let groups = &self.groups[i..=j];
        let digits = &self.digits[groups[0].from..groups[j - i].from + groups[j - i].len];
        let start = groups[0].start;
        let last = j + 1 == self.groups.len();
        let finding = |kind, start, end| Some(Finding { kind, start, end });
        if last && let Some(x_end) = self.x_end {
            let id = digits.len() == 17 && id_grouping(groups) && is_resident_id18(digits, b'X');
            return if id {
                finding(IdentifierKind::ResidentId, start, x_end)
            } else {
                None
            };
        }
        if last && !self.open_end {
            return None;
        }
        let end = groups[j - i].end;
        let len = digits.len();
        if len == 18 && id_grouping(groups) && is_resident_id18(&digits[..17], digits[17]) {
            return finding(IdentifierKind::ResidentId, start, end);
        }
        if len == 15 && id_grouping(groups) && is_resident_id15(digits) {
            return finding(IdentifierKind::ResidentId, start, end);
        }
        if card_grouping(groups) && is_bank_card(digits) && !has_id_birth_date(digits) {
            return finding(IdentifierKind::BankCard, start, end);
        }
        if len == 11 && mobile_grouping(groups[0].len, &groups[1..]) && is_mobile(digits) {
            return finding(IdentifierKind::Mobile, start, end);
        }
        let prefix = match digits {
            [b'8', b'6', ..] if len == 13 => 2,
            [b'0', b'0', b'8', b'6', ..] if len == 15 => 4,
            _ => return None,
        };
        let grouped = if groups[0].len == prefix {
            groups.len() > 1 && mobile_grouping(groups[1].len, &groups[2..])
        } else {
            mobile_grouping(groups[0].len - prefix, &groups[1..])
        };
        if !grouped || !is_mobile(&digits[prefix..]) {
            return None;
        }
        let start = match char_before(text, start) {
            Some((plus, '+' | '＋')) => plus,
            _ => start,
        };
        finding(IdentifierKind::Mobile, start, end)
    }
}

/// Whether `c` right next to a digit makes the digits part of a code rather than a number.
fn glues(c: char) -> bool {
    is_letter(c) || is_digit(c) || c == '_'
}

/// Whether an identifier may start at byte `start`, judging by what comes before it.
fn open_before(text: &str, start: usize) -> bool {
    match char_before(text, start) {
        None => true,
        Some((dot, '.')) => !char_before(text, dot).is_some_and(|(_, c)| is_digit(c)),
        Some(_) if is_cue_word_before(text, start) => true,
        Some((_, c)) => !glues(c),
    }
}

/// Whether the ASCII letters right before `end` form one of [`LETTER_CUES`] on their own.
fn is_cue_word_before(text: &str, end: usize) -> bool {
    let bytes = text.as_bytes();
    let mut start = end;
    while start > 0 && end - start <= 6 && bytes[start - 1].is_ascii_alphabetic() {
        start -= 1;
    }
    let whole = start == 0 || !char_before(text, start).is_some_and(|(_, c)| glues(c));
    whole
        && start < end
        && LETTER_CUES
            .iter()
            .any(|cue| cue.as_bytes().eq_ignore_ascii_case(&bytes[start..end]))
}

/// Mobile grouping: one group, or at most four groups of three digits or more (`138 1234 5678`).
fn mobile_grouping(first_len: usize, rest: &[Group]) -> bool {
    rest.is_empty() || (first_len >= 3 && rest.len() <= 3 && rest.iter().all(|g| g.len >= 3))
}

/// Resident-ID grouping: every group but the last has three digits or more (`110101 19900307 1234`).
fn id_grouping(groups: &[Group]) -> bool {
    groups[..groups.len() - 1].iter().all(|g| g.len >= 3)
}

/// Bank-card grouping: one group, or groups of four with a last group of one to four digits.
fn card_grouping(groups: &[Group]) -> bool {
    let (last, rest) = groups.split_last().expect("a run has a group");
    rest.is_empty() || (rest.iter().all(|g| g.len == 4) && (1..=4).contains(&last.len))
}
