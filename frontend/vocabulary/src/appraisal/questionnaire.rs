//! The questionnaires: their subjects and items, the two official templates of the seeds
//! (附件4 for party organisations, 附件5 for party members), and how a group keeps its copies.

use serde::{Deserialize, Serialize};

use crate::model::Day;

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

fn item(key: &str, text: &str, kind: ItemKind, required: bool) -> QuestionItem {
    QuestionItem {
        key: key.to_string(),
        text: text.to_string(),
        kind,
        required,
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

/// The form field holding the answer to `item` about `subject`.
pub fn answer_field(subject: &str, item: &str) -> String {
    format!("a.{subject}.{item}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
