//! Warnings: things that may identify the writer but are kept in the text. They are found by
//! cue words only (no dictionary, to keep the WASM bundle small), so they are hints for the
//! writer and the reviewer, not guarantees.

use serde::{Deserialize, Serialize};

use vocabulary::screening::WarningKind;

use super::{address, names, span};

/// One warning: its kind and byte range `start..end` in the text it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Warning {
    /// What may identify the writer.
    pub kind: WarningKind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

impl Warning {
    /// The same range counted in chars of `text` (the text it was found in).
    pub fn char_range(&self, text: &str) -> std::ops::Range<usize> {
        span::char_range(text, self.start, self.end)
    }

    /// The same range counted in UTF-16 code units, as JavaScript and `<textarea>` count.
    pub fn utf16_range(&self, text: &str) -> std::ops::Range<usize> {
        span::utf16_range(text, self.start, self.end)
    }
}

/// Finds likely personal names and house addresses: sorted by position, overlapping warnings
/// of one kind merged.
pub fn find_warnings(text: &str) -> Vec<Warning> {
    let mut found = names::find(text);
    found.extend(address::find(text));
    found.sort_unstable_by_key(|w| (w.start, w.end));
    let mut merged: Vec<Warning> = Vec::with_capacity(found.len());
    let mut last_of_kind: [Option<usize>; WarningKind::ALL.len()] = [None; WarningKind::ALL.len()];
    for w in found {
        match last_of_kind[w.kind as usize] {
            Some(i) if w.start < merged[i].end => merged[i].end = merged[i].end.max(w.end),
            _ => {
                last_of_kind[w.kind as usize] = Some(merged.len());
                merged.push(w);
            }
        }
    }
    merged
}
