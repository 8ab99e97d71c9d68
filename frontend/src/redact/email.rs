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
        while end > domain_start && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if (1..=64).contains(&(i - start)) && is_domain_name(&bytes[domain_start..end]) {
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

/// Whether `d` is a domain with at least two labels and an alphabetic top-level label.
fn is_domain_name(d: &[u8]) -> bool {
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in d.split(|&b| b == b'.') {
        let ok =
            (1..=63).contains(&label.len()) && label[0] != b'-' && label[label.len() - 1] != b'-';
        if !ok {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && d.len() <= 253 && last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic)
}
