//! Appraisal rounds: how residents reach the form, what the group sets up and sees, slips,
//! held answers, and the form a resident fills in.

use serde::{Deserialize, Serialize};

use crate::model::{Day, RoundId};

use super::questionnaire::{Questionnaire, QuestionnaireView};

/// How residents reach a round's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum RoundMode {
    /// One QR poster anyone can use.
    Open,
    /// One-time slips, each good for exactly one counted response.
    Slips,
}

impl RoundMode {
    /// Both modes.
    pub const ALL: [RoundMode; 2] = [RoundMode::Open, RoundMode::Slips];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundMode::Open => "open",
            RoundMode::Slips => "slips",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// Open a new appraisal round.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewRound {
    /// Its name, e.g. 2026年上半年群众评议.
    pub name: String,
    /// A stored questionnaire's id, or `template:organisation` / `template:member`.
    pub questionnaire: String,
    /// `open` or `slips`.
    pub mode: String,
    /// First day answers are taken, `YYYY-MM-DD`.
    pub opens_on: String,
    /// Last day answers are taken.
    pub closes_on: String,
    /// The appraised units (organisation questionnaires) or people (member questionnaires).
    pub subjects: Vec<String>,
}

/// One appraised unit or member of a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoundSubject {
    /// The unit's or person's id.
    pub id: String,
    /// Its name as residents read it (a member with their post).
    pub label: String,
    /// The group's 整改落实情况 for it.
    pub note: Option<String>,
}

/// An appraisal round as the leading group sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoundView {
    /// Random id.
    pub id: RoundId,
    /// Its name.
    pub name: String,
    /// The questionnaire as it was when the round opened.
    pub questionnaire: Questionnaire,
    /// How residents reach the form.
    pub mode: RoundMode,
    /// First day answers are taken.
    pub opens_on: Day,
    /// Last day answers are taken.
    pub closes_on: Day,
    /// Day the group closed it early, if it did.
    pub closed_on: Option<Day>,
    /// Whether answers are taken today.
    pub accepting: bool,
    /// Whether it is over, so its results can be computed.
    pub finished: bool,
    /// The public form's address (for open rounds' posters).
    pub public_url: String,
    /// Slips printed so far.
    pub slips_issued: u32,
    /// Responses counted so far.
    pub responses: u32,
    /// Responses set aside by the burst monitor (待核, a 刷票 alert): not counted until accepted.
    #[serde(default)]
    pub held: u32,
    /// The appraised units or members, in order.
    pub subjects: Vec<RoundSubject>,
}

/// What to do with a round's held answers (待核), all at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HeldDecision {
    /// Count them in the results.
    Accept,
    /// Delete them.
    Discard,
}

/// A decision on a round's held answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HeldRequest {
    /// Accept or discard.
    pub decision: HeldDecision,
}

/// How many held answers a decision settled.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HeldSettled {
    /// The number of answers accepted or discarded.
    pub settled: u32,
}

/// Print more slips for a slip round.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SlipRequest {
    /// How many, 1–2000 at a time.
    pub count: u32,
}

/// Freshly made slips: the only time their codes exist outside the printed paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SlipBatch {
    /// The round's name, printed on each slip.
    pub round: String,
    /// The township or group, printed on each slip.
    pub group: String,
    /// Last day the slips work.
    pub closes_on: Day,
    /// Each slip's address (the QR content); the code is its last part.
    pub urls: Vec<String>,
}

/// A unit or member that can be appraised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Choice {
    /// Unit or person id.
    pub id: String,
    /// Name as listed.
    pub label: String,
}

/// A leading group's appraisal work: its rounds, the questionnaires it may use and whom it may
/// appraise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AppraisalOverview {
    /// The group's name.
    pub group: String,
    /// Its rounds, newest first.
    pub rounds: Vec<RoundView>,
    /// Its questionnaires and those of the groups above it.
    pub questionnaires: Vec<QuestionnaireView>,
    /// The party organisations (units) of its area.
    pub units: Vec<Choice>,
    /// The people of its area.
    pub members: Vec<Choice>,
}

/// The group's 整改落实情况 for one appraised unit or member.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoundNote {
    /// The unit's or person's id.
    pub subject: String,
    /// The note; empty removes it.
    pub note: String,
}

/// What a resident's form shows for a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppraisalForm {
    /// The round's name.
    pub round: String,
    /// The leading group asking.
    pub group: String,
    /// The questionnaire.
    pub questionnaire: Questionnaire,
    /// The appraised units or members, in order (id, label).
    pub subjects: Vec<(String, String)>,
    /// Last day answers are taken.
    pub closes_on: Day,
    /// Where the form posts to.
    pub action: String,
    /// The round's public code: names the progress kept on the phone.
    pub round_code: String,
}
