//! Public notices (通报): a leading group's published appraisal results and rectification
//! figures, shared by the server and the pages.

use serde::{Deserialize, Serialize};

use crate::appraisal::ResultLine;
use crate::issues::LedgerFigures;
use crate::model::{Day, NoticeId, RoundId};

/// A round's results as published: unit level only, hidden below the minimum group size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoticeRound {
    /// The round's name.
    pub name: String,
    /// Responses counted.
    pub responses: u32,
    /// Responses over slips issued, per mille (slip rounds only).
    pub response_rate: Option<u32>,
    /// The smallest number of people a shown figure stands for.
    pub min_group: u32,
    /// One line per appraised organisation (empty for rounds about members: no one is named).
    pub lines: Vec<ResultLine>,
    /// Everything together.
    pub overall: ResultLine,
}

/// The rectification ledger's figures of a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoticeLedger {
    /// First day of the period.
    pub from: Day,
    /// Last day.
    pub to: Day,
    /// The figures.
    pub figures: LedgerFigures,
}

/// The figures a notice shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoticeContent {
    /// A round's results.
    pub round: Option<NoticeRound>,
    /// The ledger's figures.
    pub ledger: Option<NoticeLedger>,
}

/// A notice as the group and the public see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoticeView {
    /// Random id.
    pub id: NoticeId,
    /// Its heading.
    pub title: String,
    /// The group's text.
    pub body: String,
    /// The round it shows, if any.
    pub round_id: Option<RoundId>,
    /// First day of the ledger period it shows.
    pub ledger_from: Option<Day>,
    /// Last day of that period.
    pub ledger_to: Option<Day>,
    /// Day published; `None` for a draft.
    pub published_on: Option<Day>,
    /// Day of the last change.
    pub updated_on: Day,
    /// The figures: frozen once published, live in a draft.
    pub content: NoticeContent,
}

/// A draft as the group writes it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoticeDraft {
    /// Its heading.
    pub title: String,
    /// The group's text.
    pub body: String,
    /// A finished round of the group whose results to show; empty for none.
    #[serde(default)]
    pub round: String,
    /// Whether to show the rectification ledger's figures.
    #[serde(default)]
    pub ledger: bool,
    /// First day of the ledger period (`YYYY-MM-DD`); empty for 1 January.
    #[serde(default)]
    pub ledger_from: String,
    /// Last day of the ledger period; empty for 31 December.
    #[serde(default)]
    pub ledger_to: String,
}

/// A township's public notice board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoticeBoard {
    /// The township (unit) name.
    pub place: String,
    /// Its public address.
    pub url: String,
    /// What its leading groups have published, newest first.
    pub notices: Vec<NoticeView>,
}
