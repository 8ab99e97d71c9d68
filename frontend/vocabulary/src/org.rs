//! The organisation tree shared by the server and the pages: unit levels and categories, people,
//! accounts, leading groups, routing rules and the admin API's bodies.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::{AccountId, Category, GroupId, PersonId, UnitId};

/// A unit's level in the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum UnitKind {
    /// 县(市、区)
    County,
    /// 乡镇、街道
    Township,
    /// 村、社区或基层单位
    Village,
    /// 党支部
    Branch,
}

impl UnitKind {
    /// Every level, top first.
    pub const ALL: [UnitKind; 4] = [
        UnitKind::County,
        UnitKind::Township,
        UnitKind::Village,
        UnitKind::Branch,
    ];

    /// The stable name used in forms, CSV files, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::County => "county",
            UnitKind::Township => "township",
            UnitKind::Village => "village",
            UnitKind::Branch => "branch",
        }
    }

    /// Parses the stable name or the Chinese label.
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == name || k.label(Lang::Zh) == name)
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().labels.unit_kinds[self as usize]
    }

    /// The level directly below, which a child unit must have.
    pub fn child(self) -> Option<UnitKind> {
        match self {
            UnitKind::County => Some(UnitKind::Township),
            UnitKind::Township => Some(UnitKind::Village),
            UnitKind::Village => Some(UnitKind::Branch),
            UnitKind::Branch => None,
        }
    }
}

/// A unit's category, as the statistics tables (附件2、3) count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum UnitCategory {
    /// 农村
    Rural,
    /// 街道社区
    Community,
    /// 国有企业和金融机构
    StateEnterprise,
    /// 机关部门
    Government,
    /// 高等学校
    University,
    /// 中等职业学校和中小学
    School,
    /// 基层医疗卫生单位
    Health,
    /// 其它事业单位
    PublicInstitution,
    /// 非公有制经济组织
    PrivateEconomy,
    /// 社会组织
    SocialOrganisation,
    /// 中央和外省(区、市)驻本地单位
    OutsideUnit,
    /// 其它基层党组织
    Other,
}

impl UnitCategory {
    /// Every category, in the statistics tables' order.
    pub const ALL: [UnitCategory; 12] = [
        UnitCategory::Rural,
        UnitCategory::Community,
        UnitCategory::StateEnterprise,
        UnitCategory::Government,
        UnitCategory::University,
        UnitCategory::School,
        UnitCategory::Health,
        UnitCategory::PublicInstitution,
        UnitCategory::PrivateEconomy,
        UnitCategory::SocialOrganisation,
        UnitCategory::OutsideUnit,
        UnitCategory::Other,
    ];

    /// The stable name used in forms, CSV files, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitCategory::Rural => "rural",
            UnitCategory::Community => "community",
            UnitCategory::StateEnterprise => "state_enterprise",
            UnitCategory::Government => "government",
            UnitCategory::University => "university",
            UnitCategory::School => "school",
            UnitCategory::Health => "health",
            UnitCategory::PublicInstitution => "public_institution",
            UnitCategory::PrivateEconomy => "private_economy",
            UnitCategory::SocialOrganisation => "social_organisation",
            UnitCategory::OutsideUnit => "outside_unit",
            UnitCategory::Other => "other",
        }
    }

    /// Parses the stable name or the Chinese label of the statistics tables.
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == name || c.label(Lang::Zh) == name)
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().labels.unit_categories[self as usize]
    }
}

/// A leader's rank, as the statistics table for leaders (附件1) counts them: the secretaries
/// (书记) and the other members of the leading bodies (常委、领导班子成员) at seven levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum LeaderRank {
    /// 市州委书记
    CitySecretary,
    /// 县市区委书记
    CountySecretary,
    /// 省级机关部门党组(党委)书记
    ProvinceDeptSecretary,
    /// 市级机关部门党组(党委)书记
    CityDeptSecretary,
    /// 县级机关部门党组(党委)书记
    CountyDeptSecretary,
    /// 乡镇、街道党工委书记
    TownshipSecretary,
    /// 其它基层党组织书记
    GrassrootsSecretary,
    /// 市州委常委
    CityCommittee,
    /// 县市区委常委
    CountyCommittee,
    /// 省级机关部门党组(党委)领导班子成员
    ProvinceDeptCommittee,
    /// 市级机关部门党组(党委)领导班子成员
    CityDeptCommittee,
    /// 县级机关部门党组(党委)领导班子成员
    CountyDeptCommittee,
    /// 乡镇、街道党工委领导班子成员
    TownshipCommittee,
    /// 其它基层党委领导班子成员
    GrassrootsCommittee,
}

impl LeaderRank {
    /// Every rank in 附件1's order: the seven secretaries, then the seven leading bodies.
    pub const ALL: [LeaderRank; 14] = [
        LeaderRank::CitySecretary,
        LeaderRank::CountySecretary,
        LeaderRank::ProvinceDeptSecretary,
        LeaderRank::CityDeptSecretary,
        LeaderRank::CountyDeptSecretary,
        LeaderRank::TownshipSecretary,
        LeaderRank::GrassrootsSecretary,
        LeaderRank::CityCommittee,
        LeaderRank::CountyCommittee,
        LeaderRank::ProvinceDeptCommittee,
        LeaderRank::CityDeptCommittee,
        LeaderRank::CountyDeptCommittee,
        LeaderRank::TownshipCommittee,
        LeaderRank::GrassrootsCommittee,
    ];

    /// The stable name used in forms, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            LeaderRank::CitySecretary => "city_secretary",
            LeaderRank::CountySecretary => "county_secretary",
            LeaderRank::ProvinceDeptSecretary => "province_dept_secretary",
            LeaderRank::CityDeptSecretary => "city_dept_secretary",
            LeaderRank::CountyDeptSecretary => "county_dept_secretary",
            LeaderRank::TownshipSecretary => "township_secretary",
            LeaderRank::GrassrootsSecretary => "grassroots_secretary",
            LeaderRank::CityCommittee => "city_committee",
            LeaderRank::CountyCommittee => "county_committee",
            LeaderRank::ProvinceDeptCommittee => "province_dept_committee",
            LeaderRank::CityDeptCommittee => "city_dept_committee",
            LeaderRank::CountyDeptCommittee => "county_dept_committee",
            LeaderRank::TownshipCommittee => "township_committee",
            LeaderRank::GrassrootsCommittee => "grassroots_committee",
        }
    }

    /// Parses the stable name or the Chinese label.
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == name || r.label(Lang::Zh) == name)
    }

    /// The label a person reads, as in 附件1.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().labels.leader_ranks[self as usize]
    }
}

/// A unit as the admin pages list it, with its leading group if it has one.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UnitView {
    /// Random id.
    pub id: UnitId,
    /// The unit above; absent at the top of the admin's area.
    pub parent_id: Option<UnitId>,
    /// Its name.
    pub name: String,
    /// Its level.
    pub kind: UnitKind,
    /// Its category, when set.
    pub category: Option<UnitCategory>,
    /// How deep below the top of the admin's area (0 at the top).
    pub depth: u32,
    /// Its leading group, if any.
    pub group: Option<GroupView>,
}

/// A leading group as the admin pages show it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupView {
    /// Random id.
    pub id: GroupId,
    /// Its name.
    pub name: String,
    /// The person heading it (组长), if recorded.
    pub head_person_id: Option<PersonId>,
    /// The head's name.
    pub head_name: Option<String>,
}

/// A new unit (`POST /api/v1/admin/units`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewUnit {
    /// The unit above, inside the admin's area.
    pub parent_id: String,
    /// Its name, unique among its siblings.
    pub name: String,
    /// Its level's stable name; must be the level below the parent's.
    pub kind: String,
    /// Its category's stable name or Chinese label; optional.
    #[serde(default)]
    pub category: Option<String>,
}

/// A unit renamed or moved under another parent (`PATCH /api/v1/admin/units/{id}`); absent or
/// empty fields stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UnitUpdate {
    /// The new name, unique among its siblings.
    #[serde(default)]
    pub name: Option<String>,
    /// The new parent: a unit of the level above, inside the admin's area.
    #[serde(default)]
    pub parent_id: Option<UnitId>,
}

/// A new or renamed leading group (`PUT /api/v1/admin/units/{id}/group`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupUpdate {
    /// The group's name.
    pub name: String,
    /// The person heading it: someone of this unit or above.
    #[serde(default)]
    pub head_person_id: Option<PersonId>,
}

/// Someone who can be named in opinions: an official, a branch secretary, a member.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonView {
    /// Random id.
    pub id: PersonId,
    /// The unit they belong to.
    pub unit_id: UnitId,
    /// That unit's name.
    pub unit_name: String,
    /// Their name.
    pub name: String,
    /// Their post, e.g. `村党支部书记`.
    pub post: String,
    /// Whether villagers can still choose them.
    pub active: bool,
    /// Their rank in the statistics table for leaders (附件1), if they are a leader.
    #[serde(default)]
    pub leader_rank: Option<LeaderRank>,
}

/// A new person (`POST /api/v1/admin/people`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewPerson {
    /// Their unit, inside the admin's area.
    pub unit_id: String,
    /// Their name.
    pub name: String,
    /// Their post; may be empty.
    #[serde(default)]
    pub post: String,
    /// Their leader rank for 附件1, if they are a leader.
    #[serde(default)]
    pub leader_rank: Option<LeaderRank>,
}

/// A staff account as the admin pages list it (never its password hash).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AccountView {
    /// Random id.
    pub id: AccountId,
    /// Sign-in name.
    pub username: String,
    /// Name shown on pages.
    pub display_name: String,
    /// `admin`, `member`, `viewer` or `auditor`.
    pub role: String,
    /// The leading group it works for.
    pub group_id: Option<GroupId>,
    /// That group's name.
    pub group_name: Option<String>,
    /// The person it belongs to: opinions about them are never shown to this account.
    pub person_id: Option<PersonId>,
    /// That person's name.
    pub person_name: Option<String>,
    /// Disabled accounts cannot sign in.
    pub active: bool,
}

/// A new account (`POST /api/v1/admin/accounts`); the password is drawn by the server.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewAccount {
    /// Sign-in name: 3–32 letters, digits, `-`, `_` or `.`.
    pub username: String,
    /// Name shown on pages.
    pub display_name: String,
    /// `admin`, `member`, `viewer` or `auditor`.
    pub role: String,
    /// The leading group it works for, inside the admin's area.
    #[serde(default)]
    pub group_id: Option<GroupId>,
    /// The person it belongs to, inside the admin's area.
    #[serde(default)]
    pub person_id: Option<PersonId>,
}

/// A change to an account (`PATCH /api/v1/admin/accounts/{id}`); absent fields stay.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AccountUpdate {
    /// New role.
    #[serde(default)]
    pub role: Option<String>,
    /// Enable or disable (disabling ends every session).
    #[serde(default)]
    pub active: Option<bool>,
    /// Link to a person; an empty string unlinks.
    #[serde(default)]
    pub person_id: Option<PersonId>,
    /// Draw a new password (ends every session); it is shown once in the answer.
    #[serde(default)]
    pub reset_password: bool,
}

/// An account with a password drawn for it, shown once.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AccountWithPassword {
    /// The account.
    pub account: AccountView,
    /// The new password, when one was drawn; only its hash is stored.
    pub password: Option<String>,
}

/// A routing rule: one category from an area goes to another leading group.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoutingRuleView {
    /// The area: boxes in this unit and below.
    pub unit_id: UnitId,
    /// The area's name.
    pub unit_name: String,
    /// The category routed.
    pub category: Category,
    /// The group receiving it.
    pub group_id: GroupId,
    /// That group's name.
    pub group_name: String,
}

/// A new routing rule (`PUT /api/v1/admin/routing`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoutingRuleUpdate {
    /// The area: boxes in this unit and below, inside the admin's area.
    pub unit_id: String,
    /// The category's stable name.
    pub category: String,
    /// The group receiving it, inside the admin's area; empty removes the rule.
    pub group_id: String,
}

/// A new box (`POST /api/v1/admin/boxes`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewBox {
    /// The unit it hangs in, inside the admin's area.
    pub unit_id: String,
    /// Its name, e.g. `张家村意见箱`.
    pub name: String,
}

/// What a CSV import did: every row is checked first, and nothing is stored unless all pass.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Rows stored (0 when any row failed).
    pub imported: u32,
    /// Every failing row, by its line number in the file.
    pub errors: Vec<RowError>,
}

/// Why one row of an import failed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RowError {
    /// The line in the file, counting the header as line 1.
    pub line: u32,
    /// What is wrong, in the reader's language.
    pub message: String,
}

/// Whom an opinion can be about: a person or a unit of the box's area.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TargetChoice {
    /// `person:ID` or `unit:ID`, as the form sends it back.
    pub value: String,
    /// What the villager reads, e.g. `王建国(张家村 村党支部书记)`.
    pub label: String,
}

/// A reviewer tags an untagged opinion's target (`PUT /api/v1/staff/opinions/{id}/target`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TargetUpdate {
    /// `person:ID` or `unit:ID`, one of the opinion's choices.
    pub about: String,
}
