//! Character classes shared by the detectors. Everything works on `&str` byte offsets;
//! full-width forms (０-９, Ｘ, ＠) are read as their ASCII counterparts without copying.

/// The decimal value of an ASCII or full-width digit.
pub(crate) fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// The value of a Chinese numeral read as one digit, as voice input and people spelling out a
/// number write it (`一三八…`, `幺` for 1, `〇`/`零` for 0, `两` for 2, and the financial forms
/// `壹贰叁…`). Words such as `十` or `百` that build a quantity are not digits.
pub(crate) fn han_digit_value(c: char) -> Option<u8> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '幺' | '壹' => 1,
        '二' | '两' | '貳' | '贰' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The value of a digit in any form people type: ASCII, full-width or a Chinese numeral.
pub(crate) fn any_digit_value(c: char) -> Option<u8> {
    digit_value(c).or_else(|| han_digit_value(c))
}

/// Whether `c` is an ASCII or full-width digit.
pub(crate) fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// Whether `c` is an ASCII or full-width Latin letter.
pub(crate) fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Whether `c` is the check character `X` of a resident ID (any case, either width).
pub(crate) fn is_check_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Whether `c` is a CJK unified ideograph (basic block or extension A).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// The char starting at byte `pos`, if any.
pub(crate) fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|rest| rest.chars().next())
}

/// The char ending at byte `pos`, with its start, if any.
pub(crate) fn char_before(text: &str, pos: usize) -> Option<(usize, char)> {
    let c = text.get(..pos)?.chars().next_back()?;
    Some((pos - c.len_utf8(), c))
}

/// Whether the text at `pos` starts with `word`, ASCII letters compared without case.
pub(crate) fn starts_with_ignore_case(text: &str, pos: usize, word: &str) -> bool {
    text.as_bytes()
        .get(pos..pos + word.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(word.as_bytes()))
}
