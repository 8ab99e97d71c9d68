//! What the redaction engine reports, as closed sets: the kinds of identifier it masks before
//! an opinion is stored, and the kinds of detail it only warns about.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// A kind of identifier that is masked before an opinion is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
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

/// A kind of possibly identifying detail that is reported but not masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A likely personal name, such as `王书记` or `老张`.
    PersonName,
    /// A likely house address, such as `张家村3组15号` or `5号楼`.
    Address,
}

impl WarningKind {
    /// Every kind.
    pub const ALL: [WarningKind; 2] = [WarningKind::PersonName, WarningKind::Address];

    /// The stable name used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::PersonName => "person_name",
            WarningKind::Address => "address",
        }
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().labels.warning_kinds[self as usize]
    }
}
