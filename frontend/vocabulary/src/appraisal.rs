//! Mass appraisal (群众评议): the four-level scale and the two official questionnaires of the
//! seeds (附件4 for party organisations, 附件5 for party members), shared by server and pages.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::{Day, RoundId};

/// One level of the official four-level scale, ordered best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 比较满意
    FairlySatisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Dissatisfied,
}

impl Rating {
    /// Every level, best first, as the paper form orders its columns.
    pub const ALL: [Rating; 4] = [
        Rating::Satisfied,
        Rating::FairlySatisfied,
        Rating::BasicallySatisfied,
        Rating::Dissatisfied,
    ];

    /// Its place in [`Rating::ALL`], best first.
    pub fn index(self) -> usize {
        match self {
            Rating::Satisfied => 0,
            Rating::FairlySatisfied => 1,
            Rating::BasicallySatisfied => 2,
            Rating::Dissatisfied => 3,
        }
    }

    /// The stable name used in forms, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::FairlySatisfied => "fairly_satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    /// Parses the stable name or the Chinese label; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == name || r.label(Lang::Zh) == name)
    }

    /// The label a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t().appraisal.ratings[self as usize]
    }

    /// The face shown next to the label, for readers who go by the picture.
    pub fn icon(self) -> &'static str {
        match self {
            Rating::Satisfied => "😄",
            Rating::FairlySatisfied => "🙂",
            Rating::BasicallySatisfied => "😐",
            Rating::Dissatisfied => "🙁",
        }
    }
}

/// Who a questionnaire appraises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
pub enum Subject {
    /// A grassroots party organisation (附件4).
    Organisation,
    /// Each party member of a branch (附件5).
    Member,
}

/// How an item is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// On the four-level scale, by the resident.
    Rating,
    /// Free text, by the resident (意见和建议).
    Text,
    /// Filled in by the leading group afterwards, not asked of residents (整改落实情况).
    GroupNote,
}

/// One item of a questionnaire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuestionItem {
    /// Stable key within the questionnaire, e.g. `commitments`.
    pub key: String,
    /// The wording residents read.
    pub text: String,
    /// How it is answered.
    pub kind: ItemKind,
    /// Whether a resident must answer it.
    pub required: bool,
}

/// A questionnaire: a title, whom it appraises and its items in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Questionnaire {
    /// The form's title.
    pub title: String,
    /// Whom it appraises.
    pub subject: Subject,
    /// The items, in the order asked.
    pub items: Vec<QuestionItem>,
}

fn item(key: &str, text: &str, kind: ItemKind, required: bool) -> QuestionItem {
    QuestionItem {
        key: key.to_string(),
        text: text.to_string(),
        kind,
        required,
    }
}

impl Questionnaire {
    /// 附件4 《基层党组织开展创先争优活动群众评议表》: five rated items, the resident's
    /// suggestions, and the organisation's note on how they were put right.
    pub fn organisation_template() -> Questionnaire {
        use ItemKind::*;
        Questionnaire {
            title: "基层党组织开展创先争优活动群众评议表".to_string(),
            subject: Subject::Organisation,
            items: vec![
                item(
                    "commitments",
                    "推进创先争优活动兑现公开承诺情况",
                    Rating,
                    true,
                ),
                item(
                    "central_tasks",
                    "推动中心工作和重点任务完成情况",
                    Rating,
                    true,
                ),
                item("practical_deeds", "为民办实事情况", Rating, true),
                item(
                    "team_building",
                    "加强党组织和党员队伍建设情况",
                    Rating,
                    true,
                ),
                item(
                    "overall",
                    "对党组织开展创先争优活动的基本评价",
                    Rating,
                    true,
                ),
                item(
                    "suggestions",
                    "对党组织开展创先争优活动的意见和建议",
                    Text,
                    false,
                ),
                item("rectification", "整改落实情况", GroupNote, false),
            ],
        }
    }

    /// 附件5 《党员参加创先争优活动群众评议表》: four rated items per member.
    pub fn member_template() -> Questionnaire {
        use ItemKind::*;
        Questionnaire {
            title: "党员参加创先争优活动群众评议表".to_string(),
            subject: Subject::Member,
            items: vec![
                item("commitments", "践行公开承诺情况", Rating, true),
                item("post_excellence", "立足本职岗位争优情况", Rating, true),
                item("serving_people", "联系和服务群众情况", Rating, true),
                item("overall", "基本评价", Rating, true),
            ],
        }
    }

    /// The items residents answer (the group's notes left out), in order.
    pub fn asked(&self) -> impl Iterator<Item = &QuestionItem> {
        self.items.iter().filter(|i| i.kind != ItemKind::GroupNote)
    }
}

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

impl Subject {
    /// Both subjects.
    pub const ALL: [Subject; 2] = [Subject::Organisation, Subject::Member];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Organisation => "organisation",
            Subject::Member => "member",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The built-in template for this subject.
    pub fn template(self) -> Questionnaire {
        match self {
            Subject::Organisation => Questionnaire::organisation_template(),
            Subject::Member => Questionnaire::member_template(),
        }
    }
}

impl ItemKind {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Rating => "rating",
            ItemKind::Text => "text",
            ItemKind::GroupNote => "group_note",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        [ItemKind::Rating, ItemKind::Text, ItemKind::GroupNote]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// A questionnaire stored by a leading group (a copy of a template, edited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuestionnaireView {
    /// Random id.
    pub id: String,
    /// The questionnaire.
    pub questionnaire: Questionnaire,
    /// Day of the last change.
    pub updated_on: Day,
    /// Whether the reader's own group keeps it (only then may they edit it).
    pub own: bool,
}

/// Copy a built-in template into the group's questionnaires.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewQuestionnaire {
    /// Which template: 附件4 (`organisation`) or 附件5 (`member`).
    pub template: Subject,
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

/// A per-mille rate as people read it: `98%`, `97.5%`.
pub fn percent_text(per_mille: u32) -> String {
    if per_mille.is_multiple_of(10) {
        format!("{}%", per_mille / 10)
    } else {
        format!("{}.{}%", per_mille / 10, per_mille % 10)
    }
}

/// A count as shown: the number, or "—" when hidden.
pub fn figure_text(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}

/// A per-mille rate as shown: `98%`, or "—" when hidden.
pub fn rate_text(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_string(), percent_text)
}

/// A change in per-mille points as percentage points: "+3.0", "−1.5", "±0.0"; empty for none.
pub fn trend_text(n: Option<i32>) -> String {
    match n {
        None => String::new(),
        Some(d) => {
            let sign = match d.signum() {
                1 => "+",
                -1 => "−",
                _ => "±",
            };
            let d = d.unsigned_abs();
            format!("{sign}{}.{}", d / 10, d % 10)
        }
    }
}

/// The form field holding the answer to `item` about `subject`.
pub fn answer_field(subject: &str, item: &str) -> String {
    format!("a.{subject}.{item}")
}

/// One line of results: counts per level (best first), their total and the rates, each `None`
/// when hidden because too few people are behind it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResultLine {
    /// The unit, member or "all" this line is about.
    pub label: String,
    /// Counts of 满意, 比较满意, 基本满意, 不满意.
    pub counts: Vec<Option<u32>>,
    /// All answers on the line.
    pub total: Option<u32>,
    /// 满意率 in per mille (formula configurable).
    pub satisfaction: Option<u32>,
    /// 基本满意率 in per mille.
    pub basic: Option<u32>,
    /// 不满意率 in per mille.
    pub dissatisfied: Option<u32>,
    /// Change of 满意率 against the previous round, in per mille points.
    pub trend: Option<i32>,
}

/// The results of one rated item: a line per subject and the line of all subjects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ItemResults {
    /// The item's key.
    pub key: String,
    /// Its wording.
    pub text: String,
    /// One line per subject, in the round's order.
    pub lines: Vec<ResultLine>,
    /// All subjects together.
    pub all: ResultLine,
}

/// A finished round's results, suppressed below the minimum group size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoundResults {
    /// The round.
    pub round: RoundView,
    /// The smallest number of people a shown figure may stand for.
    pub min_group: u32,
    /// Responses counted.
    pub responses: u32,
    /// Responses over slips issued, per mille (slip rounds only).
    pub response_rate: Option<u32>,
    /// All rated items together: a line per subject.
    pub summary: Vec<ResultLine>,
    /// All rated items and subjects together.
    pub overall: ResultLine,
    /// Item by item.
    pub items: Vec<ItemResults>,
    /// The residents' written suggestions (意见和建议), sorted, shown only from `min_group` responses.
    pub suggestions: Vec<String>,
    /// The round the trend compares with.
    pub previous: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_reads_both_ways() {
        for (i, r) in Rating::ALL.into_iter().enumerate() {
            assert_eq!(r.index(), i);
            assert_eq!(Rating::parse(r.as_str()), Some(r));
            assert_eq!(Rating::parse(r.label(Lang::Zh)), Some(r));
        }
        assert_eq!(Rating::parse("很满意"), None);
    }

    #[test]
    fn the_templates_follow_the_paper_forms() {
        let org = Questionnaire::organisation_template();
        let rated = org
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Rating)
            .count();
        assert_eq!(rated, 5, "附件4 rates five items");
        assert_eq!(
            org.asked().count(),
            6,
            "the group's rectification note is not asked"
        );
        let member = Questionnaire::member_template();
        assert_eq!(member.subject, Subject::Member);
        assert_eq!(
            member
                .items
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>(),
            [
                "践行公开承诺情况",
                "立足本职岗位争优情况",
                "联系和服务群众情况",
                "基本评价"
            ]
        );
        for form in [&org, &member] {
            let mut keys: Vec<&str> = form.items.iter().map(|i| i.key.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), form.items.len(), "keys are unique");
        }
    }
}
