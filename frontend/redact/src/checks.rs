//! Validity checks on plain ASCII digit strings: mobile prefixes, resident-ID check digits and
//! birth dates, and the Luhn checksum of bank cards.

/// Whether `d` (11 ASCII digits) looks like a mainland mobile number: `1[3-9]` then 9 digits.
pub(crate) fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// The length of the national area code `d` starts with: 3 for `010` and `020`–`029`, 4 for a
/// four-digit code on the national list (`0731`, `0571`, `0898` …); `None` otherwise.
pub(crate) fn area_code_len(d: &[u8]) -> Option<usize> {
    match d {
        [b'0', b'1', b'0', ..] | [b'0', b'2', _, ..] => Some(3),
        [b'0', _, _, _, ..] if is_area_code4(number(&d[1..4])) => Some(4),
        _ => None,
    }
}

/// Whether `0` followed by the three digits `n` is a four-digit area code in use on the
/// mainland (grouped by province; Hainan's `0898` included).
fn is_area_code4(n: u32) -> bool {
    matches!(n,
        310..=319 | 335 // 河北
        | 349..=359 // 山西
        | 370..=379 | 391..=398 // 河南
        | 410..=419 | 421 | 427 | 429 // 辽宁
        | 431..=439 // 吉林
        | 451..=459 | 464 | 467..=469 // 黑龙江
        | 470..=479 | 482 | 483 // 内蒙古
        | 510..=519 | 523 | 527 // 江苏
        | 530..=539 | 543 | 546 | 631..=635 // 山东
        | 550..=559 | 561..=566 // 安徽
        | 570..=580 // 浙江
        | 591..=599 // 福建
        | 660..=663 | 668 | 750..=760 | 762 | 763 | 766 | 768 | 769 // 广东
        | 691 | 692 | 870..=879 | 883 | 886..=888 // 云南
        | 701 | 790..=799 // 江西
        | 710..=719 | 722 | 724 | 728 // 湖北
        | 730..=739 | 743..=746 // 湖南
        | 770..=779 // 广西
        | 812..=818 | 825..=839 // 四川
        | 851..=859 // 贵州
        | 891..=897 // 西藏
        | 898 // 海南
        | 901..=903 | 906 | 908 | 909 | 990..=999 // 新疆
        | 910..=919 // 陕西
        | 930..=943 // 甘肃
        | 951..=955 // 宁夏
        | 970..=979 // 青海
    )
}

/// ISO 7064 MOD 11-2 weights for the first 17 digits of a resident ID.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character (`0`-`9` or `X`) for the first 17 digits of a resident ID.
pub(crate) fn id_check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// Whether 17 digits plus a check character (`X` upper-cased) form a valid 18-digit resident ID:
/// non-zero region digit, real birth date between 1900 and 2100, matching check digit.
pub(crate) fn is_resident_id18(first17: &[u8], check: u8) -> bool {
    first17.len() == 17
        && first17[0] != b'0'
        && is_date(
            number(&first17[6..10]),
            number(&first17[10..12]),
            number(&first17[12..14]),
        )
        && id_check_char(first17) == check
}

/// Whether 18 digits carry an ID-like birth date (`YYYYMMDD` at offset 6), whatever their
/// check digit: such a number is a mistyped ID rather than a bank card.
pub(crate) fn has_id_birth_date(d: &[u8]) -> bool {
    d.len() == 18 && is_date(number(&d[6..10]), number(&d[10..12]), number(&d[12..14]))
}

/// Whether 15 digits form a valid first-generation resident ID: a real province code and a
/// real `19YYMMDD` birth date. There is no check digit, hence the stricter region test.
pub(crate) fn is_resident_id15(d: &[u8]) -> bool {
    d.len() == 15
        && is_province(number(&d[..2]))
        && is_date(
            1900 + number(&d[6..8]),
            number(&d[8..10]),
            number(&d[10..12]),
        )
}

/// Whether `code` is one of the province-level codes that start a resident ID.
fn is_province(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

/// Whether year/month/day is a real calendar date with the year in 1900..=2100.
pub(crate) fn is_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&year) && (1..=days).contains(&day)
}

/// The value of a short ASCII digit string.
fn number(d: &[u8]) -> u32 {
    d.iter().fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

/// Whether 16–19 digits could be a payment card: a card-network first digit (3, 4, 5, 6, 9,
/// or Mastercard's 2221–2720 range) and a valid Luhn checksum.
pub(crate) fn is_bank_card(d: &[u8]) -> bool {
    if !(16..=19).contains(&d.len()) {
        return false;
    }
    let network = match d[0] {
        b'3' | b'4' | b'5' | b'6' | b'9' => true,
        b'2' => (2221..=2720).contains(&number(&d[..4])),
        _ => false,
    };
    network && luhn(d)
}

/// Whether the digits pass the Luhn (mod 10) checksum.
pub(crate) fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 {
                if v * 2 > 9 { v * 2 - 9 } else { v * 2 }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}
