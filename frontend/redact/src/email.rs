//! Email addresses: ASCII `local@domain.tld`, with `＠` read as `@`, and addresses written to
//! dodge a filter (`name at 163.com`, `name（at）qq.com`, `name#126.com`, `name 艾特 qq.com`,
//! `name @ 163 . com`), which must end in a common top-level domain.

use super::chars::{char_at, char_before, starts_with_ignore_case};
use vocabulary::screening::IdentifierKind;

use super::Finding;

/// Top-level domains a dodged address may end in (an ordinary `@` address may end in any).
const COMMON_TLDS: [&str; 24] = [
    "com", "cn", "net", "org", "edu", "gov", "info", "top", "vip", "xyz", "cc", "me", "io", "co",
    "biz", "hk", "tw", "mo", "us", "uk", "jp", "mobi", "site", "club",
];

/// Finds email addresses, plain and dodged, sorted and non-overlapping.
pub(crate) fn find(text: &str) -> Vec<Finding> {
    let plain = find_plain(text);
    let mut found = find_dodged(text, &plain);
    if found.is_empty() {
        return plain;
    }
    found.extend(plain);
    found.sort_unstable_by_key(|f| f.start);
    found
}

/// Where a dodged `@` written at byte `pos` ends, if one is written there: `@`/`＠` the plain
/// finder did not take (spaces around it or in the domain), `#`, `艾特`, or the word `at`
/// between spaces or in brackets.
fn dodged_at(text: &str, pos: usize) -> Option<usize> {
    let c = char_at(text, pos)?;
    match c {
        '@' | '＠' | '#' | '＃' => return Some(pos + c.len_utf8()),
        '艾' if text[pos..].starts_with("艾特") => return Some(pos + "艾特".len()),
        '(' | '（' | '[' | '【' | '<' => {
            let inner = pos + c.len_utf8();
            let close = match c {
                '(' => ')',
                '（' => '）',
                '[' => ']',
                '【' => '】',
                _ => '>',
            };
            let word = if starts_with_ignore_case(text, inner, "at") {
                2
            } else if text[inner..].starts_with("艾特") {
                "艾特".len()
            } else {
                return None;
            };
            return (char_at(text, inner + word) == Some(close))
                .then(|| inner + word + close.len_utf8());
        }
        'a' | 'A' if starts_with_ignore_case(text, pos, "at") => {
            let spaced_before = char_before(text, pos).is_some_and(|(_, b)| is_space(b));
            let spaced_after = char_at(text, pos + 2).is_some_and(is_space);
            return (spaced_before && spaced_after).then_some(pos + 2);
        }
        _ => {}
    }
    None
}

/// Whether `c` is a space people put around the parts of a dodged address.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{3000}')
}

/// Skips up to two spaces.
fn skip_spaces(text: &str, mut pos: usize) -> usize {
    for _ in 0..2 {
        match char_at(text, pos) {
            Some(c) if is_space(c) => pos += c.len_utf8(),
            _ => break,
        }
    }
    pos
}

/// Skips up to two spaces backwards from `pos`.
fn skip_spaces_back(text: &str, mut pos: usize) -> usize {
    for _ in 0..2 {
        match char_before(text, pos) {
            Some((at, c)) if is_space(c) => pos = at,
            _ => break,
        }
    }
    pos
}

/// Finds addresses with a dodged `@` outside the sorted ranges `taken`.
fn find_dodged(text: &str, taken: &[Finding]) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut out: Vec<Finding> = Vec::new();
    let mut floor = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        if !matches!(
            bytes[pos],
            b'@' | b'#' | b'a' | b'A' | b'(' | b'[' | b'<' | 0xE8 | 0xEF | 0xE3
        ) {
            pos += 1;
            continue;
        }
        if !text.is_char_boundary(pos) || taken.iter().any(|f| f.start <= pos && pos < f.end) {
            pos += 1;
            continue;
        }
        let Some(at_end) = dodged_at(text, pos) else {
            pos += 1;
            continue;
        };
        // A local part read up to an address found before, as a second pass over the masked
        // text would read it.
        let bound = taken
            .iter()
            .filter(|f| f.end <= pos)
            .map(|f| f.end)
            .fold(floor, usize::max);
        let local_end = skip_spaces_back(text, pos).max(bound);
        let mut start = local_end;
        while start > bound && is_local(bytes[start - 1]) {
            start -= 1;
        }
        while start < local_end && bytes[start] == b'.' {
            start += 1;
        }
        // The domain is read up to the next address found, as a second pass would read it.
        let limit = taken
            .iter()
            .find(|f| f.start >= at_end)
            .map_or(text.len(), |f| f.start);
        let domain_end = dodged_domain_end(&text[..limit], at_end);
        let overlaps = |end: usize| taken.iter().any(|f| f.start < end && start < f.end);
        if (1..=64).contains(&(local_end - start))
            && let Some(end) = domain_end
            && !overlaps(end)
        {
            out.push(Finding {
                kind: IdentifierKind::Email,
                start,
                end,
            });
            floor = end;
            pos = end;
        } else {
            pos = at_end;
        }
    }
    out
}

/// The end of a domain written after a dodged `@` at byte `from`: labels of ASCII letters,
/// digits and `-`, with spaces allowed around the `.` between them (also `。`, `．`, `点` or the
/// word `dot`), ending in a common top-level domain; `None` when there is none.
fn dodged_domain_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = skip_spaces(text, from);
    let mut labels = 0;
    let mut best = None;
    loop {
        let label_start = pos;
        while pos < bytes.len() && (bytes[pos].is_ascii_alphanumeric() || bytes[pos] == b'-') {
            pos += 1;
        }
        let label = &bytes[label_start..pos];
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return best;
        }
        let letters = bytes[label_start..pos]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let tld = &text[label_start..label_start + letters];
        if labels >= 1 && COMMON_TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld)) {
            best = Some(label_start + letters);
        }
        labels += 1;
        let before_dot = skip_spaces(text, pos);
        let after_dot = match char_at(text, before_dot) {
            Some(c @ ('.' | '。' | '．' | '点')) => before_dot + c.len_utf8(),
            Some('d' | 'D')
                if before_dot > pos && starts_with_ignore_case(text, before_dot, "dot") =>
            {
                before_dot + 3
            }
            _ => return best,
        };
        let next = skip_spaces(text, after_dot);
        if !bytes.get(next).is_some_and(u8::is_ascii_alphanumeric) {
            return best;
        }
        pos = next;
    }
}

/// The full-width at sign, read like `@`.
const FULL_WIDTH_AT: &str = "＠";

/// Finds plain addresses (`local@domain`, no spaces), sorted and non-overlapping.
fn find_plain(text: &str) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Nothing left of this offset may join a new address (it belongs to an earlier `@`).
    let mut floor = 0;
    let mut i = 0;
    while i < bytes.len() {
        let at_len = if bytes[i] == b'@' {
            1
        } else if bytes[i..].starts_with(FULL_WIDTH_AT.as_bytes()) {
            FULL_WIDTH_AT.len()
        } else {
            i += 1;
            continue;
        };
        let mut start = i;
        while start > floor && is_local(bytes[start - 1]) {
            start -= 1;
        }
        while start < i && bytes[start] == b'.' {
            start += 1;
        }
        let domain_start = i + at_len;
        let mut end = domain_start;
        while end < bytes.len() && is_domain(bytes[end]) {
            end += 1;
        }
        let domain = domain_name_prefix(&bytes[domain_start..end]);
        if let (true, Some(domain_len)) = ((1..=64).contains(&(i - start)), domain) {
            let end = domain_start + domain_len;
            out.push(Finding {
                kind: IdentifierKind::Email,
                start,
                end,
            });
            floor = end;
            i = end;
        } else {
            floor = domain_start;
            i = domain_start;
        }
    }
    out
}

/// Whether `b` may appear in the local part.
fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Whether `b` may appear in a domain name.
fn is_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// The length of the longest start of `d` that is a domain name: at least two labels, the last
/// (top-level) one of two or more letters. The name may end before a `-`, a `.` or a digit
/// glued to its top-level label, so `a@b.cn-6222…` and `a@qq.com13812345678` are an address
/// followed by a number, not one long unreadable domain that would leave both unmasked.
fn domain_name_prefix(d: &[u8]) -> Option<usize> {
    let mut best = None;
    let mut label_start = 0;
    let mut labels = 0;
    loop {
        let label_end = d[label_start..]
            .iter()
            .position(|&b| b == b'.')
            .map_or(d.len(), |n| label_start + n);
        let label = &d[label_start..label_end];
        let letters = label.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if labels >= 1 && (2..=63).contains(&letters) && label_start + letters <= 253 {
            best = Some(label_start + letters);
        }
        let whole =
            (1..=63).contains(&label.len()) && label[0] != b'-' && label[label.len() - 1] != b'-';
        if !whole || label_end == d.len() || label_end > 253 {
            return best;
        }
        labels += 1;
        label_start = label_end + 1;
    }
}
