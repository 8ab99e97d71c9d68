//! The redaction engine: finds mainland-China identifiers in an opinion and masks them before
//! it is stored, and warns about names and addresses that are kept.
//!
//! Pure Rust with no regex or dictionary, so the same code runs on the server and in the
//! browser. Every detector is a linear scan over the text; offsets are bytes of the original
//! text (see [`span`] for char and UTF-16 offsets).
//!
//! Masked ([`find_identifiers`], [`redact`]):
//! - mobiles: `1[3-9]` + 9 digits, optionally `+86`/`0086`/`86`, grouped like `138 1234 5678`;
//! - landlines: a national area code (`010`, `02x`, `0xxx` from the national list) and a 7–8
//!   digit local number, with or without brackets (`0731-8888888`, `（020）88886666`);
//! - resident IDs: 18 digits (or 17 + `X`) with a real birth date and a valid MOD 11-2 check
//!   digit, or 15 digits with a province code and a real `19YYMMDD` date;
//! - bank cards: 16–19 digits, card-network first digit, valid Luhn checksum;
//! - emails, also written to dodge a filter (`name at 163.com`, `name（at）qq.com`,
//!   `name#126.com`, `name 艾特 qq.com`, `name @ 163 . com`);
//! - QQ numbers and WeChat ids right after a cue word or its nickname (`QQ`, `扣扣`, `企鹅号`,
//!   `Q号`, `微信号：`, `vx`, `V信`, `薇信`, `威信`, `wx`).
//!
//! Numbers are read the way people type them ([`numbers`]): full-width digits, Chinese
//! numerals (`一三八…`, `幺` for 1, `〇` for 0, `两` for 2, financial `壹贰叁…`), mixed forms
//! (`138一二三四5678`), and the separators of an input method (spaces, `.`, `/`, `·`, `-`,
//! `—`, a comma), always with byte offsets into the text as written, so a mask covers exactly
//! what the villager typed. An ID or card split by one comma is joined only when the whole passes
//! its check digit. Hotlines, amounts, dates, counts, years, areas, house and document numbers
//! and numbers failing their checksum are left alone.
//!
//! Reported but kept ([`find_warnings`]): likely personal names and house addresses.

mod address;
mod chars;
mod checks;
mod email;
mod kind;
mod names;
mod numbers;
mod social;
pub mod span;
mod warning;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use vocabulary::screening::IdentifierKind;

pub use kind::{Finding, Redacted};
pub use names::COMMON_SURNAMES;
pub use warning::{Warning, find_warnings};

/// Finds every identifier in `text`: sorted by position, never overlapping.
pub fn find_identifiers(text: &str) -> Vec<Finding> {
    let emails = email::find(text);
    let mut found = numbers::find(text, &emails);
    found.extend(emails);
    found.sort_unstable_by_key(|f| f.start);
    let social = social::find(text, &found);
    found.extend(social);
    found.sort_unstable_by_key(|f| f.start);
    found
}

/// Replaces every identifier in `text` by its kind's mask and counts the masks per kind.
pub fn redact(text: &str) -> Redacted {
    let mut out = String::with_capacity(text.len());
    let mut counts = [0u32; IdentifierKind::ALL.len()];
    let mut copied = 0;
    for f in find_identifiers(text) {
        out.push_str(&text[copied..f.start]);
        out.push_str(f.kind.mask());
        counts[f.kind as usize] += 1;
        copied = f.end;
    }
    out.push_str(&text[copied..]);
    Redacted {
        text: out,
        counts: IdentifierKind::ALL
            .into_iter()
            .zip(counts)
            .filter(|&(_, n)| n > 0)
            .collect(),
    }
}
