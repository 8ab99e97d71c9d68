//! What the engine reports: identifier kinds, their masks, and where they were found.

use serde::{Deserialize, Serialize};

use vocabulary::screening::IdentifierKind;

use super::span;

/// One identifier found in a text: its kind and byte range `start..end` in that text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Finding {
    /// What was found.
    pub kind: IdentifierKind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

impl Finding {
    /// The same range counted in chars of `text` (the text it was found in).
    pub fn char_range(&self, text: &str) -> std::ops::Range<usize> {
        span::char_range(text, self.start, self.end)
    }

    /// The same range counted in UTF-16 code units, as JavaScript and `<textarea>` count.
    pub fn utf16_range(&self, text: &str) -> std::ops::Range<usize> {
        span::utf16_range(text, self.start, self.end)
    }
}

/// A text with its identifiers masked, and how many of each kind were masked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Redacted {
    /// The text with every identifier replaced by its kind's mask.
    pub text: String,
    /// Masks per kind, in [`IdentifierKind::ALL`] order; kinds with none are left out.
    pub counts: Vec<(IdentifierKind, u32)>,
}

impl Redacted {
    /// How many identifiers of `kind` were masked.
    pub fn count(&self, kind: IdentifierKind) -> u32 {
        self.counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// How many identifiers were masked in all.
    pub fn total(&self) -> u32 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}
