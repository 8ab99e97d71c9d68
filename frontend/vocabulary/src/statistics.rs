//! The statistics tables reported upward (附件1–3, 领导点评和群众评议等工作情况统计表) and the
//! leader reviews (领导点评) they count, shared by the server and the pages.

use serde::{Deserialize, Serialize};

use crate::model::{Day, PersonId};

/// A row of a table block: a label, an optional sub-label (第一次 / 第二次) and one figure per
/// category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StatRow {
    /// E.g. 党组织数, 已被点评党组织数.
    pub label: String,
    /// E.g. 第一次; rows sharing a label follow each other.
    pub sub: Option<String>,
    /// One figure per category of the block.
    pub values: Vec<u32>,
}

/// One block of a table: its categories across, its rows down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StatBlock {
    /// The categories (column headings), e.g. 农村, 街道社区.
    pub categories: Vec<String>,
    /// The rows.
    pub rows: Vec<StatRow>,
}

/// One of the official tables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StatTable {
    /// `leaders` (附件1), `organisations` (附件2) or `members` (附件3).
    pub key: String,
    /// 附件1, 附件2, 附件3.
    pub number: String,
    /// The form's title.
    pub title: String,
    /// Its blocks, in the form's order.
    pub blocks: Vec<StatBlock>,
    /// The form's notes (注).
    pub notes: Vec<String>,
}

/// One unit's line of a roll-up: the tables' totals for the area below it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RollupLine {
    /// The township's (or unit's) name.
    pub name: String,
    /// Leaders (附件1 总人数).
    pub leaders: u32,
    /// Leaders who reviewed, first and second pass.
    pub leaders_reviewing: [u32; 2],
    /// Party organisations.
    pub organisations: u32,
    /// Organisations reviewed, first and second pass.
    pub organisations_reviewed: [u32; 2],
    /// Organisations that held a mass appraisal.
    pub organisations_appraised: u32,
    /// Party members.
    pub members: u32,
    /// Members reviewed, first and second pass.
    pub members_reviewed: [u32; 2],
    /// Members appraised by the masses.
    pub members_appraised: u32,
}

/// The tables of an area for a year, with the roll-up of its townships for a county.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StatisticsReport {
    /// The reporting unit (填报单位).
    pub place: String,
    /// The year counted.
    pub year: i32,
    /// The day the report was made (填报时间).
    pub made_on: Day,
    /// 附件1, 附件2, 附件3.
    pub tables: Vec<StatTable>,
    /// One line per township for a county; empty otherwise.
    pub rollup: Vec<RollupLine>,
    /// The whole area's line.
    pub total: RollupLine,
}

/// Leader reviews to record: one reviewer, one pass, several organisations and members.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewReviews {
    /// The year.
    pub year: i32,
    /// 1 (by 30 June) or 2 (by 31 December).
    pub pass: u8,
    /// The reviewing leader (a person with a leader rank).
    pub reviewer: String,
    /// The organisations (units) reviewed.
    #[serde(default)]
    pub units: Vec<String>,
    /// The members (people) reviewed.
    #[serde(default)]
    pub people: Vec<String>,
}

/// What one leader reviewed in one pass, as the register lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReviewBatch {
    /// 1 or 2.
    pub pass: u8,
    /// The reviewer's id.
    pub reviewer_id: PersonId,
    /// The reviewer's name and post.
    pub reviewer: String,
    /// The organisations reviewed, by name.
    pub units: Vec<String>,
    /// The members reviewed, by name.
    pub people: Vec<String>,
}

/// The leader-review register of a year: what the group recorded and whom it may choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReviewRegister {
    /// The year.
    pub year: i32,
    /// What the group recorded, by pass then reviewer.
    pub batches: Vec<ReviewBatch>,
    /// Leaders of the area (people with a leader rank).
    pub leaders: Vec<crate::appraisal::Choice>,
    /// Party organisations of the area (units with a category).
    pub units: Vec<crate::appraisal::Choice>,
    /// Members of the area.
    pub members: Vec<crate::appraisal::Choice>,
}
