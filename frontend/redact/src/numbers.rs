//! Mobiles, landlines, resident IDs and bank cards, found in runs of digits.
//!
//! A run is read the way people type numbers: ASCII, full-width and Chinese-numeral digits
//! (`138一二三四5678`, `幺三八…`), in groups joined by a separator (spaces, `-`, `—`, `.`,
//! `/`, `·`, a comma, or `)` after a bracketed area code), with byte offsets into the original
//! text so a mask covers exactly what was written. Identifiers are matched on whole groups
//! only, so a long number is never split to find one inside it; the exceptions are the
//! `86`/`0086` country prefix of a mobile and a change between Arabic and Chinese digits
//! (`13812345678一定`). A `.` between digits is a decimal point unless the identifier spans it
//! (`138.1234.5678`, never `3.13812345678`). A comma joins an ID or a card split in two only
//! when the whole passes its check digit, and never a mobile or a landline.
//! A run glued to ASCII letters or `_` (`v13812345678`) cannot start or end an identifier on
//! that side, except after a cue word such as `tel` or `QQ`, or where the letters are an email
//! address (masked too, so the number must not stay behind: redacting twice masks nothing
//! new). Each kind also wants a familiar grouping (see the `*_grouping` helpers), which keeps
//! unrelated neighbours such as `2023-05-06 …` from being glued on.
//! An 18-digit number with an ID-like birth date but a wrong check digit is a mistyped ID,
//! not a card, and is left alone.

use super::chars::{any_digit_value, char_at, char_before, han_digit_value, is_check_x, is_letter};
use super::checks::{
    area_code_len, has_id_birth_date, is_bank_card, is_mobile, is_resident_id15, is_resident_id18,
};
use vocabulary::screening::IdentifierKind;

use super::Finding;

/// The most digits any identifier spans (a 19-digit card).
const MAX_DIGITS: usize = 19;

/// Letter words that may sit right before a number without making it part of a code.
const LETTER_CUES: [&str; 10] = [
    "tel", "phone", "mobile", "mob", "cell", "qq", "wx", "vx", "wechat", "weixin",
];

/// What joins a group of digits to the group before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joint {
    /// The first group of a run.
    Start,
    /// Arabic digits meet Chinese numerals with nothing between (`138一二三四`).
    Script,
    /// Spaces, or a `.` with spaces around it (`1. 13812345678`).
    Space,
    /// A dash, possibly doubled (`——`) and with spaces around it.
    Dash,
    /// A `.` between digits: a decimal point unless an identifier spans it.
    Dot,
    /// `/` or `·`.
    Slash,
    /// A comma: a list, or an ID or a card broken in two.
    Comma,
    /// The `)` closing a bracketed area code (`(0571)88888888`).
    Bracket,
}

/// One group of digits: its byte range in the text, its slice of the run's digit buffer, and
/// what joins it to the group before.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    from: usize,
    len: usize,
    joint: Joint,
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
    /// Byte offset of a `(` right before the first group, if any.
    bracket: Option<usize>,
}

/// Finds mobiles, landlines, resident IDs and bank cards outside the sorted byte ranges `skip`.
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
        if any_digit_value(c).is_some() {
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

/// Whether a digit in any form starts at byte `pos`.
fn digit_at(text: &str, pos: usize) -> bool {
    char_at(text, pos).and_then(any_digit_value).is_some()
}

impl Run {
    /// Reads the run starting at byte `start` and not reaching `limit`; returns where it ends.
    fn read(&mut self, text: &str, start: usize, limit: usize) -> usize {
        self.groups.clear();
        self.digits.clear();
        self.open_start = open_before(text, start);
        self.bracket = match char_before(text, start) {
            Some((at, '(' | '（')) => Some(at),
            _ => None,
        };
        let mut pos = start;
        let mut joint = Joint::Start;
        loop {
            let from = self.digits.len();
            let group_start = pos;
            let mut han = None;
            while pos < limit {
                let Some(c) = char_at(text, pos) else { break };
                let Some(v) = any_digit_value(c) else { break };
                let is_han = han_digit_value(c).is_some();
                if han.is_some_and(|h| h != is_han) {
                    break;
                }
                han = Some(is_han);
                self.digits.push(b'0' + v);
                pos += c.len_utf8();
            }
            self.groups.push(Group {
                start: group_start,
                end: pos,
                from,
                len: self.digits.len() - from,
                joint,
            });
            let next = if pos < limit && digit_at(text, pos) {
                Some((pos, Joint::Script))
            } else {
                let bracketed = self.groups.len() == 1 && self.bracket.is_some();
                separator(text, pos, bracketed)
                    .filter(|&(next, _)| next < limit && digit_at(text, next))
            };
            match next {
                Some((next, next_joint)) => {
                    pos = next;
                    joint = next_joint;
                }
                None => break,
            }
        }
        self.x_end = None;
        // Stopped by a skipped range (an address, soon a mask): not glued to it.
        let at_skipped = pos == limit && pos < text.len();
        // Someone who spaces every digit spaces the `X` too (`… 4 4 X`), also when the run
        // starts with a longer neighbour (`86，1 2 7 … 1 7 X`, found by the property tests):
        // then the single digits must be at least the 17 an ID has before its `X`.
        let single = self.groups.iter().rev().take_while(|g| g.len == 1).count();
        let spaced_x = single > 1
            && (single == self.groups.len() || single >= 17)
            && char_at(text, pos) == Some(' ')
            && char_at(text, pos + 1).is_some_and(is_check_x);
        let x_pos = if spaced_x && !at_skipped {
            pos + 1
        } else {
            pos
        };
        self.open_end = match char_at(text, x_pos) {
            _ if at_skipped => true,
            Some(x) if is_check_x(x) => {
                let after = x_pos + x.len_utf8();
                if !char_at(text, after).is_some_and(|c| is_letter(c) || c == '_') {
                    self.x_end = Some(after);
                }
                false
            }
            Some('.') => !digit_at(text, pos + 1),
            Some(c) => !glues(c),
            None => true,
        };
        pos
    }

    /// Whether an identifier may not end with group `j` because a decimal point follows it.
    fn decimal_after(&self, j: usize) -> bool {
        self.groups
            .get(j + 1)
            .is_some_and(|g| g.joint == Joint::Dot)
    }

    /// Pushes the identifiers of the run, longest first from each starting group.
    fn matches(&self, text: &str, out: &mut Vec<Finding>) {
        let n = self.groups.len();
        let mut i = usize::from(!self.open_start);
        while i < n {
            if i > 0 && self.groups[i].joint == Joint::Dot {
                i += 1;
                continue;
            }
            let mut best = None;
            let mut total = 0;
            for j in i..n {
                total += self.groups[j].len;
                if total > MAX_DIGITS {
                    break;
                }
                if self.decimal_after(j) {
                    continue;
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
        let written = Written::of(groups);
        let start = groups[0].start;
        let last = j + 1 == self.groups.len();
        let finding = |kind, start, end| Some(Finding { kind, start, end });
        if last && let Some(x_end) = self.x_end {
            let id = digits.len() == 17 && written.id_grouping(1) && is_resident_id18(digits, b'X');
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
        if len == 18 && written.id_grouping(0) && is_resident_id18(&digits[..17], digits[17]) {
            return finding(IdentifierKind::ResidentId, start, end);
        }
        if len == 15 && written.id_grouping(0) && is_resident_id15(digits) {
            return finding(IdentifierKind::ResidentId, start, end);
        }
        if written.card_grouping() && is_bank_card(digits) && !has_id_birth_date(digits) {
            return finding(IdentifierKind::BankCard, start, end);
        }
        if len == 11 && written.mobile_grouping(written.lens[0]) && is_mobile(digits) {
            return finding(IdentifierKind::Mobile, start, end);
        }
        if written.landline_grouping(digits) {
            let start = match (i, self.bracket) {
                (0, Some(bracket)) if written.joints[1..written.n].contains(&Joint::Bracket) => {
                    bracket
                }
                _ => start,
            };
            return finding(IdentifierKind::Landline, start, end);
        }
        let prefix = match digits {
            [b'8', b'6', ..] if len == 13 => 2,
            [b'0', b'0', b'8', b'6', ..] if len == 15 => 4,
            _ => return None,
        };
        let first = usize::from(written.lens[0]);
        let grouped = if first == prefix {
            // A comma after `86` is a list (`86，1 3 0 …`), never a country prefix.
            written.n > 1
                && written.joints[1] != Joint::Comma
                && written.after_first().mobile_grouping(written.lens[1])
        } else {
            first > prefix && written.mobile_grouping(written.lens[0] - prefix as u8)
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

/// The groups of a candidate as its writer grouped them: groups joined only by a change
/// between Arabic and Chinese digits count as one.
#[derive(Clone, Copy)]
struct Written {
    /// Digits per group.
    lens: [u8; MAX_DIGITS],
    /// What joins each group to the one before (`Start` for the first).
    joints: [Joint; MAX_DIGITS],
    /// How many groups.
    n: usize,
}

impl Written {
    /// Merges groups joined by a change of script; at most [`MAX_DIGITS`] digits in all.
    fn of(groups: &[Group]) -> Written {
        let mut w = Written {
            lens: [0; MAX_DIGITS],
            joints: [Joint::Start; MAX_DIGITS],
            n: 0,
        };
        for g in groups {
            let len = u8::try_from(g.len).unwrap_or(u8::MAX);
            if w.n > 0 && g.joint == Joint::Script {
                w.lens[w.n - 1] = w.lens[w.n - 1].saturating_add(len);
            } else if w.n < MAX_DIGITS {
                w.lens[w.n] = len;
                w.joints[w.n] = if w.n == 0 { Joint::Start } else { g.joint };
                w.n += 1;
            }
        }
        w
    }

    /// The same groups without the first.
    fn after_first(&self) -> Written {
        let mut w = *self;
        w.lens.copy_within(1..self.n, 0);
        w.joints.copy_within(1..self.n, 0);
        w.joints[0] = Joint::Start;
        w.n = self.n.saturating_sub(1);
        w
    }

    /// The joints between groups.
    fn inner_joints(&self) -> &[Joint] {
        &self.joints[1..self.n.max(1)]
    }

    /// Whether every digit stands alone with spaces between (`1 3 8 1 2 3 4 5 6 7 8`).
    fn spaced(&self) -> bool {
        self.n > 1
            && self.lens[..self.n].iter().all(|&l| l == 1)
            && self.inner_joints().iter().all(|&j| j == Joint::Space)
    }

    /// Whether the joints are all of `allowed`, with at most one comma when commas are.
    fn joined_by(&self, allowed: &[Joint]) -> bool {
        let joints = self.inner_joints();
        joints.iter().all(|j| allowed.contains(j))
            && joints.iter().filter(|&&j| j == Joint::Comma).count() <= 1
    }

    /// Mobile grouping, the first group counted as `first_len` digits: one group; two groups
    /// split after the third, fourth or seventh digit (`138 12345678`, `1381234 5678`); three
    /// groups of three digits or more after a first of three or four (`138 1234 5678`,
    /// `138.1234.5678`); or one digit at a time. Never across a comma, and never a date with
    /// a number after it (`19500101 100`).
    fn mobile_grouping(&self, first_len: u8) -> bool {
        let rest = &self.lens[1..self.n.max(1)];
        let grouped = match rest {
            [] => true,
            [_] => matches!(first_len, 3 | 4 | 7),
            [_, _] => matches!(first_len, 3 | 4) && rest.iter().all(|&l| l >= 3),
            _ => false,
        };
        self.joined_by(&[Joint::Space, Joint::Dash, Joint::Dot, Joint::Slash])
            && (grouped || self.spaced())
    }

    /// Resident-ID grouping: every group but the last has three digits or more
    /// (`110101 19900307 1234`), every part three or more when a comma splits it
    /// (`433101200，512123882`; `check_x` counts an `X` after the last), or one digit at a time.
    fn id_grouping(&self, check_x: u8) -> bool {
        let comma = self.inner_joints().contains(&Joint::Comma);
        let last = self.lens[self.n - 1] + check_x;
        self.joined_by(&[
            Joint::Space,
            Joint::Dash,
            Joint::Dot,
            Joint::Slash,
            Joint::Comma,
        ]) && ((self.lens[..self.n - 1].iter().all(|&l| l >= 3) && (!comma || last >= 3))
            || self.spaced())
    }

    /// Bank-card grouping: one group, groups of four with a last group of one to four digits,
    /// two parts of four digits or more split by one comma, or one digit at a time.
    fn card_grouping(&self) -> bool {
        let (last, rest) = (self.lens[self.n - 1], &self.lens[..self.n - 1]);
        self.joined_by(&[
            Joint::Space,
            Joint::Dash,
            Joint::Dot,
            Joint::Slash,
            Joint::Comma,
        ]) && (rest.is_empty()
            || (rest.iter().all(|&l| l == 4) && (1..=4).contains(&last))
            || (self.n == 2
                && self.joints[1] == Joint::Comma
                && self.lens[0] >= 4
                && self.lens[1] >= 4)
            || self.spaced())
    }

    /// Landline: a national area code (`010`, `02x`, `0xxx`) and a local number of seven or
    /// eight digits starting 2–9, written in one piece, as the area code then one or two groups
    /// (`0731-8888888`, `(0571)88888888`, `0898 6688 8888`), or one digit at a time.
    fn landline_grouping(&self, digits: &[u8]) -> bool {
        let Some(area) = area_code_len(digits) else {
            return false;
        };
        let local = &digits[area..];
        let local_len = if area == 3 { 8..=8 } else { 7..=8 };
        if !local_len.contains(&local.len()) || !(b'2'..=b'9').contains(&local[0]) {
            return false;
        }
        let joints_fit = self.inner_joints().iter().enumerate().all(|(k, &j)| {
            matches!(j, Joint::Space | Joint::Dash) || (k == 0 && j == Joint::Bracket)
        });
        joints_fit
            && (self.n == 1
                || self.spaced()
                || (usize::from(self.lens[0]) == area
                    && self.n <= 3
                    && self.lens[1..self.n].iter().all(|&l| l >= 3)))
    }
}

/// Spaces skipped around a separator, at most two.
fn skip_spaces(text: &str, mut pos: usize) -> usize {
    for _ in 0..2 {
        match char_at(text, pos) {
            Some(c @ (' ' | '\u{a0}' | '\u{3000}')) => pos += c.len_utf8(),
            _ => break,
        }
    }
    pos
}

/// The separator starting at byte `pos`, if any: where the next group would start and what
/// joins it. `)` closes a group only when `bracketed` (the group opened with `(`).
fn separator(text: &str, pos: usize, bracketed: bool) -> Option<(usize, Joint)> {
    let mut p = skip_spaces(text, pos);
    let spaced_before = p > pos;
    let mut joint = spaced_before.then_some(Joint::Space);
    if let Some(c) = char_at(text, p) {
        let mark = match c {
            '-' | '－' | '‐' | '‑' | '–' | '—' | '―' => Some(Joint::Dash),
            '.' | '．' => Some(Joint::Dot),
            '/' | '／' | '·' | '・' => Some(Joint::Slash),
            ',' | '，' => Some(Joint::Comma),
            ')' | '）' if bracketed => Some(Joint::Bracket),
            _ => None,
        };
        if let Some(mark) = mark {
            p += c.len_utf8();
            if mark == Joint::Dash && char_at(text, p) == Some(c) {
                p += c.len_utf8();
            }
            let after = skip_spaces(text, p);
            // A decimal point has no spaces around it.
            joint = Some(if mark == Joint::Dot && (spaced_before || after > p) {
                Joint::Space
            } else {
                mark
            });
            p = after;
        }
    }
    joint.map(|j| (p, j))
}

/// Whether `c` right next to a digit makes the digits part of a code rather than a number.
fn glues(c: char) -> bool {
    is_letter(c) || any_digit_value(c).is_some() || c == '_'
}

/// Whether an identifier may start at byte `start`, judging by what comes before it.
fn open_before(text: &str, start: usize) -> bool {
    match char_before(text, start) {
        None => true,
        Some((dot, '.')) => {
            char_before(text, dot).is_none_or(|(_, c)| any_digit_value(c).is_none())
        }
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
