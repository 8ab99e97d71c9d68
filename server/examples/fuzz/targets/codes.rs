//! `codes`: the codes a resident types or a URL carries: receipts (`normalize_receipt`), box and
//! round codes (`is_box_code`), slip codes (`normalize_slip`, `is_slip_code`), device and change
//! keys (`is_device_key`, after the trim and lower-casing the change form applies), and days
//! (`parse_day`).
//!
//! Invariants: no panic; each normaliser is idempotent and what it accepts has the code's exact
//! shape; each agrees with an independent statement of its rule (a receipt is 16 ASCII or
//! full-width digits with only spaces, dashes and ideographic spaces between; a slip is 16 of
//! Crockford's base-32 letters once spaces and dashes are dropped and letters lower-cased; a
//! day is `YYYY-MM-DD`), on random text and on fresh codes written the ways people write them.

use mashangshuo::domain::codes::{
    is_box_code, is_device_key, is_slip_code, new_box_code, new_device_key, new_receipt,
    new_slip_code, normalize_receipt,
};
use mashangshuo::domain::day::parse_day;
use mashangshuo::service::appraisal_resident::normalize_slip;
use rand::RngExt;
use rand::rngs::SmallRng;

use super::pick;
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "codes",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 256,
        check,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b" ",
    b"-",
    "　".as_bytes(),
    "－".as_bytes(),
    "０".as_bytes(),
    "９".as_bytes(),
    "Ｏ".as_bytes(),
    b"O",
    b"I",
    b"L",
    b"U",
    "\u{212a}".as_bytes(),
    "İ".as_bytes(),
    b"0x",
    b"+",
    b"2026-02-29",
    b"2024-02-29",
    b"-0001-01-01",
    b"9999-12-31",
    b"\t",
    "\u{200b}".as_bytes(),
];

fn seeds() -> Vec<Vec<u8>> {
    [
        "1234 5678 9012 3456".to_string(),
        "１２３４５６７８９０１２３４５６".to_string(),
        "1234-5678-9012-345６".to_string(),
        new_receipt(),
        new_box_code(),
        new_slip_code(),
        new_slip_code().to_uppercase(),
        new_device_key(),
        format!("  {}  ", new_device_key().to_uppercase()),
        "2026-12-06".to_string(),
        "2026-02-30".to_string(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

/// A fresh code of some kind, written with separators, in upper case or full width.
fn generate(rng: &mut SmallRng) -> Vec<u8> {
    let code = match rng.random_range(0..5) {
        0 => new_receipt(),
        1 => new_box_code(),
        2 => new_slip_code(),
        3 => new_device_key(),
        _ => format!(
            "{:04}-{:02}-{:02}",
            rng.random_range(0..10_000),
            rng.random_range(0..14),
            rng.random_range(0..33)
        ),
    };
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        if i > 0 && i % 4 == 0 && rng.random_ratio(1, 3) {
            out.push_str(pick(rng, &[" ", "-", "　", "  "]));
        }
        out.push(match rng.random_range(0..6) {
            0 => c.to_ascii_uppercase(),
            1 if c.is_ascii_digit() => {
                char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)
            }
            _ => c,
        });
    }
    out.into_bytes()
}

fn check(input: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(input);
    let receipt = check_receipt(&text)?;
    let slip = check_slip(&text)?;
    let box_code = is_box_code(&text);
    ensure(
        box_code == (text.len() == 20 && text.bytes().all(|b| b"0123456789abcdef".contains(&b))),
        || format!("is_box_code({text:?}) = {box_code}"),
    )?;
    let change_key = text.trim().to_lowercase();
    let device = is_device_key(&change_key);
    ensure(
        device
            == (change_key.len() == 32
                && change_key.bytes().all(|b| b"0123456789abcdef".contains(&b))),
        || format!("is_device_key({change_key:?}) = {device}"),
    )?;
    let day = parse_day(&text);
    if let Some(d) = &day {
        ensure(parse_day(d).as_deref() == Some(d.as_str()), || {
            format!("parse_day is not idempotent on {d:?}")
        })?;
        ensure(
            d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-',
            || format!("parse_day gave {d:?}, not YYYY-MM-DD"),
        )?;
    }
    Ok(signature((receipt, slip, box_code, device, day.is_some())))
}

/// The receipt rule, stated independently: 16 digits (ASCII or full-width) with nothing else
/// but spaces, dashes and ideographic spaces.
fn check_receipt(text: &str) -> Result<bool, String> {
    let digit = |c: char| match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    };
    let only_digits_and_separators = text
        .chars()
        .all(|c| digit(c).is_some() || matches!(c, ' ' | '-' | '\u{3000}'));
    let digits: String = text.chars().filter_map(digit).collect();
    let expected = (only_digits_and_separators && digits.len() == 16).then_some(digits);
    let got = normalize_receipt(text);
    ensure(got == expected, || {
        format!("normalize_receipt({text:?}) = {got:?}, the rule says {expected:?}")
    })?;
    if let Some(r) = &got {
        ensure(normalize_receipt(r).as_ref() == Some(r), || {
            format!("normalize_receipt is not idempotent on {r:?}")
        })?;
    }
    Ok(got.is_some())
}

/// The slip rule: `normalize_slip` drops spaces and dashes and lower-cases; `is_slip_code`
/// takes 16 letters of Crockford's base 32.
fn check_slip(text: &str) -> Result<bool, String> {
    let slip = normalize_slip(text);
    ensure(normalize_slip(&slip) == slip, || {
        format!("normalize_slip is not idempotent on {text:?}: {slip:?}")
    })?;
    if text.is_ascii() {
        let expected: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        ensure(slip == expected, || {
            format!("normalize_slip({text:?}) = {slip:?}, the rule says {expected:?}")
        })?;
    }
    let accepted = is_slip_code(&slip);
    let rule = slip.len() == 16
        && slip
            .bytes()
            .all(|b| b"0123456789abcdefghjkmnpqrstvwxyz".contains(&b));
    ensure(accepted == rule, || {
        format!("is_slip_code({slip:?}) = {accepted}")
    })?;
    Ok(accepted)
}
