//! Email addresses: ASCII `local@domain.tld`, with `＠` read as `@`.

use super::{Finding, IdentifierKind};

/// The full-width at sign, read like `@`.
const FULL_WIDTH_AT: &str = "＠";

/// Finds email addresses, sorted and non-overlapping.
pub(crate) fn find(text: &str) -> Vec<Finding> {
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
