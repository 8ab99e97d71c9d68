//! Mass appraisal (群众评议): the four-level scale and the two official questionnaires of the
//! seeds (附件4 for party organisations, 附件5 for party members), shared by server and pages.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// One level of the official four-level scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
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
        let (zh, en) = match self {
            Rating::Satisfied => ("满意", "Satisfied"),
            Rating::FairlySatisfied => ("比较满意", "Fairly satisfied"),
            Rating::BasicallySatisfied => ("基本满意", "Basically satisfied"),
            Rating::Dissatisfied => ("不满意", "Dissatisfied"),
        };
        if lang == Lang::Zh { zh } else { en }
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A grassroots party organisation (附件4).
    Organisation,
    /// Each party member of a branch (附件5).
    Member,
}

/// How an item is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_reads_both_ways() {
        for r in Rating::ALL {
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
