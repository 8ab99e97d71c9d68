//! Byte offsets (what the engine reports) converted to char and UTF-16 offsets (what a browser
//! highlighter may need). Offsets that are out of range or not on a char boundary are clamped.

use std::ops::Range;

/// The byte range `start..end` of `text` counted in chars.
pub fn char_range(text: &str, start: usize, end: usize) -> Range<usize> {
    let count = |upto: usize| text[..floor_boundary(text, upto)].chars().count();
    count(start)..count(end)
}

/// The byte range `start..end` of `text` counted in UTF-16 code units.
pub fn utf16_range(text: &str, start: usize, end: usize) -> Range<usize> {
    let count = |upto: usize| {
        text[..floor_boundary(text, upto)]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>()
    };
    count(start)..count(end)
}

/// The largest char boundary of `text` that is not past `pos`.
fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}
