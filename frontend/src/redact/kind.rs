//! What the engine reports: identifier kinds, their masks, and where they were found.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

use super::span;

/// A kind of identifier that is masked before an opinion is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// Mainland mobile number, with or without `+86`.
    Mobile,
    /// Landline: a national area code and a seven- or eight-digit local number.
    Landline,
    /// Resident ID number (18-digit, or 15-digit first generation).
    ResidentId,
    /// Bank card number (16–19 digits, Luhn-valid).
    BankCard,
    /// Email address.
    Email,
    /// QQ number or WeChat id introduced as such.
    SocialId,
}

impl IdentifierKind {
    /// Every kind, in the order counts are reported.
    pub const ALL: [IdentifierKind; 6] = [
        IdentifierKind::Mobile,
        IdentifierKind::Landline,
        IdentifierKind::ResidentId,
        IdentifierKind::BankCard,
        IdentifierKind::Email,
        IdentifierKind::SocialId,
    ];

    /// The mask that replaces an identifier of this kind in the stored text.
    pub fn mask(self) -> &'static str {
        match self {
            IdentifierKind::Mobile => "[手机号]",
            IdentifierKind::Landline => "[座机号]",
            IdentifierKind::ResidentId => "[身份证号]",
            IdentifierKind::BankCard => "[银行卡号]",
            IdentifierKind::Email => "[邮箱]",
            IdentifierKind::SocialId => "[QQ/微信号]",
        }
    }

    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Mobile => "mobile",
            IdentifierKind::Landline => "landline",
            IdentifierKind::ResidentId => "resident_id",
            IdentifierKind::BankCard => "bank_card",
            IdentifierKind::Email => "email",
            IdentifierKind::SocialId => "social_id",
        }
    }

    /// Parses the stable name; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().labels.identifier_kinds[self as usize]
    }
}

/// One identifier found in a text: its kind and byte range `start..end` in that text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
